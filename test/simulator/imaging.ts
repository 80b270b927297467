/**
 * The Imaging API (`require('photoshop').imaging`, 24.4+) after the "Imaging API"
 * page of the Photoshop UXP reference (ps-reference/media/imaging.md): getPixels,
 * putPixels, createImageDataFromBuffer and PhotoshopImageData. Where the docs leave
 * a behaviour open, the simulator refuses with 'not-modelled' rather than guess.
 */
import type { imaging as PsImaging } from 'photoshop/dom/ImagingModule';
import sharp from 'sharp';
import { constants } from './constants';
import { simError } from './errors';
import type { Depth, DocState, PixelBuf, Rect } from './store';
import {
  LINEAR_SUFFIX,
  MAX_VALUE,
  blit,
  colorComponents,
  composite,
  emptyPixels,
  imagingColorSpace,
  intersect,
  locateLayer,
  pixelBounds,
  profileName,
  rectOf,
  union,
} from './store';
import type { World } from './world';

type Api = typeof PsImaging;
type PhotoshopImageData = PsImaging.PhotoshopImageData;
type GetPixelsOptions = Parameters<Api['getPixels']>[0];
type PutPixelsOptions = Parameters<Api['putPixels']>[0];
type CreateOptions = Parameters<Api['createImageDataFromBuffer']>[1];
type ColorSpace = PhotoshopImageData['colorSpace'];
type Typed = Uint8Array | Uint16Array | Float32Array;

const COLOR_COMPONENTS: Record<ColorSpace, number> = { RGB: 3, Grayscale: 1, Lab: 3 };
const PIXEL_FORMAT: Record<ColorSpace, [PhotoshopImageData['pixelFormat'], PhotoshopImageData['pixelFormat']]> = {
  RGB: ['RGB', 'RGBA'],
  Grayscale: ['Grayscale', 'GrayscaleAlpha'],
  Lab: ['LAB', 'LABAlpha'],
};

/**
 * A PhotoshopImageData. Pixels are kept chunky in the native encoding of
 * `componentSize` (8: 0..255, 16: 0..32768, 32: float); getData converts on the way out.
 */
export class SimImageData implements PhotoshopImageData {
  readonly type = 'image/uncompressed' as const;
  readonly pixelFormat: PhotoshopImageData['pixelFormat'];
  readonly hasAlpha: boolean;
  #data: Float32Array | null;

  constructor(
    private readonly world: World,
    readonly width: number,
    readonly height: number,
    readonly components: number,
    readonly componentSize: 8 | 16 | 32,
    readonly colorSpace: ColorSpace,
    readonly colorProfile: string,
    /** "True if the image data internally is using the chunky format." */
    readonly chunky: boolean,
    data: Float32Array,
  ) {
    this.hasAlpha = components > COLOR_COMPONENTS[colorSpace];
    this.pixelFormat = PIXEL_FORMAT[colorSpace][this.hasAlpha ? 1 : 0];
    this.#data = data;
  }

  get disposed(): boolean {
    return this.#data === null;
  }

