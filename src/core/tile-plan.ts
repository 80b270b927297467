/**
 * Plans the network's input windows over an image of any size.
 *
 * The image is reflected out to the next multiple of 32 (the "padded" image,
 * what whole-image inference would see). Its rows and columns are split into
 * cores of at most `tileSize` pixels whose borders are multiples of 32; each
 * core gets a window of `tileSize + 2·margin` pixels around it, starting on a
 * multiple of 32 so the five 2×2 poolings see the same grid as whole-image
 * inference, and shifted inwards at the borders so context is real pixels
 * rather than reflections. Cores partition the image: every pixel is written
 * by exactly one tile, from the window where it has the most context.
 */
import { SIZE_MULTIPLE } from './hdrcnn';
import type { Rect } from './image';

export interface Tile {
  /** The network's input, in image coordinates; may extend past the image (reflected). */
  readonly window: Rect;
  /** The pixels this tile writes, inside the image and inside `window`. */
  readonly core: Rect;
}

export interface TileSettings {
  /** Largest core side in pixels (a multiple of 32). */
  readonly tileSize: number;
  /** Context on each side of a core in pixels (a multiple of 32). */
  readonly margin: number;
  /** Shrink each window to its highlights plus the margin ({@link fitWindow}); default true. */
  readonly fitToHighlights?: boolean;
}

/** Measured in `npm run bench` (README, "Tiling"): see there for what they trade. */
export const DEFAULT_TILE_SETTINGS: TileSettings = { tileSize: 256, margin: 32 };

export const roundUpTo32 = (n: number): number => Math.max(SIZE_MULTIPLE, Math.ceil(n / SIZE_MULTIPLE) * SIZE_MULTIPLE);

export function checkTileSettings(s: TileSettings): TileSettings {
  for (const [name, v, min] of [
    ['tileSize', s.tileSize, SIZE_MULTIPLE],
    ['margin', s.margin, 0],
  ] as const) {
    if (!Number.isInteger(v) || v < min || v % SIZE_MULTIPLE !== 0) {
      throw new RangeError(`${name} must be a multiple of ${SIZE_MULTIPLE} (≥ ${min}), got ${v}`);
    }
  }
  return s;
}

interface Span {
  readonly start: number;
  readonly size: number;
}

/** One axis: cores partition [0, length), windows lie in [0, roundUpTo32(length)). */
function planAxis(length: number, { tileSize, margin }: TileSettings): Array<{ window: Span; core: Span }> {
  const padded = roundUpTo32(length);
  const windowSize = tileSize + 2 * margin;
  if (padded <= windowSize) return [{ window: { start: 0, size: padded }, core: { start: 0, size: length } }];
  const blocks = padded / SIZE_MULTIPLE;
  const count = Math.ceil(padded / tileSize);
  const spans: Array<{ window: Span; core: Span }> = [];
  for (let i = 0; i < count; i++) {
    // Near-equal cores, on 32-pixel boundaries, none larger than tileSize.
    const from = Math.round((i * blocks) / count) * SIZE_MULTIPLE;
    const to = Math.round(((i + 1) * blocks) / count) * SIZE_MULTIPLE;
    const slack = tileSize - (to - from);
    const centred = from - margin - Math.floor(slack / 2 / SIZE_MULTIPLE) * SIZE_MULTIPLE;
    const start = Math.min(Math.max(centred, 0), padded - windowSize);
    // The last core loses at most 31 padding pixels of its ≥ 32, so none is empty.
    spans.push({ window: { start, size: windowSize }, core: { start: from, size: Math.min(to, length) - from } });
  }
  return spans;
}

/** Tiles in row-major order (top to bottom, left to right). */
export function planTiles(width: number, height: number, settings: TileSettings = DEFAULT_TILE_SETTINGS): Tile[] {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
    throw new RangeError(`image size must be positive integers, got ${width}×${height}`);
  }
  checkTileSettings(settings);
  const columns = planAxis(width, settings);
  return planAxis(height, settings).flatMap((row) =>
    columns.map((col) => ({
      window: { left: col.window.start, top: row.window.start, width: col.window.size, height: row.window.size },
      core: { left: col.core.start, top: row.core.start, width: col.core.size, height: row.core.size },
    })),
  );
}

/**
 * The smallest window that still gives every pixel of `highlights` (a part of
 * the tile's core) its full margin of context: the highlights' bounds on the
 * 32-pixel grid, grown by the margin, within the tile's own window (the
 * planner passes the padded image there). Sparse highlights (lamps, speculars)
 * then cost a small window instead of a whole tile; whether sides are rounded
 * up to 128 for fewer shapes is the cost model's choice (run-plan.ts).
 */
export function fitWindow(tile: Tile, highlights: Rect, margin: number): Rect {
  const { window } = tile;
  const fit = (start: number, end: number, lo: number, size: number): [number, number] => {
    const a = Math.max(lo, Math.floor(start / SIZE_MULTIPLE) * SIZE_MULTIPLE - margin);
    const b = Math.min(lo + size, Math.ceil(end / SIZE_MULTIPLE) * SIZE_MULTIPLE + margin);
    return [a, b - a];
  };
  const [left, width] = fit(highlights.left, highlights.left + highlights.width, window.left, window.width);
  const [top, height] = fit(highlights.top, highlights.top + highlights.height, window.top, window.height);
  return { left, top, width, height };
}

/** Settings that make one window cover the whole (padded) image: whole-image inference. */
export function wholeImageSettings(width: number, height: number): TileSettings {
  return { tileSize: roundUpTo32(Math.max(width, height)), margin: 0, fitToHighlights: false };
}
