/**
 * The simulator's state: open documents, their layer trees and pixels, and the value
 * encodings per bit depth. Plain data, so that history suspension can snapshot and
 * restore a document exactly (structuredClone). DOM handles (dom.ts) look state up
 * by id on every access, as Photoshop's DOM objects are references by id.
 */
import type { BitsValue, BlendModeValue, DocumentModeValue, LayerKindValue } from './constants';
import { ADJUSTMENT_KINDS, constants } from './constants';
import { simError } from './errors';

export type Depth = 8 | 16 | 32;

/**
 * Largest component value per depth (imaging docs, "value range"): 8-bit 0..255,
 * 16-bit 0..32768 (Photoshop's reduced range), 32-bit 0..1 with HDR values above 1.
 * Alpha uses the same range. Pixels are stored as Float32 in this native encoding.
 */
export const MAX_VALUE: Record<Depth, number> = { 8: 255, 16: 32768, 32: 1 };

export const BITS_TO_DEPTH: Record<string, Depth> = { bitDepth8: 8, bitDepth16: 16, bitDepth32: 32 };
export const DEPTH_TO_BITS: Record<Depth, BitsValue> = {
  8: constants.BitsPerChannelType.EIGHT,
  16: constants.BitsPerChannelType.SIXTEEN,
  32: constants.BitsPerChannelType.THIRTYTWO,
};

/** Colour components per pixel for each document mode (alpha not counted). */
export function colorComponents(mode: DocumentModeValue): number {
  const M = constants.DocumentMode;
  switch (mode) {
    case M.RGB:
    case M.LAB:
      return 3;
    case M.CMYK:
      return 4;
    default:
      return 1; // grayscale, duotone, indexed, bitmap; multichannel is modelled as one channel
  }
}

/** Imaging API colour space for a document mode, or null where the simulator models no pixels. */
export function imagingColorSpace(mode: DocumentModeValue): 'RGB' | 'Grayscale' | 'Lab' | null {
  const M = constants.DocumentMode;
  return mode === M.RGB ? 'RGB' : mode === M.GRAYSCALE ? 'Grayscale' : mode === M.LAB ? 'Lab' : null;
}

/**
 * Transfer curves of the profiles the simulator can linearise. Photoshop's 32-bit
 * documents are linear; converting a document to 32 bits keeps its primaries and
 * linearises with the profile's tone curve. The simulator models exactly these:
 *  - "sRGB IEC61966-2.1": the sRGB EOTF (IEC 61966-2-1), piecewise:
 *        v ≤ 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ^ 2.4
 *  - "Adobe RGB (1998)": pure power 563/256 (≈ 2.2);  "Gray Gamma 2.2": power 2.2.
 * Any other profile makes a depth conversion to or from 32 bits throw 'not-modelled'.
 */
const TRANSFER: Record<string, { toLinear(v: number): number; fromLinear(l: number): number }> = {
  'sRGB IEC61966-2.1': {
    toLinear: (v) => (v <= 0.04045 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4)),
    fromLinear: (l) => (l <= 0.0031308 ? 12.92 * l : 1.055 * Math.pow(l, 1 / 2.4) - 0.055),
  },
  'Adobe RGB (1998)': power(563 / 256),
  'Gray Gamma 2.2': power(2.2),
};
function power(g: number) {
  return {
    toLinear: (v: number) => Math.pow(Math.max(v, 0), g),
    fromLinear: (l: number) => Math.pow(Math.max(l, 0), 1 / g),
  };
}

/**
 * Profile names of 32-bit documents carry a linear suffix (imaging docs: e.g.
 * "Adobe RGB (1998) (Linear RGB Profile)"); the imaging API wants the base name.
 * The grayscale suffix is an assumption (the docs only show the RGB one).
 */
export function profileName(base: string, mode: DocumentModeValue, depth: Depth): string {
  if (depth !== 32) return base;
  return `${base} ${mode === constants.DocumentMode.GRAYSCALE ? '(Linear Gray Profile)' : '(Linear RGB Profile)'}`;
}
export const LINEAR_SUFFIX = /\s*\(Linear (RGB|Gray) Profile\)$/;

/** A rectangle of pixels in document coordinates: `channels` = colour components + 1 alpha, chunky. */
export interface PixelBuf {
  left: number;
  top: number;
  width: number;
  height: number;
  channels: number;
  data: Float32Array;
}

export interface LayerState {
  id: number;
  name: string;
  kind: LayerKindValue;
  visible: boolean;
  opacity: number; // 0..100
  blendMode: BlendModeValue;
  isBackground: boolean;
  pixels: PixelBuf | null;
  children: LayerState[] | null; // groups only; top-to-bottom like Document.layers
}

