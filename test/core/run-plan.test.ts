import type { Rect } from '../../src/core/image';
import { planRuns, WHOLE_IMAGE_MARGIN } from '../../src/core/run-plan';
import { ortNodeCost, planSeconds, webGpuCost, type WindowCostModel } from '../../src/core/tile-cost';
import { fitWindow, planTiles, roundUpTo32, type TileSettings } from '../../src/core/tile-plan';

const contains = (outer: Rect, inner: Rect): boolean =>
  inner.left >= outer.left &&
  inner.top >= outer.top &&
  inner.left + inner.width <= outer.left + outer.width &&
  inner.top + inner.height <= outer.top + outer.height;

/** A cost model with only the terms a test names. */
const model = (terms: Partial<WindowCostModel>): WindowCostModel => ({
  name: 'test',
  perRun: 0,
  perPixel: 0,
  perShape: 0,
  maxWindowPixels: Infinity,
  ...terms,
});

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Fitted windows of a tile plan whose highlights are `spots` (rects in image coordinates). */
function fitted(width: number, height: number, tiles: TileSettings, spots: Rect[]): Array<Rect | undefined> {
  return planTiles(width, height, tiles).map((tile) => {
    const inCore = spots
      .map((s) => {
        const left = Math.max(s.left, tile.core.left);
        const top = Math.max(s.top, tile.core.top);
        const right = Math.min(s.left + s.width, tile.core.left + tile.core.width);
        const bottom = Math.min(s.top + s.height, tile.core.top + tile.core.height);
        return right > left && bottom > top ? { left, top, width: right - left, height: bottom - top } : undefined;
      })
      .filter((r): r is Rect => r !== undefined);
    if (inCore.length === 0) return undefined;
    const left = Math.min(...inCore.map((r) => r.left));
    const top = Math.min(...inCore.map((r) => r.top));
    const right = Math.max(...inCore.map((r) => r.left + r.width));
    const bottom = Math.max(...inCore.map((r) => r.top + r.height));
    return fitWindow(tile, { left, top, width: right - left, height: bottom - top }, tiles.margin);
  });
}

const TILES: TileSettings = { tileSize: 256, margin: 32 };

