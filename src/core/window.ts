/**
 * Moves pixels between interleaved images and the network's planar windows,
 * reflecting at the image borders (NumPy's 'reflect': the edge pixel is not
 * repeated) so that windows may extend past the image.
 */
import type { PlanarTile } from './backend';
import type { HdrcnnSettings } from './hdrcnn';
import { networkValue } from './hdrcnn';
import type { RgbImage } from './image';
import type { Rect } from './tile-plan';

/** Index into [0, length) of coordinate `i`, mirrored at both ends as often as needed. */
export function reflectIndex(i: number, length: number): number {
  if (length === 1) return 0;
  const period = 2 * (length - 1);
  const m = ((i % period) + period) % period;
  return m < length ? m : period - m;
}

/** The network's input over `window`: `networkValue` of each sample, planar RGB. */
export function readWindow(image: RgbImage, window: Rect, settings: HdrcnnSettings): PlanarTile {
  const { width, height } = window;
  const plane = width * height;
  const data = new Float32Array(3 * plane);
  const columns = Int32Array.from({ length: width }, (_, x) => reflectIndex(window.left + x, image.width));
  for (let y = 0; y < height; y++) {
    const row = reflectIndex(window.top + y, image.height) * image.width;
    for (let x = 0; x < width; x++) {
      const src = (row + columns[x]) * 3;
      const dst = y * width + x;
      data[dst] = networkValue(image.data[src], settings);
      data[dst + plane] = networkValue(image.data[src + 1], settings);
      data[dst + 2 * plane] = networkValue(image.data[src + 2], settings);
    }
  }
  return { width, height, data };
}
