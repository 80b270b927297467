/**
 * OpenEXR writer: scanline file, ZIP compression (16-line blocks), channels R, G, B — and A
 * only when the image has one — as half (default) or 32-bit float.
 *
 * Why not three's EXRExporter: it always writes RGBA (a third more data for opaque photos) and
 * stages the whole image twice; and its zlib (fflate, pure JS) is 5–7× slower than Node's own
 * (the C zlib), whose async calls also compress blocks on libuv's threads while this thread
 * converts the next ones. Measured side by side with oiiotool: `node dist-cli/bench/bench.js exr`.
 * Spec: "The OpenEXR File Layout" and ImfZip.cpp (reorder + delta predictor before zlib).
 */
import os from 'node:os';
import { promisify } from 'node:util';
import { deflate } from 'node:zlib';
import type { RgbImage } from '../core/image';

export interface ExrOptions {
  /** 32-bit float samples; default half. */
  readonly float?: boolean;
  /** Coverage in [0, 1], one per pixel, row-major; written as channel A. */
  readonly alpha?: Float32Array;
  /** zlib level; OpenEXR's default is 4. */
  readonly level?: number;
}

const HALF = 1,
  FLOAT = 2;
const ZIP_COMPRESSION = 3;
const LINES_PER_BLOCK = 16;
const deflateAsync = promisify(deflate);

// Typed arrays use the platform's byte order; EXR is little-endian, as is every platform Node ships for.
if (new Uint8Array(new Uint16Array([1]).buffer)[0] !== 1) throw new Error('exr.ts assumes a little-endian platform');

class HeaderWriter {
  private readonly parts: number[] = [];
  bytes(...values: number[]): this {
    this.parts.push(...values);
    return this;
  }
  text(s: string): this {
    for (let i = 0; i < s.length; i++) this.parts.push(s.charCodeAt(i));
    return this.bytes(0);
  }
  int32(...values: number[]): this {
    for (const v of values) this.parts.push(v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, (v >>> 24) & 0xff);
    return this;
  }
  float32(...values: number[]): this {
    return this.bytes(...new Uint8Array(new Float32Array(values).buffer));
  }
  attribute(name: string, type: string, write: (w: HeaderWriter) => void): this {
    const value = new HeaderWriter();
    write(value);
    return this.text(name)
      .text(type)
      .int32(value.parts.length)
      .bytes(...value.parts);
  }
  toBytes(): Uint8Array {
    return new Uint8Array(this.parts);
  }
}

function header(width: number, height: number, channels: readonly string[], pixelType: number): Uint8Array {
  const w = new HeaderWriter().bytes(0x76, 0x2f, 0x31, 0x01).int32(2); // magic, version 2, single-part scanline
  w.attribute('channels', 'chlist', (v) => {
    for (const name of channels) v.text(name).int32(pixelType).bytes(0, 0, 0, 0).int32(1, 1);
    v.bytes(0);
  });
  w.attribute('compression', 'compression', (v) => v.bytes(ZIP_COMPRESSION));
  w.attribute('dataWindow', 'box2i', (v) => v.int32(0, 0, width - 1, height - 1));
  w.attribute('displayWindow', 'box2i', (v) => v.int32(0, 0, width - 1, height - 1));
  w.attribute('lineOrder', 'lineOrder', (v) => v.bytes(0)); // increasing y
  w.attribute('pixelAspectRatio', 'float', (v) => v.float32(1));
  w.attribute('screenWindowCenter', 'v2f', (v) => v.float32(0, 0));
  w.attribute('screenWindowWidth', 'float', (v) => v.float32(1));
  return w.bytes(0).toBytes();
}

/** float32 bits → half bits, round to nearest even; ±Inf and beyond-range values saturate to ±65504, NaN → 0. */
function halfBits(f: number): number {
  const sign = (f >>> 16) & 0x8000;
  const a = f & 0x7fffffff;
  if (a >= 0x477ff000) return a > 0x7f800000 ? 0 : sign | 0x7bff; // ≥ 65520 (rounds past 65504) or Inf; NaN
  if (a < 0x38800000) {
    // Subnormal half (or zero): the implicit 1 shifted in, round to nearest even.
    if (a < 0x33000000) return sign;
    const shift = 126 - (a >>> 23);
    const m = (a & 0x7fffff) | 0x800000;
    const half = m >>> shift;
    const rest = m & ((1 << shift) - 1);
    const mid = 1 << (shift - 1);
    return sign | (half + (rest > mid || (rest === mid && half & 1) ? 1 : 0));
  }
  // Normal: rebias the exponent, add the rounding bias (+1 when the kept lsb is odd), truncate.
  return sign | ((a - 0x38000000 + 0xfff + ((a >>> 13) & 1)) >>> 13);
}

