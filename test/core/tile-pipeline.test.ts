/**
 * The fixed plan's pipeline (tile-pipeline.ts) through reconstructTiles: every read, run and write is a
 * promise the test settles by hand, so the order of events is the test's to choose and to check.
 */
import type { InferenceBackend, PlanarTile } from '../../src/core/backend';
import { CancelledError, LinkedCancelSource, type CancelSignal } from '../../src/core/cancellation';
import { createRgbImage, type Rect, type RgbImage } from '../../src/core/image';
import { DEFAULT_SETTINGS } from '../../src/core/hdrcnn';
import {
  cropImage,
  pasteImage,
  reconstruct,
  reconstructTile,
  reconstructTiles,
  type ReconstructProgress,
} from '../../src/core/reconstruct';
import { planTiles, type TileSettings } from '../../src/core/tile-plan';
import { sourceRect } from '../../src/core/window';

/** A pointwise stand-in network: its answer at a sample depends on that sample alone, so any window gives it. */
const networkOf = (tile: PlanarTile): Float32Array => tile.data.map((v) => 2 * v + 0.5);

interface Call {
  readonly label: string;
  readonly settle: () => void;
  readonly fail: (error: unknown) => void;
}

/**
 * A source, a backend and a sink whose calls wait until the test settles them. Reads and writes are the
 * host calls: `overlaps` counts those that started while another was pending.
 */
function harness(image: RgbImage, tiles: TileSettings, options: { abortRejects?: boolean } = {}) {
  const plan = planTiles(image.width, image.height, tiles);
  const events: string[] = [];
  const pending: Call[] = [];
  const signals: CancelSignal[] = [];
  const out = createRgbImage(image.width, image.height);
  let [hostCalls, overlaps, reads, runs] = [0, 0, 0, 0];

  function call<T>(label: string, host: boolean, value: () => T, onAbort?: CancelSignal): Promise<T> {
    events.push(label);
    if (host && hostCalls++ > 0) overlaps++;
    return new Promise<T>((resolve, reject) => {
      const done = (): void => {
        pending.splice(pending.indexOf(entry), 1);
        if (host) hostCalls--;
      };
      const entry: Call = {
        label,
        settle: () => (done(), events.push(`${label} done`), resolve(value())),
        fail: (error) => (done(), events.push(`${label} failed`), reject(error)),
      };
      pending.push(entry);
      // As EngineClient does: an aborted run rejects at once (and the page drops it).
      onAbort?.addEventListener('abort', () => pending.includes(entry) && entry.fail(new Error('engine: cancelled')));
    });
  }

  const source = {
    width: image.width,
    height: image.height,
    read: (rect: Rect) => {
      const t = reads++;
      expect(rect).toEqual(sourceRect(plan[t].window, image.width, image.height)); // tile order
      return call(`read ${t}`, true, () => cropImage(image, rect));
    },
  };
  const backend: InferenceBackend = {
    name: 'by hand',
    run: (tile, signal) => {
      signals.push(signal!);
      return call(`run ${runs++}`, false, () => networkOf(tile), options.abortRejects ? signal : undefined);
    },
    dispose: async () => undefined,
  };
  const sink = {
    write: (rect: Rect, pixels: RgbImage) => {
      const t = plan.findIndex(({ core }) =>
        (['left', 'top', 'width', 'height'] as const).every((k) => core[k] === rect[k]),
      );
      return call(`write ${t}`, true, () => pasteImage(out, rect, pixels));
    },
  };
  const find = (label: string): Call => {
    const found = pending.find((c) => c.label === label);
    if (!found) throw new Error(`${label} is not pending; pending: ${pending.map((c) => c.label).join(', ')}`);
    return found;
  };
  return {
    plan,
    events,
    pending,
    signals,
    out,
    source,
    backend,
    sink,
    overlaps: () => overlaps,
    settle: (label: string) => find(label).settle(),
    fail: (label: string, error: unknown) => find(label).fail(error),
  };
}

/** Runs every promise job queued so far and those they queue: a bounded chain of microtasks, no timers. */
async function flush(): Promise<void> {
  for (let i = 0; i < 200; i++) await Promise.resolve();
}

/** Whether `promise` has settled, after a flush; its rejection, if any, is handled. */
function watch(promise: Promise<unknown>): { settled: () => boolean; outcome: Promise<unknown> } {
  let settled = false;
  const outcome = promise.then(
    (value) => ((settled = true), value),
    (error) => ((settled = true), Promise.reject(error)),
  );
  outcome.catch(() => undefined);
  return { settled: () => settled, outcome };
}

/** Settles pending calls one at a time, the one `pick` chooses, until the run ends. */
async function drive(h: ReturnType<typeof harness>, run: Promise<unknown>, pick: (pending: Call[]) => Call) {
  const watched = watch(run);
  await flush();
  while (!watched.settled()) {
    if (h.pending.length === 0) throw new Error(`the run waits on nothing; events: ${h.events.join(', ')}`);
    pick(h.pending).settle();
    await flush();
  }
  return watched.outcome;
}

