/**
 * Which layer a run works on: the single selected pixel layer of the active RGB or
 * Grayscale document. Anything else is a {@link UserError} that says what to do;
 * nothing here changes Photoshop, so it runs before and again inside the modal scope.
 */
import { app, constants } from 'photoshop';
import type { Document } from 'photoshop/dom/Document';
import { UserError } from '../plugin-core/errors';
import type { Depth } from '../plugin-core/pixel-codec';
import { baseProfileName } from '../plugin-core/tone-curve';

export interface Target {
  readonly documentID: number;
  readonly documentTitle: string;
  readonly layerID: number;
  readonly layerName: string;
  readonly colorComponents: 1 | 3;
  readonly depth: Depth;
  /**
   * Base name, as the imaging API wants it (no "(Linear RGB Profile)"). Undefined for an untagged
   * document: its colorProfileName is "None" (not a profile), and the imaging API and new documents
   * then use their own profile when none is passed.
   */
  readonly profile: string | undefined;
  /** The layer's pixel bounds in document coordinates (right/bottom exclusive). */
  readonly bounds: { readonly left: number; readonly top: number; readonly width: number; readonly height: number };
}

const MODE_NAMES: Record<string, string> = {
  bitmapMode: 'Bitmap',
  CMYKColorMode: 'CMYK',
  duotoneMode: 'Duotone',
  indexedColorMode: 'Indexed Color',
  labColorMode: 'Lab Color',
  multichannelMode: 'Multichannel',
};

const DEPTHS: Record<string, Depth> = { bitDepth8: 8, bitDepth16: 16, bitDepth32: 32 };

function layerProblem(name: string, kind: string): string | undefined {
  const K = constants.LayerKind;
  if (kind === K.NORMAL) return undefined;
  if (kind === K.GROUP) return `“${name}” is a group: select one pixel layer inside it.`;
  if (kind === K.TEXT)
    return `“${name}” is a text layer: rasterize it first (Layer > Rasterize > Type), or select a pixel layer.`;
  if (kind === K.SMARTOBJECT)
    return `“${name}” is a smart object: rasterize it first (Layer > Rasterize > Smart Object), or select a pixel layer.`;
  return `“${name}” is not a pixel layer (${kind}): select a layer with pixels of its own.`;
}

/** The current target, or a UserError saying why there is none. */
export function findTarget(): Target {
  const doc = app.activeDocument as Document | null; // typed non-null, but null when nothing is open
  if (!doc) throw new UserError('Open a document first: there is no active document.');
  const M = constants.DocumentMode;
  if (doc.mode !== M.RGB && doc.mode !== M.GRAYSCALE) {
    throw new UserError(
      `HDR Reconstruct works on RGB and Grayscale documents; “${doc.title}” is ${MODE_NAMES[doc.mode] ?? doc.mode}. Convert it (Image > Mode) and try again.`,
    );
  }
  const depth = DEPTHS[doc.bitsPerChannel];
  if (!depth)
    throw new UserError(
      `“${doc.title}” has ${doc.bitsPerChannel} channels; HDR Reconstruct needs 8, 16 or 32 bits per channel.`,
    );
  const selected = doc.activeLayers;
  if (selected.length === 0) throw new UserError('Select the pixel layer to reconstruct in the Layers panel.');
  if (selected.length > 1) throw new UserError(`Select a single pixel layer (${selected.length} layers are selected).`);
  const layer = selected[0];
  const problem = layerProblem(layer.name, layer.kind);
  if (problem) throw new UserError(problem);
  const b = layer.boundsNoEffects; // the imaging docs name it as a pixel layer's valid getPixels region
  if (b.right <= b.left || b.bottom <= b.top)
    throw new UserError(`“${layer.name}” is empty: it has no pixels to reconstruct.`);
  return {
    documentID: doc.id,
    documentTitle: doc.title,
    layerID: layer.id,
    layerName: layer.name,
    colorComponents: doc.mode === M.RGB ? 3 : 1,
    depth,
    // "Valid only when colorProfileType is CUSTOM or WORKING, returns "None" otherwise" (Document docs).
    profile: doc.colorProfileName === 'None' ? undefined : baseProfileName(doc.colorProfileName),
    bounds: { left: b.left, top: b.top, width: b.right - b.left, height: b.bottom - b.top },
  };
}

/** The same target, still there and unchanged in what matters (the document may have changed in between). */
export function confirmTarget(expected: Target): Target {
  let now: Target;
  try {
    now = findTarget();
  } catch (e) {
    if (!app.documents.some((d) => d.id === expected.documentID))
      throw new UserError(`“${expected.documentTitle}” was closed.`);
    throw e;
  }
  if (now.documentID !== expected.documentID || now.layerID !== expected.layerID) {
    throw new UserError(
      'The active document or layer changed before the reconstruction could start: nothing was changed; run it again.',
    );
  }
  return now;
}
