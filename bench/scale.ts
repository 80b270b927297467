/**
 * Scale check (issue 3): a 24 MP (6000×4000) photo through the CLI with
 * --full-res and the narrow test weights, in its own process; prints its peak RSS.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { BENCH_DIR, benchModel } from './make-model';
import { printTable } from './stats';
import { SHARED } from './tiling';

/** A shared sample photo upscaled to `width`×`height` (made once). */
export async function largePhoto(width = 6000, height = 4000): Promise<string> {
  const input = path.join(BENCH_DIR, `photo-${width}x${height}.png`);
  if (!existsSync(input)) {
    mkdirSync(BENCH_DIR, { recursive: true });
    const sample = path.join(SHARED, 'samples', 'img_001.png');
    const source = existsSync(sample)
      ? sharp(sample)
      : sharp({ create: { width: 64, height: 48, channels: 3, background: '#ffeedd' } });
    await source.resize(width, height, { kernel: 'linear' }).png({ compressionLevel: 1 }).toFile(input);
  }
  return input;
}

export async function benchScale(width = 6000, height = 4000): Promise<void> {
  const input = await largePhoto(width, height);
  const out = execFileSync(
    process.execPath,
    [
      path.join(__dirname, 'run-cli.js'),
      'predict',
      '--params',
      benchModel(8),
      '--im_dir',
      input,
      '--out_dir',
      path.join(BENCH_DIR, 'scale-out'),
      '--full-res',
    ],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 1 << 24 },
  );
  const result = JSON.parse(out.trim().split('\n').pop()!) as { seconds: number; peakRssMiB: number };
  const tiles = /(\d+)\/(\d+) tiles computed/.exec(out);
  printTable(
    'Scale: CLI --full-res, narrow (÷8) random weights, EXR output',
    ['image', 'tiles computed', 'time s', 'peak RSS MiB', 'target'],
    [[`${width}×${height}`, tiles ? `${tiles[1]}/${tiles[2]}` : '?', result.seconds, result.peakRssMiB, '≤ 2048 MiB']],
  );
}
