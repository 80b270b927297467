/** Reads an OpenEXR file (any compression three's EXRLoader supports) into float RGB, top row first. */
import { readFileSync } from 'node:fs';
import { EXRLoader } from 'three/examples/jsm/loaders/EXRLoader.js';
import { FloatType } from 'three/src/constants.js';
import { createRgbImage, type RgbImage } from '../src/core/image';

export function readExr(file: string): RgbImage {
  const bytes = readFileSync(file);
  const loader = new EXRLoader().setDataType(FloatType);
  const { width, height, data } = loader.parse(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength)) as unknown as { width: number; height: number; data: Float32Array };
  const image = createRgbImage(width, height);
  // The loader returns rows bottom-up (GL order).
  for (let y = 0; y < height; y++) {
    const src = (height - 1 - y) * width * 4;
    for (let x = 0; x < width; x++) for (let c = 0; c < 3; c++) image.data[(y * width + x) * 3 + c] = data[src + 4 * x + c];
  }
  return image;
}
