/**
 * Between the imaging API's chunky arrays and the core's float RGB. Host-free.
 *
 * In: 8-bit 0..255, 16-bit 0..32768 (Photoshop's reduced range), 32-bit linear floats;
 * 1 (Grayscale) or 3 (RGB) colour components, maybe followed by alpha. Out of decode:
 * display-referred RGB in [0, 1] for the network and the linear value Photoshop's 32-bit
 * conversion gives each sample (both RGB, grey replicated), and alpha in 0..1.
 * Out of encode: Float32 samples for createImageDataFromBuffer in a 32-bit document,
 * 1 component for Grayscale (the mean of the three channels), alpha kept.
 */
import { pixelAlpha, type HdrcnnSettings } from '../core/hdrcnn';
import type { Rect, RgbImage } from '../core/image';
import type { ToneCurve } from './tone-curve';

export type Depth = 8 | 16 | 32;
export const MAX_VALUE: Record<Depth, number> = { 8: 255, 16: 32768, 32: 1 };

export interface DecodedPixels {
  readonly width: number;
  readonly height: number;
  readonly colorComponents: 1 | 3;
  /** Display-referred RGB, interleaved; 0 where the pixel is fully transparent. */
  readonly display: Float32Array;
  /** Linear values, interleaved RGB like `display` (grey replicated); a transparent pixel keeps its own. */
  readonly linear: Float32Array;
  /** 0..1 per pixel, or null when the source has no alpha (a background layer). */
  readonly alpha: Float32Array | null;
}

/** Decoded pixels of `rect` of a layer. */
export interface SourcePatch {
  readonly rect: Rect;
  readonly pixels: DecodedPixels;
}

export interface SourceFormat {
  readonly depth: Depth;
  readonly colorComponents: 1 | 3;
  readonly hasAlpha: boolean;
  readonly curve: ToneCurve;
  /**
   * 32-bit data that Photoshop converted from an 8/16-bit document: the display value
   * is snapped back to that depth's grid, which recovers the original code exactly.
   */
  readonly convertedFrom?: 8 | 16;
}

/** Display and linear value of every code of an integer depth, as float32 (the arrays decoding fills are float32). */
interface CodeTable {
  readonly display: Float32Array;
  readonly linear: Float32Array;
}

// A window decodes hundreds of thousands of samples; a depth has at most 32769 codes, each curve evaluated once.
const codeTables = new WeakMap<ToneCurve, Map<number, CodeTable>>();

function codeTable(curve: ToneCurve, max: number): CodeTable {
  const byDepth = codeTables.get(curve) ?? new Map<number, CodeTable>();
  codeTables.set(curve, byDepth);
  let table = byDepth.get(max);
  if (!table) {
    const display = new Float32Array(max + 1);
    const linear = new Float32Array(max + 1);
    for (let v = 0; v <= max; v++) {
      display[v] = v / max;
      linear[v] = curve.toLinear(v / max);
    }
    table = { display, linear };
    byDepth.set(max, table);
  }
  return table;
}

export function decodePixels(
  data: ArrayLike<number>,
  width: number,
  height: number,
  format: SourceFormat,
): DecodedPixels {
  const n = format.colorComponents;
  const stride = n + (format.hasAlpha ? 1 : 0);
  const count = width * height;
  if (data.length !== count * stride)
    throw new RangeError(`expected ${count * stride} samples for ${width}×${height}×${stride}, got ${data.length}`);
  const max = MAX_VALUE[format.depth];
  const grid = format.convertedFrom ? MAX_VALUE[format.convertedFrom] : 0;
  const table = format.depth === 32 ? undefined : codeTable(format.curve, max);
  const display = new Float32Array(count * 3);
  const linear = new Float32Array(count * 3);
  const alpha = format.hasAlpha ? new Float32Array(count) : null;
  for (let p = 0; p < count; p++) {
    const a = alpha ? (alpha[p] = data[p * stride + n] / max) : 1;
    for (let c = 0; c < n; c++) {
      const v = data[p * stride + c];
      let x: number;
      let l: number;
      if (format.depth === 32) {
        l = v;
        x = format.curve.toDisplay(v);
        if (grid) x = Math.round(x * grid) / grid;
      } else if (table!.display[v] !== undefined) {
        // Photoshop's codes are integers in 0..max: looked up; anything else is computed.
        x = table!.display[v];
        l = table!.linear[v];
      } else {
        x = v / max;
        l = format.curve.toLinear(x);
      }
      // Invisible pixels often hold stale colour (white): keep it from looking like a highlight.
      const shown = a > 0 ? x : 0;
      if (n === 3) {
        display[p * 3 + c] = shown;
        linear[p * 3 + c] = l;
      } else {
        display.fill(shown, p * 3, p * 3 + 3);
        linear.fill(l, p * 3, p * 3 + 3);
      }
    }
  }
  return { width, height, colorComponents: n, display, linear, alpha };
}

/** The alpha of `core` out of the alpha of `rect` around it (`core` inside `rect`). */
export function cropAlpha(alpha: Float32Array, rect: Rect, core: Rect): Float32Array {
  const out = new Float32Array(core.width * core.height);
  for (let y = 0; y < core.height; y++) {
    const from = (core.top - rect.top + y) * rect.width + core.left - rect.left;
    out.set(alpha.subarray(from, from + core.width), y * core.width);
  }
  return out;
}

/** Chunky output samples of `hdr` (the core's values): grey as the channels' mean, then `alpha` when given. */
export function encodeOutput(hdr: RgbImage, colorComponents: 1 | 3, alpha: Float32Array | null): Float32Array {
  const stride = colorComponents + (alpha ? 1 : 0);
  const count = hdr.width * hdr.height;
  const out = new Float32Array(count * stride);
  const d = hdr.data;
  for (let p = 0; p < count; p++) {
    if (colorComponents === 3) out.set(d.subarray(p * 3, p * 3 + 3), p * stride);
    else out[p * stride] = (d[p * 3] + d[p * 3 + 1] + d[p * 3 + 2]) / 3;
    if (alpha) out[p * stride + colorComponents] = alpha[p];
  }
  return out;
}

/** Share of colour samples at or above 1 among visible pixels, and whether any pixel is inside the highlight mask. */
export function clippingStats(
  pixels: DecodedPixels,
  settings: HdrcnnSettings,
): { samples: number; saturated: number; highlights: boolean } {
  let samples = 0;
  let saturated = 0;
  let highlights = false;
  const d = pixels.display;
  for (let p = 0; p < pixels.width * pixels.height; p++) {
    if (pixels.alpha && pixels.alpha[p] === 0) continue;
    for (let c = 0; c < pixels.colorComponents; c++) {
      samples++;
      if (d[p * 3 + c] >= 1) saturated++;
    }
    highlights ||= pixelAlpha(d[p * 3], d[p * 3 + 1], d[p * 3 + 2], settings) > 0;
  }
  return { samples, saturated, highlights };
}
