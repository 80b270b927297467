import type { InferenceBackend, PlanarTile } from '../../src/core/backend';
import { CancelledError, type CancelSignal } from '../../src/core/cancellation';
import { createRgbImage, type RgbImage } from '../../src/core/image';
import { cropImage, reconstruct, reconstructTiles } from '../../src/core/reconstruct';
import { ORT_NODE_BYTES_PER_PIXEL, ortNodeCost, type WindowCostModel } from '../../src/core/tile-cost';
import { planTiles, wholeImageSettings } from '../../src/core/tile-plan';
import { sourceRect } from '../../src/core/window';
import { createOrtNodeBackend } from '../../src/runtime/ort-node';
import { fixtureInput, tinyModelBytes } from '../helpers/fixture';
import { mirrorTile, seamErrors } from '../helpers/images';

/** A stand-in network that predicts log-HDR = 3 everywhere and records its calls. */
function constantBackend(): InferenceBackend & { calls: PlanarTile[]; signals: Array<CancelSignal | undefined> } {
  const calls: PlanarTile[] = [];
  const signals: Array<CancelSignal | undefined> = [];
  return {
    name: 'constant',
    calls,
    signals,
    run: async (tile, signal) => (calls.push(tile), signals.push(signal), new Float32Array(tile.data.length).fill(3)),
    dispose: async () => undefined,
  };
}

/** Nothing to gain from merging, and no whole-image window for images past 128²: one run per part with highlights. */
const NO_MERGING: WindowCostModel = {
  name: 'no merging',
  perRun: 0,
  perPixel: 0,
  perShape: 0,
  maxWindowPixels: 128 * 128,
};
/** Runs dear against pixels: neighbours merge, up to `maxWindowPixels`. */
const merging = (maxWindowPixels: number): WindowCostModel => ({
  name: 'merging',
  perRun: 1,
  perPixel: 1e-6,
  perShape: 0.01,
  maxWindowPixels,
});
/** The two plans: the fixed tiles (no cost model) and the cost planner's. */
const PLANS: Array<[string, WindowCostModel | undefined]> = [
  ['fixed plan', undefined],
  ['cost planner', NO_MERGING],
];

function gradient(width: number, height: number, max: number): RgbImage {
  return createRgbImage(
    width,
    height,
    Float32Array.from({ length: width * height * 3 }, (_, i) => (max * (i % (width * 3))) / (width * 3)),
  );
}

