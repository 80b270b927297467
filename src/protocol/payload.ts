/**
 * Pixel payloads for the webview bridge, which carries JSON-safe values only, as base64
 * (base64-js: small, maintained, and the same code in UXP, the webview and Node; see
 * {@link toBase64} for where the runtime's own encoder is used).
 * - The network's input, losslessly: a palette of its distinct float32 values, sorted, and
 *   one index per sample (`palette-u8` for at most 256 values, `palette-u16` for at most
 *   65536; an 8-bit source has at most 256 distinct x', a 16-bit one at most 32769), the
 *   indices predicted from their neighbours (index-prediction.ts) and the residuals deflated;
 *   else plain float32.
 * - The network's answer only where the blend reads it (the pixels {@link returnedPixels}
 *   picks, which both sides compute from the same float32 input), as log values on a grid
 *   of {@link LOG_STEP} (`log-q24`: steps from an offset, differenced, and deflated Huffman-only,
 *   since string matching finds little in them: literal-deflate.ts): every
 *   value within LOG_STEP/2 of the network's, so the blended output is within γ·LOG_STEP/2
 *   ≈ 6.1e-5 relative at γ = 2. Answers whose range the grid cannot hold go as float32.
 */
import { fromByteArray, toByteArray } from 'base64-js';
import type { PlanarTile } from '../core/backend';
import { ALPHA_THRESHOLD } from '../core/hdrcnn';
import { deflate, deflateBound, inflateExactly } from '../deflate/deflate';
import { deflateLiterals } from '../deflate/literal-deflate';
import { ProtocolError } from './errors';
import { residualBytes, valuesFromResiduals, type SampleLayout } from './index-prediction';

/**
 * The runtime's own encoder where it has one (Chromium 140+, Safari 18.2+: the engine page in
 * WebView2 and in a recent WKWebView), else base64-js (UXP's own JavaScript, Node 24). In
 * Chromium 156 it encodes a 370 KB answer in 0.23 ms against base64-js's 5.9 ms; decoding
 * measured about the same either way, so base64-js decodes everywhere.
 */
const nativeToBase64 = (Uint8Array.prototype as { toBase64?: (this: Uint8Array) => string }).toBase64;
const toBase64 = (bytes: Uint8Array): string => (nativeToBase64 ? nativeToBase64.call(bytes) : fromByteArray(bytes));

export interface EncodedFloat32 {
  readonly encoding: 'base64-f32le';
  /** Number of float32 samples. */
  readonly length: number;
  readonly data: string;
}

/** Samples as indices into a palette of float32 values. */
export interface EncodedPalette {
  readonly encoding: 'palette-u8' | 'palette-u16';
  /** Number of samples (indices). */
  readonly length: number;
  readonly palette: EncodedFloat32;
  /** How the samples lie, for the prediction: `planes` planes of rows `width` long. */
  readonly width: number;
  readonly planes: SampleLayout['planes'];
  /** base64 of the deflated residuals of the indices (index-prediction.ts), modulo 2^8 or 2^16. */
  readonly indices: string;
}

export type EncodedSamples = EncodedFloat32 | EncodedPalette;

/** Log values as steps of LOG_STEP above `offset`, at most 2^24 of them. */
export interface EncodedLog {
  readonly encoding: 'log-q24';
  /** Number of values. */
  readonly length: number;
  /** The smallest value's grid point: each value is offset + q·LOG_STEP. */
  readonly offset: number;
  /** base64 of the deflated differences of q (modulo 2^24; all low bytes, then the middle ones, then the high ones). */
  readonly data: string;
}

export type EncodedOutput = EncodedFloat32 | EncodedLog;

/**
 * The answer's grid: 2^-14 in log, so a value is off by at most 3.1e-5 (relative, once exponentiated),
 * a third of the 1e-4 the plugin keeps to the CLI by; 2^24 steps span 1024 log units (float32 ends at e^88.7).
 * Measured on the sample photos (`bench plugin`): 2^-12 made answers 11–15 % smaller (2.83 MB/MP in all, not 2.97),
 * at 4× the error.
 */
export const LOG_STEP = 2 ** -14;
const MAX_STEPS = 2 ** 24 - 1;

/** The most palette entries each index width can address. */
export const PALETTE_SIZES = { 'palette-u8': 256, 'palette-u16': 65536 } as const;
export const INDEX_BYTES = { 'palette-u8': 1, 'palette-u16': 2 } as const;

/** Characters of padded base64 for `bytes` bytes: what a payload's text must measure. */
export const base64Length = (bytes: number): number => 4 * Math.ceil(bytes / 3);

/** The longest base64 text a deflated payload of `bytes` raw bytes can have: longer is refused before inflating. */
export const deflatedBase64Length = (bytes: number): number => base64Length(deflateBound(bytes));

// Typed arrays are little-endian on every platform Photoshop and browsers run on.
const bytesOf = (values: ArrayBufferView): Uint8Array =>
  new Uint8Array(values.buffer, values.byteOffset, values.byteLength);

