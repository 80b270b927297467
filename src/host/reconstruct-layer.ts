/**
 * One reconstruction inside a modal scope: measure the layer's clipping, then (one
 * history step) convert the document to 32 bits and add the new layer above the
 * source, or make a new 32-bit document; stream the source through the core's tile
 * loop into the new layer. Any throw leaves Photoshop as it was: the suspended
 * history is rolled back and a new document is closed when the modal scope ends
 * with an exception (executeAsModal docs, "History state suspension",
 * "Automatic document closing").
 */
import { app, constants } from 'photoshop';
import type { ExecutionContext } from 'photoshop/dom/CoreModules';
import type { Document } from 'photoshop/dom/Document';
import type { InferenceBackend } from '../core/backend';
import { throwIfCancelled, type CancelSignal } from '../core/cancellation';
import type { HdrcnnSettings } from '../core/hdrcnn';
import { reconstructTiles } from '../core/reconstruct';
import { UserError } from '../plugin-core/errors';
import { clippingStats } from '../plugin-core/pixel-codec';
import { formatGamma, type Settings } from '../plugin-core/settings';
import { conversionNotice } from './depth-conversion';
import { LayerReader, LayerWriter, readPatch, type LayerRef } from './layer-stream';
import { confirmTarget, findTarget, type Target } from './target';
import { toneCurve } from '../plugin-core/tone-curve';

export const HISTORY_NAME = 'Reconstruct HDR';
/** Rows per getPixels call when measuring the layer. */
const STRIP_ROWS = 128;
/** Share of the progress bar spent measuring. */
const MEASURE_SHARE = 0.1;

export interface RunFeedback {
  /** 0..1 and what is happening, for the panel or the engine dialog (Photoshop's bar gets it too). */
  progress(fraction: number, text: string): void;
}

export interface RunSummary {
  /** False when nothing was clipped and the document was left alone. */
  readonly changed: boolean;
  readonly layerName: string;
  /** Share of colour samples at 1 (clipped) among visible pixels, measured before running. */
  readonly saturated: number;
  readonly tiles: number;
  readonly computedTiles: number;
  readonly notices: readonly string[];
}

const layerName = (s: Settings): string =>
  `HDR Reconstruct, gamma ${formatGamma(s.gamma)}${s.linearise === 'hdrcnn' ? ' (HDRCNN linear)' : ''}`;

const docById = (id: number): Document | undefined => app.documents.find((d) => d.id === id) as Document | undefined;

/** Clipping over the whole layer, read in strips at the document's own depth. */
async function measure(target: Target, hdrcnn: HdrcnnSettings, signal: CancelSignal, progress: (f: number) => void) {
  const ref: LayerRef = { documentID: target.documentID, layerID: target.layerID };
  const curve = toneCurve(target.profile);
  const format = { depth: target.depth, colorComponents: target.colorComponents, curve };
  let [samples, saturated, highlights] = [0, 0, false];
  const { width, height } = target.bounds;
  for (let top = 0; top < height; top += STRIP_ROWS) {
    throwIfCancelled(signal);
    const rect = { left: 0, top, width, height: Math.min(STRIP_ROWS, height - top) };
    const { pixels } = await readPatch(ref, target.bounds, rect, format, true);
    const s = clippingStats(pixels, hdrcnn);
    [samples, saturated, highlights] = [samples + s.samples, saturated + s.saturated, highlights || s.highlights];
    progress(((top + rect.height) / height) * MEASURE_SHARE);
  }
  return { saturated: samples ? saturated / samples : 0, highlights };
}

/**
 * A modal step's wiring: Photoshop's cancel (its progress bar, Escape) aborts `run`, and
 * progress goes to Photoshop's bar and to `feedback` alike.
 */
export function modalStep(ctx: ExecutionContext, feedback: RunFeedback, run: AbortController) {
  if (ctx.isCancelled) run.abort();
  ctx.onCancel = () => run.abort(); // the engine drops a tile in flight
  const report = (fraction: number, text: string): void => {
    ctx.reportProgress({ value: Math.min(1, Math.max(0, fraction)), commandName: text });
    feedback.progress(fraction, text);
  };
  return { signal: run.signal, report };
}

/**
 * Runs in the modal scope of `ctx` (executeAsModal's, or an Action's on playback).
 * `expected`: the target checked before the scope began, or undefined to take the current one.
 * `run` is the run's one cancellation: the plugin's Cancel buttons abort it, and so does
 * Photoshop's progress bar here; the backend gets its signal (a tile in flight is dropped).
 */
