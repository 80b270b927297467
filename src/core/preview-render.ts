/**
 * The preview's pictures: linear HDR samples shown at an exposure on an ordinary
 * (sRGB, 8-bit) display. At 0 EV everything above 1 is white, as the photo was; each
 * stop down halves the light, so −3 EV shows what the network put up to 8× above
 * white. Output is 8-bit sRGB RGB, chunky, for the imaging API's JPEG encoder.
 */
import type { Rect } from './image';

/** The exposures the panel steps through, in stops. */
export const EXPOSURES: readonly number[] = [0, -1, -2, -3, -4];

/** Interleaved linear samples: `colors` (1 grey or 3 RGB) per pixel, then alpha if `alpha`. */
export interface LinearPixels {
  readonly width: number;
  readonly height: number;
  readonly colors: 1 | 3;
  readonly alpha: boolean;
  readonly samples: Float32Array;
}

/**
 * The linear values at which the sRGB byte steps up (the sRGB EOTF of each byte's upper
 * rounding edge): a byte is how many of them a value reaches, found by bisection, which
 * spares a power per sample (the view and crop are redrawn at each exposure step).
 */
const STEPS = Float64Array.from({ length: 255 }, (_, k) => {
  const v = (k + 0.5) / 255;
  return v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
});

/** The sRGB encoding (IEC 61966-2-1) of a linear value, clipped to [0, 1], as a byte. */
export function srgbByte(linear: number): number {
  if (!(linear > 0)) return 0;
  let [lo, hi] = [0, 255];
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (linear >= STEPS[mid]) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** 8-bit sRGB RGB of `pixels` at `ev` stops; transparency shows as black. */
export function renderExposure(pixels: LinearPixels, ev: number): Uint8Array {
  const { width, height, colors, samples } = pixels;
  const stride = colors + (pixels.alpha ? 1 : 0);
  const gain = 2 ** ev;
  const out = new Uint8Array(width * height * 3);
  for (let p = 0; p < width * height; p++) {
    const s = p * stride;
    const k = gain * (pixels.alpha ? samples[s + colors] : 1);
    for (let c = 0; c < 3; c++) out[p * 3 + c] = srgbByte(k * samples[s + (colors === 3 ? c : 0)]);
  }
  return out;
}

/** Tints the masked pixels of an RGB byte image magenta, in proportion to α (the overlay on the whole-layer view). */
export function overlayMask(rgb: Uint8Array, mask: Float32Array): Uint8Array {
  const TINT = [255, 0, 255];
  const STRENGTH = 0.6;
  const out = Uint8Array.from(rgb);
  for (let p = 0; p < mask.length; p++) {
    const a = mask[p] > 0 ? STRENGTH * (0.5 + 0.5 * mask[p]) : 0;
    if (a === 0) continue;
    for (let c = 0; c < 3; c++) out[p * 3 + c] = Math.round((1 - a) * rgb[p * 3 + c] + a * TINT[c]);
  }
  return out;
}

/** Draws a one-pixel yellow outline of `rect` into an RGB byte image (where the crop is, on the view). */
export function outlineRect(rgb: Uint8Array, width: number, rect: Rect): void {
  const set = (x: number, y: number): void => {
    const i = (y * width + x) * 3;
    rgb[i] = 255;
    rgb[i + 1] = 220;
    rgb[i + 2] = 0;
  };
  const right = rect.left + rect.width - 1;
  const bottom = rect.top + rect.height - 1;
  for (let x = rect.left; x <= right; x++) {
    set(x, rect.top);
    set(x, bottom);
  }
  for (let y = rect.top; y <= bottom; y++) {
    set(rect.left, y);
    set(right, y);
  }
}