describe('reconstruct', () => {
  it('skips the network where nothing is near clipping: output is x² exactly', async () => {
    const backend = constantBackend();
    const image = gradient(100, 70, 0.9);
    const { image: out, computedTiles } = await reconstruct(image, backend, {
      settings: { gamma: 1.3 },
      tiles: { tileSize: 64, margin: 32 },
    });
    expect(computedTiles).toBe(0);
    expect(backend.calls).toHaveLength(0);
    // f(u) = u² there, so f(x^(1/g))^g = x² whatever the gamma.
    const worst = out.data.reduce((m, v, i) => Math.max(m, Math.abs(v - image.data[i] ** 2)), 0);
    expect(worst).toBeLessThan(1e-6);
  });

  it('sends only tiles whose core holds a highlight, and blends the prediction there', async () => {
    const backend = constantBackend();
    const image = gradient(200, 150, 0.5);
    image.data.set([1, 1, 1], (140 * 200 + 190) * 3); // one clipped pixel near the bottom-right corner
    const tiles = { tileSize: 64, margin: 32 };
    const { image: out, tiles: total, computedTiles } = await reconstruct(image, backend, { tiles });
    expect(total).toBe(planTiles(200, 150, tiles).length);
    expect(computedTiles).toBe(1);
    expect(out.data[(140 * 200 + 190) * 3]).toBeCloseTo(Math.exp(3) - 1 / 255, 4);
    expect(out.data[0]).toBe(0);
  });

  it.each(PLANS)('keeps a source’s own linear values outside the mask and blends them inside: %s', async (_, cost) => {
    const backend = constantBackend();
    const image = gradient(64, 32, 0.9);
    const [p, q] = [(5 * 64 + 7) * 3, (20 * 64 + 40) * 3];
    image.data.set([0.97, 0.5, 0.96], p); // 0 < α < 1
    const linear = Float32Array.from(image.data, (v) => v ** 2.2 + 0.01);
    const source = {
      width: 64,
      height: 32,
      read: (rect: { left: number; top: number; width: number; height: number }) => {
        const cut = (data: Float32Array) =>
          Float32Array.from({ length: rect.width * rect.height * 3 }, (_, i) => {
            const [y, x, c] = [Math.floor(i / 3 / rect.width), Math.floor(i / 3) % rect.width, i % 3];
            return data[((rect.top + y) * 64 + rect.left + x) * 3 + c];
          });
        return { width: rect.width, height: rect.height, data: cut(image.data), linear: cut(linear) };
      },
    };
    const out = new Float32Array(64 * 32 * 3);
    const sink = {
      write: (rect: { left: number; top: number; width: number; height: number }, px: RgbImage) => {
        for (let y = 0; y < rect.height; y++)
          out.set(
            px.data.subarray(y * rect.width * 3, (y + 1) * rect.width * 3),
            ((rect.top + y) * 64 + rect.left) * 3,
          );
      },
    };
    const gamma = 1.25;
    await reconstructTiles(source, sink, backend, { settings: { gamma }, tiles: { tileSize: 32, margin: 0 }, cost });
    expect(out[q]).toBe(linear[q]);
    expect(out[q + 2]).toBe(linear[q + 2]);
    const alpha = (Math.fround(0.97) ** (1 / gamma) - 0.95) / 0.05;
    expect(alpha).toBeGreaterThan(0.3);
    expect(alpha).toBeLessThan(0.7);
    const e = Math.exp(3) - 1 / 255;
    for (let c = 0; c < 3; c++)
      expect(out[p + c]).toBeCloseTo(((1 - alpha) * linear[p + c] ** (1 / gamma) + alpha * e) ** gamma, 5);
    expect(backend.calls).toHaveLength(1);
  });

  it.each(PLANS)('reports progress per tile and stops between tiles when cancelled: %s', async (_, cost) => {
    const backend = constantBackend();
    const image = createRgbImage(256, 256, new Float32Array(256 * 256 * 3).fill(1));
    const run = new AbortController();
    const seen: number[] = [];
    const result = reconstruct(image, backend, {
      tiles: { tileSize: 64, margin: 32, fitToHighlights: false }, // one run per tile
      cost,
      signal: run.signal,
      onProgress: ({ done }) => {
        seen.push(done);
        if (done === 2) run.abort();
      },
    });
    await expect(result).rejects.toBeInstanceOf(CancelledError);
    expect(seen).toEqual([1, 2]);
    // The fixed plan had already sent the third tile (tile-pipeline.ts); its run was cancelled with the caller's.
    expect(backend.calls).toHaveLength(cost ? 2 : 3);
    expect(backend.signals.map((s) => s?.aborted)).toEqual(cost ? [true, true] : [true, true, true]);
  });

  it('without a cost model reads each tile window once and nothing else (no highlight pass)', async () => {
    const image = gradient(200, 150, 0.9);
    image.data.set([1, 1, 1], (70 * 200 + 100) * 3);
    const tiles = { tileSize: 64, margin: 32 };
    const reads: Array<{ left: number; top: number; width: number; height: number }> = [];
    const source = {
      width: 200,
      height: 150,
      read: (r: (typeof reads)[number]) => (reads.push(r), cropImage(image, r)),
    };
    await reconstructTiles(source, { write: () => undefined }, constantBackend(), { tiles });
    expect(reads).toEqual(planTiles(200, 150, tiles).map((t) => sourceRect(t.window, 200, 150)));
    reads.length = 0;
    await reconstructTiles(source, { write: () => undefined }, constantBackend(), { tiles, cost: NO_MERGING });
    expect(reads[0]).toEqual({ left: 0, top: 0, width: 200, height: 150 }); // the planner's pass over the image
  });

  it('refuses bad settings before any work', async () => {
    const backend = constantBackend();
    await expect(reconstruct(gradient(32, 32, 1), backend, { settings: { gamma: 0 } })).rejects.toThrow(/gamma/);
    await expect(reconstruct(gradient(32, 32, 1), backend, { settings: { scaling: 0.5 } })).rejects.toThrow(/scaling/);
    expect(backend.calls).toHaveLength(0);
  });
});

