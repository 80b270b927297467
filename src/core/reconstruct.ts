/**
 * HDR reconstruction of a whole image, tile by tile: the one entry point that
 * the CLI, the engine page and the benchmarks share.
 *
 * Memory is the input and output images plus one window in flight. Tiles whose
 * core has no pixel inside the highlight mask are never sent to the network:
 * their output is `x²` exactly (HDRCNN.md), whatever the network would say.
 */
import type { InferenceBackend } from './backend';
import { throwIfCancelled, type Cancellation } from './cancellation';
import { blendSample, checkSettings, DEFAULT_SETTINGS, highlightAlpha, networkValue, type HdrcnnSettings } from './hdrcnn';
import { createRgbImage, type RgbImage } from './image';
import { DEFAULT_TILE_SETTINGS, planTiles, type Rect, type Tile, type TileSettings } from './tile-plan';
import { readWindow } from './window';

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

export interface ReconstructResult {
  readonly image: RgbImage;
  readonly tiles: number;
  readonly computedTiles: number;
}

/** Whether any pixel of `rect` reaches into the highlight mask. */
export function hasHighlight(image: RgbImage, rect: Rect, settings: HdrcnnSettings): boolean {
  const d = image.data;
  for (let y = rect.top; y < rect.top + rect.height; y++) {
    for (let i = (y * image.width + rect.left) * 3, end = i + rect.width * 3; i < end; i += 3) {
      const m = Math.max(d[i], d[i + 1], d[i + 2]);
      if (highlightAlpha(networkValue(m, settings), 0, 0) > 0) return true;
    }
  }
  return false;
}

/** Writes the final HDR values of `tile.core`; `logHdr` is the network's output over `tile.window`, if it ran. */
function writeCore(out: RgbImage, image: RgbImage, tile: Tile, settings: HdrcnnSettings, logHdr?: Float32Array): void {
  const { core, window } = tile;
  const plane = window.width * window.height;
  for (let y = core.top; y < core.top + core.height; y++) {
    for (let x = core.left; x < core.left + core.width; x++) {
      const i = (y * image.width + x) * 3;
      const r = networkValue(image.data[i], settings);
      const g = networkValue(image.data[i + 1], settings);
      const b = networkValue(image.data[i + 2], settings);
      const alpha = logHdr ? highlightAlpha(r, g, b) : 0;
      const j = (y - window.top) * window.width + (x - window.left);
      out.data[i] = blendSample(r, alpha && logHdr![j], alpha, settings.gamma);
      out.data[i + 1] = blendSample(g, alpha && logHdr![j + plane], alpha, settings.gamma);
      out.data[i + 2] = blendSample(b, alpha && logHdr![j + 2 * plane], alpha, settings.gamma);
    }
  }
}

export async function reconstruct(image: RgbImage, backend: InferenceBackend, options: ReconstructOptions = {}): Promise<ReconstructResult> {
  const settings = checkSettings({ ...DEFAULT_SETTINGS, ...options.settings });
  const plan = planTiles(image.width, image.height, options.tiles ?? DEFAULT_TILE_SETTINGS);
  const out = createRgbImage(image.width, image.height);
  let computed = 0;
  for (let t = 0; t < plan.length; t++) {
    throwIfCancelled(options.cancel);
    const tile = plan[t];
    if (hasHighlight(image, tile.core, settings)) {
      const logHdr = await backend.run(readWindow(image, tile.window, settings));
      throwIfCancelled(options.cancel);
      writeCore(out, image, tile, settings, logHdr);
      computed++;
    } else {
      writeCore(out, image, tile, settings);
    }
    options.onProgress?.({ done: t + 1, total: plan.length, computed });
  }
  return { image: out, tiles: plan.length, computedTiles: computed };
}
