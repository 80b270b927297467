/**
 * Where the panel's preview looks. The crop it reconstructs is one tile of the
 * committed run's own plan (its core, computed from its window exactly as the run
 * computes it), so the preview is the committed result at that place. Tiles are
 * ranked by how much of their core lies inside the highlight mask, estimated from
 * a small view of the whole layer through a summed-area table.
 */
import { highlightAlpha, networkValue, type HdrcnnSettings } from './hdrcnn';
import type { Rect, RgbImage } from './image';
import { DEFAULT_TILE_SETTINGS, planTiles, type Tile, type TileSettings } from './tile-plan';

/** α of every pixel of a display-referred image, as the tile loop decides it (0 outside the mask). */
export function highlightMask(image: RgbImage, settings: HdrcnnSettings): Float32Array {
  const mask = new Float32Array(image.width * image.height);
  const d = image.data;
  for (let p = 0; p < mask.length; p++) {
    const m = Math.max(d[p * 3], d[p * 3 + 1], d[p * 3 + 2]);
    mask[p] = highlightAlpha(networkValue(m, settings), 0, 0);
  }
  return mask;
}

/** Sums of `values` (width × height) over any rectangle in four look-ups. */
export class SummedArea {
  private readonly table: Float64Array;

  constructor(values: ArrayLike<number>, private readonly width: number, height: number) {
    const w = width + 1;
    this.table = new Float64Array(w * (height + 1));
    for (let y = 0; y < height; y++) {
      let row = 0;
      for (let x = 0; x < width; x++) {
        row += values[y * width + x];
        this.table[(y + 1) * w + x + 1] = this.table[y * w + x + 1] + row;
      }
    }
  }

  /** Sum over columns [x0, x1) and rows [y0, y1). */
  sum(x0: number, y0: number, x1: number, y1: number): number {
    const w = this.width + 1;
    const t = this.table;
    return t[y1 * w + x1] - t[y0 * w + x1] - t[y1 * w + x0] + t[y0 * w + x0];
  }
}

export interface Region {
  readonly tile: Tile;
  /** Estimated mask weight of the core, in layer pixels (sum of α). */
  readonly clipped: number;
}

/**
 * The tiles of the plan for a `layerWidth` × `layerHeight` layer whose cores have
 * highlights, most first (ties in plan order). `mask` is the highlight mask of a view
 * of the whole layer scaled to `viewWidth` × `viewHeight`; a core's estimate sums the
 * view pixels it overlaps.
 */
export function rankRegions(
  mask: Float32Array, viewWidth: number, viewHeight: number, layerWidth: number, layerHeight: number,
  tiles: TileSettings = DEFAULT_TILE_SETTINGS,
): Region[] {
  const table = new SummedArea(mask, viewWidth, viewHeight);
  const sx = viewWidth / layerWidth;
  const sy = viewHeight / layerHeight;
  const area = 1 / (sx * sy); // layer pixels per view pixel
  const regions: Region[] = [];
  for (const tile of planTiles(layerWidth, layerHeight, tiles)) {
    const c = tile.core;
    const x0 = Math.min(viewWidth - 1, Math.floor(c.left * sx));
    const y0 = Math.min(viewHeight - 1, Math.floor(c.top * sy));
    const x1 = Math.max(x0 + 1, Math.min(viewWidth, Math.ceil((c.left + c.width) * sx)));
    const y1 = Math.max(y0 + 1, Math.min(viewHeight, Math.ceil((c.top + c.height) * sy)));
    const clipped = table.sum(x0, y0, x1, y1) * area;
    if (clipped > 0) regions.push({ tile, clipped });
  }
  return regions.sort((a, b) => b.clipped - a.clipped); // stable: ties keep plan order
}

/** `rect` (layer coordinates) in the coordinates of a view scaled to `viewWidth` × `viewHeight`. */
export function rectInView(rect: Rect, viewWidth: number, viewHeight: number, layerWidth: number, layerHeight: number): Rect {
  const sx = viewWidth / layerWidth;
  const sy = viewHeight / layerHeight;
  const left = Math.floor(rect.left * sx);
  const top = Math.floor(rect.top * sy);
  const right = Math.max(left + 1, Math.ceil((rect.left + rect.width) * sx));
  const bottom = Math.max(top + 1, Math.ceil((rect.top + rect.height) * sy));
  return { left, top, width: Math.min(right, viewWidth) - left, height: Math.min(bottom, viewHeight) - top };
}
