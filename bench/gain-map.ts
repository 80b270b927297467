/**
 * Gain-map JPEG (issue 13): what the map's scale and quality, and the photo's quality, cost
 * in bytes and in stops, and a 24 MP export through the CLI.
 *
 * The trade-offs use the HDR scenes through the virtual camera at 5 % clipping and an ideal
 * reconstruction (the scene's own values in HDRCNN's frame inside the mask): random weights
 * reconstruct pixel noise, which says nothing about how smooth real highlights encode.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import type { BaseSamples } from '../src/core/gain-map';
import { highlightAlpha } from '../src/core/hdrcnn';
import { createRgbImage, type RgbImage } from '../src/core/image';
import { encodeGainMapJpeg, type GainMapJpegOptions } from '../src/cli/gain-map-jpeg';
import { readExr } from '../tools/exr-input';
import { decodeGainMapJpeg, quantile, stopErrors } from '../tools/gain-map-decode';
import { BENCH_DIR, benchModel } from './make-model';
import { largePhoto } from './scale';
import { median, printTable } from './stats';
import { SHARED } from './tiling';
import { CAMERA_GAMMA, exposureFor } from './virtual-camera';

interface Case {
  readonly name: string;
  readonly base: BaseSamples & { readonly samples: Uint8Array };
  readonly hdr: RgbImage;
}

/** Photo = the camera's 8-bit rendering; reconstruction = x² outside the mask, the scene's truth inside it. */
function idealCase(name: string, scene: RgbImage): Case {
  const exposure = exposureFor(scene, 0.05);
  const samples = new Uint8Array(scene.data.length);
  const hdr = createRgbImage(scene.width, scene.height);
  for (let p = 0; p < scene.width * scene.height; p++) {
    const truth = [0, 1, 2].map((c) => Math.max(0, exposure * scene.data[3 * p + c]));
    for (let c = 0; c < 3; c++) samples[3 * p + c] = Math.round(255 * Math.min(1, truth[c]) ** (1 / CAMERA_GAMMA));
    const x = [0, 1, 2].map((c) => samples[3 * p + c] / 255);
    const alpha = highlightAlpha(x[0], x[1], x[2]);
    for (let c = 0; c < 3; c++) {
      const d = Math.fround(x[c] * x[c]);
      hdr.data[3 * p + c] = alpha === 0 ? d : (1 - alpha) * d + alpha * Math.max(d, truth[c] ** (2 / CAMERA_GAMMA));
    }
  }
  return { name, base: { width: scene.width, height: scene.height, samples, maxValue: 255 }, hdr };
}

function scenes(): Case[] {
  const cases: Case[] = [];
  for (const group of ['blender', 'ilm']) {
    const dir = path.join(SHARED, 'hdr-scenes', group);
    if (!existsSync(dir)) continue;
    for (const f of readdirSync(dir)
      .filter((f) => f.endsWith('.exr'))
      .sort())
      cases.push(idealCase(`${group}/${f}`, readExr(path.join(dir, f))));
  }
  return cases;
}

interface Measured {
  kib: number;
  mapKib: number;
  highlightsMedian: number;
  highlightsP90: number;
  elsewhereMedian: number;
}

async function measure(c: Case, options: GainMapJpegOptions): Promise<Measured> {
  const jpeg = await encodeGainMapJpeg(c.base, c.hdr, { gamma: 1, scaling: 1 }, options);
  const decoded = await decodeGainMapJpeg(jpeg.bytes);
  const errors = stopErrors(decoded, c.base.samples, c.hdr.data, jpeg.maxBoostStops);
  return {
    kib: jpeg.bytes.length / 1024,
    mapKib: decoded.gainMapBytes / 1024,
    highlightsMedian: quantile(errors.highlights, 0.5),
    highlightsP90: quantile(errors.highlights, 0.9),
    elsewhereMedian: quantile(errors.elsewhere, 0.5),
  };
}

async function table(title: string, cases: Case[], settings: Array<[string, GainMapJpegOptions]>): Promise<void> {
  const rows: Array<Array<string | number>> = [];
  for (const [label, options] of settings) {
    const all = await Promise.all(cases.map((c) => measure(c, options)));
    const med = (k: keyof Measured) => median(all.map((m) => m[k]));
    rows.push([
      label,
      med('kib'),
      med('mapKib'),
      med('highlightsMedian'),
      med('highlightsP90'),
      med('elsewhereMedian'),
    ]);
  }
  printTable(
    title,
    ['setting', 'file KiB', 'map KiB', 'highlights median stops', 'highlights p90', 'elsewhere median'],
    rows,
  );
}

/** 24 MP through `predict --full-res`, EXR against gain-map JPEG, each in its own process. */
function export24mp(input: string): void {
  const rows: Array<Array<string | number>> = [];
  for (const format of ['exr', 'jpg']) {
    const out = path.join(BENCH_DIR, `gainmap-out-${format}`);
    const args = [
      'predict',
      '--params',
      benchModel(8),
      '--im_dir',
      input,
      '--out_dir',
      out,
      '--full-res',
      '--format',
      format,
    ];
    const log = execFileSync(process.execPath, [path.join(__dirname, 'run-cli.js'), ...args], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
      maxBuffer: 1 << 24,
    });
    const result = JSON.parse(log.trim().split('\n').pop()!) as { seconds: number; peakRssMiB: number };
    const inference = /inference ([\d.]+) s/.exec(log);
    const map = /max boost ([\d.]+) stops .*encoded in ([\d.]+) s/.exec(log);
    const size = statSync(path.join(out, `000001_out.${format}`)).size / 2 ** 20;
    rows.push([
      format,
      result.seconds,
      inference ? inference[1] : '?',
      map ? map[2] : '—',
      result.peakRssMiB,
      size,
      map ? map[1] : '—',
    ]);
  }
  const header = ['format', 'total s', 'inference s', 'gain map s', 'peak RSS MiB', 'file MiB', 'max boost stops'];
  printTable('24 MP export (6000×4000, narrow random weights, CLI --full-res)', header, rows);
}

export async function benchGainMap(): Promise<void> {
  const cases = scenes();
  console.log(`\n${cases.length} HDR scenes at 5 % clipping, ideal reconstruction; medians over scenes.`);
  const map = (scale: number, quality: number): [string, GainMapJpegOptions] => [
    `map 1/${scale}, q${quality}`,
    { scale, quality },
  ];
  await table('Gain map: scale and quality (photo at its default q98)', cases, [
    map(1, 95),
    map(1, 85),
    map(2, 95),
    map(2, 85),
    map(2, 70),
    map(4, 85),
    map(4, 70),
  ]);
  const photo = (q: number): [string, GainMapJpegOptions] => [
    `photo q${q}`,
    { scale: 2, quality: 85, primaryQuality: q },
  ];
  await table('Photo quality (map 1/2, q85)', cases, [photo(90), photo(95), photo(98), photo(100)]);
  export24mp(await largePhoto());
}
