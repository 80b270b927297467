/**
 * Which windows the network runs, chosen by cost (issue 15). The image is cut
 * into parts (pieces of tile cores, as small as a few 32-pixel blocks); every
 * part that holds highlights starts with its own fitted window, the
 * highlights' blocks grown by the margin. Nearby windows are merged, the merge
 * that saves most first, while one window costs less than the two it replaces
 * (overlapping margins are paid once, and so is each run's fixed cost); one
 * whole-image window is taken whenever it fits the backend's memory and the
 * best tiled plan does not beat it by {@link WHOLE_IMAGE_MARGIN}. Windows stay
 * on the 32-pixel grid and a merged window holds the windows it replaces, so
 * every highlight keeps its margin of context. A
 * variant with sides rounded up to multiples of 128 competes too, with and
 * without weighing shapes in each merge; the whole plan's cost, shapes
 * included, picks among them, so a backend that pays dearly for new shapes
 * meets few of them.
 */
import { boundingRect, type Rect } from './image';
import { planSeconds, type WindowCostModel, type WindowShape } from './tile-cost';

/** One run of the network and the parts written from its output. */
export interface NetworkRun {
  readonly window: Rect;
  /** Indices into the planned parts, ascending. */
  readonly parts: readonly number[];
}

export interface RunPlan {
  readonly runs: readonly NetworkRun[];
  /** The cost model's estimate of the runs, in seconds. */
  readonly seconds: number;
}

/**
 * A tiled plan must beat the whole image by this factor to be chosen: measured
 * tiled runs come out up to about 10 % above the model on dense photos (more
 * runs, more shapes; tiling bench), and the whole image has no seams.
 */
export const WHOLE_IMAGE_MARGIN = 0.9;

/** Grids that window sides snap to: the network's own, and a coarse one for fewer shapes. */
const SHAPE_GRIDS = [32, 128];
/** Windows further apart than this (pixels, on either axis) are never merged directly; chains of merges still can. */
const MERGE_REACH = 128;

const area = (r: Rect): number => r.width * r.height;

const shapeKey = (r: WindowShape): string => `${r.width}x${r.height}`;

const near = (a: Rect, b: Rect): boolean =>
  Math.max(a.left, b.left) - Math.min(a.left + a.width, b.left + b.width) <= MERGE_REACH &&
  Math.max(a.top, b.top) - Math.min(a.top + a.height, b.top + b.height) <= MERGE_REACH;

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

interface Merge {
  readonly saving: number;
  readonly i: number;
  readonly j: number;
  readonly window: Rect;
}

/** A max-heap of candidate merges by saving. */
class MergeHeap {
  private readonly items: Merge[] = [];
  get size(): number {
    return this.items.length;
  }
  push(item: Merge): void {
    const h = this.items;
    h.push(item);
    for (let c = h.length - 1; c > 0;) {
      const p = (c - 1) >> 1;
      if (h[p].saving >= h[c].saving) break;
      [h[p], h[c]] = [h[c], h[p]];
      c = p;
    }
  }
  pop(): Merge {
    const h = this.items;
    const top = h[0];
    const last = h.pop()!;
    if (h.length > 0) {
      h[0] = last;
      for (let p = 0; ;) {
        const [l, r] = [2 * p + 1, 2 * p + 2];
        let m = p;
        if (l < h.length && h[l].saving > h[m].saving) m = l;
        if (r < h.length && h[r].saving > h[m].saving) m = r;
        if (m === p) break;
        [h[p], h[m]] = [h[m], h[p]];
        p = m;
      }
    }
    return top;
  }
}

/**
 * Greedy merging: repeatedly the merge that saves most, until none saves
 * anything. With `countShapes`, a merge also pays for a shape it adds and
 * earns for one it retires; without, shapes are left to the choice between
 * plans (counted per merge, a first merge to a new shape looks dear even where
 * later merges would reuse it), so both compete.
 */
