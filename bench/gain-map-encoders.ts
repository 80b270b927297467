/**
 * The two gain-map JPEG encoders side by side on one 24 MP photo, in one run: the CLI's
 * (whole-image map, sharp/libjpeg-turbo) and the plugin's (map cells added a row band at a
 * time as the tile loop adds cores, jpeg-js, generated sRGB profile). Both go through the
 * shared assembler. The reconstruction is synthetic (gain 4 wherever a sample is clipped):
 * the figures are encoding time, file size and how the photo comes back, not HDRCNN's.
 */
import sharp from 'sharp';
import { encodeGainMapJpeg } from '../src/cli/gain-map-jpeg';
import { GainMapCells } from '../src/core/gain-map';
import { encodeGainMapJpegPureJs } from '../src/gain-map-jpeg/pure-js';
import { decodeGainMapJpeg, quantile } from '../tools/gain-map-decode';
import { largePhoto } from './scale';
import { printTable } from './stats';

/** Rows the plugin's tile loop hands over at once (a tile core). */
const BAND = 256;

export async function benchGainMapEncoders(): Promise<void> {
  const { data, info } = await sharp(await largePhoto())
    .removeAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  const { width, height } = info;
  const samples = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  const linear = (v: number) => (v / 255) ** 2;
  const gain = (v: number) => (v >= 250 ? 4 : 1);
  const rows: Array<Array<string | number>> = [];
  const row = async (name: string, encode: () => Promise<Uint8Array> | Uint8Array) => {
    const start = process.hrtime.bigint();
    const file = await encode();
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    const decoded = await decodeGainMapJpeg(file);
    const codes = Array.from({ length: 1_000_000 }, (_, k) => {
      const i = Math.floor((k / 1_000_000) * samples.length);
      return Math.abs(samples[i] - decoded.base[i]);
    });
    const exact = codes.filter((c) => c === 0).length / codes.length;
    rows.push([
      name,
      seconds,
      file.length / 2 ** 20,
      quantile(codes, 0.5),
      `${(100 * exact).toFixed(0)} %`,
      quantile(codes, 0.999),
    ]);
  };

  await row('CLI: sharp', async () => {
    const hdr = { width, height, data: Float32Array.from(samples, (v) => linear(v) * gain(v)) };
    const base = { width, height, samples, maxValue: 255 };
    return (await encodeGainMapJpeg(base, hdr, { gamma: 1, scaling: 1 }, { scale: 2, quality: 85 })).bytes;
  });
  await row('plugin: jpeg-js', () => {
    const cells = new GainMapCells(width, height, { scale: 2 });
    const rgba = new Uint8Array(width * height * 4).fill(255);
    for (let top = 0; top < height; top += BAND) {
      const n = Math.min(BAND, height - top) * width * 3;
      const [R, D] = [new Float32Array(n), new Float32Array(n)];
      for (let i = 0; i < n; i++) {
        const v = samples[top * width * 3 + i];
        [R[i], D[i]] = [linear(v) * gain(v), linear(v)];
        rgba[(top * width + Math.floor(i / 3)) * 4 + (i % 3)] = v;
      }
      cells.add({ left: 0, top, width, height: n / width / 3 }, R, D);
    }
    return encodeGainMapJpegPureJs({ width, height, data: rgba }, cells.finish(), { primary: 98, gainMap: 85 });
  });
  printTable(
    `Gain-map JPEG encoders, ${width}×${height} (photo q98, map 1/2 q85; 10⁶ samples compared)`,
    ['encoder', 'encode s', 'file MiB', 'median code error', 'samples exact', '99.9th pct error'],
    rows,
  );
}
