/**
 * Downloads a weights file with progress, refusing what cannot be a whole,
 * plausible file: an HTTP error, a body shorter than its declared length, or
 * more bytes than any weights file we accept.
 */
import { EngineError } from '../protocol/errors';
import { MAX_NPZ_BYTES } from '../weights/npz';

/** The part of fetch the engine uses (browsers' and Node's fetch both fit). */
export type Fetch = (url: string, init: { signal: AbortSignal }) => Promise<Response>;

export type ByteProgress = (loaded: number, total: number) => void;

export async function download(url: string, fetch: Fetch, signal: AbortSignal, onProgress: ByteProgress): Promise<Uint8Array> {
  let response: Response;
  try {
    response = await fetch(url, { signal });
  } catch (e) {
    throw failure(url, e, signal);
  }
  if (!response.ok) throw new EngineError('download', `${url}: HTTP ${response.status} ${response.statusText}`.trim());
  // Content-Length is readable cross-origin (CORS-safelisted); 0 when absent.
  const declared = Number(response.headers.get('content-length') ?? 0);
  if (declared > MAX_NPZ_BYTES) throw new EngineError('download', `${url}: ${declared} bytes is more than any HDRCNN weights file`);
  if (!response.body) throw new EngineError('download', `${url}: empty response`);
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let loaded = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      loaded += value.byteLength;
      if (loaded > MAX_NPZ_BYTES) throw new EngineError('download', `${url}: more than ${MAX_NPZ_BYTES} bytes, not a weights file`);
      chunks.push(value);
      onProgress(loaded, declared);
    }
  } catch (e) {
    void reader.cancel().catch(() => undefined);
    throw e instanceof EngineError ? e : failure(url, e, signal, ` after ${loaded} of ${declared || '?'} bytes`);
  }
  // Decompressed bodies may be longer than declared, never shorter.
  if (loaded < declared) throw new EngineError('download', `${url}: truncated, ${loaded} of ${declared} bytes`);
  const bytes = new Uint8Array(loaded);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}

function failure(url: string, error: unknown, signal: AbortSignal, where = ''): EngineError {
  if (signal.aborted) return new EngineError('cancelled', 'download cancelled');
  const { message, cause } = error as Error & { cause?: Error };
  return new EngineError('download', `${url}: ${message ?? String(error)}${cause?.message ? ` (${cause.message})` : ''}${where}`);
}
