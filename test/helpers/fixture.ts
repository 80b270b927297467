/** Access to the golden fixture in test/fixtures/hdrcnn-tiny (an independent NumPy implementation's output). */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { createRgbImage, type RgbImage } from '../../src/core/image';
import { readNpyHeader } from '../../src/weights/npy';
import { convertWeights } from '../../src/weights/load-model';

export const FIXTURE_DIR = path.join(__dirname, '..', 'fixtures', 'hdrcnn-tiny');
export const fixturePath = (name: string): string => path.join(FIXTURE_DIR, name);

/** A float32 .npy array's values (C order). */
export function readNpyFloat32(file: string): { shape: number[]; data: Float32Array } {
  const bytes = new Uint8Array(readFileSync(file));
  const header = readNpyHeader(bytes);
  if (header.descr !== '<f4') throw new Error(`${file}: expected <f4, got ${header.descr}`);
  const count = header.shape.reduce((a, b) => a * b, 1);
  return { shape: header.shape, data: new Float32Array(header.body.slice(0, count * 4).buffer) };
}

let tinyModel: Uint8Array | undefined;
/** The fixture's weights converted to ONNX (built once per test file). */
export function tinyModelBytes(): Uint8Array {
  tinyModel ??= convertWeights(new Uint8Array(readFileSync(fixturePath('params.npz'))));
  return tinyModel;
}

/** Largest |a − b| / max(|b|, floor) over all samples. */
export function maxRelativeError(actual: Float32Array, expected: Float32Array, floor = 1e-6): number {
  if (actual.length !== expected.length) throw new Error(`length ${actual.length} ≠ ${expected.length}`);
  let worst = 0;
  for (let i = 0; i < actual.length; i++)
    worst = Math.max(worst, Math.abs(actual[i] - expected[i]) / Math.max(Math.abs(expected[i]), floor));
  return worst;
}

/** The fixture's input photo as RGB in [0, 1]. */
export async function fixtureInput(): Promise<RgbImage> {
  const { data, info } = await sharp(fixturePath('input.png'))
    .removeAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  return createRgbImage(
    info.width,
    info.height,
    Float32Array.from(data, (v) => v / 255),
  );
}

/** The independent implementation's output for gamma 1.0. */
export const expectedGamma1 = (): Float32Array => readNpyFloat32(fixturePath('expected_gamma_1_0.npy')).data;
