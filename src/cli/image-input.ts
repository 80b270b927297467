/**
 * Reads PNG (8/16-bit), JPEG and TIFF files through sharp (libvips):
 * colour-managed decoding of every format we accept, in a maintained native
 * library. The network sees RGB (HDRCNN has no alpha); a file's alpha is read apart, and kept
 * only when some pixel is not opaque, for the EXR's A channel. Greyscale becomes RGB.
 * Samples stay at the file's bit depth and are converted to float a window
 * at a time, so a 100 MP 8-bit photo costs 300 MB here, not 1.2 GB.
 */
import sharp, { type Sharp } from 'sharp';
import { centreCrop } from '../core/crop';
import { createRgbImage, type RgbImage } from '../core/image';
import type { PixelSource } from '../core/reconstruct';
import type { Rect } from '../core/image';

export interface DecodedImage extends PixelSource {
  /** Interleaved RGB at the file's depth. */
  readonly samples: Uint8Array | Uint16Array;
  /** The largest sample value: 255 or 65535. */
  readonly maxValue: number;
  read(rect: Rect): RgbImage;
  /** Coverage in [0, 1] per pixel, when the file has alpha and some pixel is not opaque. */
  readonly alpha?: Float32Array;
}

/**
 * Decodes `file`. With `size`, centre-crops to its aspect ratio and resizes
 * (bilinear, at the file's bit depth) as the seed's `readLDR` does.
 */
export async function readImage(file: string, size?: { width: number; height: number }): Promise<DecodedImage> {
  const meta = await sharp(file).metadata();
  if (!meta.width || !meta.height) throw new Error(`${file}: not an image sharp can decode`);
  const sixteen = meta.depth === 'ushort';
  const frame = (pipeline: Sharp) => {
    if (!size) return pipeline;
    const crop = centreCrop(meta.width!, meta.height!, size.width, size.height);
    return pipeline.extract(crop).resize(size.width, size.height, { fit: 'fill', kernel: 'linear' });
  };
  const source = () => sharp(file, { limitInputPixels: false });
  const pipeline = frame(source().removeAlpha().toColourspace(sixteen ? 'rgb16' : 'srgb'));
  const { data, info } = await pipeline.raw({ depth: sixteen ? 'ushort' : 'uchar' }).toBuffer({ resolveWithObject: true });
  if (info.channels !== 3) throw new Error(`${file}: expected 3 channels after conversion, got ${info.channels}`);
  const samples = sixteen ? new Uint16Array(data.buffer, data.byteOffset, data.byteLength / 2) : new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  const alpha = meta.hasAlpha ? await readAlpha(frame(source().extractChannel('alpha')), sixteen) : undefined;
  return { ...rawImage(info.width, info.height, samples, sixteen ? 65535 : 255), alpha };
}

/** The alpha channel as coverage in [0, 1]; undefined when every pixel is opaque. */
async function readAlpha(pipeline: Sharp, sixteen: boolean): Promise<Float32Array | undefined> {
  const data = await pipeline.raw({ depth: sixteen ? 'ushort' : 'uchar' }).toBuffer();
  const samples: Uint8Array | Uint16Array = sixteen
    ? new Uint16Array(data.buffer, data.byteOffset, data.byteLength / 2)
    : data;
  const max = sixteen ? 65535 : 255;
  if (samples.every((a: number) => a === max)) return undefined;
  const alpha = new Float32Array(samples.length);
  for (let i = 0; i < samples.length; i++) alpha[i] = samples[i] / max;
  return alpha;
}

/** A pixel source over integer samples, read as floats in [0, 1]. */
export function rawImage(width: number, height: number, samples: Uint8Array | Uint16Array, maxValue: number): DecodedImage {
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
