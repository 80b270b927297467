/**
 * HDR reconstruction, tile by tile: the one loop that the CLI, the plugin and
 * the benchmarks share. Pixels come from a {@link PixelSource} and go to a
 * {@link PixelSink} a tile at a time, so memory is a window or two in flight, not
 * the image: the plugin streams from Photoshop, the CLI reads an array.
 *
 * Tiles whose core has no pixel inside the highlight mask are never sent to
 * the network: their output is `x²` exactly (docs/HDRCNN.md), whatever it would say.
 * Per sample, `x^(1/g)` and the pixel's mask are computed once.
 *
 * Two plans, one blend. Without a cost model (the plugin's engine reports none) the
 * fixed tile plan runs: one read per tile window, each tile on its own fitted window
 * ({@link reconstructTile}, which the panel's preview shares), the next tile read and sent
 * to the engine while it runs the current one (tile-pipeline.ts). With one (the CLI's
 * onnxruntime-node, or `options.cost`) the network's windows are chosen by cost before
 * any run (reconstruction-plan.ts): one window may write parts of several tiles, and a
 * tile whose parts lie in several windows is written when its last one has run.
 */
import type { InferenceBackend } from './backend';
import { throwIfCancelled, type CancelSignal } from './cancellation';
import {
  checkSettings,
  DEFAULT_SETTINGS,
  highlightAlpha,
  networkValue,
  outputSample,
  type HdrcnnSettings,
} from './hdrcnn';
import { boundingRect, createRgbImage, partWithin, type Rect, type RgbImage } from './image';
import { planReconstruction } from './reconstruction-plan';
import type { WindowCostModel } from './tile-cost';
import { pipeTiles } from './tile-pipeline';
import { DEFAULT_TILE_SETTINGS, fitWindow, planTiles, type Tile, type TileSettings } from './tile-plan';
import { readWindow, sourceRect, type ImagePatch } from './window';

export interface ReconstructProgress {
  /** Tiles finished so far (computed or skipped). */
  readonly done: number;
  readonly total: number;
  /** Tiles that went through the network so far. */
  readonly computed: number;
}

export interface ReconstructOptions {
  readonly settings?: Partial<HdrcnnSettings>;
  readonly tiles?: TileSettings;
  /** What windows cost; default: the backend's own model; with none, the fixed tile plan. */
  readonly cost?: WindowCostModel;
  /** Stops the run between steps (and the backend's tile, if it can): it rejects with CancelledError. */
  readonly signal?: CancelSignal;
  readonly onProgress?: (progress: ReconstructProgress) => void;
}

/** Display-referred RGB in [0, 1] (`data`), and optionally the photo's own linear values. */
export interface SourcePixels extends RgbImage {
  /**
   * The photo's own linear value of each sample, laid out as `data`: the output keeps it
   * where the mask is 0 and blends it in place of HDRCNN's x'² elsewhere.
   */
  readonly linear?: Float32Array;
}

/** An image read a rectangle at a time (any rectangle, in any order). */
export interface PixelSource {
  readonly width: number;
  readonly height: number;
  read(rect: Rect): Promise<SourcePixels> | SourcePixels;
}

/**
 * Receives the linear HDR result, a tile core at a time; cores partition the image. Needs no earlier read
 * (the fixed plan writes a core after reading its window and at most the next tile's).
 */
export interface PixelSink {
  write(rect: Rect, pixels: RgbImage): Promise<void> | void;
}

export interface TileCounts {
  readonly tiles: number;
  /** Tiles written from the network's output. */
  readonly computedTiles: number;
  /** Runs of the network: fewer than computed tiles where windows were merged. */
  readonly networkRuns: number;
}

export interface ReconstructResult extends TileCounts {
  readonly image: RgbImage;
}

/** The network's input values `x'` of a source patch, one `networkValue` per sample (doubles: the mask stays exact). */
function networkPatch(
  rect: Rect,
  read: SourcePixels,
  width: number,
  height: number,
  settings: HdrcnnSettings,
): ImagePatch {
  const data = new Float64Array(read.data.length);
  for (let i = 0; i < data.length; i++) data[i] = networkValue(read.data[i], settings);
  return { rect, data, imageWidth: width, imageHeight: height };
}

