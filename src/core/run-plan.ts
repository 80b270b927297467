/**
 * Which windows the network runs, chosen by cost (issue 15). Every tile whose
 * core holds highlights starts with its own fitted window; neighbouring
 * windows are merged, cheapest merge first, while one window costs less than
 * the two it replaces (overlapping margins are paid once, and each run's fixed
 * cost); one whole-image window is taken whenever it is cheapest and fits the
 * backend's memory. Windows stay on the 32-pixel grid, so every pixel a tile
 * writes still has its margin of context: a merged window holds the windows
 * it replaces. A variant with sides rounded up to multiples of 128 competes
 * too, so a backend that pays dearly for new shapes meets few of them.
 */
import { planSeconds, type WindowCostModel, type WindowShape } from './tile-cost';
import type { Rect } from './image';

/** One run of the network and the tile cores written from its output. */
export interface NetworkRun {
  readonly window: Rect;
  /** Indices into the tile plan, ascending. */
  readonly tiles: readonly number[];
}

export interface RunPlan {
  readonly runs: readonly NetworkRun[];
  /** The cost model's estimate of the runs, in seconds. */
  readonly seconds: number;
}

/** Grids that window sides snap to: the network's own, and a coarse one for fewer shapes. */
const SHAPE_GRIDS = [32, 128];

const area = (r: Rect): number => r.width * r.height;
const shapeKey = (r: WindowShape): string => `${r.width}x${r.height}`;

function union(a: Rect, b: Rect): Rect {
  const left = Math.min(a.left, b.left);
  const top = Math.min(a.top, b.top);
  const right = Math.max(a.left + a.width, b.left + b.width);
  const bottom = Math.max(a.top + a.height, b.top + b.height);
  return { left, top, width: right - left, height: bottom - top };
}

/** Grows `r` to sides that are multiples of `grid` (or the padded image's side), centred, inside the padded image. */
function snap(r: Rect, grid: number, padded: WindowShape): Rect {
  const axis = (start: number, size: number, length: number): [number, number] => {
    const grown = Math.min(length, Math.ceil(size / grid) * grid);
    const centred = start - Math.floor((grown - size) / 64) * 32;
    return [Math.min(Math.max(centred, 0), length - grown), grown];
  };
  const [left, width] = axis(r.left, r.width, padded.width);
  const [top, height] = axis(r.top, r.height, padded.height);
  return { left, top, width, height };
}

/** Greedy merging: repeatedly the merge that saves most, until none saves anything. */
function mergeRuns(start: NetworkRun[], model: WindowCostModel, grid: number, padded: WindowShape): NetworkRun[] {
  const fit = (r: Rect): Rect => {
    const snapped = snap(r, grid, padded);
    return area(snapped) <= model.maxWindowPixels ? snapped : r;
  };
  const runs: Array<NetworkRun | undefined> = start.map((r) => ({ ...r, window: fit(r.window) }));
  const shapes = new Map<string, number>();
  const count = (r: Rect, by: number) => shapes.set(shapeKey(r), (shapes.get(shapeKey(r)) ?? 0) + by);
  for (const r of runs) count(r!.window, 1);
  for (;;) {
    let best: { i: number; j: number; window: Rect; saving: number } | undefined;
    for (let i = 0; i < runs.length; i++) {
      const a = runs[i];
      if (!a) continue;
      for (let j = i + 1; j < runs.length; j++) {
        const b = runs[j];
        if (!b) continue;
        const window = snap(union(a.window, b.window), grid, padded);
        const pixelsSaved = area(a.window) + area(b.window) - area(window);
        // Cheap rejections first: too large, or dearer even if it retired two shapes.
        if (area(window) > model.maxWindowPixels) continue;
        if (model.perRun + model.perPixel * pixelsSaved + 2 * model.perShape <= 0) continue;
        // Shapes that stop or start being used by this merge.
        const [ka, kb, km] = [shapeKey(a.window), shapeKey(b.window), shapeKey(window)];
        const left = (k: string) => (shapes.get(k) ?? 0) - (k === ka ? 1 : 0) - (k === kb ? 1 : 0) + (k === km ? 1 : 0);
        const shapeChange = [...new Set([ka, kb, km])].reduce((n, k) => n + Number(left(k) > 0) - Number((shapes.get(k) ?? 0) > 0), 0);
        const saving = model.perRun + model.perPixel * pixelsSaved - model.perShape * shapeChange;
        if (saving > 0 && (!best || saving > best.saving)) best = { i, j, window, saving };
      }
    }
    if (!best) return runs.filter((r): r is NetworkRun => r !== undefined);
    const [a, b] = [runs[best.i]!, runs[best.j]!];
    count(a.window, -1);
    count(b.window, -1);
    count(best.window, 1);
    runs[best.i] = { window: best.window, tiles: [...a.tiles, ...b.tiles].sort((x, y) => x - y) };
    runs[best.j] = undefined;
  }
}

/**
 * The cheapest runs for `fitted` windows (one per tile whose core holds
 * highlights, undefined for the others) over an image padded to `padded`.
 */
export function planRuns(fitted: ReadonlyArray<Rect | undefined>, padded: WindowShape, model: WindowCostModel): RunPlan {
  const start = fitted.flatMap((window, i) => (window ? [{ window, tiles: [i] }] : []));
  if (start.length === 0) return { runs: [], seconds: 0 };
  const candidates = SHAPE_GRIDS.map((grid) => mergeRuns(start, model, grid, padded));
  if (padded.width * padded.height <= model.maxWindowPixels) {
    const whole = { left: 0, top: 0, width: padded.width, height: padded.height };
    // First, so that it wins ties: the whole image has no seams.
    candidates.unshift([{ window: whole, tiles: start.map((r) => r.tiles[0]) }]);
  }
  return candidates
    .map((runs) => ({ runs, seconds: planSeconds(model, runs.map((r) => r.window)) }))
    .reduce((best, c) => (c.seconds < best.seconds ? c : best));
}