/** ImfZip: bytes split into even/odd halves, then each byte stored as the difference to the previous (+128). */
function predict(raw: Uint8Array, out: Uint8Array): void {
  const n = raw.length;
  const half = (n + 1) >> 1;
  let prev = raw[0];
  out[0] = prev;
  for (let i = 1, k = 2; i < half; i++, k += 2) {
    const v = raw[k];
    out[i] = (v - prev + 128) & 0xff;
    prev = v;
  }
  for (let i = half, k = 1; i < n; i++, k += 2) {
    const v = raw[k];
    out[i] = (v - prev + 128) & 0xff;
    prev = v;
  }
}

/** Encodes a linear RGB image (top row first) as an OpenEXR file. */
export async function encodeExr({ width, height, data }: RgbImage, options: ExrOptions = {}): Promise<Uint8Array> {
  const { float = false, alpha, level = 4 } = options;
  // Channels are stored in alphabetical order.
  const channels = alpha ? ['A', 'B', 'G', 'R'] : ['B', 'G', 'R'];
  const lineBytes = width * channels.length * (float ? 4 : 2);
  const blocks = Math.ceil(height / LINES_PER_BLOCK);
  const head = header(width, height, channels, float ? FLOAT : HALF);
  const source = new Uint32Array(data.buffer, data.byteOffset, data.length);
  const alphaBits = alpha && new Uint32Array(alpha.buffer, alpha.byteOffset, alpha.length);
  // Enough blocks in flight to keep libuv's threads busy, few enough to bound memory.
  const window = 2 * os.availableParallelism();
  const bodies: Array<Promise<Uint8Array>> = [];

  for (let b = 0; b < blocks; b++) {
    const top = b * LINES_PER_BLOCK;
    const lines = Math.min(LINES_PER_BLOCK, height - top);
    const raw = new Uint8Array(lines * lineBytes);
    const lineSamples = { top, lines, width, stride: width * channels.length, blue: alpha ? width : 0 };
    if (float) fillLines(new Float32Array(raw.buffer), data, alpha, lineSamples, saturate);
    else fillLines(new Uint16Array(raw.buffer), source, alphaBits, lineSamples, halfBits);
    const predicted = new Uint8Array(raw.length);
    predict(raw, predicted);
    // OpenEXR stores a block uncompressed when zlib does not make it smaller; readers tell by the size.
    bodies.push(deflateAsync(predicted, { level }).then((packed) => (packed.length < raw.length ? packed : raw)));
    if (b >= window) await bodies[b - window];
  }

  const done = await Promise.all(bodies);
  const tableEnd = head.length + blocks * 8;
  const out = new Uint8Array(tableEnd + done.reduce((n, body) => n + 8 + body.length, 0));
  const view = new DataView(out.buffer);
  out.set(head);
  for (let b = 0, at = tableEnd; b < blocks; b++) {
    view.setBigUint64(head.length + 8 * b, BigInt(at), true);
    view.setInt32(at, b * LINES_PER_BLOCK, true);
    view.setInt32(at + 4, done[b].length, true);
    out.set(done[b], at + 8);
    at += 8 + done[b].length;
  }
  return out;
}

interface Lines {
  readonly top: number;
  readonly lines: number;
  readonly width: number;
  /** Samples per line in the block. */
  readonly stride: number;
  /** Where B starts within a line (after A, if any). */
  readonly blue: number;
}

/** Interleaved RGB (and alpha) → a block's lines, each line channel after channel: [A…] B… G… R…. */
function fillLines<T extends Uint16Array | Float32Array, S extends Uint32Array | Float32Array>(
  out: T,
  rgb: S,
  alpha: S | undefined,
  { top, lines, width, stride, blue }: Lines,
  convert: (sample: number) => number,
): void {
  for (let y = 0; y < lines; y++) {
    const src = (top + y) * width;
    const b = y * stride + blue,
      g = b + width,
      r = g + width;
    for (let x = 0; x < width; x++) {
      const p = 3 * (src + x);
      out[r + x] = convert(rgb[p]);
      out[g + x] = convert(rgb[p + 1]);
      out[b + x] = convert(rgb[p + 2]);
    }
    if (alpha) for (let x = 0; x < width; x++) out[y * stride + x] = convert(alpha[src + x]);
  }
}

/** 32-bit output: keep every finite value; Inf saturates to the float range's edge, NaN → 0. */
function saturate(v: number): number {
  if (v === v) return v === Infinity ? 3.4028234663852886e38 : v === -Infinity ? -3.4028234663852886e38 : v;
  return 0;
}