describe('planRuns', () => {
  const models = [
    ortNodeCost(),
    webGpuCost(),
    model({ name: 'dear runs', perRun: 0.5, perPixel: 1e-6, maxWindowPixels: 400 * 400 }),
  ];
  const cases = [
    [300, 200],
    [1024, 768],
    [1500, 1100],
    [2001, 1333],
  ].flatMap(([w, h], i) => models.map((m, j) => [w, h, m.name, 100 * i + j, m] as const));

  it.each(cases)(
    '%i×%i, %s, seed %i: every tile with highlights is written once, from a window holding its own',
    (w, h, _, seed, m) => {
      const random = mulberry32(seed);
      const spots = Array.from({ length: 1 + Math.floor(random() * 12) }, () => ({
        left: Math.floor(random() * w * 0.9),
        top: Math.floor(random() * h * 0.9),
        width: 1 + Math.floor(random() * w * 0.2),
        height: 1 + Math.floor(random() * h * 0.2),
      })).map((s) => ({ ...s, width: Math.min(s.width, w - s.left), height: Math.min(s.height, h - s.top) }));
      const windows = fitted(w, h, TILES, spots);
      const plan = planRuns(windows, { width: roundUpTo32(w), height: roundUpTo32(h) }, m);
      const writes = new Array<number>(windows.length).fill(0);
      for (const { window, parts } of plan.runs) {
        for (const v of [window.left, window.top, window.width, window.height]) expect(v % 32).toBe(0);
        expect(window.left + window.width).toBeLessThanOrEqual(roundUpTo32(w));
        expect(window.top + window.height).toBeLessThanOrEqual(roundUpTo32(h));
        expect(window.width * window.height).toBeLessThanOrEqual(m.maxWindowPixels);
        for (const t of parts) {
          writes[t]++;
          expect(contains(window, windows[t]!)).toBe(true);
        }
      }
      expect(writes).toEqual(windows.map((f) => (f ? 1 : 0)));
      // Never dearer than running each fitted window on its own (where each fits the budget), but for the
      // margin that the whole image is given.
      const unmerged = windows.filter((f): f is Rect => f !== undefined);
      if (unmerged.every((f) => f.width * f.height <= m.maxWindowPixels)) {
        expect(plan.seconds).toBeLessThanOrEqual(planSeconds(m, unmerged) / WHOLE_IMAGE_MARGIN + 1e-12);
      }
      expect(plan.seconds).toBeCloseTo(
        planSeconds(
          m,
          plan.runs.map((r) => r.window),
        ),
        12,
      );
    },
  );

  it('merges two overlapping windows when a run costs more than the pixels the merge adds', () => {
    // Two 96×96 windows overlapping by 32 columns: merged 160×96 saves 3072 pixels and a run.
    const windows = [
      { left: 0, top: 0, width: 96, height: 96 },
      { left: 64, top: 0, width: 96, height: 96 },
    ];
    const padded = { width: 1024, height: 1024 };
    const merged = planRuns(windows, padded, model({ perRun: 0.01, perPixel: 1e-6 }));
    expect(merged.runs).toEqual([{ window: { left: 0, top: 0, width: 160, height: 96 }, parts: [0, 1] }]);
    expect(merged.seconds).toBeCloseTo(0.01 + 160 * 96 * 1e-6, 12);
  });

  it('keeps nearby windows apart when the gap costs more than a run, never merges past 128 pixels', () => {
    // 96 columns apart: a merge would add 96·96 = 9216 pixels (0.0092 s) to save one run (0.005 s).
    const windows = [
      { left: 0, top: 0, width: 96, height: 96 },
      { left: 192, top: 0, width: 96, height: 96 },
    ];
    const padded = { width: 1024, height: 1024 };
    const apart = planRuns(windows, padded, model({ perRun: 0.005, perPixel: 1e-6 }));
    expect(apart.runs.map((r) => r.window)).toEqual(windows);
    expect(apart.seconds).toBeCloseTo(2 * 0.005 + 2 * 96 * 96 * 1e-6, 12);
    // With a run costing 0.01 s the same merge pays: 0.01 > 0.0092.
    const together = planRuns(windows, padded, model({ perRun: 0.01, perPixel: 1e-6 }));
    expect(together.runs.map((r) => r.window)).toEqual([{ left: 0, top: 0, width: 288, height: 96 }]);
    // 256 columns apart (192 once sides are rounded to 128): out of reach, however dear a run.
    const far = [windows[0], { ...windows[1], left: 352 }];
    const noWhole = model({ perRun: 10, perPixel: 1e-6, maxWindowPixels: 512 * 512 });
    expect(planRuns(far, padded, noWhole).runs.map((r) => r.window)).toEqual(far);
  });

  it('prefers the whole image unless a tiled plan beats it by the margin', () => {
    // One 512×384 window (0.664 s) against the whole 1024×768 (2.552 s) under ortNodeCost's terms.
    const m = model({ perRun: 0.005, perPixel: 3.2e-6, perShape: 0.03 });
    const padded = { width: 1024, height: 768 };
    const lamp = [{ left: 0, top: 0, width: 512, height: 384 }];
    expect(planRuns(lamp, padded, m).runs[0].window).toEqual(lamp[0]);
    // 960×768 is modelled at 0.94 of the whole: not worth its seams.
    const wide = [{ left: 0, top: 0, width: 960, height: 768 }];
    expect(planRuns(wide, padded, m).runs[0].window).toEqual({ left: 0, top: 0, ...padded });
  });

  it('takes one whole-image window when it is cheapest, and not when it does not fit', () => {
    // Highlights in every tile of a 1024×768 frame: 12 windows overlap by their margins.
    const windows = fitted(1024, 768, TILES, [{ left: 0, top: 0, width: 1024, height: 768 }]);
    const padded = { width: 1024, height: 768 };
    const whole = planRuns(windows, padded, ortNodeCost());
    expect(whole.runs).toEqual([{ window: { left: 0, top: 0, ...padded }, parts: windows.map((_, i) => i) }]);
    const budget = 400 * 400;
    const bounded = planRuns(windows, padded, { ...ortNodeCost(), maxWindowPixels: budget });
    expect(bounded.runs.length).toBeGreaterThan(1);
    for (const { window } of bounded.runs) expect(window.width * window.height).toBeLessThanOrEqual(budget);
  });

  it('rounds window sides up to the 128 grid when new shapes cost more than the pixels', () => {
    // Four lamps far apart (merging would cost seconds of pixels), in four different shapes.
    const windows = [
      [0, 0, 96, 96],
      [1024, 0, 96, 128],
      [0, 1024, 128, 96],
      [1024, 1024, 128, 128],
    ].map(([left, top, width, height]) => ({ left, top, width, height }));
    const padded = { width: 2048, height: 2048 };
    const cheap = planRuns(windows, padded, model({ perPixel: 1e-6, perShape: 0.001 }));
    expect(cheap.runs.map((r) => r.window)).toEqual(windows);
    const dear = planRuns(windows, padded, model({ perPixel: 1e-6, perShape: 0.2 }));
    expect(dear.runs.map((r) => [r.window.width, r.window.height])).toEqual(windows.map(() => [128, 128]));
    // One shape and 4 × 128² pixels, against four shapes.
    expect(dear.seconds).toBeCloseTo(0.2 + 4 * 128 * 128 * 1e-6, 12);
    for (const [r, w] of dear.runs.map((r, i) => [r.window, windows[i]] as const)) expect(contains(r, w)).toBe(true);
  });

  it('plans nothing for an image without highlights', () => {
    expect(planRuns([undefined, undefined], { width: 512, height: 256 }, ortNodeCost())).toEqual({
      runs: [],
      seconds: 0,
    });
  });
});