const TILES: TileSettings = { tileSize: 32, margin: 32 };
/** 128×96 in 32² tiles; every core clipped. */
const allClipped = () => createRgbImage(128, 96, new Float32Array(128 * 96 * 3).fill(1));
/** 192×160 in 32² tiles: a gradient below the mask, clipped pixels in a few cores only. */
function mixed(): RgbImage {
  const [w, h] = [192, 160];
  const image = createRgbImage(
    w,
    h,
    Float32Array.from({ length: w * h * 3 }, (_, i) => (0.9 * (i % (w * 3))) / (w * 3)),
  );
  const clipped = [
    [3, 4],
    [40, 10],
    [41, 11],
    [100, 50],
    [191, 159],
    [70, 140],
  ];
  for (const [x, y] of clipped) image.data.set([1, 0.98, 0.97], (y * w + x) * 3);
  return image;
}

/** Today's loop, one tile after the other: read, compute, write, progress. */
async function sequential(image: RgbImage, backend: InferenceBackend, tiles: TileSettings) {
  const out = createRgbImage(image.width, image.height);
  const progress: ReconstructProgress[] = [];
  const plan = planTiles(image.width, image.height, tiles);
  let computed = 0;
  for (const [t, tile] of plan.entries()) {
    const rect = sourceRect(tile.window, image.width, image.height);
    const result = await reconstructTile(cropImage(image, rect), rect, tile, image, backend, DEFAULT_SETTINGS, tiles);
    pasteImage(out, tile.core, result.pixels);
    computed += Number(result.computed);
    progress.push({ done: t + 1, total: plan.length, computed });
  }
  return { out, progress };
}

const pointwise: InferenceBackend = {
  name: 'pointwise',
  run: async (tile) => networkOf(tile),
  dispose: async () => undefined,
};