  /** Internal access for putPixels; throws once disposed. */
  pixels(op: string): Float32Array {
    if (!this.#data) throw simError('disposed', `${op}: the image data has been disposed`);
    return this.#data;
  }

  /**
   * getData({chunky = true, fullRange = false}): Uint8Array for 8-bit, Uint16Array for
   * 16-bit (0..32768, or 0..65535 with fullRange), Float32Array for 32-bit; a new copy.
   */
  getData = async (options: { chunky?: boolean; fullRange?: boolean } = {}): Promise<Typed> => {
    this.world.modal.enterApi('PhotoshopImageData.getData');
    const src = this.pixels('getData');
    const out =
      this.componentSize === 8
        ? new Uint8Array(src.length)
        : this.componentSize === 16
          ? new Uint16Array(src.length)
          : new Float32Array(src.length);
    const scale = this.componentSize === 16 && options.fullRange ? 65535 / 32768 : 1;
    const n = this.components,
      pixels = this.width * this.height;
    const planar = options.chunky === false;
    for (let p = 0; p < pixels; p++) {
      for (let c = 0; c < n; c++) {
        const v = src[p * n + c] * scale;
        out[planar ? c * pixels + p : p * n + c] = this.componentSize === 32 ? v : Math.round(v);
      }
    }
    return out;
  };

  /**
   * "Calling this synchronous method will release the contained image data." It
   * returns nothing, although @types/photoshop types it as returning a Promise.
   */
  dispose = (): Promise<void> => {
    this.#data = null;
    return undefined as unknown as Promise<void>;
  };
}

export function createImaging(
  world: World,
): Pick<Api, 'getPixels' | 'putPixels' | 'createImageDataFromBuffer' | 'encodeImageData'> {
  const modal = () => world.modal;

  async function getPixels(options: GetPixelsOptions): Promise<Awaited<ReturnType<Api['getPixels']>>> {
    if (world.options.getPixelsNeedsModal && !modal().inModal()) {
      throw simError(
        'outside-modal',
        'imaging.getPixels must run inside core.executeAsModal (simulator option getPixelsNeedsModal)',
      );
    }
    modal().enterApi('imaging.getPixels');
    const doc = world.requireDoc(options.documentID);
    // Documented ("pixels from past document states") but absent from @types/photoshop 25.0.4.
    if ('historyStateID' in options) throw simError('not-modelled', 'simulator: getPixels historyStateID');
    const space = pixelSpace(doc, 'getPixels');
    // "If omitted, then the color space of the source document is used"; conversions are not modelled.
    if (options.colorSpace !== undefined && options.colorSpace !== space)
      throw simError(
        'not-modelled',
        `simulator: getPixels colorSpace "${options.colorSpace}" from a ${space} document`,
      );
    checkProfile(doc, options.colorProfile, 'getPixels');
    const depth = requestedDepth(doc, options.componentSize);

    // The source: a layer, or "the composite document image" when layerID is omitted.
    let source: PixelBuf, available: Rect, hasAlpha: boolean;
    if (options.layerID === undefined) {
      source = composite(doc);
      available = rectOf(source);
      hasAlpha = !doc.layers.some((l) => l.isBackground); // assumption: a document without a background composites with alpha
    } else {
      const found = locateLayer(doc, options.layerID);
      if (!found) throw simError('not-found', `getPixels: no layer ${options.layerID} in document ${doc.id}`);
      if (!found.layer.pixels) throw simError('no-pixels', 'No pixels in the requested area'); // groups, adjustment and empty layers
      source = found.layer.pixels;
      available = pixelBounds(source); // the bounds of the layer's pixels; a layer may sit away from (0, 0)
      hasAlpha = !found.layer.isBackground;
    }
    // "The provided bounds will be trimmed to only that region that contains pixel data."
    const wanted = options.sourceBounds ? toRect(options.sourceBounds, 'sourceBounds') : available;
    const r = intersect(wanted, available);
    // Message as Photoshop reports it (seen in third-party plugin notes; not in Adobe's docs).
    if (!r) throw simError('no-pixels', 'No pixels in the requested area');
    const [fullW, fullH] = [r.right - r.left, r.bottom - r.top];
    const [w, h] = targetSize(options.targetSize, fullW, fullH);

    const n = colorComponents(doc.mode);
    const full = emptyPixels(r.left, r.top, fullW, fullH, n + 1);
    blit(source, full);
    const region = w === fullW && h === fullH ? full : scaleDown(full, w, h);
    const max = MAX_VALUE[doc.depth];
    const matte = hasAlpha && options.applyAlpha === true; // "converted to RGB by matting on white"
    const outComps = n + (hasAlpha && !matte ? 1 : 0);
    const scale = MAX_VALUE[depth] / max; // 8 ↔ 16 only; requestedDepth refuses crossings of 32
    const data = new Float32Array(w * h * outComps);
    for (let p = 0; p < w * h; p++) {
      const alpha = region.data[p * (n + 1) + n] / max;
      for (let c = 0; c < outComps; c++) {
        let v = region.data[p * (n + 1) + c];
        if (matte) v = v * alpha + max * (1 - alpha);
        data[p * outComps + c] = depth === 32 ? v * scale : Math.round(v * scale);
      }
    }
    const profile = doc.untagged ? '' : profileName(doc.profile, doc.mode, depth); // untagged: no profile to name (a choice)
    const imageData = new SimImageData(world, w, h, outComps, depth, space, profile, true, data);
    return { imageData, sourceBounds: r, level: 0 };
  }

  async function putPixels(options: PutPixelsOptions): Promise<void> {
    modal().assertMutable('imaging.putPixels');
    modal().enterApi('imaging.putPixels');
    const doc = world.requireDoc(options.documentID);
    const found = locateLayer(doc, options.layerID);
    if (!found) throw simError('not-found', `putPixels: no layer ${options.layerID} in document ${doc.id}`);
    const { layer } = found;
    // "The target layer must be a pixel layer."
    if (layer.kind !== constants.LayerKind.NORMAL || layer.children)
      throw simError('invalid-argument', `putPixels: layer "${layer.name}" is not a pixel layer (kind ${layer.kind})`);
    const img = options.imageData;
    if (!(img instanceof SimImageData))
      throw simError('invalid-argument', 'putPixels: imageData must come from the imaging API');
    const src = img.pixels('putPixels');
    const space = pixelSpace(doc, 'putPixels');
    // Undocumented: data whose depth, colour space or profile differ from the document. Refused, not guessed.
    if (img.componentSize !== doc.depth)
      throw simError(
        'not-modelled',
        `simulator: putPixels of ${img.componentSize}-bit data into a ${doc.depth}-bit document`,
      );
    if (img.colorSpace !== space)
      throw simError('not-modelled', `simulator: putPixels of ${img.colorSpace} data into a ${space} document`);
    checkProfile(doc, img.colorProfile, 'putPixels');
    if (layer.isBackground && img.hasAlpha)
      throw simError('not-modelled', 'simulator: putPixels with alpha into the background layer');

    // targetBounds: "If the value is not provided, then pixels are inserted at the origin (0, 0) of the document."
    const left = options.targetBounds?.left ?? 0,
      top = options.targetBounds?.top ?? 0;
    if (!Number.isInteger(left) || !Number.isInteger(top))
      throw simError('invalid-argument', 'putPixels: targetBounds left/top must be integers');
    const n = colorComponents(doc.mode),
      max = MAX_VALUE[doc.depth];
    const buf = emptyPixels(left, top, img.width, img.height, n + 1);
    for (let p = 0; p < img.width * img.height; p++) {
      for (let c = 0; c < n; c++) buf.data[p * (n + 1) + c] = src[p * img.components + c];
      buf.data[p * (n + 1) + n] = img.hasAlpha ? src[p * img.components + n] : max;
    }
    // replace (default true): "existing pixels in the layer are discarded before adding new pixels".
    // replace false: "added to the existing pixel content"; modelled as overwriting the target rectangle.
    if (layer.isBackground && layer.pixels) blit(buf, layer.pixels);
    else if (options.replace === false && layer.pixels) {
      layer.pixels = union(layer.pixels, rectOf(buf));
      blit(buf, layer.pixels);
    } else layer.pixels = buf;
    world.touch(doc, options.commandName ?? 'Put Pixels');
  }

  async function createImageDataFromBuffer(arrayBuffer: Typed, options: CreateOptions): Promise<SimImageData> {
    modal().enterApi('imaging.createImageDataFromBuffer');
    // "Accepted types are: Uint8Array, Uint16Array, and FloatArray. The array type will indicate the componentSize."
    const size =
      arrayBuffer instanceof Uint8Array
        ? 8
        : arrayBuffer instanceof Uint16Array
          ? 16
          : arrayBuffer instanceof Float32Array
            ? 32
            : 0;
    if (!size)
      throw simError(
        'invalid-argument',
        'createImageDataFromBuffer: expected a Uint8Array, Uint16Array or Float32Array',
      );
    const { width, height, components, colorSpace } = options;
    if (!(colorSpace in COLOR_COMPONENTS))
      throw simError(
        'invalid-argument',
        `createImageDataFromBuffer: colorSpace "${colorSpace}" (RGB, Grayscale or Lab)`,
      );
    const base = COLOR_COMPONENTS[colorSpace as ColorSpace];
    if (components !== base && components !== base + 1)
      throw simError('invalid-argument', `createImageDataFromBuffer: ${components} components for ${colorSpace}`);
    if (!(Number.isInteger(width) && width > 0 && Number.isInteger(height) && height > 0))
      throw simError('invalid-argument', 'createImageDataFromBuffer: width and height must be positive integers');
    // "The number of elements in imageData must be equal to: width * height * components."
    if (arrayBuffer.length !== width * height * components) {
      throw simError(
        'invalid-argument',
        `createImageDataFromBuffer: ${arrayBuffer.length} elements, expected ${width}×${height}×${components}`,
      );
    }
    const profile = options.colorProfile ?? '';
    if (profile === 'None')
      throw simError('invalid-argument', 'createImageDataFromBuffer: there is no colour profile named "None"');
    // "This text [(Linear RGB Profile)] should not be included when specifying a profile."
    if (LINEAR_SUFFIX.test(profile))
      throw simError('invalid-argument', `createImageDataFromBuffer: pass the base profile name, not "${profile}"`);
    const fullRange = size === 16 && options.fullRange === true;
    const pixels = width * height;
    const planar = options.chunky === false; // "The default value is true."
    const data = new Float32Array(arrayBuffer.length);
    for (let p = 0; p < pixels; p++) {
      for (let c = 0; c < components; c++) {
        let v = arrayBuffer[planar ? c * pixels + p : p * components + c];
        if (size === 16) {
          if (fullRange) v = Math.round((v * 32768) / 65535);
          // 16-bit data "use the reduced range: [0..32768]" unless fullRange; the simulator refuses more.
          else if (v > 32768)
            throw simError(
              'invalid-argument',
              `createImageDataFromBuffer: 16-bit value ${v} > 32768 without fullRange`,
            );
        }
        data[p * components + c] = v;
      }
    }
    return new SimImageData(
      world,
      width,
      height,
      components,
      size as 8 | 16 | 32,
      colorSpace as ColorSpace,
      profile,
      !planar,
      data,
    );
  }

  /**
   * encodeImageData({imageData, base64}): "to allow image data to be used with UXP image
   * elements ... you must use jpeg/base64 encoding"; "The data colorSpace must be RGB."
   * A real JPEG (sharp); the simulator keeps the pixels behind each base64 text
   * (world.encoded) so tests can see what an <img> shows. Other depths and alpha are
   * not documented: refused as not modelled.
   */
  async function encodeImageData(options: Parameters<Api['encodeImageData']>[0]): Promise<number[] | string> {
    const img = options.imageData;
    if (!(img instanceof SimImageData))
      throw simError('invalid-argument', 'encodeImageData: imageData must come from the imaging API');
    if (img.colorSpace !== 'RGB')
      throw simError('invalid-argument', `encodeImageData: the data colorSpace must be RGB, got ${img.colorSpace}`);
    if (img.componentSize !== 8 || img.hasAlpha)
      throw simError(
        'not-modelled',
        `simulator: encodeImageData of ${img.componentSize}-bit data${img.hasAlpha ? ' with alpha' : ''}`,
      );
    const rgb = Uint8Array.from(img.pixels('encodeImageData'));
    const jpeg = await sharp(Buffer.from(rgb), { raw: { width: img.width, height: img.height, channels: 3 } })
      .jpeg({ quality: 90 })
      .toBuffer();
    const base64 = jpeg.toString('base64');
    world.encoded.set(base64, { width: img.width, height: img.height, rgb });
    return options.base64 ? base64 : Array.from(jpeg);
  }

  return { getPixels, putPixels, createImageDataFromBuffer, encodeImageData };
}

function pixelSpace(doc: DocState, op: string): ColorSpace {
  const space = imagingColorSpace(doc.mode);
  if (!space) throw simError('not-modelled', `simulator: ${op} on a ${doc.mode} document`);
  return space;
}

/**
 * A colour profile other than the document's would need a conversion: not modelled. Omitted or ""
 * means the document's own ("If omitted, then the color profile of the target document is used").
 */
function checkProfile(doc: DocState, profile: string | undefined, op: string): void {
  if (!profile) return;
  // "None" is what Document.colorProfileName says of an untagged document; no profile has that name.
  if (profile === 'None') throw simError('invalid-argument', `${op}: there is no colour profile named "None"`);
  if (doc.untagged)
    throw simError('not-modelled', `simulator: ${op} with profile "${profile}" in an untagged document`);
  if (op === 'getPixels' && LINEAR_SUFFIX.test(profile))
    throw simError('invalid-argument', `getPixels: pass the base profile name, not "${profile}"`);
  if (profile.replace(LINEAR_SUFFIX, '') !== doc.profile)
    throw simError('not-modelled', `simulator: ${op} with profile "${profile}" in a "${doc.profile}" document`);
}

/** componentSize: omitted or -1 means the document's depth; 8 ↔ 16 is modelled, crossing 32 is not. */
function requestedDepth(doc: DocState, size: number | undefined): Depth {
  if (size === undefined || size === -1) return doc.depth;
  if (size !== 8 && size !== 16 && size !== 32) throw simError('invalid-argument', `getPixels: componentSize ${size}`);
  if (size !== doc.depth && (size === 32 || doc.depth === 32)) {
    throw simError(
      'not-modelled',
      `simulator: getPixels componentSize ${size} from a ${doc.depth}-bit document (needs a colour conversion)`,
    );
  }
  return size;
}

/**
 * targetSize: "Used to scale the returned image to a specific size ... If only one dimension
 * is included, then the returned image data is scaled proportionally" (the other rounded here).
 * Only scaling down is documented ("If the targetSize is smaller than the requested region");
 * larger sizes are refused as not modelled.
 */
function targetSize(ts: { width?: number; height?: number } | undefined, w: number, h: number): [number, number] {
  if (!ts || (ts.width === undefined && ts.height === undefined)) return [w, h];
  for (const v of [ts.width, ts.height]) {
    if (v !== undefined && !(Number.isInteger(v) && v > 0))
      throw simError('invalid-argument', `getPixels: targetSize ${v}`);
  }
  const tw = ts.width ?? Math.max(1, Math.round((w * ts.height!) / h));
  const th = ts.height ?? Math.max(1, Math.round((h * ts.width!) / w));
  if (tw > w || th > h) throw simError('not-modelled', 'simulator: getPixels targetSize larger than the source region');
  return [tw, th];
}

/**
 * Scaled-down pixels, always from level 0 (pyramid levels are not modelled): each target
 * pixel is the mean of the source pixels whose centres fall in its footprint, alpha
 * included (Photoshop's resampling is not documented).
 */
function scaleDown(src: PixelBuf, w: number, h: number): PixelBuf {
  const ch = src.channels;
  const out = emptyPixels(src.left, src.top, w, h, ch);
  const span = (i: number, n: number, size: number): [number, number] => [
    Math.floor((i * size) / n),
    Math.max(Math.floor((i * size) / n) + 1, Math.floor(((i + 1) * size) / n)),
  ];
  for (let ty = 0; ty < h; ty++) {
    const [y0, y1] = span(ty, h, src.height);
    for (let tx = 0; tx < w; tx++) {
      const [x0, x1] = span(tx, w, src.width);
      for (let c = 0; c < ch; c++) {
        let sum = 0;
        for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) sum += src.data[(y * src.width + x) * ch + c];
        out.data[(ty * w + tx) * ch + c] = sum / ((x1 - x0) * (y1 - y0));
      }
    }
  }
  return out;
}

/** Bounds as {left, top, right, bottom} or {left, top, width, height} (both documented). */
function toRect(
  b: { left?: number; top?: number; right?: number; bottom?: number; width?: number; height?: number },
  what: string,
): Rect {
  const { left, top } = b;
  const right = b.right ?? (b.width !== undefined && left !== undefined ? left + b.width : undefined);
  const bottom = b.bottom ?? (b.height !== undefined && top !== undefined ? top + b.height : undefined);
  const r = { left, top, right, bottom };
  if (!Object.values(r).every((v) => Number.isInteger(v)))
    throw simError('invalid-argument', `${what}: expected integer left, top and right/bottom or width/height`);
  return r as Rect;
}
