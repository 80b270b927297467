/**
 * Moves pixels between interleaved images and the network's planar windows,
 * reflecting at the image borders (NumPy's 'reflect': the edge pixel is not
 * repeated) so that windows may extend past the image.
 */
import type { PlanarTile } from './backend';
import { networkValue, type HdrcnnSettings } from './hdrcnn';
import type { RgbImage } from './image';
import type { Rect } from './image';

/** Index into [0, length) of coordinate `i`, mirrored at both ends as often as needed. */
export function reflectIndex(i: number, length: number): number {
  if (length === 1) return 0;
  const period = 2 * (length - 1);
  const m = ((i % period) + period) % period;
  return m < length ? m : period - m;
}

function span(start: number, size: number, length: number): { start: number; size: number } {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = start; i < start + size; i++) {
    const r = reflectIndex(i, length);
    lo = Math.min(lo, r);
    hi = Math.max(hi, r);
  }
  return { start: lo, size: hi - lo + 1 };
}

/** The pixels of an image of `width`×`height` that a window reads, reflections included. */
export function sourceRect(window: Rect, width: number, height: number): Rect {
  const x = span(window.left, window.width, width);
  const y = span(window.top, window.height, height);
  return { left: x.start, top: y.start, width: x.size, height: y.size };
}

/** Pixels of a larger image: `pixels` holds the image's `rect`. */
export interface ImagePatch {
  readonly rect: Rect;
  readonly pixels: RgbImage;
  /** The whole image's size, where reflection happens. */
  readonly imageWidth: number;
  readonly imageHeight: number;
}

/** The network's input over `window`: `networkValue` of each sample, planar RGB. */
export function readWindow(patch: ImagePatch, window: Rect, settings: HdrcnnSettings): PlanarTile {
  const { width, height } = window;
  const { rect, pixels } = patch;
  const plane = width * height;
  const data = new Float32Array(3 * plane);
  const columns = Int32Array.from({ length: width }, (_, x) => reflectIndex(window.left + x, patch.imageWidth) - rect.left);
  for (let y = 0; y < height; y++) {
    const row = (reflectIndex(window.top + y, patch.imageHeight) - rect.top) * pixels.width;
    for (let x = 0; x < width; x++) {
      const src = (row + columns[x]) * 3;
      const dst = y * width + x;
      data[dst] = networkValue(pixels.data[src], settings);
      data[dst + plane] = networkValue(pixels.data[src + 1], settings);
      data[dst + 2 * plane] = networkValue(pixels.data[src + 2], settings);
    }
  }
  return { width, height, data };
}
