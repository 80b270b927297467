/**
 * Reads PNG (8/16-bit), JPEG and TIFF (8/16-bit and 32-bit float) files through sharp
 * (libvips): colour-managed decoding of every format we accept, in a maintained native
 * library. EXIF orientation is applied; greyscale becomes RGB. The network sees RGB (HDRCNN
 * has no alpha): fully transparent pixels are made black, in both framings, as the plugin
 * shows them to the network (their stored colour is often stale white); the alpha itself is
 * kept only when some pixel is not opaque, for the EXR's A channel. Animated and multi-page
 * files give their first frame, with a warning. Samples stay at the file's depth and are
 * converted to float a window at a time, so a 100 MP 8-bit photo costs 300 MB here, not 1.2 GB.
 */
import sharp from 'sharp';
import { centreCrop } from '../core/crop';
import { createRgbImage, type RgbImage } from '../core/image';
import type { PixelSource } from '../core/reconstruct';
import type { Rect } from '../core/image';

/** Per-image budget, checked from the header before decoding: ~4.5 GB of CLI memory at the limit (see README). */
export const MAX_INPUT_PIXELS = 2 ** 27;

type Samples = Uint8Array | Uint16Array | Float32Array;

export interface DecodedImage extends PixelSource {
  /** Interleaved RGB at the file's depth (float files: display values in [0, 1]). */
  readonly samples: Samples;
  /** The largest sample value: 255, 65535 or 1. */
  readonly maxValue: number;
  read(rect: Rect): RgbImage;
  /** Coverage in [0, 1] per pixel, when the file has alpha and some pixel is not opaque. */
  readonly alpha?: Float32Array;
}

/** The sRGB transfer curve: float files hold linear light (libvips reads float RGB as scRGB). */
const srgb = (v: number) => (v <= 0.0031308 ? 12.92 * v : 1.055 * v ** (1 / 2.4) - 0.055);

/**
 * Decodes `file`. With `size`, centre-crops to its aspect ratio and resizes
 * (bilinear, at the file's bit depth) as the seed's `readLDR` does.
 */
export async function readImage(
  file: string,
  size?: { width: number; height: number },
  warn: (message: string) => void = () => undefined,
): Promise<DecodedImage> {
  try {
    return await decode(file, size, warn);
  } catch (e) {
    if (e instanceof ImageError) throw e;
    // libvips' messages end in newlines and may span several lines: one line, naming the file.
    const text = e instanceof Error ? e.message : String(e);
    throw new ImageError(
      `${file}: ${
        text
          .split(/\s*\n\s*/)
          .filter(Boolean)
          .join('; ') || 'cannot be decoded'
      }`,
    );
  }
}

/** A refusal of ours, already naming the file. */
class ImageError extends Error {}

async function decode(
  file: string,
  size: { width: number; height: number } | undefined,
  warn: (message: string) => void,
): Promise<DecodedImage> {
  // The header is read without sharp's limit so that the refusal can say what the image is.
  const meta = await sharp(file, { limitInputPixels: false }).metadata();
  if (!meta.width || !meta.height) throw new ImageError(`${file}: not an image sharp can decode`);
  const { width, height } = meta.autoOrient ?? meta;
  if (width * height > MAX_INPUT_PIXELS) {
    const megapixels = (n: number) => `${Math.round(n / 1e6)} megapixels`;
    throw new ImageError(
      `${file}: ${width}×${height} is ${megapixels(width * height)}, ` +
        `over the limit of ${megapixels(MAX_INPUT_PIXELS)} per image`,
    );
  }
  if ((meta.pages ?? 1) > 1) warn(`${file}: ${meta.pages} frames or pages; using the first`);
  const depth = meta.depth === 'float' ? 'float' : meta.depth === 'ushort' ? 'ushort' : 'uchar';
  let pipeline = sharp(file, { limitInputPixels: MAX_INPUT_PIXELS, autoOrient: true });
  // Float: the stored values as they are (grey is widened as is); integers: into sRGB at their depth.
  if (depth !== 'float') pipeline = pipeline.toColourspace(depth === 'ushort' ? 'rgb16' : 'srgb');
  else if ((meta.channels ?? 0) - (meta.hasAlpha ? 1 : 0) >= 3) pipeline = pipeline.toColourspace('scrgb');
  if (size) {
    // A crop of at least one pixel: a 1×1 image fills the whole prediction.
    const crop = centreCrop(width, height, size.width, size.height);
    pipeline = pipeline.extract({ ...crop, width: Math.max(1, crop.width), height: Math.max(1, crop.height) });
    pipeline = pipeline.resize(size.width, size.height, { fit: 'fill', kernel: 'linear' });
  }
  const { data, info } = await pipeline.raw({ depth }).toBuffer({ resolveWithObject: true });
  if (info.channels !== 3 && info.channels !== 4)
    throw new ImageError(`${file}: expected RGB after conversion, got ${info.channels} channels`);
  const Type = depth === 'float' ? Float32Array : depth === 'ushort' ? Uint16Array : Uint8Array;
  const all = new Type(data.buffer, data.byteOffset, data.byteLength / Type.BYTES_PER_ELEMENT);
  const maxValue = depth === 'float' ? 1 : depth === 'ushort' ? 65535 : 255;
  const alpha = info.channels === 4 ? coverage(all, maxValue) : undefined;
  const samples = info.channels === 4 ? dropAlpha(all) : all;
  if (depth === 'float')
    for (let i = 0; i < samples.length; i++) samples[i] = Math.min(1, Math.max(0, srgb(samples[i])));
  return { ...rawImage(info.width, info.height, samples, maxValue), alpha };
}

/** The alpha of RGBA samples as coverage in [0, 1]; undefined when every pixel is opaque. */
function coverage(rgba: Samples, maxValue: number): Float32Array | undefined {
  const pixels = rgba.length / 4;
  let opaque = true;
  for (let p = 0; p < pixels && opaque; p++) opaque = rgba[4 * p + 3] >= maxValue;
  if (opaque) return undefined;
  const alpha = new Float32Array(pixels);
  for (let p = 0; p < pixels; p++) alpha[p] = Math.min(1, rgba[4 * p + 3] / maxValue);
  return alpha;
}

/** RGBA → RGB in place (each pixel moves down, never over one not yet read); alpha 0 → black. */
function dropAlpha<T extends Samples>(rgba: T): T {
  const pixels = rgba.length / 4;
  for (let p = 0; p < pixels; p++) {
    const opaque = rgba[4 * p + 3] !== 0;
    for (let c = 0; c < 3; c++) rgba[3 * p + c] = opaque ? rgba[4 * p + c] : 0;
  }
  return rgba.subarray(0, 3 * pixels) as T;
}

/** A pixel source over stored samples, read as floats in [0, 1]. */
export function rawImage(width: number, height: number, samples: Samples, maxValue: number): DecodedImage {
  const scale = 1 / maxValue;
  return {
    width,
    height,
    samples,
    maxValue,
    read(rect: Rect): RgbImage {
      const out = createRgbImage(rect.width, rect.height);
      for (let y = 0; y < rect.height; y++) {
        const row = ((rect.top + y) * width + rect.left) * 3;
        for (let i = 0; i < rect.width * 3; i++) out.data[y * rect.width * 3 + i] = samples[row + i] * scale;
      }
      return out;
    },
  };
}
