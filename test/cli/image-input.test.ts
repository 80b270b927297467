/** Image decoding: the pixel budget, orientation, animation, float TIFF, transparency, tiny images. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { deflateSync } from 'node:zlib';
import sharp from 'sharp';
import { crc32 } from '../../src/weights/crc32';
import { MAX_INPUT_PIXELS, readImage } from '../../src/cli/image-input';
import { floatTiff } from '../../tools/float-tiff';

const dir = mkdtempSync(path.join(os.tmpdir(), 'hdr-images-'));
const file = (name: string, bytes: Uint8Array) => {
  writeFileSync(path.join(dir, name), bytes);
  return path.join(dir, name);
};
const pixel = (image: { samples: ArrayLike<number>; width: number }, x: number, y: number) =>
  Array.from({ length: 3 }, (_, c) => image.samples[(y * image.width + x) * 3 + c]);

/** A PNG whose header claims `width`×`height`, with only the first bytes of its image stream. */
function pngHeader(width: number, height: number): Uint8Array {
  const chunk = (type: string, body: number[]) => {
    const data = Uint8Array.from([...Buffer.from(type, 'latin1'), ...body]);
    const length = Buffer.alloc(4);
    length.writeUInt32BE(body.length);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(data));
    return [...length, ...data, ...crc];
  };
  const be = (n: number) => [n >>> 24, (n >> 16) & 255, (n >> 8) & 255, n & 255];
  const ihdr = [...be(width), ...be(height), 8, 2, 0, 0, 0];
  const idat = [...deflateSync(new Uint8Array(4096))];
  return Uint8Array.from([
    0x89,
    0x50,
    0x4e,
    0x47,
    0x0d,
    0x0a,
    0x1a,
    0x0a,
    ...chunk('IHDR', ihdr),
    ...chunk('IDAT', idat),
    ...chunk('IEND', []),
  ]);
}

describe('readImage', () => {
  it('refuses an image over the pixel budget from its header, before decoding', async () => {
    expect(MAX_INPUT_PIXELS).toBe(134_217_728);
    const huge = file('huge.png', pngHeader(16383, 16383));
    await expect(readImage(huge)).rejects.toThrow(
      `${huge}: 16383×16383 is 268 megapixels, over the limit of 134 megapixels per image`,
    );
    await expect(readImage(huge, { width: 1024, height: 768 })).rejects.toThrow(/over the limit of 134 megapixels/);
  });

  // libvips' own messages end in newlines.
  it('says what is wrong with a damaged file on one line that names it', async () => {
    const jpeg = await sharp({ create: { width: 16, height: 16, channels: 3, background: 'red' } })
      .jpeg()
      .toBuffer();
    const cut = file('cut.jpg', jpeg.subarray(0, 200));
    const message = await readImage(cut).then(
      () => '',
      (e: Error) => e.message,
    );
    expect(message.startsWith(`${cut}: `)).toBe(true);
    expect(message).not.toMatch(/\n/);
  });

  it('applies the EXIF orientation', async () => {
    // 64×32, red left half, blue right half, stored with orientation 6 (to be turned 90° clockwise).
    const raw = Buffer.alloc(64 * 32 * 3);
    for (let p = 0; p < 64 * 32; p++) raw.set(p % 64 < 32 ? [255, 0, 0] : [0, 0, 255], 3 * p);
    const jpeg = await sharp(raw, { raw: { width: 64, height: 32, channels: 3 } })
      .jpeg({ quality: 100 })
      .withMetadata({ orientation: 6 })
      .toBuffer();
    const image = await readImage(file('rotated.jpg', jpeg));
    expect([image.width, image.height]).toEqual([32, 64]);
    expect(pixel(image, 16, 8).map((v) => Math.round(v / 64))).toEqual([4, 0, 0]); // top: red
    expect(pixel(image, 16, 56).map((v) => Math.round(v / 64))).toEqual([0, 0, 4]); // bottom: blue
  });

  it('warns that an animated GIF or WebP gives its first frame', async () => {
    const frame = (background: string) =>
      sharp({ create: { width: 8, height: 8, channels: 3, background } })
        .png()
        .toBuffer();
    const frames = [await frame('red'), await frame('blue')];
    for (const format of ['gif', 'webp'] as const) {
      const warn = jest.fn();
      const name = file(
        `animated.${format}`,
        await sharp(frames, { join: { animated: true } })
          .toFormat(format)
          .toBuffer(),
      );
      const image = await readImage(name, undefined, warn);
      expect(warn).toHaveBeenCalledWith(`${name}: 2 frames or pages; using the first`);
      expect([image.width, image.height]).toEqual([8, 8]);
      expect(pixel(image, 4, 4)[0]).toBeGreaterThan(200);
    }
  });

  it('keeps a 32-bit float TIFF as float: linear values through the sRGB curve, not quantised', async () => {
    const linear = new Float32Array(4 * 2 * 3).map((_, i) => 0.001 + i / 30);
    linear[3] = 2; // above 1: clipped to 1
    const image = await readImage(file('float.tif', floatTiff(4, 2, 3, linear)));
    expect(image.samples).toBeInstanceOf(Float32Array);
    expect(image.maxValue).toBe(1);
    const srgb = (v: number) => (v <= 0.0031308 ? 12.92 * v : 1.055 * v ** (1 / 2.4) - 0.055);
    expect(image.samples[1]).toBeCloseTo(srgb(linear[1]), 6);
    expect(image.samples[23]).toBeCloseTo(srgb(linear[23]), 6);
    expect(image.samples[3]).toBe(1);
    const grey = await readImage(file('grey.tif', floatTiff(4, 2, 1, new Float32Array(8).fill(0.2))));
    expect(pixel(grey, 1, 1).map((v) => v.toFixed(6))).toEqual(new Array(3).fill(srgb(0.2).toFixed(6)));
  });

  it('shows fully transparent pixels as black, resized or at full resolution alike', async () => {
    // 64×32 white, stored colour kept under alpha 0 in the left half.
    const rgba = Buffer.alloc(64 * 32 * 4, 255);
    for (let p = 0; p < 64 * 32; p++) if (p % 64 < 32) rgba[4 * p + 3] = 0;
    const png = file(
      'transparent.png',
      await sharp(rgba, { raw: { width: 64, height: 32, channels: 4 } })
        .png()
        .toBuffer(),
    );
    const full = await readImage(png);
    const resized = await readImage(png, { width: 64, height: 32 });
    for (const image of [full, resized]) {
      expect(pixel(image, 8, 8)).toEqual([0, 0, 0]);
      expect(pixel(image, 56, 8)).toEqual([255, 255, 255]);
    }
  });

  it('resizes a 1×1 PNG to the whole prediction', async () => {
    const one = file(
      'one.png',
      await sharp({ create: { width: 1, height: 1, channels: 3, background: '#40c080' } })
        .png()
        .toBuffer(),
    );
    const image = await readImage(one, { width: 64, height: 32 });
    expect([image.width, image.height]).toEqual([64, 32]);
    expect(pixel(image, 63, 31)).toEqual([0x40, 0xc0, 0x80]);
  });
});
