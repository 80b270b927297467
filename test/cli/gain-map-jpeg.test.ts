/**
 * `predict --format jpg` end to end, read back by other people's code: gainmap-js's
 * reader and sharp decode the file (tools/gain-map-decode.ts), ExifReader and exiftool
 * parse its metadata. Errors are in stops, per channel, against the PFM reconstruction.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { extractISO, extractXMP } from '@monogrid/gainmap-js';
import ExifReader from 'exifreader';
import sharp, { type Sharp } from 'sharp';
import {
  decodeGainMapJpeg,
  quantile,
  srgbToLinear,
  stopErrors,
  type DecodedGainMapJpeg,
} from '../../tools/gain-map-decode';
import { main } from '../../src/cli/main';
import { captureIo } from '../helpers/cli-io';
import { fixturePath } from '../helpers/fixture';
import { decodePfm } from '../helpers/pfm';

const ISO_NAMESPACE = 'urn:iso:std:iso:ts:21496:-1\0';

describe('predict --format jpg', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'hdr-gainmap-'));
  const params = fixturePath('params.npz');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  /** What the last predict() printed. */
  let printed = '';

  async function predict(input: string, name: string, ...extra: string[]): Promise<string> {
    const out = path.join(dir, name);
    const captured = captureIo();
    const args = ['predict', '--params', params, '--im_dir', input, '--out_dir', out, '--full-res', ...extra];
    expect(await main(args, captured.io)).toBe(0);
    printed = captured.out();
    return out;
  }
  const pfmOf = (out: string) => decodePfm(new Uint8Array(readFileSync(path.join(out, '000001_out.pfm')))).data;
  const jpgOf = (out: string) => readFileSync(path.join(out, '000001_out.jpg'));

  /** The photo's samples at 8 bits, as sharp decodes the input (alpha dropped). */
  async function photo(input: string | Sharp): Promise<Uint8Array> {
    const image = typeof input === 'string' ? sharp(input) : input;
    const { data } = await image.removeAlpha().toColourspace('srgb').raw().toBuffer({ resolveWithObject: true });
    return new Uint8Array(data);
  }

  function expectBaseIsPhoto(decoded: DecodedGainMapJpeg, samples: Uint8Array): void {
    // JPEG's YCbCr round trip alone moves codes by ±1; q98 without chroma subsampling keeps most samples exact.
    const codes = Array.from(samples, (s, i) => Math.abs(s - decoded.base[i]));
    expect(quantile(codes, 0.5)).toBeLessThanOrEqual(1);
    expect(codes.reduce((a, b) => a + b) / codes.length).toBeLessThan(2);
  }

  describe('the fixture photo (15 % clipped), gamma 1.2', () => {
    // The test weights are random: their highlights are pixel noise, which only a full-size
    // map carries; smooth highlights and the default scale are measured in the bench.
    const gamma = 1.2;
    let decoded: DecodedGainMapJpeg;
    let samples: Uint8Array;
    let reconstruction: Float32Array;
    let file: Buffer;

    beforeAll(async () => {
      reconstruction = pfmOf(
        await predict(fixturePath('input.png'), 'pfm', '--format', 'pfm', '--gamma', String(gamma)),
      );
      file = jpgOf(
        await predict(
          fixturePath('input.png'),
          'jpg',
          '--format',
          'jpg',
          '--gamma',
          String(gamma),
          '--max-boost',
          '6',
          '--gain-map-scale',
          '1',
          '--gain-map-quality',
          '90',
        ),
      );
      decoded = await decodeGainMapJpeg(new Uint8Array(file));
      samples = await photo(fixturePath('input.png'));
    });

    it('has the photo as its base image, at its size', () => {
      expect([decoded.width, decoded.height]).toEqual([96, 64]);
      expectBaseIsPhoto(decoded, samples);
      expect(printed).toMatch(/gain map: max boost 6\.00 stops \(64\.0×\), encoded in [\d.]+ s/);
    });

    it('decodes to the reconstruction: ≤ 0.15 stops (median) in the highlights, ≤ 0.05 elsewhere', () => {
      const errors = stopErrors(decoded, samples, reconstruction, 6, gamma);
      expect(errors.highlights.length).toBeGreaterThan(1000);
      expect(quantile(errors.highlights, 0.5)).toBeLessThanOrEqual(0.15);
      expect(quantile(errors.elsewhere, 0.5)).toBeLessThanOrEqual(0.05);
    });

    it('carries gain 1 exactly wherever a JPEG block of the map saw nothing reconstructed', () => {
      const { width, height, data } = decoded.gainMap;
      let blocks = 0;
      for (let by = 0; by < height; by += 8) {
        for (let bx = 0; bx < width; bx += 8) {
          const block: number[] = [];
          for (let y = by; y < Math.min(height, by + 8); y++)
            for (let x = bx; x < Math.min(width, bx + 8); x++)
              for (let c = 0; c < 3; c++) block.push((y * width + x) * 3 + c);
          const untouched = block.every((i) => reconstruction[i] <= (samples[i] / 255) ** 2 * (1 + 1e-5));
          if (!untouched) continue;
          blocks++;
          expect(block.filter((i) => data[i] !== 0)).toEqual([]);
          // Gain 1: the viewer shows the photo's own linear value.
          expect(block.filter((i) => Math.abs(decoded.hdr[i] - srgbToLinear(decoded.base[i] / 255)) > 1e-6)).toEqual(
            [],
          );
        }
      }
      expect(blocks).toBeGreaterThanOrEqual(20); // of 96 blocks
    });

    it('writes the hdrgm XMP, Container:Directory and MPF that ExifReader reads', () => {
      const primary = ExifReader.load(file, { expanded: true }) as ExifReader.ExpandedTags & {
        mpf?: Record<string, any>;
      };
      const items = (
        primary.xmp!.Directory.value as unknown as Array<{ Item: { value: Record<string, { value: string }> } }>
      ).map((i) => i.Item.value);
      expect(items.map((i) => i.Semantic.value)).toEqual(['Primary', 'GainMap']);
      expect(primary.xmp!.Version.value).toBe('1.0');
      expect(primary.mpf!.NumberOfImages.value).toBe(2);
      const gainMapJpeg = Buffer.from(primary.mpf!.Images[1].base64, 'base64');
      expect(Number(items[1].Length.value)).toBe(gainMapJpeg.length);
      expect(primary.mpf!.Images[0].ImageSize.value + gainMapJpeg.length).toBe(file.length);
      const secondary = ExifReader.load(gainMapJpeg, { expanded: true });
      const xmp = secondary.xmp as Record<string, { value: string }>;
      expect([xmp.GainMapMin.value, xmp.GainMapMax.value, xmp.Gamma.value, xmp.HDRCapacityMax.value]).toEqual([
        '0',
        '6',
        '1',
        '6',
      ]);
      expect([xmp.OffsetSDR.value, xmp.OffsetHDR.value, xmp.BaseRenditionIsHDR.value]).toEqual([
        '0.015625',
        '0.015625',
        'False',
      ]);
    });

    it('carries ISO 21496-1 metadata in both images, agreeing with the XMP', () => {
      const secondary = file.subarray(file.length - decoded.gainMapBytes);
      expect(file.subarray(0, 2000).includes(ISO_NAMESPACE)).toBe(true);
      const iso = extractISO(new Uint8Array(secondary));
      expect(iso).toBeDefined();
      expect(iso!.gainMapMax.map((v) => Math.round(v * 1e6) / 1e6)).toEqual([6, 6, 6]);
      expect(iso!.hdrCapacityMax).toBeCloseTo(6, 6);
      const xmp = extractXMP(new Uint8Array(secondary));
      expect(xmp!.gainMapMax).toEqual([6, 6, 6]);
    });

    // exiftool is a Debian package (.ci/run installs it); a machine without it skips this one check.
    const withExiftool = spawnSync('exiftool', ['-ver']).status === 0 ? it : it.skip;
    withExiftool(
      'is a multi-picture JPEG with a gain map to exiftool (skipped where exiftool is not installed)',
      () => {
        const tags = JSON.parse(
          execFileSync('exiftool', ['-j', '-G1', path.join(dir, 'jpg', '000001_out.jpg')], { encoding: 'utf8' }),
        )[0];
        expect(tags['MPF0:NumberOfImages']).toBe(2);
        expect(tags['XMP-hdrgm:Version']).toBe(1); // 1.0, as exiftool's JSON writes it
        const map = execFileSync('exiftool', ['-b', '-MPImage2', path.join(dir, 'jpg', '000001_out.jpg')]);
        const mapTags = JSON.parse(execFileSync('exiftool', ['-j', '-G1', '-'], { input: map, encoding: 'utf8' }))[0];
        expect([
          mapTags['XMP-hdrgm:GainMapMax'],
          mapTags['XMP-hdrgm:HDRCapacityMax'],
          mapTags['File:ImageWidth'],
        ]).toEqual([6, 6, 96]);
      },
    );
  });

  describe('hostile inputs, default gain-map settings', () => {
    const images = path.join(dir, 'hostile');
    beforeAll(() => mkdirSync(images));

    async function roundTrip(name: string, image: Sharp) {
      const input = path.join(images, `${name}.png`);
      await image.png().toFile(input);
      const reconstruction = pfmOf(await predict(input, `${name}-pfm`, '--format', 'pfm'));
      const file = jpgOf(await predict(input, `${name}-jpg`, '--format', 'jpg'));
      return {
        file,
        decoded: await decodeGainMapJpeg(new Uint8Array(file)),
        samples: await photo(input),
        reconstruction,
      };
    }

    it('nothing clipped: a valid file whose gain map is all ones', async () => {
      const { decoded, samples } = await roundTrip(
        'dark',
        sharp({ create: { width: 40, height: 30, channels: 3, background: { r: 90, g: 60, b: 30 } } }),
      );
      expect([decoded.gainMap.width, decoded.gainMap.height]).toEqual([20, 15]);
      expect(decoded.gainMap.data.every((c) => c === 0)).toBe(true);
      expectBaseIsPhoto(decoded, samples);
      expect(printed).toMatch(/max boost 1\.00 stops/);
    });

    it('1×1 clipped pixel, and odd sizes: the map is rounded up and still decodes', async () => {
      const one = await roundTrip(
        'one',
        sharp({ create: { width: 1, height: 1, channels: 3, background: '#ffffff' } }),
      );
      expect([one.decoded.width, one.decoded.height, one.decoded.gainMap.width, one.decoded.gainMap.height]).toEqual([
        1, 1, 1, 1,
      ]);
      const odd = await roundTrip(
        'odd',
        sharp(fixturePath('input.png')).extract({ left: 3, top: 5, width: 77, height: 41 }),
      );
      expect([odd.decoded.width, odd.decoded.height, odd.decoded.gainMap.width, odd.decoded.gainMap.height]).toEqual([
        77, 41, 39, 21,
      ]);
      const errors = stopErrors(odd.decoded, odd.samples, odd.reconstruction, odd.decoded.metadata.gainMapMax[0]);
      expect(quantile(errors.elsewhere, 0.5)).toBeLessThanOrEqual(0.05);
    });

    it('16-bit input: the base is the photo rounded to 8 bits, the gains come from the 16-bit reconstruction', async () => {
      const { data, info } = await sharp(fixturePath('input.png')).raw().toBuffer({ resolveWithObject: true });
      // Codes between the 8-bit ones, so rounding matters.
      const sixteen = Uint16Array.from(data, (v, i) => Math.max(0, Math.min(65535, v * 257 + ((i * 37) % 129) - 64)));
      const raw = { raw: { width: info.width, height: info.height, channels: 3 as const } };
      const { decoded, reconstruction } = await roundTrip('sixteen', sharp(sixteen, raw).toColourspace('rgb16'));
      expect((await sharp(path.join(images, 'sixteen.png')).metadata()).depth).toBe('ushort');
      const rounded = Uint8Array.from(sixteen, (v) => Math.round(v / 257));
      expectBaseIsPhoto(decoded, rounded);
      const errors = stopErrors(decoded, rounded, reconstruction, decoded.metadata.gainMapMax[0]);
      expect(quantile(errors.elsewhere, 0.5)).toBeLessThanOrEqual(0.05);
    });

    it('transparency is dropped: fully transparent pixels are black in the base, as the network saw them', async () => {
      const rgba = Buffer.alloc(16 * 8 * 4);
      for (let p = 0; p < 16 * 8; p++) rgba.set([250, 120, 40, p % 2 ? 0 : 255], 4 * p);
      const { decoded } = await roundTrip('alpha', sharp(rgba, { raw: { width: 16, height: 8, channels: 4 } }));
      expect([decoded.width, decoded.height]).toEqual([16, 8]);
      const seen = Uint8Array.from({ length: 16 * 8 * 3 }, (_, i) =>
        Math.floor(i / 3) % 2 ? 0 : [250, 120, 40][i % 3],
      );
      expectBaseIsPhoto(decoded, seen);
    });

    it('refuses bad gain-map options before any work', async () => {
      const out = path.join(dir, 'refused');
      const args = [
        'predict',
        '--params',
        params,
        '--im_dir',
        fixturePath('input.png'),
        '--out_dir',
        out,
        '--format',
        'jpg',
      ];
      const refused = async (extra: string[], message: RegExp) => {
        const captured = captureIo();
        expect(await main([...args, ...extra], captured.io)).toBe(2);
        expect(captured.err()).toMatch(message);
      };
      await refused(
        ['--gain-map-scale', '3.5'],
        /'--gain-map-scale <n>' argument '3\.5' is invalid\. It must be a whole number from 1 to 64/,
      );
      await refused(['--max-boost=-1'], /'--max-boost <stops>' argument '-1' is invalid\. It must be greater than 0/);
      await refused(['--max-boost', '17'], /It must be at most 16 stops/);
      await refused(
        ['--gain-map-quality', '0'],
        /'--gain-map-quality <q>' argument '0' is invalid\. It must be a whole number from 1 to 100/,
      );
      expect(() => readFileSync(path.join(out, '000001_out.png'))).toThrow(/ENOENT/);
    });
  });
});
