/**
 * EXR writing at 24 MP (6000×4000), side by side: our writer (src/cli/exr.ts), three's
 * EXRExporter (what the CLI used before), and OpenImageIO's oiiotool (`apt-get install
 * openimageio-tools`) converting a PFM of the same pixels to a half-float ZIP EXR. oiiotool
 * also reads the PFM, so its time is an upper bound on its write. `oiiotool --diff` checks that
 * both files hold the same pixels.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { createRgbImage, type RgbImage } from '../src/core/image';
import { encodeExr } from '../src/cli/exr';
import { encodeHdr } from '../src/cli/hdr-output';
import { BENCH_DIR } from './make-model';
import { printTable } from './stats';
import { SHARED } from './tiling';

/** A photo resized to the size, through x² with its brightest tenth stretched up to 20×: an HDR-like range. */
async function hdrImage(width: number, height: number): Promise<RgbImage> {
  const sample = path.join(SHARED, 'samples', 'img_001.png');
  if (!existsSync(sample)) throw new Error(`the exr section needs the shared sample photos (${sample})`);
  const raw = await sharp(sample)
    .removeAlpha()
    .resize(width, height, { fit: 'fill', kernel: 'linear' })
    .raw()
    .toBuffer();
  const image = createRgbImage(width, height);
  for (let i = 0; i < raw.length; i++) {
    const x = raw[i] / 255;
    image.data[i] = x * x * (x > 0.9 ? 1 + 190 * (x - 0.9) : 1);
  }
  return image;
}

function seconds(work: () => void): number {
  const started = performance.now();
  work();
  return (performance.now() - started) / 1000;
}

function oiiotool(...args: string[]): { ok: boolean; output: string } {
  const r = spawnSync('oiiotool', args, { encoding: 'utf8' });
  return { ok: !r.error && r.status === 0, output: `${r.stdout ?? ''}${r.stderr ?? ''}`.trim() };
}

export async function benchExrWrite(width = 6000, height = 4000): Promise<void> {
  mkdirSync(BENCH_DIR, { recursive: true });
  const image = await hdrImage(width, height);
  const ours = path.join(BENCH_DIR, 'exr-ours.exr');
  const rows: Array<Array<string | number>> = [];
  let oursSeconds = 0;
  for (const [name, options] of [
    ['ours, RGB half', {}],
    ['ours, RGB float', { float: true }],
  ] as const) {
    const started = performance.now();
    const bytes = await encodeExr(image, options);
    const s = (performance.now() - started) / 1000;
    if (name === 'ours, RGB half') {
      oursSeconds = s;
      writeFileSync(ours, bytes);
    }
    rows.push([name, s, bytes.length / 2 ** 20]);
  }
  const { EXRExporter, ZIP_COMPRESSION } = await import('three/examples/jsm/exporters/EXRExporter.js');
  const { HalfFloatType, FloatType, RGBAFormat } = await import('three/src/constants.js');
  const threeStarted = performance.now();
  const threeBytes = await (() => {
    // Its input is RGBA float, rows bottom-up (GL order): the copy is part of using it.
    const rgba = new Float32Array(width * height * 4);
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const s = (y * width + x) * 3,
          d = ((height - 1 - y) * width + x) * 4;
        rgba[d] = image.data[s];
        rgba[d + 1] = image.data[s + 1];
        rgba[d + 2] = image.data[s + 2];
        rgba[d + 3] = 1;
      }
    }
    const texture = { isDataTexture: true, image: { width, height, data: rgba }, type: FloatType, format: RGBAFormat };
    return new EXRExporter().parse(texture as never, { type: HalfFloatType, compression: ZIP_COMPRESSION });
  })();
  const threeSeconds = (performance.now() - threeStarted) / 1000;
  rows.push(["three's EXRExporter, RGBA half", threeSeconds, threeBytes.length / 2 ** 20]);

  const pfm = path.join(BENCH_DIR, 'exr-input.pfm');
  const theirs = path.join(BENCH_DIR, 'exr-oiio.exr');
  writeFileSync(pfm, await encodeHdr(image, 'pfm'));
  let oiioSeconds: number | undefined;
  let diff = 'oiiotool not installed';
  if (oiiotool('--version').ok) {
    oiioSeconds = seconds(() => execFileSync('oiiotool', [pfm, '-d', 'half', '--compression', 'zip', '-o', theirs]));
    rows.push(['oiiotool: read PFM, write RGB half ZIP', oiioSeconds, statSync(theirs).size / 2 ** 20]);
    // Same pixels: the last line of --diff says PASS when no pixel differs beyond the threshold.
    diff = oiiotool('--diff', '--fail', '0', '--warn', '0', ours, theirs).output.split('\n').pop() ?? '';
  }
  printTable(
    `EXR write, ${width}×${height}, ${require('node:os').availableParallelism()} cores`,
    ['writer', 'time s', 'MiB'],
    rows,
  );
  console.log(`oiiotool --diff ours vs oiiotool: ${diff}`);
  const ratio = oiioSeconds ? (oursSeconds / oiioSeconds).toFixed(2) : 'n/a';
  console.log(
    `RESULT exr-write-24mp ours=${oursSeconds.toFixed(2)}s oiiotool=${oiioSeconds?.toFixed(2) ?? 'n/a'}s ratio=${ratio} (target <= 1.5)`,
  );
}
