/**
 * HDR reconstruction, tile by tile: the one loop that the CLI, the plugin and
 * the benchmarks share. Pixels come from a {@link PixelSource} and go to a
 * {@link PixelSink} one tile at a time, so memory is one window in flight, not
 * the image: the plugin streams from Photoshop, the CLI reads an array.
 *
 * Tiles whose core has no pixel inside the highlight mask are never sent to
 * the network: their output is `x²` exactly (HDRCNN.md), whatever it would say.
 */
import type { InferenceBackend } from './backend';
import { throwIfCancelled, type Cancellation } from './cancellation';
import { blendSample, checkSettings, DEFAULT_SETTINGS, highlightAlpha, networkValue, type HdrcnnSettings } from './hdrcnn';
import { createRgbImage, type RgbImage } from './image';
import type { Rect } from './image';
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
  readonly computedTiles: number;
}

export interface ReconstructResult extends TileCounts {
  readonly image: RgbImage;
}

/** Bounds of the pixels of `rect` (image coordinates) inside the highlight mask; undefined when there are none. */
function highlightBounds(patch: ImagePatch, rect: Rect, settings: HdrcnnSettings): Rect | undefined {
  const { pixels } = patch;
  let [left, top, right, bottom] = [Infinity, Infinity, -Infinity, -Infinity];
  for (let y = rect.top; y < rect.top + rect.height; y++) {
    let i = ((y - patch.rect.top) * pixels.width + rect.left - patch.rect.left) * 3;
    for (let x = rect.left; x < rect.left + rect.width; x++, i += 3) {
      const m = Math.max(pixels.data[i], pixels.data[i + 1], pixels.data[i + 2]);
      if (highlightAlpha(networkValue(m, settings), 0, 0) === 0) continue;
      [left, top, right, bottom] = [Math.min(left, x), Math.min(top, y), Math.max(right, x), Math.max(bottom, y)];
    }
  }
  return left === Infinity ? undefined : { left, top, width: right - left + 1, height: bottom - top + 1 };
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

/**
 * One tile of the plan as the loop computes it: the network over its window (fitted to
 * the core's highlights) unless the core has none, blended over the core. `patch` holds
 * `sourceRect(tile.window, …)`. The panel's preview calls it too, so its crop is the
 * committed run's result at the same place.
 */
export async function reconstructTile(patch: ImagePatch, tile: Tile, backend: InferenceBackend, settings: HdrcnnSettings, tileSettings: TileSettings): Promise<{ pixels: RgbImage; computed: boolean }> {
  const highlights = highlightBounds(patch, tile.core, settings);
  if (!highlights) return { pixels: blendCore(patch, tile.core, settings), computed: false };
  const window = tileSettings.fitToHighlights === false ? tile.window : fitWindow(tile, highlights, tileSettings.margin);
  const net = { window, logHdr: await backend.run(readWindow(patch, window, settings)) };
  return { pixels: blendCore(patch, tile.core, settings, net), computed: true };
}

export async function reconstructTiles(source: PixelSource, sink: PixelSink, backend: InferenceBackend, options: ReconstructOptions = {}): Promise<TileCounts> {
  const settings = checkSettings({ ...DEFAULT_SETTINGS, ...options.settings });
  const { width, height } = source;
  const tileSettings = options.tiles ?? DEFAULT_TILE_SETTINGS;
  const plan = planTiles(width, height, tileSettings);
  let computed = 0;
  for (let t = 0; t < plan.length; t++) {
    throwIfCancelled(options.cancel);
    const tile = plan[t];
    const rect = sourceRect(tile.window, width, height);
    const patch: ImagePatch = { rect, pixels: await source.read(rect), imageWidth: width, imageHeight: height };
    throwIfCancelled(options.cancel);
    const result = await reconstructTile(patch, tile, backend, settings, tileSettings);
    throwIfCancelled(options.cancel);
    if (result.computed) computed++;
    await sink.write(tile.core, result.pixels);
    options.onProgress?.({ done: t + 1, total: plan.length, computed });
  }
  return { tiles: plan.length, computedTiles: computed };
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
