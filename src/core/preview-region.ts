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

  constructor(
    values: ArrayLike<number>,
    private readonly width: number,
    height: number,
  ) {
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

/** The tiles of `plan` with highlights by `clipped` (their cores' mask weight), most first; ties in plan order. */
export function rankTiles(plan: readonly Tile[], clipped: (index: number) => number): Region[] {
  const regions = plan.map((tile, i) => ({ tile, clipped: clipped(i) })).filter((r) => r.clipped > 0);
  return regions.sort((a, b) => b.clipped - a.clipped); // stable
}

/**
 * The tiles of the plan for a `layerWidth` × `layerHeight` layer whose cores have
 * highlights, most first. `mask` is the highlight mask of a view of the whole layer
 * scaled to `viewWidth` × `viewHeight`; a core's estimate sums the view pixels it overlaps.
 */
export function rankRegions(
  mask: Float32Array,
  viewWidth: number,
  viewHeight: number,
  layerWidth: number,
  layerHeight: number,
  tiles: TileSettings = DEFAULT_TILE_SETTINGS,
): Region[] {
  const table = new SummedArea(mask, viewWidth, viewHeight);
  const area = (layerWidth / viewWidth) * (layerHeight / viewHeight); // layer pixels per view pixel
  const plan = planTiles(layerWidth, layerHeight, tiles);
  return rankTiles(plan, (i) => {
    const v = rectInView(plan[i].core, viewWidth, viewHeight, layerWidth, layerHeight);
    return table.sum(v.left, v.top, v.left + v.width, v.top + v.height) * area;
  });
}

/**
 * Exact mask weights per tile core, from full-resolution strips of the layer: for when
 * the view shows nothing (highlights smaller than a view pixel average below the mask).
 */
export class TileMaskSums {
  readonly plan: readonly Tile[];
  private readonly sums: Float64Array;
  private readonly column: Int32Array;
  private readonly row: Int32Array;
  private readonly columns: number;

  constructor(
    private readonly width: number,
    height: number,
    tiles: TileSettings = DEFAULT_TILE_SETTINGS,
  ) {
    this.plan = planTiles(width, height, tiles);
    this.sums = new Float64Array(this.plan.length);
    this.columns = this.plan.filter((t) => t.core.top === 0).length;
    this.column = new Int32Array(width);
    this.row = new Int32Array(height);
    this.plan.forEach((t, i) => {
      const { left, top, width: w, height: h } = t.core;
      if (i < this.columns) this.column.fill(i, left, left + w);
      if (i % this.columns === 0) this.row.fill(i / this.columns, top, top + h);
    });
  }

  /** Adds `mask` of the full-width strip of rows [top, top + mask.length / width). */
  add(top: number, mask: Float32Array): void {
    for (let p = 0; p < mask.length; p++) {
      if (mask[p] > 0)
        this.sums[this.row[top + Math.floor(p / this.width)] * this.columns + this.column[p % this.width]] += mask[p];
    }
  }

  ranked(): Region[] {
    return rankTiles(this.plan, (i) => this.sums[i]);
  }
}

/** `rect` (layer coordinates) in the coordinates of a view scaled to `viewWidth` × `viewHeight`. */
export function rectInView(
  rect: Rect,
  viewWidth: number,
  viewHeight: number,
  layerWidth: number,
  layerHeight: number,
): Rect {
  const sx = viewWidth / layerWidth;
  const sy = viewHeight / layerHeight;
  const left = Math.floor(rect.left * sx);
  const top = Math.floor(rect.top * sy);
  const right = Math.max(left + 1, Math.ceil((rect.left + rect.width) * sx));
  const bottom = Math.max(top + 1, Math.ceil((rect.top + rect.height) * sy));
  return { left, top, width: Math.min(right, viewWidth) - left, height: Math.min(bottom, viewHeight) - top };
}