export interface Suspension {
  id: number;
  name: string;
  snapshot: DocState;
  revisionAtSuspend: number;
  /** The handle returned to the plugin; `finalName` may be set on it before resuming. */
  handle: { historySuspensionID: number; finalName?: string };
  /** 'actions': the Actions panel suspended this document for an Action's playback. */
  owner?: 'actions';
}

export interface DocState {
  id: number;
  name: string;
  width: number;
  height: number;
  resolution: number;
  mode: DocumentModeValue;
  depth: Depth;
  /** Base profile name (no linear suffix); for an untagged document, the working space its values are seen in. */
  profile: string;
  /**
   * No embedded profile (colorProfileType NONE): Document.colorProfileName is then "None"
   * (document.md: "Valid only when colorProfileType is CUSTOM or WORKING, returns "None" otherwise").
   */
  untagged: boolean;
  /** Top-level layers, top of the stack first (ExtendScript/UXP convention: layers[0] is the top). */
  layers: LayerState[];
  activeIds: number[];
  nextLayerId: number;
  /** Bumped on every change; history compares it to know whether a suspension modified anything. */
  revision: number;
  /** Named history states added since the document was opened (sim-only record for assertions). */
  history: string[];
  suspension: Suspension | null;
}

export function emptyPixels(left: number, top: number, width: number, height: number, channels: number): PixelBuf {
  return { left, top, width, height, channels, data: new Float32Array(width * height * channels) };
}

/** Every layer of a tree, depth first, top to bottom. */
export function allLayers(layers: LayerState[]): LayerState[] {
  const out: LayerState[] = [];
  const walk = (list: LayerState[]) =>
    list.forEach((l) => {
      out.push(l);
      if (l.children) walk(l.children);
    });
  walk(layers);
  return out;
}

/** The layer with `id`, the list that holds it and its group (null at top level). */
export function locateLayer(
  doc: DocState,
  id: number,
): { layer: LayerState; siblings: LayerState[]; parent: LayerState | null } | null {
  const search = (list: LayerState[], parent: LayerState | null): ReturnType<typeof locateLayer> => {
    for (const layer of list) {
      if (layer.id === id) return { layer, siblings: list, parent };
      const found = layer.children ? search(layer.children, layer) : null;
      if (found) return found;
    }
    return null;
  };
  return search(doc.layers, null);
}

export interface Rect {
  left: number;
  top: number;
  right: number;
  bottom: number;
}

/** Bounds of the non-transparent pixels (alpha > 0); {0,0,0,0} for an empty layer. */
export function pixelBounds(buf: PixelBuf | null): Rect {
  let left = Infinity,
    top = Infinity,
    right = -Infinity,
    bottom = -Infinity;
  if (buf) {
    const a = buf.channels - 1;
    for (let y = 0; y < buf.height; y++) {
      for (let x = 0; x < buf.width; x++) {
        if (buf.data[(y * buf.width + x) * buf.channels + a] > 0) {
          left = Math.min(left, x);
          right = Math.max(right, x + 1);
          top = Math.min(top, y);
          bottom = Math.max(bottom, y + 1);
        }
      }
    }
  }
  if (left === Infinity) return { left: 0, top: 0, right: 0, bottom: 0 };
  return { left: buf!.left + left, top: buf!.top + top, right: buf!.left + right, bottom: buf!.top + bottom };
}

export function intersect(a: Rect, b: Rect): Rect | null {
  const r = {
    left: Math.max(a.left, b.left),
    top: Math.max(a.top, b.top),
    right: Math.min(a.right, b.right),
    bottom: Math.min(a.bottom, b.bottom),
  };
  return r.left < r.right && r.top < r.bottom ? r : null;
}

/** Copies `src` into `dst` where they overlap (all channels, no blending). */
export function blit(src: PixelBuf, dst: PixelBuf): void {
  const r = intersect(rectOf(src), rectOf(dst));
  if (!r) return;
  const n = src.channels;
  for (let y = r.top; y < r.bottom; y++) {
    const s = ((y - src.top) * src.width + (r.left - src.left)) * n;
    const d = ((y - dst.top) * dst.width + (r.left - dst.left)) * n;
    dst.data.set(src.data.subarray(s, s + (r.right - r.left) * n), d);
  }
}

export const rectOf = (b: { left: number; top: number; width: number; height: number }): Rect => ({
  left: b.left,
  top: b.top,
  right: b.left + b.width,
  bottom: b.top + b.height,
});

