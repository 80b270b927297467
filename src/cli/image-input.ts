/**
 * Reads PNG (8/16-bit), JPEG and TIFF files into float RGB in [0, 1] through
 * sharp (libvips): colour-managed decoding of every format we accept, in a
 * maintained native library. Alpha is dropped (HDRCNN has no alpha);
 * greyscale becomes RGB.
 */
import sharp from 'sharp';
import { centreCrop } from '../core/crop';
import { createRgbImage, type RgbImage } from '../core/image';

export interface DecodedImage {
  readonly image: RgbImage;
  /** Bits per sample of the file: 8 or 16. */
  readonly bitDepth: 8 | 16;
  /** The file's own size, before any resize. */
  readonly sourceWidth: number;
  readonly sourceHeight: number;
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
  const samples = sixteen ? new Uint16Array(data.buffer, data.byteOffset, data.byteLength / 2) : data;
  const scale = 1 / (sixteen ? 65535 : 255);
  const out = new Float32Array(samples.length);
  for (let i = 0; i < samples.length; i++) out[i] = samples[i] * scale;
  return { image: createRgbImage(info.width, info.height, out), bitDepth: sixteen ? 16 : 8, sourceWidth: meta.width, sourceHeight: meta.height };
}
