/**
 * Deflate for payloads this project reads back itself (the webview bridge's pixels, `.npz`
 * members), on fflate. Inflating is bounded by what the caller expects: the output buffer is
 * that size, and input is fed a slice at a time so a bomb is refused as soon as its output passes
 * it, never after gigabytes.
 */
import { deflateSync, Inflate } from 'fflate';

/** Input fed to the inflater per push: what one push may produce stays small (≤ 1032× this). */
const INFLATE_SLICE = 16 * 1024;

/**
 * The most bytes deflating `bytes` bytes can give (stored blocks and headers); a longer
 * payload is refused before inflating it.
 */
export const deflateBound = (bytes: number): number => bytes + 5 * Math.ceil(bytes / 16_383) + 64;

/** Level 1: on the sample photos' windows level 6 was 4 % smaller at 3.8× the time (9.3 against 35.7 ms a 320² window). */
export const deflate = (bytes: Uint8Array): Uint8Array => deflateSync(bytes, { level: 1 });

/**
 * Inflates `data` into exactly `size` bytes. `fail` makes the caller's own error: for output past
 * `size` (refused as soon as it passes), short output, or data that is not deflate.
 */
export function inflateExactly(data: Uint8Array, size: number, fail: (why: string) => Error): Uint8Array {
  const out = new Uint8Array(size);
  let length = 0;
  let past = false;
  const inflater = new Inflate((chunk) => {
    if (length + chunk.length > size) {
      past = true;
      throw fail(`inflates past its declared size of ${size} bytes`);
    }
    out.set(chunk, length);
    length += chunk.length;
  });
  try {
    let at = 0;
    do {
      inflater.push(data.subarray(at, at + INFLATE_SLICE), at + INFLATE_SLICE >= data.length);
      at += INFLATE_SLICE;
    } while (at < data.length);
  } catch (e) {
    if (past) throw e;
    throw fail(`bad deflate data (${e instanceof Error ? e.message : String(e)})`);
  }
  if (length !== size) throw fail(`inflates to ${length} bytes, not its declared ${size}`);
  return out;
}
