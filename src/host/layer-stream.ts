/**
 * The core's PixelSource and PixelSink over the imaging API: {@link LayerReader} reads
 * any window of the source layer (getPixels), {@link LayerWriter} writes one tile core of
 * the new layer at a time (createImageDataFromBuffer + putPixels). Every
 * PhotoshopImageData is disposed in `finally`; memory is one window and one core. Image
 * coordinates of the core are the layer's bounds: (0, 0) is the layer's top-left pixel.
 */
import { imaging } from 'photoshop';
import type { Rect, RgbImage } from '../core/image';
import type { PixelSink, PixelSource, SourcePixels } from '../core/reconstruct';
import {
  cropAlpha,
  decodePixels,
  encodeOutput,
  type DecodedPixels,
  type SourceFormat,
  type SourcePatch,
} from '../plugin-core/pixel-codec';
import type { LineariseChoice } from '../plugin-core/settings';

export interface LayerRef {
  readonly documentID: number;
  readonly layerID: number;
}

/** One window of the source, decoded; `rect` in layer coordinates. */
/**
 * Reads `rect` (layer coordinates) of a layer whose top-left pixel is at `origin`.
 * getPixels trims requests to where the layer has pixel data; a trimmed answer is
 * placed into a transparent patch of the requested size.
 */
export async function readPatch(
  layer: LayerRef,
  origin: { left: number; top: number },
  rect: Rect,
  format: Omit<SourceFormat, 'hasAlpha'>,
  hasAlpha: boolean,
): Promise<SourcePatch> {
  const wanted = {
    left: origin.left + rect.left,
    top: origin.top + rect.top,
    right: origin.left + rect.left + rect.width,
    bottom: origin.top + rect.top + rect.height,
  };
  const { imageData, sourceBounds } = await imaging.getPixels({
    documentID: layer.documentID,
    layerID: layer.layerID,
    sourceBounds: wanted,
  });
  let data: ArrayLike<number>;
  let got: { width: number; height: number; alpha: boolean };
  try {
    data = await imageData.getData({ chunky: true });
    got = { width: imageData.width, height: imageData.height, alpha: imageData.hasAlpha };
  } finally {
    void imageData.dispose(); // documented as synchronous; typed as returning a Promise
  }
  const decoded = decodePixels(data, got.width, got.height, { ...format, hasAlpha: got.alpha });
  const trimmed =
    sourceBounds.left !== wanted.left ||
    sourceBounds.top !== wanted.top ||
    got.width !== rect.width ||
    got.height !== rect.height;
  if (!trimmed && got.alpha === hasAlpha) return { rect, pixels: decoded };
  return {
    rect,
    pixels: placeInto(
      decoded,
      sourceBounds.left - wanted.left,
      sourceBounds.top - wanted.top,
      rect,
      format.colorComponents,
      hasAlpha,
    ),
  };
}

/** `part` at (dx, dy) inside a transparent patch of `rect`'s size. */
function placeInto(
  part: DecodedPixels,
  dx: number,
  dy: number,
  rect: Rect,
  n: 1 | 3,
  hasAlpha: boolean,
): DecodedPixels {
  const count = rect.width * rect.height;
  const out: DecodedPixels = {
    width: rect.width,
    height: rect.height,
    colorComponents: n,
    display: new Float32Array(count * 3),
    linear: new Float32Array(count * 3),
    alpha: hasAlpha ? new Float32Array(count) : null,
  };
  for (let y = 0; y < part.height; y++) {
    for (let x = 0; x < part.width; x++) {
      const s = y * part.width + x;
      const d = (y + dy) * rect.width + x + dx;
      out.display.set(part.display.subarray(s * 3, s * 3 + 3), d * 3);
      out.linear.set(part.linear.subarray(s * 3, s * 3 + 3), d * 3);
      if (out.alpha) out.alpha[d] = part.alpha ? part.alpha[s] : 1;
    }
  }
  return out;
}