describe('tiled against whole-image inference (fixture weights)', () => {
  let backend: InferenceBackend;
  beforeAll(async () => {
    backend = await createOrtNodeBackend(tinyModelBytes());
  });
  afterAll(() => backend.dispose());

  // Bounds from measurements on this image (bench prints the same for full-width weights).
  it.each([
    ['fixed tiles', true, NO_MERGING],
    ['unmerged parts', false, NO_MERGING],
    ['merged windows', false, merging(320 * 256)],
  ] as Array<[string, boolean, WindowCostModel]>)(
    'agrees within the seam bound on a 384×256 image, margin 128: %s',
    async (name, fixed, cost) => {
      const image = mirrorTile(await fixtureInput(), 4, 4);
      const whole = await reconstruct(image, backend, { tiles: wholeImageSettings(image.width, image.height) });
      const tiled = await reconstruct(image, backend, {
        tiles: { tileSize: 64, margin: 128, fitToHighlights: !fixed },
        cost,
      });
      expect(tiled.networkRuns).toBeGreaterThan(1);
      // Fixed tiles run once each; unmerged parts are smaller than tiles; merged windows serve several tiles.
      const runsAgainstTiles = { 'fixed tiles': 0, 'unmerged parts': 1, 'merged windows': -1 }[name];
      expect(Math.sign(tiled.networkRuns - tiled.computedTiles)).toBe(runsAgainstTiles);
      const { median, p99 } = seamErrors(tiled.image, whole.image, image);
      expect(median).toBeLessThan(0.01);
      expect(p99).toBeLessThan(0.05);
    },
  );

  it('matches whole-image inference exactly for odd sizes that fit one window (reflection padding)', async () => {
    const image = mirrorTile(await fixtureInput(), 1, 1);
    const odd = createRgbImage(83, 61);
    for (let y = 0; y < 61; y++) odd.data.set(image.data.subarray(y * 96 * 3, (y * 96 + 83) * 3), y * 83 * 3);
    const a = await reconstruct(odd, backend, { tiles: { tileSize: 64, margin: 32 } });
    const b = await reconstruct(odd, backend, { tiles: wholeImageSettings(83, 61) });
    expect(a.image.data).toEqual(b.image.data);
    expect(a.computedTiles).toBe(1);
  });
});