/** The smallest buffer holding `a` and `b` (new pixels transparent). */
export function union(a: PixelBuf, b: Rect): PixelBuf {
  const r = {
    left: Math.min(a.left, b.left),
    top: Math.min(a.top, b.top),
    right: Math.max(a.left + a.width, b.right),
    bottom: Math.max(a.top + a.height, b.bottom),
  };
  const out = emptyPixels(r.left, r.top, r.right - r.left, r.bottom - r.top, a.channels);
  blit(a, out);
  return out;
}

/**
 * Converts every layer's pixels to a new depth (Document.bitsPerChannel setter).
 * 8 ↔ 16: v16 = round(v8 · 32768 / 255) and back. Up to 32: colour = tone curve of
 * the document profile (see TRANSFER) applied to v / max, alpha = v / max. Down from
 * 32 (Photoshop shows its HDR Toning dialog; not modelled): inverse curve, clamped to
 * [0, 1], rounded. The caller bumps the revision.
 */
export function convertDepth(doc: DocState, to: Depth): void {
  const from = doc.depth;
  if (from === to) return;
  const curve = from === 32 || to === 32 ? TRANSFER[doc.profile] : undefined;
  if ((from === 32 || to === 32) && !curve) {
    throw simError(
      'not-modelled',
      `simulator: no tone curve for profile "${doc.profile}" (models ${Object.keys(TRANSFER).join(', ')})`,
    );
  }
  const [mf, mt] = [MAX_VALUE[from], MAX_VALUE[to]];
  for (const layer of allLayers(doc.layers)) {
    const buf = layer.pixels;
    if (!buf) continue;
    const a = buf.channels - 1;
    for (let i = 0; i < buf.data.length; i++) {
      const v = buf.data[i] / mf;
      const isAlpha = i % buf.channels === a;
      if (to === 32) buf.data[i] = isAlpha ? v : curve!.toLinear(v);
      else {
        const e = from === 32 && !isAlpha ? curve!.fromLinear(Math.max(v, 0)) : v;
        buf.data[i] = Math.round(Math.min(Math.max(e, 0), 1) * mt);
      }
    }
  }
  doc.depth = to;
}

/**
 * The document composite (getPixels without layerID): visible layers bottom to top,
 * "normal" source-over with layer opacity, in the document's own encoding. Groups
 * composite their children in place (pass-through). Other blend modes, and visible
 * adjustment layers, throw 'not-modelled' rather than return wrong pixels.
 */
export function composite(doc: DocState): PixelBuf {
  const n = colorComponents(doc.mode);
  const max = MAX_VALUE[doc.depth];
  const out = emptyPixels(0, 0, doc.width, doc.height, n + 1);
  const paint = (layers: LayerState[], opacity: number) => {
    for (let i = layers.length - 1; i >= 0; i--) {
      const layer = layers[i];
      if (!layer.visible) continue;
      const op = (opacity * layer.opacity) / 100;
      if (layer.children) {
        if (layer.blendMode !== B.PASSTHROUGH && layer.blendMode !== B.NORMAL) notModelledBlend(layer);
        paint(layer.children, op);
        continue;
      }
      if (ADJUSTMENT_KINDS.has(layer.kind)) {
        throw simError('not-modelled', `simulator: composite with a visible adjustment layer ("${layer.name}")`);
      }
      if (!layer.pixels) continue;
      if (layer.blendMode !== B.NORMAL) notModelledBlend(layer);
      over(layer.pixels, out, op, max);
    }
  };
  paint(doc.layers, 1);
  if (doc.depth !== 32) for (let i = 0; i < out.data.length; i++) out.data[i] = Math.round(out.data[i]);
  return out;
}

const B = constants.BlendMode;

function notModelledBlend(layer: LayerState): never {
  throw simError('not-modelled', `simulator: composite with blend mode "${layer.blendMode}" ("${layer.name}")`);
}

function over(src: PixelBuf, dst: PixelBuf, opacity: number, max: number): void {
  const r = intersect(rectOf(src), rectOf(dst));
  if (!r) return;
  const n = src.channels - 1;
  for (let y = r.top; y < r.bottom; y++) {
    for (let x = r.left; x < r.right; x++) {
      const s = ((y - src.top) * src.width + (x - src.left)) * src.channels;
      const d = ((y - dst.top) * dst.width + (x - dst.left)) * dst.channels;
      const as = (src.data[s + n] / max) * opacity;
      const ad = dst.data[d + n] / max;
      const ao = as + ad * (1 - as);
      for (let c = 0; c < n; c++) {
        dst.data[d + c] = ao > 0 ? (src.data[s + c] * as + dst.data[d + c] * ad * (1 - as)) / ao : 0;
      }
      dst.data[d + n] = ao * max;
    }
  }
}
