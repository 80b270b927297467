/**
 * Downloads a weights file with the plugin's own fetch (UXP's, governed by the
 * manifest's network.domains, with no CORS rule), with progress, refusing what
 * cannot be a whole, plausible file: an HTTP error, a body shorter than its
 * declared length, or more bytes than any weights file we accept. With a
 * declared length the body lands in one buffer of that size: no second copy,
 * which matters at 120 MB against UXP's ~600 MB plugin memory warning.
 */
import { EngineError } from '../protocol/errors';
import { MAX_NPZ_BYTES } from '../weights/npz';

/** The part of fetch provisioning uses (UXP's and Node's fetch both fit). */
export type Fetch = (url: string, init: { signal: AbortSignal }) => Promise<Response>;

export type ByteProgress = (loaded: number, total: number) => void;

export async function download(
  url: string,
  fetch: Fetch,
  signal: AbortSignal,
  onProgress: ByteProgress,
): Promise<Uint8Array> {
  let response: Response;
  try {
    response = await fetch(url, { signal });
  } catch (e) {
    throw failure(url, e, signal);
  }
  if (!response.ok) throw new EngineError('download', `${url}: HTTP ${response.status} ${response.statusText}`.trim());
  // Content-Length is readable cross-origin (CORS-safelisted); 0 when absent.
  const declared = Number(response.headers.get('content-length') ?? 0);
  if (declared > MAX_NPZ_BYTES)
    throw new EngineError('download', `${url}: ${declared} bytes is more than any HDRCNN weights file`);
  if (!response.body) throw new EngineError('download', `${url}: empty response`);
  const reader = response.body.getReader();
  let bytes: Uint8Array = new Uint8Array(declared || 1 << 20);
  let loaded = 0;
  try {
    for (;;) {
      // Also checked here: a fetch that ignores its signal still stops at the next piece.
      if (signal.aborted) throw new EngineError('cancelled', 'download cancelled');
      const { done, value } = await reader.read();
      if (done) break;
      if (loaded + value.byteLength > MAX_NPZ_BYTES)
        throw new EngineError('download', `${url}: more than ${MAX_NPZ_BYTES} bytes, not a weights file`);
      // Unknown length, or a decompressed body longer than declared: grow by doubling.
      if (loaded + value.byteLength > bytes.length) bytes = grown(bytes, loaded, loaded + value.byteLength);
      bytes.set(value, loaded);
      loaded += value.byteLength;
      onProgress(loaded, declared);
    }
  } catch (e) {
    void reader.cancel().catch(() => undefined);
    throw e instanceof EngineError ? e : failure(url, e, signal, ` after ${loaded} of ${declared || '?'} bytes`);
  }
  // Decompressed bodies may be longer than declared, never shorter.
  if (loaded < declared) throw new EngineError('download', `${url}: truncated, ${loaded} of ${declared} bytes`);
  return loaded === bytes.length ? bytes : bytes.subarray(0, loaded);
}

function grown(bytes: Uint8Array, used: number, needed: number): Uint8Array {
  const next = new Uint8Array(Math.min(MAX_NPZ_BYTES, Math.max(needed, 2 * bytes.length)));
  next.set(bytes.subarray(0, used));
  return next;
}

function failure(url: string, error: unknown, signal: AbortSignal, where = ''): EngineError {
  if (signal.aborted) return new EngineError('cancelled', 'download cancelled');
  const { message, cause } = error as Error & { cause?: Error };
  return new EngineError(
    'download',
    `${url}: ${message ?? String(error)}${cause?.message ? ` (${cause.message})` : ''}${where}`,
  );
}
