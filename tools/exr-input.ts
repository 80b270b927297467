/**
 * Reads an OpenEXR file (any compression three's EXRLoader supports) into float RGB, top row
 * first, with its channel names and, when it has one, the A channel.
 */
import { readFileSync } from 'node:fs';
import { EXRLoader } from 'three/examples/jsm/loaders/EXRLoader.js';
import { FloatType } from 'three/src/constants.js';
import { createRgbImage, type RgbImage } from '../src/core/image';

export interface ExrImage extends RgbImage {
  /** As stored: alphabetical, e.g. ['B', 'G', 'R']. */
  readonly channels: string[];
  /** 1 = half, 2 = float (OpenEXR's pixel types), of the first channel. */
  readonly pixelType: number;
  readonly alpha?: Float32Array;
}

export function readExr(file: string): ExrImage {
  const bytes = readFileSync(file);
  const loader = new EXRLoader().setDataType(FloatType);
  const parsed = loader.parse(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength)) as unknown as {
    width: number;
    height: number;
    data: Float32Array;
    header: { channels: Array<{ name: string; pixelType: number }> };
  };
  const { width, height, data } = parsed;
  const channels = parsed.header.channels.map((c) => c.name);
  const image = createRgbImage(width, height);
  const alpha = channels.includes('A') ? new Float32Array(width * height) : undefined;
  // The loader returns RGBA rows bottom-up (GL order).
  for (let y = 0; y < height; y++) {
    const src = (height - 1 - y) * width * 4;
    for (let x = 0; x < width; x++) {
      for (let c = 0; c < 3; c++) image.data[(y * width + x) * 3 + c] = data[src + 4 * x + c];
      if (alpha) alpha[y * width + x] = data[src + 4 * x + 3];
    }
  }
  return { ...image, channels, pixelType: parsed.header.channels[0].pixelType, alpha };
}
