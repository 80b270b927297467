/**
 * The panel's live preview, Photoshop side. It only reads: the whole-layer view
 * (getPixels with `targetSize`, long edge ≤ 320) and the chosen tile's window at full
 * resolution, inside a modal scope that changes nothing (the imaging docs do not say
 * whether getPixels needs one; Adobe's imaging sample reads inside one) and that ends
 * before the network runs, so Photoshop is never held for the network's time. The
 * window goes through the panel's engine; the pictures are JPEGs from
 * imaging.encodeImageData, the documented way to show pixels in a UXP <img>.
 */
import { action, app, core, imaging } from 'photoshop';
import type { InferenceBackend } from '../core/backend';
import { CancelledError } from '../core/cancellation';
import type { Rect } from '../core/image';
import { highlightMask, rankRegions, rectInView, TileMaskSums, type Region } from '../core/preview-region';
import { renderExposure } from '../core/preview-render';
import { sourceRect } from '../core/window';
import { readPatch, type LayerRef } from './layer-stream';
import { decodePixels } from '../plugin-core/pixel-codec';
import {
  hdrcnnSettings,
  previewCrop,
  previewView,
  renderView,
  type PreviewCrop,
  type PreviewView,
} from '../plugin-core/preview-compute';
import type { Settings } from '../plugin-core/settings';
import { findTarget, type Target } from './target';
import { toneCurve } from '../plugin-core/tone-curve';

/** The exposures the panel steps through (stops), for the panel, which imports only src/host. */
export { EXPOSURES } from '../core/preview-render';

/** Longest side of the whole-layer view, in pixels. */
const VIEW_LONG_EDGE = 320;
const COMMAND_NAME = 'HDR Reconstruct preview';
/** Rows per getPixels call when the layer is scanned at full resolution. */
const STRIP_ROWS = 128;

/** The engine the preview runs on: the panel's, with the model loaded. */
export interface PreviewEngine {
  readonly backend: InferenceBackend;
  /** The model's name, as the engine reported it. */
  readonly model: string;
  /** Drops the engine's pending work (a stale preview's window). */
  cancel(): void;
}

/** What stops a preview: the panel's AbortSignal. */
export interface PreviewSignal {
  readonly aborted: boolean;
  addEventListener(type: 'abort', listener: () => void): void;
  removeEventListener(type: 'abort', listener: () => void): void;
}

export interface EmptyPreview {
  readonly kind: 'empty';
  readonly layerName: string;
}

export interface ReadyPreview {
  readonly kind: 'ready';
  readonly layerName: string;
  readonly model: string;
  readonly gamma: number;
  /** Which region (0 = most clipped) of how many. */
  readonly region: number;
  readonly regions: number;
  readonly crop: PreviewCrop;
  readonly view: PreviewView;
  readonly cropInView: Rect;
  /** From the request to the crop's samples, ms; the engine's share is crop.networkMs. */
  readonly totalMs: number;
}

export type Preview = EmptyPreview | ReadyPreview;

const check = (signal: PreviewSignal): void => {
  if (signal.aborted) throw new CancelledError();
};

/** The whole layer, scaled down by Photoshop so its long edge is at most VIEW_LONG_EDGE. */
async function readView(target: Target) {
  const { left, top, width, height } = target.bounds;
  const scale = Math.max(width, height) > VIEW_LONG_EDGE;
  const targetSize = !scale ? undefined : width >= height ? { width: VIEW_LONG_EDGE } : { height: VIEW_LONG_EDGE };
  const { imageData } = await imaging.getPixels({
    documentID: target.documentID,
    layerID: target.layerID,
    sourceBounds: { left, top, right: left + width, bottom: top + height },
    targetSize,
  });
  try {
    const data = await imageData.getData({ chunky: true });
    const format = {
      depth: target.depth,
      colorComponents: target.colorComponents,
      curve: toneCurve(target.profile),
      hasAlpha: imageData.hasAlpha,
    };
    return decodePixels(data, imageData.width, imageData.height, format);
  } finally {
    void imageData.dispose(); // documented as synchronous; typed as returning a Promise
  }
}

/**
 * The regions from the layer at full resolution, in strips: only when the view shows no
 * highlight, so that "nothing near clipping" is exact (a specular smaller than a view
 * pixel averages below the mask there).
 */