interface CoreMask {
  /** α of each pixel of the core, row-major. */
  readonly alpha: Float64Array;
  /** Bounds (image coordinates) of the pixels with α > 0; undefined when there are none. */
  readonly bounds?: Rect;
}

function highlightMask(patch: ImagePatch, core: Rect): CoreMask {
  const { data } = patch;
  const alpha = new Float64Array(core.width * core.height);
  let [left, top, right, bottom] = [Infinity, Infinity, -Infinity, -Infinity];
  let k = 0;
  for (let y = core.top; y < core.top + core.height; y++) {
    let i = ((y - patch.rect.top) * patch.rect.width + core.left - patch.rect.left) * 3;
    for (let x = core.left; x < core.left + core.width; x++, i += 3, k++) {
      const a = highlightAlpha(data[i], data[i + 1], data[i + 2]);
      if (a === 0) continue;
      alpha[k] = a;
      left = Math.min(left, x);
      top = Math.min(top, y);
      right = Math.max(right, x);
      bottom = Math.max(bottom, y);
    }
  }
  const bounds = left === Infinity ? undefined : { left, top, width: right - left + 1, height: bottom - top + 1 };
  return { alpha, bounds };
}

/** Final HDR values of `core`; `net` is the network's log output over its window, if it ran. */
function blendCore(
  patch: ImagePatch,
  linear: Float32Array | undefined,
  core: Rect,
  mask: CoreMask,
  gamma: number,
  net?: { window: Rect; logHdr: Float32Array },
): RgbImage {
  const out = createRgbImage(core.width, core.height);
  const { data } = patch;
  const plane = net ? net.window.width * net.window.height : 0;
  let o = 0;
  for (let y = core.top, k = 0; y < core.top + core.height; y++) {
    for (let x = core.left; x < core.left + core.width; x++, o += 3, k++) {
      const i = ((y - patch.rect.top) * patch.rect.width + x - patch.rect.left) * 3;
      const alpha = mask.alpha[k];
      const j = net && alpha > 0 ? (y - net.window.top) * net.window.width + (x - net.window.left) : 0;
      for (let c = 0; c < 3; c++) {
        const logHdr = alpha && net!.logHdr[j + c * plane];
        out.data[o + c] = outputSample(data[i + c], logHdr, alpha, gamma, linear?.[i + c]);
      }
    }
  }
  return out;
}

/**
 * The network's answer must be 3 finite planes of the window: a broken model (one channel, Inf or
 * NaN) is refused rather than written out as zeroed highlights or Inf samples.
 */
function checkNetworkOutput(logHdr: Float32Array, window: Rect): Float32Array {
  const expected = 3 * window.width * window.height;
  if (logHdr.length !== expected) {
    const size = `${window.width}×${window.height}`;
    throw new Error(`the model gave ${logHdr.length} values for a ${size} RGB window (${expected} expected)`);
  }
  let bad = 0;
  for (let i = 0; i < logHdr.length; i++) if (!Number.isFinite(logHdr[i])) bad++;
  if (bad) {
    const at = `${window.left},${window.top}`;
    throw new Error(`the model gave ${bad} non-finite values (NaN or Inf) for the window at ${at}; it is broken`);
  }
  return logHdr;
}

export interface TileResult {
  readonly pixels: RgbImage;
  /** Whether the tile went through the network. */
  readonly computed: boolean;
}

/**
 * One tile of the fixed plan as the loop computes it: the network over its window (fitted to the
 * core's highlights) unless the core has none, blended over the core. `read` holds the source
 * over `rect = sourceRect(tile.window, …)`. The panel's preview calls it too, so its crop is
 * the committed run's result at the same place.
 */
