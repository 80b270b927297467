/**
 * The plugin's encoder (jpeg-js + the generated sRGB profile + the shared assembler), read
 * back by other people's code: gainmap-js's reader and sharp (bench/gain-map-decode.ts),
 * ExifReader for the ICC profile and the gain-map metadata.
 */
import ExifReader from 'exifreader';
import { encode } from 'jpeg-js';
import sharp from 'sharp';
import { decodeGainMapJpeg, quantile } from '../../tools/gain-map-decode';
import { GainMapCells } from '../../src/core/gain-map';
import { encodeGainMapJpegPureJs, withIccProfile, type RgbaPhoto } from '../../src/gain-map-jpeg/pure-js';
import { srgbIccProfile } from '../../src/gain-map-jpeg/srgb-icc';

/** A 37×23 gradient with a coloured band, and its gain map: gain 4 (2 stops) in the top-left 8×8 block. */
function sample(): { photo: RgbaPhoto; cells: GainMapCells } {
  const [width, height] = [37, 23];
  const data = new Uint8Array(width * height * 4);
  for (let p = 0; p < width * height; p++) {
    const [x, y] = [p % width, Math.floor(p / width)];
    data.set([(x * 7) % 256, (y * 11) % 256, ((x + y) * 5) % 256, 255], 4 * p);
  }
  const cells = new GainMapCells(width, height, { scale: 1 });
  const hdr = new Float32Array(width * height * 3).fill(0.5);
  const linear = new Float32Array(width * height * 3).fill(0.5);
  for (let y = 0; y < 8; y++)
    for (let x = 0; x < 8; x++) hdr.fill(4 * 0.5 + 3 / 64, (y * width + x) * 3, (y * width + x) * 3 + 3);
  cells.add({ left: 0, top: 0, width, height }, hdr, linear);
  return { photo: { width, height, data }, cells };
}

/** The H×V sampling factors of the first frame's components (SOF0, ITU T.81 B.2.2). */
function samplingFactors(jpeg: Uint8Array): number[] {
  let at = 2;
  while (jpeg[at] === 0xff && jpeg[at + 1] !== 0xc0) at += 2 + ((jpeg[at + 2] << 8) | jpeg[at + 3]);
  const components = jpeg[at + 9];
  return Array.from({ length: components }, (_, c) => jpeg[at + 11 + 3 * c]);
}

describe('pure-JS gain-map JPEG', () => {
  it('keeps the photo (4:4:4, sRGB profile honoured by sharp) and the gains', async () => {
    const { photo, cells } = sample();
    const map = cells.finish();
    expect(map.maxBoostStops).toBeCloseTo(2, 5);
    const file = encodeGainMapJpegPureJs(photo, map, { primary: 98, gainMap: 85 });
    const decoded = await decodeGainMapJpeg(file);
    expect([decoded.width, decoded.height]).toEqual([37, 23]);
    const errors = Array.from(decoded.base, (v, i) => Math.abs(v - photo.data[Math.floor(i / 3) * 4 + (i % 3)]));
    expect(quantile(errors, 0.5)).toBeLessThanOrEqual(1);
    // Gain 4 in the block, 1 elsewhere (the map is full size here).
    const gain = (x: number, y: number) => decoded.gainMap.data[(y * 37 + x) * 3];
    expect(gain(3, 3)).toBeGreaterThanOrEqual(250);
    expect(gain(30, 20)).toBeLessThanOrEqual(2);
    expect(decoded.metadata.gainMapMax[0]).toBeCloseTo(2, 3);
    expect(samplingFactors(file)).toEqual([0x11, 0x11, 0x11]); // every component at full resolution: 4:4:4
    expect((await sharp(file).metadata()).icc?.length).toBe(srgbIccProfile().length);
  });

  it('has an ICC profile that ExifReader reads as sRGB display RGB, and the hdrgm XMP', () => {
    const { photo, cells } = sample();
    const tags = ExifReader.load(encodeGainMapJpegPureJs(photo, cells.finish(), { primary: 98, gainMap: 85 }).buffer, {
      expanded: true,
    });
    expect(tags.icc?.['Profile Version']?.description).toBe('2.1.0');
    expect(tags.icc?.['Profile/Device class']?.description).toBe('Display Device profile');
    expect(tags.icc?.['Color Space']?.description.trim()).toBe('RGB');
    expect(tags.icc?.['ICC Description']?.description).toBe('sRGB IEC61966-2.1 (HDR Reconstruct)');
    expect(tags.xmp?.Version?.description ?? tags.xmp?.['hdrgm:Version']?.description).toBe('1.0');
  });

  it('decodes through its ICC profile exactly as sRGB (sharp honours embedded profiles: Display P3 decodes otherwise)', async () => {
    const { photo } = sample();
    const plain = new Uint8Array(encode({ ...photo }, 98).data);
    const rgb = async (jpeg: Uint8Array) => new Uint8Array(await sharp(jpeg).toColourspace('srgb').raw().toBuffer());
    const untagged = await rgb(plain);
    const ours = await rgb(withIccProfile(plain, srgbIccProfile()));
    const p3 = await rgb(
      await sharp(await sharp(plain).withIccProfile('p3').toBuffer())
        .jpeg({ quality: 98 })
        .toBuffer(),
    );
    const largest = (a: Uint8Array, b: Uint8Array) => a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i])), 0);
    expect(largest(ours, untagged)).toBeLessThanOrEqual(1);
    expect(largest(p3, untagged)).toBeGreaterThan(10);
  });
});
