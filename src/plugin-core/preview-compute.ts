/**
 * The preview's computations between the imaging API's pixels and the panel's
 * pictures. Host-free (the bench runs them in Node): the whole-layer view with its
 * highlight mask, the crop as the committed run writes it, and their renderings.
 *
 * The crop is a tile core of the committed run's plan, reconstructed from that
 * tile's window by the tile loop's own reconstructTile and encoded by the layer
 * writer's encodeOutput: its samples are the new layer's at the same place.
 */
import type { InferenceBackend } from '../core/backend';
import type { HdrcnnSettings } from '../core/hdrcnn';
import type { Rect } from '../core/image';
import { highlightMask } from '../core/preview-region';
import { outlineRect, overlayMask, renderExposure, type LinearPixels } from '../core/preview-render';
import { reconstructTile } from '../core/reconstruct';
import { DEFAULT_TILE_SETTINGS, type Tile } from '../core/tile-plan';
import { cropAlpha, encodeOutput, type DecodedPixels, type SourcePatch } from './pixel-codec';
import type { Settings } from './settings';

export const hdrcnnSettings = (s: Settings): HdrcnnSettings => ({ gamma: s.gamma, scaling: 1 });

export interface PreviewView {
  /** Linear values of the view (Photoshop's, as the layer holds them outside highlights). */
  readonly pixels: LinearPixels;
  /** α of each view pixel. */
  readonly mask: Float32Array;
}

/** The whole-layer view from its decoded pixels. */
export function previewView(decoded: DecodedPixels, settings: Settings): PreviewView {
  const { width, height, colorComponents: n, linear, alpha } = decoded;
  const stride = n + (alpha ? 1 : 0);
  const samples = new Float32Array(width * height * stride);
  for (let p = 0; p < width * height; p++) {
    for (let c = 0; c < n; c++) samples[p * stride + c] = linear[p * n + c];
    if (alpha) samples[p * stride + n] = alpha[p];
  }
  return {
    pixels: { width, height, colors: n, alpha: alpha !== null, samples },
    mask: highlightMask({ width, height, data: decoded.display }, hdrcnnSettings(settings)),
  };
}

export interface PreviewCrop {
  /** Where it is, in layer coordinates: the tile's core. */
  readonly rect: Rect;
  /** The committed layer's samples there (colour, then alpha when the layer has it). */
  readonly pixels: LinearPixels;
  /** Time spent in the engine (network and bridge), ms. */
  readonly networkMs: number;
}

/**
 * The crop of `tile` from `patch` (the tile window's source pixels, `sourceRect` of it)
 * of a layer of `size`, through `backend`, with the run's settings.
 */
export async function previewCrop(
  patch: SourcePatch,
  tile: Tile,
  size: { width: number; height: number },
  backend: InferenceBackend,
  settings: Settings,
): Promise<PreviewCrop> {
  const hdrcnn = hdrcnnSettings(settings);
  const { display, linear, alpha, colorComponents } = patch.pixels;
  const read = { ...patch.rect, data: display, linear: settings.linearise === 'photoshop' ? linear : undefined };
  let networkMs = 0;
  const timed: InferenceBackend = {
    name: backend.name,
    dispose: async () => undefined, // the engine is the panel's to dispose
    run: async (tileInput, signal) => {
      const started = Date.now();
      try {
        return await backend.run(tileInput, signal);
      } finally {
        networkMs += Date.now() - started;
      }
    },
  };
  const { pixels } = await reconstructTile(read, patch.rect, tile, size, timed, hdrcnn, DEFAULT_TILE_SETTINGS);
  const core = tile.core;
  const samples = encodeOutput(pixels, colorComponents, alpha && cropAlpha(alpha, patch.rect, core));
  const out = {
    width: core.width,
    height: core.height,
    colors: colorComponents,
    alpha: alpha !== null,
    samples,
  };
  return { rect: core, pixels: out, networkMs };
}

/** The view at `ev` stops with the highlight mask tinted and the crop (`cropInView`) outlined. */
export function renderView(view: PreviewView, ev: number, cropInView: Rect): Uint8Array {
  const rgb = overlayMask(renderExposure(view.pixels, ev), view.mask);
  outlineRect(rgb, view.pixels.width, cropInView);
  return rgb;
}