export async function reconstructTile(
  read: SourcePixels,
  rect: Rect,
  tile: Tile,
  image: { readonly width: number; readonly height: number },
  backend: InferenceBackend,
  settings: HdrcnnSettings,
  tileSettings: TileSettings,
  signal?: CancelSignal,
): Promise<TileResult> {
  const patch = networkPatch(rect, read, image.width, image.height, settings);
  const mask = highlightMask(patch, tile.core);
  if (!mask.bounds) return { pixels: blendCore(patch, read.linear, tile.core, mask, settings.gamma), computed: false };
  const window =
    tileSettings.fitToHighlights === false ? tile.window : fitWindow(tile, mask.bounds, tileSettings.margin);
  // Only the core's pixels are blended: the margin's answer need not come back.
  const input = { ...readWindow(patch, window), used: partWithin(tile.core, window) };
  const net = { window, logHdr: checkNetworkOutput(await backend.run(input, signal), window) };
  throwIfCancelled(signal);
  return { pixels: blendCore(patch, read.linear, tile.core, mask, settings.gamma, net), computed: true };
}

/**
 * The fixed plan: each tile read once over its window and computed on its own ({@link reconstructTile}),
 * one tile ahead of the writes (tile-pipeline.ts), so the engine works while the host reads and writes.
 */
async function reconstructFixed(
  source: PixelSource,
  sink: PixelSink,
  backend: InferenceBackend,
  settings: HdrcnnSettings,
  tileSettings: TileSettings,
  options: ReconstructOptions,
): Promise<TileCounts> {
  const { width, height } = source;
  const plan = planTiles(width, height, tileSettings);
  const rects = plan.map((tile) => sourceRect(tile.window, width, height));
  let computed = 0;
  await pipeTiles(
    {
      count: plan.length,
      read: (t) => source.read(rects[t]),
      compute: (t, read, signal) =>
        reconstructTile(read, rects[t], plan[t], source, backend, settings, tileSettings, signal),
      write: async (t, result) => {
        await sink.write(plan[t].core, result.pixels);
        if (result.computed) computed++;
        options.onProgress?.({ done: t + 1, total: plan.length, computed });
      },
    },
    options.signal,
  );
  return { tiles: plan.length, computedTiles: computed, networkRuns: computed };
}

/** Writes `piece` (a part of `image`'s area at `rect`) into `image`, which covers `area`. */
function pasteInto(image: RgbImage, area: Rect, rect: Rect, piece: RgbImage): void {
  pasteImage(image, { ...rect, left: rect.left - area.left, top: rect.top - area.top }, piece);
}