async function exactRegions(target: Target, settings: Settings, signal: PreviewSignal): Promise<Region[]> {
  const { width, height } = target.bounds;
  const sums = new TileMaskSums(width, height);
  const ref: LayerRef = { documentID: target.documentID, layerID: target.layerID };
  const format = { depth: target.depth, colorComponents: target.colorComponents, curve: toneCurve(target.profile) };
  for (let top = 0; top < height; top += STRIP_ROWS) {
    check(signal);
    const rect = { left: 0, top, width, height: Math.min(STRIP_ROWS, height - top) };
    const { pixels } = await readPatch(ref, target.bounds, rect, format, true);
    sums.add(top, highlightMask({ width, height: rect.height, data: pixels.display }, hdrcnnSettings(settings)));
  }
  return sums.ranked();
}

/**
 * The preview of the active layer with `settings`, at region `region` (wrapping
 * around): "empty" when nothing is near clipping. Rejects with CancelledError once
 * `signal` aborts, or with a UserError when there is no layer to preview.
 */
export async function buildPreview(
  settings: Settings,
  region: number,
  engine: () => Promise<PreviewEngine>,
  signal: PreviewSignal,
): Promise<Preview> {
  const started = Date.now();
  const target = findTarget();
  const size = { width: target.bounds.width, height: target.bounds.height };
  const read = await core.executeAsModal(
    async () => {
      const decoded = await readView(target);
      check(signal);
      const view = previewView(decoded, settings);
      const { width: vw, height: vh } = view.pixels;
      let regions = rankRegions(view.mask, vw, vh, size.width, size.height);
      const scaled = vw < size.width || vh < size.height;
      if (regions.length === 0 && scaled) regions = await exactRegions(target, settings, signal);
      if (regions.length === 0) return undefined;
      const index = region % regions.length;
      const { tile } = regions[index];
      const ref: LayerRef = { documentID: target.documentID, layerID: target.layerID };
      const format = { depth: target.depth, colorComponents: target.colorComponents, curve: toneCurve(target.profile) };
      const patch = await readPatch(
        ref,
        target.bounds,
        sourceRect(tile.window, size.width, size.height),
        format,
        decoded.alpha !== null,
      );
      return {
        view,
        tile,
        index,
        count: regions.length,
        patch,
        cropInView: rectInView(tile.core, vw, vh, size.width, size.height),
      };
    },
    { commandName: COMMAND_NAME },
  );
  check(signal);
  if (!read) return { kind: 'empty', layerName: target.layerName };

  const { backend, model, cancel } = await engine();
  check(signal);
  signal.addEventListener('abort', cancel);
  try {
    const crop = await previewCrop(read.patch, read.tile, size, backend, settings);
    check(signal);
    return {
      kind: 'ready',
      layerName: target.layerName,
      model,
      gamma: settings.gamma,
      region: read.index,
      regions: read.count,
      crop,
      view: read.view,
      cropInView: read.cropInView,
      totalMs: Date.now() - started,
    };
  } finally {
    signal.removeEventListener('abort', cancel);
  }
}

/** An `<img src>` for 8-bit sRGB RGB pixels. */
async function picture(rgb: Uint8Array, width: number, height: number): Promise<string> {
  const imageData = await imaging.createImageDataFromBuffer(rgb, {
    width,
    height,
    components: 3,
    chunky: true,
    colorSpace: 'RGB',
    colorProfile: 'sRGB IEC61966-2.1',
  });
  try {
    return `data:image/jpeg;base64,${await imaging.encodeImageData({ imageData, base64: true })}`;
  } finally {
    void imageData.dispose();
  }
}

/** The crop and the view at `ev` stops, as `<img src>` values. */
export async function previewPictures(preview: ReadyPreview, ev: number): Promise<{ crop: string; view: string }> {
  const { crop, view } = preview;
  return {
    crop: await picture(renderExposure(crop.pixels, ev), crop.pixels.width, crop.pixels.height),
    view: await picture(renderView(view, ev, preview.cropInView), view.pixels.width, view.pixels.height),
  };
}

/** Photoshop events after which the active document or layer may be another one (eventcodes.md). */
const TARGET_EVENTS = ['select', 'set', 'open', 'close', 'make', 'delete'];

/** Which layer a preview is of: document and layer ids, or '' when none is selected. */
export function activeLayerKey(): string {
  const doc = app.activeDocument as typeof app.activeDocument | null; // typed non-null, but null when nothing is open
  const layers = doc?.activeLayers ?? [];
  return doc && layers.length === 1 ? `${doc.id}:${layers[0].id}` : '';
}

/** Calls `onChange` after each of those events (action.addNotificationListener); returns the unsubscribe. */
export function watchActiveLayer(onChange: () => void): () => void {
  const listener = (): void => onChange();
  void action.addNotificationListener(TARGET_EVENTS, listener);
  return () => void action.removeNotificationListener(TARGET_EVENTS, listener);
}