export async function reconstructInModal(
  ctx: ExecutionContext,
  expected: Target | undefined,
  settings: Settings,
  backend: InferenceBackend,
  feedback: RunFeedback,
  run: AbortController,
): Promise<RunSummary> {
  const { signal, report } = modalStep(ctx, feedback, run);
  const target = expected ? confirmTarget(expected) : findTarget();
  const hdrcnn: HdrcnnSettings = { gamma: settings.gamma, scaling: 1 };
  const name = layerName(settings);
  const curve = toneCurve(target.profile);
  const notices: string[] = [];
  const seen = 'the network sees it through the sRGB curve.';
  if (target.profile === undefined) notices.push(`“${target.documentTitle}” has no colour profile: ${seen}`);
  else if (!curve.known) notices.push(`Unknown colour profile “${target.profile}”: ${seen}`);
  let actionsOwnHistory = false;
  try {
    report(0, 'Measuring clipped highlights');
    const { saturated, highlights } = await measure(target, hdrcnn, signal, (f) =>
      report(f, 'Measuring clipped highlights'),
    );
    if (!highlights) return { changed: false, layerName: name, saturated, tiles: 0, computedTiles: 0, notices };

    const source = docById(target.documentID)!;
    const sourceLayer = source.activeLayers[0]; // confirmed: the single selected layer is the target
    let output: LayerRef;
    let suspension;
    let convertedFrom: 8 | 16 | undefined;
    if (settings.output === 'layer') {
      suspension = await ctx.hostControl.suspendHistory({ documentID: target.documentID, name: HISTORY_NAME });
      actionsOwnHistory = ownedByActions(suspension);
      if (target.depth !== 32) {
        const notice = conversionNotice(source); // before: the layers as the user made them
        source.bitsPerChannel = constants.BitsPerChannelType.THIRTYTWO;
        if (notice) notices.push(notice);
        convertedFrom = target.depth;
      }
      const layer = await source.createPixelLayer({ name });
      if (!layer) throw new Error('Photoshop did not create the new layer');
      layer.move(sourceLayer, constants.ElementPlacement.PLACEBEFORE);
      output = { documentID: target.documentID, layerID: layer.id };
    } else {
      const doc = await app.createDocument({
        name: `${target.documentTitle.replace(/\.[^.]+$/, '')} HDR`,
        width: source.width,
        height: source.height,
        resolution: source.resolution,
        mode: target.colorComponents === 3 ? constants.NewDocumentMode.RGB : constants.NewDocumentMode.GRAYSCALE,
        depth: 32,
        fill: constants.DocumentFill.TRANSPARENT,
        ...(target.profile === undefined ? {} : { profile: target.profile }), // untagged: Photoshop's default
      });
      if (!doc) throw new Error('Photoshop did not create the new document');
      await ctx.hostControl.registerAutoCloseDocument(doc.id);
      suspension = await ctx.hostControl.suspendHistory({ documentID: doc.id, name: HISTORY_NAME });
      const layer = doc.layers[0]; // a transparent document starts with one empty pixel layer
      layer.name = name;
      output = { documentID: doc.id, layerID: layer.id };
    }

    const reader = new LayerReader({
      source: { documentID: target.documentID, layerID: target.layerID },
      origin: target.bounds,
      width: target.bounds.width,
      height: target.bounds.height,
      format: {
        depth: convertedFrom ? 32 : target.depth,
        colorComponents: target.colorComponents,
        curve,
        convertedFrom,
      },
      hasAlpha: !sourceLayer.isBackgroundLayer,
      linearise: settings.linearise,
    });
    const writer = new LayerWriter({
      target: output,
      origin: target.bounds,
      colorComponents: target.colorComponents,
      targetProfile: target.profile,
      alpha: (rect) => reader.alpha(rect),
    });
    const counts = await reconstructTiles(reader, writer, backend, {
      settings: hdrcnn,
      signal,
      onProgress: (p) =>
        report(
          MEASURE_SHARE + (1 - MEASURE_SHARE) * (p.done / p.total),
          `Reconstructing highlights (${p.done}/${p.total} tiles)`,
        ),
    });
    throwIfCancelled(signal);
    if (!actionsOwnHistory) await ctx.hostControl.resumeHistory(suspension, true);
    if (settings.output === 'document') {
      await ctx.hostControl.unregisterAutoCloseDocument(output.documentID);
      if (signal.aborted) {
        // Cancelled at the last moment: the new document goes, as it would have a moment earlier.
        await ctx.hostControl.registerAutoCloseDocument(output.documentID);
        throwIfCancelled(signal);
      }
    }
    return { changed: true, layerName: name, saturated, ...counts, notices };
  } catch (e) {
    if (actionsOwnHistory && docById(target.documentID)) throw notRolledBack(target, e, signal.aborted);
    throwIfCancelled(signal);
    if (!docById(target.documentID))
      throw new UserError(`“${target.documentTitle}” was closed during the reconstruction; nothing was saved.`);
    throw e;
  }
}

/**
 * Action playback with "suspend history": suspendHistory "is ignored, and the following value is returned:
 * 4294967295 (0xFFFFFFFF)"; resuming it "will raise an exception", and "a plugin cannot roll back changes for
 * a suspension state that is owned by the Actions panel" (executeAsModal docs). The docs name the bare number,
 * the typings a HistorySuspension: both are recognised.
 */
const ACTIONS_SUSPENSION = 0xffffffff;
const ownedByActions = (s: unknown): boolean =>
  s === ACTIONS_SUSPENSION ||
  (s as { historySuspensionID?: unknown } | undefined)?.historySuspensionID === ACTIONS_SUSPENSION;

/** A failed run whose changes the Actions panel's suspension keeps: say so, and how to undo them. */
function notRolledBack(target: Target, e: unknown, cancelled: boolean): UserError {
  const why = cancelled ? 'Cancelled' : `Reconstruction failed: ${(e as Error)?.message ?? String(e)}`;
  return new UserError(
    `${why}. The Actions panel holds the history of “${target.documentTitle}” during this playback, so its changes` +
      ' could not be rolled back: use Edit > Undo to remove them.',
  );
}
