/**
 * "Export HDR JPEG…": the active layer through the same tile loop as Reconstruct, into a
 * gain-map JPEG, inside a modal scope that changes nothing in Photoshop (no conversion,
 * no layer, no history state). The source is read as the "new 32-bit document" output
 * reads it (not converted: Photoshop's linear value is the profile's tone curve of each
 * sample), and each tile core the loop writes goes into two bounded buffers: the photo at
 * 8 bits and the gain map's cells. No HDR copy of the layer is held.
 */
import { app } from 'photoshop';
import type { ExecutionContext } from 'photoshop/dom/CoreModules';
import type { Document } from 'photoshop/dom/Document';
import type { Folder } from 'uxp';
import type { InferenceBackend } from '../core/backend';
import { throwIfCancelled } from '../core/cancellation';
import { GainMapCells } from '../core/gain-map';
import { networkValue, outputSample, type HdrcnnSettings } from '../core/hdrcnn';
import type { Rect, RgbImage } from '../core/image';
import { reconstructTiles, type PixelSink, type PixelSource, type SourcePixels } from '../core/reconstruct';
import { encodeGainMapJpegPureJs, type RgbaPhoto } from '../gain-map-jpeg/pure-js';
import { UserError } from '../plugin-core/errors';
import { writeIntoFolder } from './export-folder';
import { readPatch, RecentWindows, type LayerRef } from './layer-stream';
import { encodeOutput, type SourceFormat, type SourcePatch } from '../plugin-core/pixel-codec';
import { modalStep, type RunFeedback } from './reconstruct-layer';
import type { LineariseChoice, Settings } from '../plugin-core/settings';
import { confirmTarget, findTarget, type Target } from './target';
import { toneCurve } from '../plugin-core/tone-curve';

export const EXPORT_COMMAND = 'Export HDR JPEG';
/** The CLI's measured defaults (README, "Gain-map JPEG"): map 1/2 at q85, photo at q98. */
const MAP_SCALE = 2;
const QUALITIES = { primary: 98, gainMap: 85 };
/** Share of the progress bar for the tiles; the rest is the JPEG encoding. */
const TILES_SHARE = 0.9;

export interface ExportSummary {
  readonly fileName: string;
  readonly path: string;
  readonly replaced: boolean;
  readonly tiles: number;
  readonly computedTiles: number;
  readonly maxBoostStops: number;
  readonly bytes: number;
  readonly notices: readonly string[];
}

/**
 * The layer's pixels for the tile loop, and a sink that keeps only what the file needs:
 * the photo's 8-bit codes (as display values: the very samples of an 8-bit layer; 16 and
 * 32 bits rounded to 8) and the gain of each sample, the export's HDR value (what the new
 * 32-bit document would hold) over the linear value a viewer gives the photo.
 */
class GainMapStream implements PixelSource, PixelSink {
  readonly photo: RgbaPhoto;
  readonly cells: GainMapCells;
  private readonly recent = new RecentWindows<SourcePatch>();

  constructor(
    private readonly layer: LayerRef,
    private readonly origin: { left: number; top: number },
    readonly width: number,
    readonly height: number,
    private readonly format: Omit<SourceFormat, 'hasAlpha'>,
    private readonly hasAlpha: boolean,
    private readonly linearise: LineariseChoice,
    private readonly settings: HdrcnnSettings,
  ) {
    this.photo = { width, height, data: new Uint8Array(width * height * 4).fill(255) };
    this.cells = new GainMapCells(width, height, { scale: MAP_SCALE });
  }

  async read(rect: Rect): Promise<SourcePixels> {
    const patch = await readPatch(this.layer, this.origin, rect, this.format, this.hasAlpha);
    this.recent.remember(rect, patch);
    const { display, linear } = patch.pixels;
    return {
      width: rect.width,
      height: rect.height,
      data: display,
      linear: this.linearise === 'photoshop' ? linear : undefined,
    };
  }

