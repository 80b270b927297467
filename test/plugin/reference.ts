/**
 * Test images from the fixture photo and what the CLI makes of them: the CLI's own
 * pipeline (core reconstruct() on onnxruntime-node, default tiling, as `predict
 * --full-res` runs it) on the same display-referred pixels.
 */
import type { HdrcnnSettings } from '../../src/core/hdrcnn';
import { createRgbImage, type RgbImage } from '../../src/core/image';
import { reconstruct } from '../../src/core/reconstruct';
import { createOrtNodeBackend } from '../../src/runtime/ort-node';
import { fixtureInput, tinyModelBytes } from '../helpers/fixture';

/** The fixture photo (96×64, 15% of samples clipped) as 8-bit RGB codes. */
export async function photo8(): Promise<{ width: number; height: number; data: Uint8Array }> {
  const image = await fixtureInput();
  return { width: image.width, height: image.height, data: Uint8Array.from(image.data, (v) => Math.round(v * 255)) };
}

/** The CLI's HDR output for display-referred RGB `image`. */
export async function cliReference(image: RgbImage, settings: Partial<HdrcnnSettings>): Promise<RgbImage> {
  const backend = await createOrtNodeBackend(tinyModelBytes(), { threads: 1 });
  try {
    return (await reconstruct(image, backend, { settings })).image;
  } finally {
    await backend.dispose();
  }
}

/** Display-referred RGB from 1 or 3 components per pixel of `data`, through `toDisplay`. */
export function rgbFrom(
  data: ArrayLike<number>,
  width: number,
  height: number,
  components: 1 | 3,
  toDisplay: (v: number) => number,
): RgbImage {
  const out = createRgbImage(width, height);
  for (let p = 0; p < width * height; p++) {
    for (let c = 0; c < 3; c++) out.data[p * 3 + c] = toDisplay(data[p * components + (components === 3 ? c : 0)]);
  }
  return out;
}

/** The largest |a − b| / max(|b|, floor) over colour samples of chunky `actual` (with `stride` per pixel) against RGB or its grey mean. */
export function worstError(
  actual: ArrayLike<number>,
  stride: number,
  components: 1 | 3,
  expected: RgbImage,
  floor = 1e-3,
): number {
  let worst = 0;
  for (let p = 0; p < expected.width * expected.height; p++) {
    for (let c = 0; c < components; c++) {
      const e =
        components === 3
          ? expected.data[p * 3 + c]
          : (expected.data[p * 3] + expected.data[p * 3 + 1] + expected.data[p * 3 + 2]) / 3;
      worst = Math.max(worst, Math.abs(actual[p * stride + c] - e) / Math.max(Math.abs(e), floor));
    }
  }
  return worst;
}