export interface LayerReaderOptions {
  readonly source: LayerRef;
  /** The source layer's top-left pixel in the document. */
  readonly origin: { readonly left: number; readonly top: number };
  readonly width: number;
  readonly height: number;
  readonly format: Omit<SourceFormat, 'hasAlpha'>;
  /** Whether the source layer has transparency (every layer but a background layer). */
  readonly hasAlpha: boolean;
  /** 'photoshop': give the core Photoshop's linear values, which it keeps outside the highlights. */
  readonly linearise: LineariseChoice;
}

const inside = (r: Rect, outer: Rect): boolean =>
  r.left >= outer.left &&
  r.top >= outer.top &&
  r.left + r.width <= outer.left + outer.width &&
  r.top + r.height <= outer.top + outer.height;

/**
 * The last two windows read: the core's fixed plan writes a tile's core after reading its window
 * and at most the next tile's (tile-pipeline.ts), so a sink finds the core's source in one of them.
 */
export class RecentWindows<T> {
  private kept: Array<{ readonly rect: Rect; readonly value: T }> = [];

  remember(rect: Rect, value: T): void {
    this.kept = [{ rect, value }, ...this.kept.slice(0, 1)];
  }

  /** The latest window holding all of `rect`, or undefined. */
  find(rect: Rect): { readonly rect: Rect; readonly value: T } | undefined {
    return this.kept.find((k) => inside(rect, k.rect));
  }
}

/** The source layer as the core's PixelSource: display values, and Photoshop's linear values when asked. */
export class LayerReader implements PixelSource {
  /** The recent windows' alpha: the cores written lie inside them, so no second getPixels. */
  private readonly recent = new RecentWindows<Float32Array>();

  constructor(private readonly options: LayerReaderOptions) {}

  get width(): number {
    return this.options.width;
  }

  get height(): number {
    return this.options.height;
  }

  async read(rect: Rect): Promise<SourcePixels> {
    const o = this.options;
    const { pixels } = await readPatch(o.source, o.origin, rect, o.format, o.hasAlpha);
    if (pixels.alpha) this.recent.remember(rect, pixels.alpha);
    const linear = o.linearise === 'photoshop' ? pixels.linear : undefined;
    return { width: rect.width, height: rect.height, data: pixels.display, linear };
  }

  /** The source's alpha over `rect`, or null for a layer without transparency. */
  async alpha(rect: Rect): Promise<Float32Array | null> {
    const o = this.options;
    if (!o.hasAlpha) return null;
    const window = this.recent.find(rect);
    if (window) return cropAlpha(window.value, window.rect, rect);
    return (await readPatch(o.source, o.origin, rect, o.format, true)).pixels.alpha;
  }
}

export interface LayerWriterOptions {
  readonly target: LayerRef;
  /** Where the target's (0, 0) is in its document: the source layer's position. */
  readonly origin: { readonly left: number; readonly top: number };
  readonly colorComponents: 1 | 3;
  /** Base profile name of the 32-bit target document; undefined: the document's own (untagged). */
  readonly targetProfile: string | undefined;
  /** The transparency the written pixels get (the source's), or null for none. */
  alpha(rect: Rect): Promise<Float32Array | null>;
}

/** The new 32-bit layer as the core's PixelSink: the core's values as they are, the source's transparency. */
export class LayerWriter implements PixelSink {
  constructor(private readonly options: LayerWriterOptions) {}

  async write(rect: Rect, hdr: RgbImage): Promise<void> {
    const o = this.options;
    const alpha = await o.alpha(rect);
    const samples = encodeOutput(hdr, o.colorComponents, alpha);
    const imageData = await imaging.createImageDataFromBuffer(samples, {
      width: rect.width,
      height: rect.height,
      components: o.colorComponents + (alpha ? 1 : 0),
      chunky: true,
      colorSpace: o.colorComponents === 3 ? 'RGB' : 'Grayscale',
      ...(o.targetProfile === undefined ? {} : { colorProfile: o.targetProfile }), // untagged: the document's own
    });
    try {
      await imaging.putPixels({
        documentID: o.target.documentID,
        layerID: o.target.layerID,
        imageData,
        replace: false,
        // Only left/top are used (imaging docs); the type wants a size too.
        targetBounds: {
          left: o.origin.left + rect.left,
          top: o.origin.top + rect.top,
          width: rect.width,
          height: rect.height,
        },
      });
    } finally {
      void imageData.dispose();
    }
  }
}
