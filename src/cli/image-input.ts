/**
 * Reads PNG (8/16-bit), JPEG and TIFF files through sharp (libvips):
 * colour-managed decoding of every format we accept, in a maintained native
 * library. Alpha is dropped (HDRCNN has no alpha); greyscale becomes RGB.
 * Samples stay at the file's bit depth and are converted to float a window
 * at a time, so a 100 MP 8-bit photo costs 300 MB here, not 1.2 GB.
 */
import sharp from 'sharp';
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
}

/**
 * Decodes `file`. With `size`, centre-crops to its aspect ratio and resizes
 * (bilinear, at the file's bit depth) as the seed's `readLDR` does.
 */
export async function readImage(file: string, size?: { width: number; height: number }): Promise<DecodedImage> {
  const meta = await sharp(file).metadata();
  if (!meta.width || !meta.height) throw new Error(`${file}: not an image sharp can decode`);
  const sixteen = meta.depth === 'ushort';
  let pipeline = sharp(file, { limitInputPixels: false }).removeAlpha().toColourspace(sixteen ? 'rgb16' : 'srgb');
  if (size) {
    const crop = centreCrop(meta.width, meta.height, size.width, size.height);
    pipeline = pipeline.extract(crop).resize(size.width, size.height, { fit: 'fill', kernel: 'linear' });
  }
  const { data, info } = await pipeline.raw({ depth: sixteen ? 'ushort' : 'uchar' }).toBuffer({ resolveWithObject: true });
  if (info.channels !== 3) throw new Error(`${file}: expected 3 channels after conversion, got ${info.channels}`);
  const samples = sixteen ? new Uint16Array(data.buffer, data.byteOffset, data.byteLength / 2) : new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  return rawImage(info.width, info.height, samples, sixteen ? 65535 : 255);
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
