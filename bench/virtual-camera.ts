/**
 * A virtual camera that turns a linear HDR scene into a realistic 8-bit photo
 * with a chosen share of clipped pixels: exposure so that exactly that share of
 * pixels has its brightest channel at or above 1, a gamma-2.2 camera curve, and
 * 8-bit quantisation.
 */
import { createRgbImage, type RgbImage } from '../src/core/image';

export const CAMERA_GAMMA = 2.2;

/** The exposure at which `clippedShare` of the pixels have their brightest channel at or above 1. */
export function exposureFor(scene: RgbImage, clippedShare: number): number {
  const n = scene.width * scene.height;
  const peaks = new Float32Array(n);
  for (let p = 0; p < n; p++) peaks[p] = Math.max(0, scene.data[3 * p], scene.data[3 * p + 1], scene.data[3 * p + 2]);
  const sorted = Float32Array.from(peaks).sort();
  const threshold = sorted[Math.min(n - 1, Math.floor((1 - clippedShare) * n))];
  return 1 / Math.max(threshold, 1e-12);
}

export function exposeTo8bit(scene: RgbImage, clippedShare: number): RgbImage {
  const exposure = exposureFor(scene, clippedShare);
  const out = createRgbImage(scene.width, scene.height);
  for (let i = 0; i < out.data.length; i++) {
    const v = Math.min(1, Math.max(0, exposure * scene.data[i])) ** (1 / CAMERA_GAMMA);
    out.data[i] = Math.round(255 * v) / 255;
  }
  return out;
}

/** Share of pixels whose brightest channel is at 1 (the 8-bit maximum). */
export function clippedPixelShare(image: RgbImage): number {
  let clipped = 0;
  for (let p = 0; p < image.width * image.height; p++)
    if (Math.max(image.data[3 * p], image.data[3 * p + 1], image.data[3 * p + 2]) >= 1) clipped++;
  return clipped / (image.width * image.height);
}