describe('reconstruct with a cost model', () => {
  /** A backend that records its calls, under a given cost model. */
  const costed = (cost: WindowCostModel) => Object.assign(constantBackend(), { cost });

  it.each([
    [97, 61],
    [300, 200],
    [640, 480],
    [1000, 700],
    [1333, 517],
  ])('%i×%i: every pixel is written exactly once', async (w, h) => {
    const image = gradient(w, h, 0.9);
    for (const [x, y] of [
      [3, 5],
      [w - 1, h - 1],
      [Math.floor(w / 2), Math.floor(h / 3)],
      [w - 40, 10],
    ])
      image.data.set([1, 1, 1], (y * w + x) * 3);
    for (const cost of [ortNodeCost(), merging(256 * 256)]) {
      const hits = new Uint8Array(w * h);
      const source = {
        width: w,
        height: h,
        read: (r: { left: number; top: number; width: number; height: number }) => cropImage(image, r),
      };
      const sink = {
        write: (r: { left: number; top: number; width: number; height: number }) => {
          for (let y = r.top; y < r.top + r.height; y++)
            for (let x = r.left; x < r.left + r.width; x++) hits[y * w + x]++;
        },
      };
      await reconstructTiles(source, sink, costed(cost), { tiles: { tileSize: 128, margin: 32 } });
      expect(hits.every((n) => n === 1)).toBe(true);
    }
  });

  it('runs the whole image once when that is cheapest, and never a window past the memory budget', async () => {
    const image = createRgbImage(640, 480, new Float32Array(640 * 480 * 3).fill(0.97)); // highlights in every tile
    const cheap = costed(ortNodeCost());
    const result = await reconstruct(image, cheap, { tiles: { tileSize: 128, margin: 32 } });
    expect(cheap.calls.map((t) => [t.width, t.height])).toEqual([[640, 480]]);
    expect([result.networkRuns, result.computedTiles]).toEqual([1, result.tiles]);
    const budget = 200 * 200;
    const bounded = costed(ortNodeCost(budget * ORT_NODE_BYTES_PER_PIXEL));
    await reconstruct(image, bounded, { tiles: { tileSize: 128, margin: 32 } });
    expect(bounded.calls.length).toBeGreaterThan(1);
    for (const t of bounded.calls) expect(t.width * t.height).toBeLessThanOrEqual(budget);
  });
});

describe('whole-image settings', () => {
  it('send the whole padded image to the network even for one small highlight', async () => {
    const backend = constantBackend();
    const image = gradient(300, 200, 0.5);
    image.data.set([1, 1, 1], (10 * 300 + 10) * 3);
    await reconstruct(image, backend, { tiles: wholeImageSettings(300, 200) });
    expect(backend.calls.map((t) => [t.width, t.height])).toEqual([[320, 224]]);
    await reconstruct(image, backend, { tiles: { tileSize: 320, margin: 64 } });
    expect(backend.calls[1].width * backend.calls[1].height).toBeLessThan(320 * 224);
  });
});

describe('reconstruct with a broken network', () => {
  const backend = (output: (tile: PlanarTile) => Float32Array): InferenceBackend => ({
    name: 'broken',
    run: async (tile) => output(tile),
    dispose: async () => undefined,
  });
  const bright = () => createRgbImage(64, 32, new Float32Array(64 * 32 * 3).fill(1));
  const tiles = { tileSize: 64, margin: 0 };

  it.each(PLANS)('refuses non-finite output instead of writing Inf samples: %s', async (_, cost) => {
    const inf = backend((tile) => new Float32Array(tile.data.length).fill(2).fill(Infinity, 10, 13));
    const text = 'the model gave 3 non-finite values (NaN or Inf) for the window at 0,0; it is broken';
    await expect(reconstruct(bright(), inf, { tiles, cost })).rejects.toThrow(text);
  });

  it.each(PLANS)('refuses a one-channel output instead of zeroing the highlights: %s', async (_, cost) => {
    const grey = backend((tile) => new Float32Array(tile.width * tile.height).fill(2));
    const text = 'the model gave 2048 values for a 64×32 RGB window (6144 expected)';
    await expect(reconstruct(bright(), grey, { tiles, cost })).rejects.toThrow(text);
  });
});

describe('onnxruntime errors', () => {
  it('come out on one line, without colour codes', async () => {
    const backend = await createOrtNodeBackend(await tinyModelBytes());
    // 31 rows do not survive five poolings: onnxruntime fails inside the graph, over two lines.
    const wrong: PlanarTile = { width: 32, height: 31, data: new Float32Array(3 * 32 * 31) };
    const error = await backend.run(wrong).then(
      () => undefined,
      (e: Error) => e,
    );
    await backend.dispose();
    expect(error?.message).toMatch(/^onnxruntime: [^\n\x1b]+$/);
    await expect(createOrtNodeBackend(new TextEncoder().encode('not a model'))).rejects.toThrow(
      new Error('onnxruntime: Failed to load model because protobuf parsing failed.'),
    );
  });
});
