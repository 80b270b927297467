/** The EXR writer, read back by an independent reader (three's EXRLoader). */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readExr } from '../../tools/exr-input';
import { encodeExr } from '../../src/cli/exr';
import { createRgbImage, type RgbImage } from '../../src/core/image';
import { maxRelativeError } from '../helpers/fixture';

const dir = mkdtempSync(path.join(os.tmpdir(), 'hdr-exr-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function roundTrip(image: RgbImage, options: Parameters<typeof encodeExr>[1] = {}) {
  const file = path.join(dir, `${Math.random().toString(36).slice(2)}.exr`);
  writeFileSync(file, await encodeExr(image, options));
  return readExr(file);
}

/** Seeded HDR-like values: a wide range, positive, with structure and noise. */
function hdrImage(width: number, height: number): RgbImage {
  const image = createRgbImage(width, height);
  let s = 1;
  for (let i = 0; i < image.data.length; i++) {
    s = (s * 1103515245 + 12345) >>> 0;
    image.data[i] = 2 ** (((i % (3 * width)) / (3 * width)) * 20 - 10) * (0.5 + s / 2 ** 33);
  }
  return image;
}

describe('EXR writer', () => {
  // 37 lines: two full 16-line blocks and a short one; an odd width.
  const image = hdrImage(53, 37);

  it('RGB half: channels B, G, R; values within half precision (2^-11 relative)', async () => {
    const exr = await roundTrip(image);
    expect([exr.width, exr.height, exr.channels, exr.pixelType, exr.alpha]).toEqual([
      53,
      37,
      ['B', 'G', 'R'],
      1,
      undefined,
    ]);
    expect(maxRelativeError(exr.data, image.data)).toBeLessThanOrEqual(2 ** -11);
  });

  it('RGB float: exact', async () => {
    const exr = await roundTrip(image, { float: true });
    expect([exr.channels, exr.pixelType]).toEqual([['B', 'G', 'R'], 2]);
    expect(exr.data).toEqual(image.data);
  });

  it('RGBA when given coverage, half and float', async () => {
    const alpha = Float32Array.from({ length: 53 * 37 }, (_, i) => (i % 5) / 4);
    for (const float of [false, true]) {
      const exr = await roundTrip(image, { alpha, float });
      expect(exr.channels).toEqual(['A', 'B', 'G', 'R']);
      expect(exr.alpha).toEqual(alpha); // 0, 0.25, 0.5, 0.75, 1 are exact in half
      expect(maxRelativeError(exr.data, image.data)).toBeLessThanOrEqual(float ? 0 : 2 ** -11);
    }
  });

  it('half: values beyond its range saturate at ±65504 instead of becoming Inf; NaN becomes 0', async () => {
    const special = createRgbImage(
      4,
      2,
      new Float32Array([
        65504,
        65519,
        65520,
        1e9,
        Infinity,
        -1e9,
        -Infinity,
        NaN,
        2 ** -24,
        2 ** -26,
        -0.5,
        1 / 3,
        0,
        0,
        0,
        0,
        0,
        0,
        0,
        0,
        0,
        0,
        0,
        0,
      ]),
    );
    const exr = await roundTrip(special);
    expect(Array.from(exr.data.subarray(0, 12))).toEqual([
      65504,
      65504,
      65504,
      65504,
      65504,
      -65504,
      -65504,
      0,
      2 ** -24,
      0,
      -0.5,
      0.333251953125,
    ]);
  });

  it('float: Inf saturates to the largest float, NaN becomes 0', async () => {
    const special = createRgbImage(1, 1, new Float32Array([Infinity, NaN, -1e30]));
    expect(Array.from((await roundTrip(special, { float: true })).data)).toEqual([
      3.4028234663852886e38,
      0,
      Math.fround(-1e30),
    ]);
  });

  it('a block that zlib cannot shrink is stored uncompressed, as OpenEXR does', async () => {
    // One float pixel: 12 bytes, less than zlib's own header and checksum.
    const pixel = createRgbImage(1, 1, new Float32Array([1.5, -2.25, 3e-5]));
    const bytes = await encodeExr(pixel, { float: true });
    expect(new DataView(bytes.buffer).getInt32(bytes.length - 12 - 4, true)).toBe(12);
    expect((await roundTrip(pixel, { float: true })).data).toEqual(pixel.data);
  });
});
