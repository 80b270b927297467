/**
 * HDR reconstruction, tile by tile: the one loop that the CLI, the plugin and
 * the benchmarks share. Pixels come from a {@link PixelSource} and go to a
 * {@link PixelSink} one tile at a time, so memory is one window in flight, not
 * the image: the plugin streams from Photoshop, the CLI reads an array.
 *
 * Tiles whose core has no pixel inside the highlight mask are never sent to
 * the network: their output is `x²` exactly (HDRCNN.md), whatever it would say.
 * The network's windows are chosen by cost before any run
 * (reconstruction-plan.ts): one window may write parts of several tiles, and
 * a tile whose parts lie in several windows is written when its last one has run.
 */
import type { InferenceBackend } from './backend';
import { throwIfCancelled, type Cancellation } from './cancellation';
import { blendSample, checkSettings, DEFAULT_SETTINGS, highlightAlpha, networkValue, type HdrcnnSettings } from './hdrcnn';
import { createRgbImage, type RgbImage } from './image';
import type { Rect } from './image';
import { planReconstruction } from './reconstruction-plan';
import type { WindowCostModel } from './tile-cost';
import { DEFAULT_TILE_SETTINGS, type TileSettings } from './tile-plan';
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
  /** What windows cost; default: the backend's own model, else a safe one (tile-cost.ts). */
  readonly cost?: WindowCostModel;
  readonly cancel?: Cancellation;
  readonly onProgress?: (progress: ReconstructProgress) => void;
}

/** Display-referred RGB in [0, 1] of an image, read a rectangle at a time. */
export interface PixelSource {
  readonly width: number;
  readonly height: number;
  read(rect: Rect): Promise<RgbImage> | RgbImage;
}

/** Receives the linear HDR result, a tile core at a time; cores partition the image. */
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

/** Final HDR values of `core`; `net` is the network's log output over its window, if it ran. */
function blendCore(patch: ImagePatch, core: Rect, settings: HdrcnnSettings, net?: { window: Rect; logHdr: Float32Array }): RgbImage {
  const out = createRgbImage(core.width, core.height);
  const { pixels } = patch;
  const plane = net ? net.window.width * net.window.height : 0;
  let o = 0;
  for (let y = core.top; y < core.top + core.height; y++) {
    for (let x = core.left; x < core.left + core.width; x++, o += 3) {
      const i = ((y - patch.rect.top) * pixels.width + x - patch.rect.left) * 3;
      const r = networkValue(pixels.data[i], settings);
      const g = networkValue(pixels.data[i + 1], settings);
      const b = networkValue(pixels.data[i + 2], settings);
      const alpha = net ? highlightAlpha(r, g, b) : 0;
      const j = net && alpha > 0 ? (y - net.window.top) * net.window.width + (x - net.window.left) : 0;
      out.data[o] = blendSample(r, alpha && net!.logHdr[j], alpha, settings.gamma);
      out.data[o + 1] = blendSample(g, alpha && net!.logHdr[j + plane], alpha, settings.gamma);
      out.data[o + 2] = blendSample(b, alpha && net!.logHdr[j + 2 * plane], alpha, settings.gamma);
    }
  }
  return out;
}

/** The rectangle holding every pixel of `rects`. */
function boundingRect(rects: readonly Rect[]): Rect {
  const left = Math.min(...rects.map((r) => r.left));
  const top = Math.min(...rects.map((r) => r.top));
  const right = Math.max(...rects.map((r) => r.left + r.width));
  const bottom = Math.max(...rects.map((r) => r.top + r.height));
  return { left, top, width: right - left, height: bottom - top };
}

/** Writes `piece` (a part of `image`'s area at `rect`) into `image`, which covers `area`. */
function pasteInto(image: RgbImage, area: Rect, rect: Rect, piece: RgbImage): void {
  pasteImage(image, { ...rect, left: rect.left - area.left, top: rect.top - area.top }, piece);
}

export async function reconstructTiles(source: PixelSource, sink: PixelSink, backend: InferenceBackend, options: ReconstructOptions = {}): Promise<TileCounts> {
  const settings = checkSettings({ ...DEFAULT_SETTINGS, ...options.settings });
  const { width, height } = source;
  const tileSettings = options.tiles ?? DEFAULT_TILE_SETTINGS;
  const { cost, cancel } = options;
  const { tiles, parts, plan } = await planReconstruction(source, backend, { settings, tiles: tileSettings, cost, cancel });
  let [done, computed] = [0, 0];
  const finish = async (core: Rect, pixels: RgbImage, fromNetwork: boolean) => {
    await sink.write(core, pixels);
    [done, computed] = [done + 1, computed + Number(fromNetwork)];
    options.onProgress?.({ done, total: tiles.length, computed });
  };
  const read = async (rect: Rect): Promise<ImagePatch> => ({
    rect, pixels: await source.read(rect), imageWidth: width, imageHeight: height,
  });
  // A tile whose parts are spread over several runs is assembled here until its last one has run.
  const pending = new Map<number, number>();
  for (const { tile } of plan.runs.flatMap((run) => run.parts.map((p) => parts[p]))) {
    pending.set(tile, (pending.get(tile) ?? 0) + 1);
  }
  const assembling = new Map<number, RgbImage>();
  const runs = [...plan.runs].sort((a, b) => a.window.top - b.window.top || a.window.left - b.window.left);
  for (const { window, parts: mine } of runs) {
    throwIfCancelled(options.cancel);
    const touched = [...new Set(mine.map((p) => parts[p].tile))];
    // The cores' pixels outside the highlights are blended too, so the patch holds them as well as the window.
    const patch = await read(boundingRect([sourceRect(window, width, height), ...touched.map((t) => tiles[t].core)]));
    throwIfCancelled(options.cancel);
    const net = { window, logHdr: await backend.run(readWindow(patch, window, settings)) };
    for (const t of touched) {
      throwIfCancelled(options.cancel);
      const { core } = tiles[t];
      const own = mine.filter((p) => parts[p].tile === t);
      const left = pending.get(t)! - own.length;
      pending.set(t, left);
      if (left === 0 && !assembling.has(t)) {
        await finish(core, blendCore(patch, core, settings, net), true);
        continue;
      }
      const out = assembling.get(t) ?? blendCore(patch, core, settings);
      for (const p of own) pasteInto(out, core, parts[p].rect, blendCore(patch, parts[p].rect, settings, net));
      if (left > 0) assembling.set(t, out);
      else {
        assembling.delete(t);
        await finish(core, out, true);
      }
    }
  }
  for (const [t, { core }] of tiles.entries()) {
    if (pending.has(t)) continue;
    throwIfCancelled(options.cancel);
    await finish(core, blendCore(await read(core), core, settings), false);
  }
  return { tiles: tiles.length, computedTiles: computed, networkRuns: plan.runs.length };
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
    image.data.set(pixels.data.subarray(y * rect.width * 3, (y + 1) * rect.width * 3), ((rect.top + y) * image.width + rect.left) * 3);
  }
}

/** Reconstructs an in-memory image. */
export async function reconstruct(image: RgbImage, backend: InferenceBackend, options: ReconstructOptions = {}): Promise<ReconstructResult> {
  const out = createRgbImage(image.width, image.height);
  const source: PixelSource = { width: image.width, height: image.height, read: (rect) => cropImage(image, rect) };
  const counts = await reconstructTiles(source, { write: (rect, pixels) => pasteImage(out, rect, pixels) }, backend, options);
  return { image: out, ...counts };
}