/** The cost planner's windows (reconstruction-plan.ts), blended as the fixed plan blends. */
async function reconstructPlanned(
  source: PixelSource,
  sink: PixelSink,
  backend: InferenceBackend,
  settings: HdrcnnSettings,
  tileSettings: TileSettings,
  cost: WindowCostModel,
  options: ReconstructOptions,
): Promise<TileCounts> {
  const { signal } = options;
  const { width, height } = source;
  const { tiles, parts, plan } = await planReconstruction(source, { settings, tiles: tileSettings, cost, signal });
  let [done, computed] = [0, 0];
  const finish = async (core: Rect, pixels: RgbImage, fromNetwork: boolean) => {
    await sink.write(core, pixels);
    [done, computed] = [done + 1, computed + Number(fromNetwork)];
    options.onProgress?.({ done, total: tiles.length, computed });
  };
  const readPatch = async (rect: Rect) => {
    const read = await source.read(rect);
    throwIfCancelled(signal);
    return { linear: read.linear, patch: networkPatch(rect, read, width, height, settings) };
  };
  type Read = Awaited<ReturnType<typeof readPatch>>;
  const blend = ({ patch, linear }: Read, rect: Rect, net?: { window: Rect; logHdr: Float32Array }) =>
    blendCore(patch, linear, rect, highlightMask(patch, rect), settings.gamma, net);
  // A tile whose parts are spread over several runs is assembled here until its last one has run.
  const pending = new Map<number, number>();
  for (const { tile } of plan.runs.flatMap((run) => run.parts.map((p) => parts[p]))) {
    pending.set(tile, (pending.get(tile) ?? 0) + 1);
  }
  const assembling = new Map<number, RgbImage>();
  const runs = [...plan.runs].sort((a, b) => a.window.top - b.window.top || a.window.left - b.window.left);
  for (const { window, parts: mine } of runs) {
    throwIfCancelled(signal);
    const touched = [...new Set(mine.map((p) => parts[p].tile))];
    // The cores' pixels outside the highlights are blended too, so the patch holds them as well as the window.
    const cores = touched.map((t) => tiles[t].core);
    const read = await readPatch(boundingRect([sourceRect(window, width, height), ...cores]));
    const input = {
      ...readWindow(read.patch, window),
      used: partWithin(boundingRect(mine.map((p) => parts[p].rect)), window),
    };
    const logHdr = checkNetworkOutput(await backend.run(input, signal), window);
    const net = { window, logHdr };
    for (const t of touched) {
      throwIfCancelled(signal);
      const { core } = tiles[t];
      const own = mine.filter((p) => parts[p].tile === t);
      const left = pending.get(t)! - own.length;
      pending.set(t, left);
      if (left === 0 && !assembling.has(t)) {
        await finish(core, blend(read, core, net), true);
        continue;
      }
      // Mask 0 over the whole core first: every pixel with α > 0 lies in a part, pasted over it from its run.
      const noMask = { alpha: new Float64Array(core.width * core.height) };
      const out = assembling.get(t) ?? blendCore(read.patch, read.linear, core, noMask, settings.gamma);
      for (const p of own) pasteInto(out, core, parts[p].rect, blend(read, parts[p].rect, net));
      if (left > 0) assembling.set(t, out);
      else {
        assembling.delete(t);
        await finish(core, out, true);
      }
    }
  }
  for (const [t, { core }] of tiles.entries()) {
    if (pending.has(t)) continue;
    throwIfCancelled(signal);
    await finish(core, blend(await readPatch(core), core), false);
  }
  return { tiles: tiles.length, computedTiles: computed, networkRuns: plan.runs.length };
}

export async function reconstructTiles(
  source: PixelSource,
  sink: PixelSink,
  backend: InferenceBackend,
  options: ReconstructOptions = {},
): Promise<TileCounts> {
  const settings = checkSettings({ ...DEFAULT_SETTINGS, ...options.settings });
  const tileSettings = options.tiles ?? DEFAULT_TILE_SETTINGS;
  const cost = options.cost ?? backend.cost;
  return cost
    ? reconstructPlanned(source, sink, backend, settings, tileSettings, cost, options)
    : reconstructFixed(source, sink, backend, settings, tileSettings, options);
}

/** Copies `rect` of an in-memory image. */
export function cropImage(image: RgbImage, rect: Rect): RgbImage {
  const out = createRgbImage(rect.width, rect.height);
  for (let y = 0; y < rect.height; y++) {
    const start = ((rect.top + y) * image.width + rect.left) * 3;
    out.data.set(image.data.subarray(start, start + rect.width * 3), y * rect.width * 3);
  }
  return out;
}

/** Writes `pixels` into `image` at `rect`. */
export function pasteImage(image: RgbImage, rect: Rect, pixels: RgbImage): void {
  for (let y = 0; y < rect.height; y++) {
    image.data.set(
      pixels.data.subarray(y * rect.width * 3, (y + 1) * rect.width * 3),
      ((rect.top + y) * image.width + rect.left) * 3,
    );
  }
}

/** Reconstructs an in-memory image. */
export async function reconstruct(
  image: RgbImage,
  backend: InferenceBackend,
  options: ReconstructOptions = {},
): Promise<ReconstructResult> {
  const out = createRgbImage(image.width, image.height);
  const source: PixelSource = { width: image.width, height: image.height, read: (rect) => cropImage(image, rect) };
  const counts = await reconstructTiles(
    source,
    { write: (rect, pixels) => pasteImage(out, rect, pixels) },
    backend,
    options,
  );
  return { image: out, ...counts };
}
