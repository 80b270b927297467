/**
 * Which 32-pixel blocks of an image hold a pixel of the highlight mask: the
 * one pass over the image that the tile planner needs before it can weigh
 * windows against each other. A window on the 32-pixel grid sees a highlight
 * with full context exactly when it holds the highlight's blocks grown by the
 * margin, so block resolution loses nothing.
 */
import { SIZE_MULTIPLE } from './hdrcnn';
import { throwIfCancelled, type CancelSignal } from './cancellation';
import { highlightAlpha, networkValue, type HdrcnnSettings } from './hdrcnn';
import type { RgbImage } from './image';
import type { Rect } from './image';

export interface HighlightBlocks {
  /** Blocks per row and per column, over the image padded to a multiple of 32. */
  readonly columns: number;
  readonly rows: number;
  /** 1 where the block holds a highlight pixel, row-major. */
  readonly hot: Uint8Array;
}

/** Rows read at a time: a strip of the image, never all of it. */
const STRIP_ROWS = 8 * SIZE_MULTIPLE;

export async function findHighlightBlocks(
  source: { width: number; height: number; read(rect: Rect): Promise<RgbImage> | RgbImage },
  settings: HdrcnnSettings,
  signal?: CancelSignal,
): Promise<HighlightBlocks> {
  const { width, height } = source;
  const columns = Math.ceil(width / SIZE_MULTIPLE);
  const rows = Math.ceil(height / SIZE_MULTIPLE);
  const hot = new Uint8Array(columns * rows);
  for (let top = 0; top < height; top += STRIP_ROWS) {
    throwIfCancelled(signal);
    const strip = await source.read({ left: 0, top, width, height: Math.min(STRIP_ROWS, height - top) });
    for (let y = 0, i = 0; y < strip.height; y++) {
      const row = Math.floor((top + y) / SIZE_MULTIPLE) * columns;
      for (let x = 0; x < width; x++, i += 3) {
        const block = row + Math.floor(x / SIZE_MULTIPLE);
        if (hot[block]) continue;
        const m = Math.max(strip.data[i], strip.data[i + 1], strip.data[i + 2]);
        if (highlightAlpha(networkValue(m, settings), 0, 0) > 0) hot[block] = 1;
      }
    }
  }
  return { columns, rows, hot };
}

/** Bounds, in pixels on the 32-pixel grid, of the hot blocks inside `rect`; undefined when there are none. */
export function hotBounds(blocks: HighlightBlocks, rect: Rect): Rect | undefined {
  const [c0, c1] = [Math.floor(rect.left / SIZE_MULTIPLE), Math.ceil((rect.left + rect.width) / SIZE_MULTIPLE)];
  const [r0, r1] = [Math.floor(rect.top / SIZE_MULTIPLE), Math.ceil((rect.top + rect.height) / SIZE_MULTIPLE)];
  let [left, top, right, bottom] = [Infinity, Infinity, -Infinity, -Infinity];
  for (let r = r0; r < r1; r++) {
    for (let c = c0; c < c1; c++) {
      if (!blocks.hot[r * blocks.columns + c]) continue;
      [left, top, right, bottom] = [Math.min(left, c), Math.min(top, r), Math.max(right, c), Math.max(bottom, r)];
    }
  }
  if (left === Infinity) return undefined;
  const s = SIZE_MULTIPLE;
  return { left: left * s, top: top * s, width: (right - left + 1) * s, height: (bottom - top + 1) * s };
}
