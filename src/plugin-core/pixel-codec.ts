/**
 * Between the imaging API's chunky arrays and the core's float RGB. Host-free.
 *
 * In: 8-bit 0..255, 16-bit 0..32768 (Photoshop's reduced range), 32-bit linear floats;
 * 1 (Grayscale) or 3 (RGB) colour components, maybe followed by alpha. Out of decode:
 * display-referred RGB in [0, 1] for the network (grey replicated), the linear value
 * Photoshop's 32-bit conversion gives each sample, and alpha in 0..1.
 * Out of encode: Float32 samples for createImageDataFromBuffer in a 32-bit document,
 * 1 component for Grayscale (the mean of the three channels), alpha kept.
 */
import type { HdrcnnSettings } from '../core/hdrcnn';
import type { RgbImage } from '../core/image';
import { outputSample, pixelAlpha } from './linearise';
import type { LineariseChoice } from './settings';
import type { ToneCurve } from './tone-curve';

export type Depth = 8 | 16 | 32;
export const MAX_VALUE: Record<Depth, number> = { 8: 255, 16: 32768, 32: 1 };

export interface DecodedPixels {
  readonly width: number;
  readonly height: number;
  readonly colorComponents: 1 | 3;
  /** Display-referred RGB, interleaved; 0 where the pixel is fully transparent. */
  readonly display: Float32Array;
  /** Linear values, `colorComponents` per pixel. */
  readonly linear: Float32Array;
  /** 0..1 per pixel, or null when the source has no alpha (a background layer). */
  readonly alpha: Float32Array | null;
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

export function decodePixels(data: ArrayLike<number>, width: number, height: number, format: SourceFormat): DecodedPixels {
  const n = format.colorComponents;
  const stride = n + (format.hasAlpha ? 1 : 0);
  const count = width * height;
  if (data.length !== count * stride) throw new RangeError(`expected ${count * stride} samples for ${width}×${height}×${stride}, got ${data.length}`);
  const max = MAX_VALUE[format.depth];
  const grid = format.convertedFrom ? MAX_VALUE[format.convertedFrom] : 0;
  const display = new Float32Array(count * 3);
  const linear = new Float32Array(count * n);
  const alpha = format.hasAlpha ? new Float32Array(count) : null;
  for (let p = 0; p < count; p++) {
    const a = alpha ? (alpha[p] = data[p * stride + n] / max) : 1;
    for (let c = 0; c < n; c++) {
      const v = data[p * stride + c];
      let x: number;
      if (format.depth === 32) {
        linear[p * n + c] = v;
        x = format.curve.toDisplay(v);
        if (grid) x = Math.round(x * grid) / grid;
      } else {
        x = v / max;
        linear[p * n + c] = format.curve.toLinear(x);
      }
      // Invisible pixels often hold stale colour (white): keep it from looking like a highlight.
      const shown = a > 0 ? x : 0;
      if (n === 3) display[p * 3 + c] = shown;
      else display[p * 3] = display[p * 3 + 1] = display[p * 3 + 2] = shown;
    }
  }
  return { width, height, colorComponents: n, display, linear, alpha };
}

/**
 * The output samples of `hdr` (the core's result for a rectangle that starts at
 * (`left`, `top`) inside `source`), chunky, colour then alpha when the source has it.
 */
export function encodeOutput(hdr: RgbImage, source: DecodedPixels, left: number, top: number, mode: LineariseChoice, settings: HdrcnnSettings): Float32Array {
  const n = source.colorComponents;
  const stride = n + (source.alpha ? 1 : 0);
  const out = new Float32Array(hdr.width * hdr.height * stride);
  for (let y = 0; y < hdr.height; y++) {
    for (let x = 0; x < hdr.width; x++) {
      const p = (top + y) * source.width + left + x;
      const o = (y * hdr.width + x) * stride;
      const h = (y * hdr.width + x) * 3;
      const d = source.display;
      const alpha = mode === 'hdrcnn' ? 0 : pixelAlpha(d[p * 3], d[p * 3 + 1], d[p * 3 + 2], settings);
      if (n === 3) {
        for (let c = 0; c < 3; c++) out[o + c] = outputSample(mode, hdr.data[h + c], d[p * 3 + c], source.linear[p * 3 + c], alpha, settings);
      } else {
        let sum = 0;
        for (let c = 0; c < 3; c++) sum += outputSample(mode, hdr.data[h + c], d[p * 3], source.linear[p], alpha, settings);
        out[o] = sum / 3;
      }
      if (source.alpha) out[o + n] = source.alpha[p];
    }
  }
  return out;
}

/** Share of colour samples at or above 1 among visible pixels, and whether any pixel is inside the highlight mask. */
export function clippingStats(pixels: DecodedPixels, settings: HdrcnnSettings): { samples: number; saturated: number; highlights: boolean } {
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
