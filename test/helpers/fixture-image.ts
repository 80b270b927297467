/** The golden fixture as images: its input in [0, 1] and the expected gamma-1 output. */
import sharp from 'sharp';
import { createRgbImage, type RgbImage } from '../../src/core/image';
import { fixturePath, readNpyFloat32 } from './fixture';

export async function fixtureInput(): Promise<RgbImage> {
  const { data, info } = await sharp(fixturePath('input.png')).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  return createRgbImage(info.width, info.height, Float32Array.from(data, (v) => v / 255));
}

export const expectedGamma1 = (): Float32Array => readNpyFloat32(fixturePath('expected_gamma_1_0.npy')).data;
