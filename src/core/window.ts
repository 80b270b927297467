/**
 * Moves pixels between interleaved images and the network's planar windows,
 * reflecting at the image borders (NumPy's 'reflect': the edge pixel is not
 * repeated) so that windows may extend past the image.
 */
import type { PlanarTile } from './backend';
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

/** Samples of a larger image: `data` holds the image's `rect`, interleaved RGB. */
export interface ImagePatch {
  readonly rect: Rect;
  readonly data: ArrayLike<number>;
  /** The whole image's size, where reflection happens. */
  readonly imageWidth: number;
  readonly imageHeight: number;
}

/** The samples of `window`, planar RGB (the patch holds the network's input values). */
export function readWindow(patch: ImagePatch, window: Rect): PlanarTile {
  const { width, height } = window;
  const { rect, data: samples } = patch;
  const plane = width * height;
  const data = new Float32Array(3 * plane);
  const columns = Int32Array.from(
    { length: width },
    (_, x) => reflectIndex(window.left + x, patch.imageWidth) - rect.left,
  );
  for (let y = 0; y < height; y++) {
    const row = (reflectIndex(window.top + y, patch.imageHeight) - rect.top) * rect.width;
    for (let x = 0; x < width; x++) {
      const src = (row + columns[x]) * 3;
      const dst = y * width + x;
      data[dst] = samples[src];
      data[dst + plane] = samples[src + 1];
      data[dst + 2 * plane] = samples[src + 2];
    }
  }
  return { width, height, data };
}
