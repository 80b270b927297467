/**
 * Pixel payloads for the webview bridge, which carries JSON-safe values only, as base64
 * (base64-js: small, maintained, and the same code in UXP, the webview and Node). Every
 * encoding is lossless, bit for bit:
 * - the network's input as a palette of its distinct float32 values and one index per
 *   sample (`palette-u8` for at most 256 values, `palette-u16` for at most 65536; an 8-bit
 *   source has at most 256 distinct x', a 16-bit one at most 32769), else plain float32;
 * - the network's answer only where the blend reads it: the pixels {@link returnedPixels}
 *   picks, which both sides compute from the same float32 input.
 */
import { fromByteArray, toByteArray } from 'base64-js';
import type { PlanarTile } from '../core/backend';
import { ALPHA_THRESHOLD } from '../core/hdrcnn';
import { ProtocolError } from './errors';

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
  /** base64 of one little-endian index per sample. */
  readonly indices: string;
}

export type EncodedSamples = EncodedFloat32 | EncodedPalette;

/** The most palette entries each index width can address. */
export const PALETTE_SIZES = { 'palette-u8': 256, 'palette-u16': 65536 } as const;
export const INDEX_BYTES = { 'palette-u8': 1, 'palette-u16': 2 } as const;

/** Characters of padded base64 for `bytes` bytes: what a payload's text must measure. */
export const base64Length = (bytes: number): number => 4 * Math.ceil(bytes / 3);

// Typed arrays are little-endian on every platform Photoshop and browsers run on.
const bytesOf = (values: ArrayBufferView): Uint8Array =>
  new Uint8Array(values.buffer, values.byteOffset, values.byteLength);

export function encodeFloat32(values: Float32Array): EncodedFloat32 {
  return { encoding: 'base64-f32le', length: values.length, data: fromByteArray(bytesOf(values)) };
}

/** Slots of the palette's hash table: a power of two, twice the most entries, so probes stay short. */
const TABLE_SIZE = 2 * PALETTE_SIZES['palette-u16'];

/** A palette encoding when `values` has at most 65536 distinct values (by bits: -0 and NaNs kept), else float32. */
export function encodeSamples(values: Float32Array): EncodedSamples {
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
  const narrow = size <= PALETTE_SIZES['palette-u8'];
  const packed = narrow ? Uint8Array.from(indices) : indices;
  const encoding = narrow ? 'palette-u8' : 'palette-u16';
  const entries = new Float32Array(palette.buffer, 0, size);
  return { encoding, length: values.length, palette: encodeFloat32(entries), indices: fromByteArray(bytesOf(packed)) };
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
  const bytes = strictBase64(encoded.indices, 'palette indices');
  const width = INDEX_BYTES[encoded.encoding];
  if (bytes.byteLength !== encoded.length * width) {
    throw new ProtocolError(`palette indices hold ${bytes.byteLength} bytes, expected ${encoded.length * width}`);
  }
  // toByteArray's buffer is its own and starts at 0, so 16-bit indices can be viewed in place.
  const indices = width === 1 ? bytes : new Uint16Array(bytes.buffer, bytes.byteOffset, encoded.length);
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

/**
 * Where the blend can read the network's answer: pixels of the window whose brightest input
 * is at least fround(ALPHA_THRESHOLD). The core's mask (highlightAlpha > 0) is computed on
 * the doubles this float32 tile was rounded from; rounding is monotone, so every double above
 * the threshold rounds to at least fround(threshold): this set holds the core's (a few
 * pixels just below it come along, never read). Both sides run it on the same float32 values.
 */
export function returnedPixels(tile: PlanarTile): Uint32Array {
  const plane = tile.width * tile.height;
  const floor = Math.fround(ALPHA_THRESHOLD);
  const { data } = tile;
  const picked = new Uint32Array(plane);
  let n = 0;
  for (let p = 0; p < plane; p++) {
    if (Math.max(data[p], data[p + plane], data[p + 2 * plane]) >= floor) picked[n++] = p;
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

export const encodeBytes = (bytes: Uint8Array): string => fromByteArray(bytes);

export const decodeBytes = (base64: string): Uint8Array => strictBase64(base64, 'file payload');