export function encodeFloat32(values: Float32Array): EncodedFloat32 {
  return { encoding: 'base64-f32le', length: values.length, data: toBase64(bytesOf(values)) };
}

/** Slots of the palette's hash table: a power of two, twice the most entries, so probes stay short. */
const TABLE_SIZE = 2 * PALETTE_SIZES['palette-u16'];

/**
 * A palette encoding when `values` has at most 65536 distinct values (by bits: -0 and NaNs kept), else float32.
 * `layout`: how they lie (a tile: its 3 planes of rows of its width); by default one row.
 */
export function encodeSamples(
  values: Float32Array,
  layout: SampleLayout = { width: Math.max(1, values.length), planes: 1 },
): EncodedSamples {
  const bits = new Uint32Array(values.buffer, values.byteOffset, values.length);
  // Open addressing on the bits (a Map costs several times more per sample): keys, and slot + 1 (0: empty).
  const keys = new Uint32Array(TABLE_SIZE);
  const slots = new Int32Array(TABLE_SIZE);
  const palette = new Uint32Array(PALETTE_SIZES['palette-u16']);
  const indices = new Uint16Array(values.length);
  let size = 0;
  for (let i = 0; i < bits.length; i++) {
    const b = bits[i];
    let h = Math.imul(b, 0x9e3779b1) >>> 15; // 17 bits: TABLE_SIZE slots
    while (slots[h] !== 0 && keys[h] !== b) h = (h + 1) & (TABLE_SIZE - 1);
    if (slots[h] === 0) {
      if (size === palette.length) return encodeFloat32(values);
      keys[h] = b;
      palette[size] = b;
      slots[h] = ++size;
    }
    indices[i] = slots[h] - 1;
  }
  // Sorted, so that close values get close indices and the prediction's residuals stay small.
  const entries = new Float32Array(palette.buffer, 0, size);
  const order = Array.from({ length: size }, (_, k) => k).sort(
    (a, b) => entries[a] - entries[b] || palette[a] - palette[b],
  );
  const rank = new Uint16Array(size);
  order.forEach((k, r) => (rank[k] = r));
  for (let i = 0; i < indices.length; i++) indices[i] = rank[indices[i]];
  const narrow = size <= PALETTE_SIZES['palette-u8'];
  const encoding = narrow ? 'palette-u8' : 'palette-u16';
  const sorted = Float32Array.from(order, (k) => entries[k]);
  const residuals = residualBytes(indices, layout, narrow ? 8 : 16);
  const { width, planes } = layout;
  const packed = toBase64(deflate(residuals));
  return { encoding, length: values.length, palette: encodeFloat32(sorted), width, planes, indices: packed };
}

/** Bytes per grid step count: 2^24 steps. */
const STEP_BYTES = 3;

/**
 * Each step count less the one before (the first as is), modulo 2^24, in byte planes: every
 * difference's low byte, then every middle one, then every high one (small differences leave
 * the upper planes nearly constant).
 */
function differences(values: Uint32Array): Uint8Array {
  const n = values.length;
  const out = new Uint8Array(n * STEP_BYTES);
  let previous = 0;
  for (let i = 0; i < n; i++) {
    const d = values[i] - previous;
    previous = values[i];
    out[i] = d;
    out[n + i] = d >> 8;
    out[2 * n + i] = d >> 16;
  }
  return out;
}

/** {@link differences} undone. */
function undoDifferences(bytes: Uint8Array, n: number): Uint32Array {
  const out = new Uint32Array(n);
  let value = 0;
  for (let i = 0; i < n; i++) {
    value = (value + (bytes[i] | (bytes[n + i] << 8) | (bytes[2 * n + i] << 16))) & 0xffffff;
    out[i] = value;
  }
  return out;
}

/** Deflated bytes out of base64: exactly `size` bytes, however the payload lies. */
function inflated(text: string, size: number, what: string): Uint8Array {
  if (text.length > deflatedBase64Length(size))
    throw new ProtocolError(`${what}: ${text.length} characters is more than ${size} bytes can deflate to`);
  return inflateExactly(strictBase64(text, what), size, (why) => new ProtocolError(`${what}: ${why}`));
}

/** Standard base64 with padding, nothing else: base64-js decodes any other character as zero bits. */
function strictBase64(text: string, what: string): Uint8Array {
  if (text.length % 4 !== 0) {
    throw new ProtocolError(`${what} is not valid base64: its length ${text.length} is not a multiple of 4`);
  }
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text)) {
    const at = text.search(/[^A-Za-z0-9+/]/);
    throw new ProtocolError(`${what} is not valid base64: character ${at} is ${JSON.stringify(text[at])}`);
  }
  return toByteArray(text);
}

export function decodeFloat32(encoded: EncodedFloat32): Float32Array {
  const bytes = strictBase64(encoded.data, 'pixel payload');
  if (bytes.byteLength !== encoded.length * 4) {
    throw new ProtocolError(`pixel payload holds ${bytes.byteLength} bytes, expected ${encoded.length * 4}`);
  }
  return new Float32Array(bytes.buffer, bytes.byteOffset, encoded.length);
}

