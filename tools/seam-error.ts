/**
 * Seam error of tiled against whole-image output: relative difference in the
 * pixels the network influences (alpha > 0 in the input); median and 99th percentile.
 */
import { DEFAULT_SETTINGS, pixelAlpha, type HdrcnnSettings } from '../src/core/hdrcnn';
import type { RgbImage } from '../src/core/image';

export function seamErrors(
  tiled: RgbImage,
  whole: RgbImage,
  input: RgbImage,
  settings: HdrcnnSettings = DEFAULT_SETTINGS,
): { median: number; p99: number; pixels: number } {
  const errors: number[] = [];
  for (let p = 0; p < input.width * input.height; p++) {
    if (pixelAlpha(input.data[3 * p], input.data[3 * p + 1], input.data[3 * p + 2], settings) === 0) continue;
    let worst = 0;
    for (let c = 0; c < 3; c++) {
      const ref = whole.data[3 * p + c];
      worst = Math.max(worst, Math.abs(tiled.data[3 * p + c] - ref) / Math.max(Math.abs(ref), 1e-6));
    }
    errors.push(worst);
  }
  errors.sort((a, b) => a - b);
  const at = (q: number) => (errors.length ? errors[Math.min(errors.length - 1, Math.floor(q * errors.length))] : 0);
  return { median: at(0.5), p99: at(0.99), pixels: errors.length };
}