  async write(rect: Rect, hdr: RgbImage): Promise<void> {
    // The loop writes each core after reading its window and at most the next; any other core is read again.
    const patch =
      this.recent.find(rect)?.value ?? (await readPatch(this.layer, this.origin, rect, this.format, this.hasAlpha));
    const { pixels } = patch;
    const [dx, dy] = [rect.left - patch.rect.left, rect.top - patch.rect.top];
    const n = pixels.colorComponents;
    const out = encodeOutput(hdr, n, null); // what the new document holds: Grayscale as the channels' mean
    const stride = n;
    const count = rect.width * rect.height;
    const reconstructed = new Float32Array(count * 3);
    const linearised = new Float32Array(count * 3);
    for (let y = 0; y < rect.height; y++) {
      for (let x = 0; x < rect.width; x++) {
        const o = y * rect.width + x;
        const p = (dy + y) * pixels.width + dx + x;
        const q = ((rect.top + y) * this.width + rect.left + x) * 4;
        for (let c = 0; c < 3; c++) {
          const shown = pixels.display[p * 3 + c];
          this.photo.data[q + c] = Math.round(shown * 255);
          reconstructed[o * 3 + c] = out[o * stride + (n === 3 ? c : 0)];
          linearised[o * 3 + c] =
            this.linearise === 'hdrcnn'
              ? outputSample(networkValue(shown, this.settings), 0, 0, this.settings.gamma)
              : pixels.linear[p * 3 + c];
        }
      }
    }
    this.cells.add(rect, reconstructed, linearised);
  }
}

const docById = (id: number): Document | undefined => app.documents.find((d) => d.id === id) as Document | undefined;

/** What viewers will assume about the JPEG (sRGB) against the document's own profile. */
function profileNotices(target: Target): string[] {
  if (target.profile === 'sRGB IEC61966-2.1' || target.profile === 'sGray') return [];
  const what = target.profile === undefined ? 'has no colour profile' : `is in “${target.profile}”`;
  return [
    `“${target.documentTitle}” ${what}; the JPEG is tagged sRGB, so its colours are seen as sRGB` +
      ' (convert the document to sRGB first for a faithful photo: Edit > Convert to Profile).',
  ];
}

/**
 * Runs in the modal scope of `ctx` (executeAsModal's, or an Action's on playback) and writes
 * `fileName` into `folder`. `expected`: the target checked before the scope began, or undefined.
 */
export async function exportInModal(
  ctx: ExecutionContext,
  expected: Target | undefined,
  settings: Settings,
  backend: InferenceBackend,
  feedback: RunFeedback,
  run: AbortController,
  destination: { folder: Folder; fileName: string },
): Promise<ExportSummary> {
  const { signal, report } = modalStep(ctx, feedback, run);
  const target = expected ? confirmTarget(expected) : findTarget();
  const hdrcnn: HdrcnnSettings = { gamma: settings.gamma, scaling: 1 };
  const source = docById(target.documentID)!;
  const curve = toneCurve(target.profile);
  // The document's canvas, not the layer's bounds: a layer smaller than the canvas is on black, as a flattened JPEG.
  const [width, height] = [source.width, source.height];
  const stream = new GainMapStream(
    { documentID: target.documentID, layerID: target.layerID },
    { left: 0, top: 0 },
    width,
    height,
    { depth: target.depth, colorComponents: target.colorComponents, curve },
    !source.activeLayers[0].isBackgroundLayer,
    settings.linearise,
    hdrcnn,
  );
  try {
    report(0, 'Reconstructing highlights');
    const counts = await reconstructTiles(stream, stream, backend, {
      settings: hdrcnn,
      signal,
      onProgress: (p) =>
        report(TILES_SHARE * (p.done / p.total), `Reconstructing highlights (${p.done}/${p.total} tiles)`),
    });
    throwIfCancelled(signal);
    report(TILES_SHARE, 'Encoding the JPEG');
    const map = stream.cells.finish();
    const bytes = encodeGainMapJpegPureJs(stream.photo, map, QUALITIES);
    throwIfCancelled(signal); // the last moment: nothing is written yet
    const written = await writeIntoFolder(destination.folder, destination.fileName, bytes);
    return {
      fileName: destination.fileName,
      ...written,
      ...counts,
      maxBoostStops: map.maxBoostStops,
      bytes: bytes.length,
      notices: profileNotices(target),
    };
  } catch (e) {
    throwIfCancelled(signal);
    if (!docById(target.documentID))
      throw new UserError(`“${target.documentTitle}” was closed during the export; nothing was written.`);
    throw e;
  }
}