export function decodeSamples(encoded: EncodedSamples): Float32Array {
  if (encoded.encoding === 'base64-f32le') return decodeFloat32(encoded);
  const palette = decodeFloat32(encoded.palette);
  if (palette.length > PALETTE_SIZES[encoded.encoding]) {
    throw new ProtocolError(
      `a ${encoded.encoding} palette holds ${palette.length} values, more than its indices reach`,
    );
  }
  const { width: rows, planes } = encoded;
  if (!Number.isSafeInteger(rows) || rows < 1 || (planes !== 1 && planes !== 3) || encoded.length % (rows * planes))
    throw new ProtocolError(`${encoded.length} samples do not lie in ${planes} planes of rows ${rows} long`);
  const width = INDEX_BYTES[encoded.encoding];
  const residuals = inflated(encoded.indices, encoded.length * width, 'palette indices');
  const indices = valuesFromResiduals(residuals, encoded.length, encoded, width === 1 ? 8 : 16);
  const out = new Float32Array(encoded.length);
  for (let i = 0; i < indices.length; i++) {
    const k = indices[i];
    if (k >= palette.length) {
      throw new ProtocolError(`palette index ${k} at sample ${i} is past the palette's ${palette.length} values`);
    }
    out[i] = palette[k];
  }
  return out;
}

/** The answer's values on the LOG_STEP grid when 2^24 steps of it hold their range, else as float32. */
export function encodeNetworkOutput(values: Float32Array): EncodedOutput {
  if (!values.length) return encodeFloat32(values);
  let [lo, hi] = [Infinity, -Infinity];
  for (let i = 0; i < values.length; i++) {
    if (values[i] < lo) lo = values[i];
    if (values[i] > hi) hi = values[i];
  }
  const offset = Math.floor(lo / LOG_STEP) * LOG_STEP;
  if (!Number.isFinite(hi) || Math.round((hi - offset) / LOG_STEP) > MAX_STEPS) return encodeFloat32(values);
  const steps = new Uint32Array(values.length);
  const perStep = 1 / LOG_STEP; // a power of two: the same steps as dividing
  for (let i = 0; i < values.length; i++) steps[i] = Math.round((values[i] - offset) * perStep);
  return { encoding: 'log-q24', length: values.length, offset, data: toBase64(deflateLiterals(differences(steps))) };
}

export function decodeNetworkOutput(encoded: EncodedOutput): Float32Array {
  if (encoded.encoding === 'base64-f32le') return decodeFloat32(encoded);
  const bytes = inflated(encoded.data, STEP_BYTES * encoded.length, 'log payload');
  const steps = undoDifferences(bytes, encoded.length);
  const values = new Float32Array(encoded.length);
  for (let i = 0; i < values.length; i++) values[i] = encoded.offset + steps[i] * LOG_STEP;
  return values;
}

/**
 * Where the blend can read the network's answer: pixels of the tile's `used` part (all of
 * it when unset) whose brightest input is at least fround(ALPHA_THRESHOLD). The core's mask
 * (highlightAlpha > 0) is computed on the doubles this float32 tile was rounded from; rounding
 * is monotone, so every double above the threshold rounds to at least fround(threshold): this
 * set holds the core's (a few pixels just below it come along, never read). Both sides run it
 * on the same float32 values and the same rectangle.
 */
export function returnedPixels(tile: PlanarTile): Uint32Array {
  const { width, height, data } = tile;
  const plane = width * height;
  const used = tile.used ?? { left: 0, top: 0, width, height };
  const floor = Math.fround(ALPHA_THRESHOLD);
  const picked = new Uint32Array(used.width * used.height);
  let n = 0;
  for (let y = used.top; y < used.top + used.height; y++) {
    for (let p = y * width + used.left, end = p + used.width; p < end; p++) {
      if (Math.max(data[p], data[p + plane], data[p + 2 * plane]) >= floor) picked[n++] = p;
    }
  }
  return picked.slice(0, n);
}

/** The planar output's values at `pixels`, planar: all of R, then G, then B. */
export function packPixels(output: Float32Array, pixels: Uint32Array, plane: number): Float32Array {
  const n = pixels.length;
  const packed = new Float32Array(3 * n);
  for (let c = 0; c < 3; c++) for (let k = 0; k < n; k++) packed[c * n + k] = output[c * plane + pixels[k]];
  return packed;
}

/** {@link packPixels} undone: zeros where nothing came back (the blend never reads there). */
export function expandPixels(packed: Float32Array, pixels: Uint32Array, plane: number): Float32Array {
  const n = pixels.length;
  const output = new Float32Array(3 * plane);
  for (let c = 0; c < 3; c++) for (let k = 0; k < n; k++) output[c * plane + pixels[k]] = packed[c * n + k];
  return output;
}

export const encodeBytes = toBase64;

export const decodeBytes = (base64: string): Uint8Array => strictBase64(base64, 'file payload');