function mergeRuns(
  start: NetworkRun[],
  model: WindowCostModel,
  grid: number,
  padded: WindowShape,
  countShapes: boolean,
): NetworkRun[] {
  const fit = (r: Rect): Rect => {
    const snapped = snap(r, grid, padded);
    return area(snapped) <= model.maxWindowPixels ? snapped : r;
  };
  const runs: Array<NetworkRun | undefined> = start.map((r) => ({ ...r, window: fit(r.window) }));
  const shapes = new Map<string, number>();
  const count = (r: Rect, by: number) => shapes.set(shapeKey(r), (shapes.get(shapeKey(r)) ?? 0) + by);
  for (const r of runs) count(r!.window, 1);
  /** Shapes in use after replacing a and b by m, minus those in use now. */
  const shapeChange = (a: Rect, b: Rect, m: Rect): number => {
    const [ka, kb, km] = [shapeKey(a), shapeKey(b), shapeKey(m)];
    const after = (k: string) => (shapes.get(k) ?? 0) - Number(k === ka) - Number(k === kb) + Number(k === km);
    return [...new Set([ka, kb, km])].reduce((n, k) => n + Number(after(k) > 0) - Number((shapes.get(k) ?? 0) > 0), 0);
  };
  const saving = (a: Rect, b: Rect, m: Rect): number =>
    model.perRun +
    model.perPixel * (area(a) + area(b) - area(m)) -
    (countShapes ? model.perShape * shapeChange(a, b, m) : 0);
  const heap = new MergeHeap();
  const offer = (i: number, j: number) => {
    const [a, b] = [runs[i]!.window, runs[j]!.window];
    if (!near(a, b)) return;
    const window = snap(boundingRect([a, b]), grid, padded);
    if (area(window) > model.maxWindowPixels) return;
    const s = saving(a, b, window);
    if (s > 0) heap.push({ saving: s, i, j, window });
  };
  for (let i = 0; i < runs.length; i++) for (let j = i + 1; j < runs.length; j++) offer(i, j);
  while (heap.size > 0) {
    const merge = heap.pop();
    const [a, b] = [runs[merge.i], runs[merge.j]];
    if (!a || !b) continue;
    // Shape counts may have moved since the merge was offered: offer it again at what it saves now.
    const now = saving(a.window, b.window, merge.window);
    if (now <= 0) continue;
    if (now < merge.saving - 1e-12) {
      heap.push({ ...merge, saving: now });
      continue;
    }
    count(a.window, -1);
    count(b.window, -1);
    count(merge.window, 1);
    runs[merge.i] = runs[merge.j] = undefined;
    const k = runs.push({ window: merge.window, parts: [...a.parts, ...b.parts].sort((x, y) => x - y) }) - 1;
    for (let o = 0; o < k; o++) if (runs[o]) offer(o, k);
  }
  return runs.filter((r): r is NetworkRun => r !== undefined);
}

/**
 * The cheapest runs for `fitted` windows (one per part that holds highlights,
 * undefined for the others) over an image padded to `padded`.
 */
export function planRuns(
  fitted: ReadonlyArray<Rect | undefined>,
  padded: WindowShape,
  model: WindowCostModel,
): RunPlan {
  const start = fitted.flatMap((window, i) => (window ? [{ window, parts: [i] }] : []));
  if (start.length === 0) return { runs: [], seconds: 0 };
  const tiled = SHAPE_GRIDS.flatMap((grid) =>
    [false, true].map((shapes) => mergeRuns(start, model, grid, padded, shapes)),
  )
    .map((runs) => ({
      runs,
      seconds: planSeconds(
        model,
        runs.map((r) => r.window),
      ),
    }))
    .reduce((best, c) => (c.seconds < best.seconds ? c : best));
  if (padded.width * padded.height > model.maxWindowPixels) return tiled;
  const window = { left: 0, top: 0, width: padded.width, height: padded.height };
  const whole = { runs: [{ window, parts: start.map((r) => r.parts[0]) }], seconds: planSeconds(model, [window]) };
  return tiled.seconds < WHOLE_IMAGE_MARGIN * whole.seconds ? tiled : whole;
}