describe('the fixed plan’s pipeline', () => {
  it('reads and sends tile t+1 before tile t’s answer, and writes tile t while t+1 runs', async () => {
    const h = harness(allClipped(), TILES);
    const run = watch(reconstructTiles(h.source, h.sink, h.backend, { tiles: TILES }));
    await flush();
    h.settle('read 0');
    await flush();
    expect(h.events).toEqual(['read 0', 'read 0 done', 'run 0', 'read 1']);
    h.settle('read 1');
    await flush();
    expect(h.events.slice(4)).toEqual(['read 1 done', 'run 1']); // both in the engine's queue, no write yet
    h.settle('run 0');
    await flush();
    expect(h.events.slice(6)).toEqual(['run 0 done', 'write 0']);
    expect(h.pending.map((c) => c.label)).toEqual(['run 1', 'write 0']);
    h.settle('write 0');
    await flush();
    expect(h.events.slice(8)).toEqual(['write 0 done', 'read 2']); // the next read, while run 1 still runs
    h.settle('read 2');
    await flush();
    expect(h.pending.map((c) => c.label)).toEqual(['run 1', 'run 2']);
    await drive(h, run.outcome, (pending) => pending[0]);
    expect(h.overlaps()).toBe(0);
  });

  it.each([
    ['the engine answers first', (pending: Call[]) => pending.find((c) => c.label.startsWith('run')) ?? pending[0]],
    ['the host answers first', (pending: Call[]) => pending.find((c) => !c.label.startsWith('run')) ?? pending[0]],
  ])('never has two host calls pending at once, writes in tile order (%s)', async (_, pick) => {
    const h = harness(mixed(), TILES);
    await drive(h, reconstructTiles(h.source, h.sink, h.backend, { tiles: TILES }), pick);
    expect(h.overlaps()).toBe(0);
    const writes = h.events.filter((e) => /^write \d+$/.test(e));
    expect(writes).toEqual(h.plan.map((_t, i) => `write ${i}`));
  });

  it('gives today’s output and progress, bit for bit, and the cost planner’s output', async () => {
    const image = mixed();
    const h = harness(image, TILES);
    const progress: ReconstructProgress[] = [];
    // A fixed scramble of which pending call settles next.
    let k = 0;
    const counts = await drive(
      h,
      reconstructTiles(h.source, h.sink, h.backend, { tiles: TILES, onProgress: (p) => progress.push(p) }),
      (pending) => pending[(k++ % 3) % pending.length],
    );
    const today = await sequential(image, pointwise, TILES);
    expect(counts).toMatchObject({ tiles: h.plan.length, computedTiles: today.progress.at(-1)!.computed });
    const { computed } = today.progress.at(-1)!;
    expect([computed > 1, computed < h.plan.length - 1]).toEqual([true, true]); // several of each kind
    expect(progress).toEqual(today.progress);
    expect(h.out.data).toEqual(today.out.data);
    const planner = await reconstruct(image, pointwise, {
      tiles: TILES,
      cost: { name: 'per run', perRun: 1, perPixel: 0, perShape: 0, maxWindowPixels: 96 * 96 },
    });
    expect(h.out.data).toEqual(planner.image.data);
  });

  it('cancelled while run 0 runs and run 1 waits: both runs are dropped, nothing is written', async () => {
    const h = harness(allClipped(), TILES, { abortRejects: true });
    const caller = new AbortController();
    const progress: ReconstructProgress[] = [];
    const run = watch(
      reconstructTiles(h.source, h.sink, h.backend, {
        tiles: TILES,
        signal: caller.signal,
        onProgress: (p) => progress.push(p),
      }),
    );
    await flush();
    h.settle('read 0');
    await flush();
    h.settle('read 1');
    await flush();
    expect(h.pending.map((c) => c.label)).toEqual(['run 0', 'run 1']);
    caller.abort();
    await expect(run.outcome).rejects.toBeInstanceOf(CancelledError);
    await flush();
    expect(h.signals.map((s) => s.aborted)).toEqual([true, true]);
    expect(h.events.slice(-2)).toEqual(['run 0 failed', 'run 1 failed']);
    expect([h.pending, progress]).toEqual([[], []]);
  });

  it.each([
    ['a read', [] as string[], 'read 1'],
    ['a write', ['read 1', 'run 0'], 'write 0'],
  ])('cancelled during %s: rejects only once it has settled, and writes nothing after', async (_, first, hostCall) => {
    const h = harness(allClipped(), TILES, { abortRejects: true });
    const caller = new AbortController();
    const run = watch(reconstructTiles(h.source, h.sink, h.backend, { tiles: TILES, signal: caller.signal }));
    for (const label of ['read 0', ...first]) {
      await flush();
      h.settle(label);
    }
    await flush();
    expect(h.pending.map((c) => c.label)).toContain(hostCall);
    caller.abort();
    await flush();
    expect(run.settled()).toBe(false); // the host call is still out
    expect(h.signals.map((s) => s.aborted)).toEqual(h.signals.map(() => true));
    h.settle(hostCall);
    await expect(run.outcome).rejects.toBeInstanceOf(CancelledError);
    await flush();
    expect([h.events.at(-1), h.pending]).toEqual([`${hostCall} done`, []]);
  });

  it.each([
    ['write 0 fails', ['read 0', 'read 1', 'run 0'], 'write 0', undefined],
    ['run 0 fails during read 1', ['read 0'], 'run 0', 'read 1'],
    ['run 1 fails during write 0', ['read 0', 'read 1', 'run 0'], 'run 1', 'write 0'],
  ])('%s: rejects with that error once no host call is out, cancels the run ahead', async (_, first, failing, out) => {
    const h = harness(allClipped(), TILES, { abortRejects: true });
    const run = watch(reconstructTiles(h.source, h.sink, h.backend, { tiles: TILES }));
    for (const label of first) {
      await flush();
      h.settle(label);
    }
    await flush();
    const error = new Error(`${failing}: broken`);
    h.fail(failing, error);
    await flush();
    if (out) {
      expect(run.settled()).toBe(false); // the host call in progress settles first
      h.settle(out);
    }
    await expect(run.outcome).rejects.toBe(error);
    await flush();
    expect(h.signals.map((s) => s.aborted)).toEqual(h.signals.map(() => true));
    expect(h.pending).toEqual([]);
    const after = h.events.slice(h.events.indexOf(`${failing} failed`) + 1);
    expect(after.filter((e) => !e.endsWith(' done') && !e.endsWith(' failed'))).toEqual([]); // nothing begun after
  });
});

describe('LinkedCancelSource', () => {
  it('aborts with its parent, or alone without touching the parent, and lets go of the parent on dispose', () => {
    const parent = new AbortController();
    const [a, b] = [new LinkedCancelSource(parent.signal), new LinkedCancelSource(parent.signal)];
    const heard: string[] = [];
    a.signal.addEventListener('abort', () => {
      heard.push('a1');
      throw new Error('a listener that throws');
    });
    a.signal.addEventListener('abort', () => heard.push('a2'));
    b.signal.addEventListener('abort', () => heard.push('b'));
    b.cancel();
    expect([parent.signal.aborted, a.signal.aborted, b.signal.aborted, heard]).toEqual([false, false, true, ['b']]);
    const gone = new LinkedCancelSource(parent.signal);
    gone.dispose();
    parent.abort();
    expect([a.signal.aborted, gone.signal.aborted, heard]).toEqual([true, false, ['b', 'a1', 'a2']]);
    expect(new LinkedCancelSource(parent.signal).signal.aborted).toBe(true); // an aborted parent: aborted at once
  });
});
