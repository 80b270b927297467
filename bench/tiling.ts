/**
 * Tiling on real images (issue 3): the photos in ../shared/samples and the HDR
 * scenes in ../shared/hdr-scenes through the virtual camera at 2/5/10 % clipped
 * pixels. Per image: share of tiles computed, tiled time against whole-image
 * inference, and seam error, with full-width random weights.
 */
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import type { InferenceBackend } from '../src/core/backend';
import type { RgbImage } from '../src/core/image';
import { reconstruct, type ReconstructResult } from '../src/core/reconstruct';
import { DEFAULT_TILE_SETTINGS, wholeImageSettings, type TileSettings } from '../src/core/tile-plan';
import { readImage } from '../src/cli/image-input';
import { readExr } from '../tools/exr-input';
import { seamErrors } from '../tools/seam-error';
import { median, printTable } from './stats';
import { clippedPixelShare, exposeTo8bit } from './virtual-camera';

/** The project's shared material (samples, HDR scenes); HDR_SHARED overrides it for worktrees elsewhere. */
export const SHARED = process.env.HDR_SHARED ?? path.resolve(__dirname, '..', '..', '..', 'shared');
const CLIP_LEVELS = [0.02, 0.05, 0.1];

export interface BenchImage {
  readonly name: string;
  readonly image: RgbImage;
}

export async function benchImages(clipLevels = CLIP_LEVELS): Promise<BenchImage[]> {
  const images: BenchImage[] = [];
  const samples = path.join(SHARED, 'samples');
  if (existsSync(samples)) {
    for (const f of readdirSync(samples).filter((f) => f.endsWith('.png')).sort()) {
      const decoded = await readImage(path.join(samples, f));
      images.push({ name: `samples/${f}`, image: decoded.read({ left: 0, top: 0, width: decoded.width, height: decoded.height }) });
    }
  }
  for (const group of ['blender', 'ilm']) {
    const dir = path.join(SHARED, 'hdr-scenes', group);
    if (!existsSync(dir)) continue;
    for (const f of readdirSync(dir).filter((f) => f.endsWith('.exr')).sort()) {
      const scene = readExr(path.join(dir, f));
      for (const clip of clipLevels) images.push({ name: `${group}/${f} @${clip * 100}%`, image: exposeTo8bit(scene, clip) });
    }
  }
  return images;
}

/** Times one reconstruction on a fresh session (created untimed), as a CLI run meets it: no shape seen before. */
async function timedRun(makeBackend: () => Promise<InferenceBackend>, image: RgbImage, tiles: TileSettings): Promise<[ReconstructResult, number]> {
  const backend = await makeBackend();
  const start = performance.now();
  const result = await reconstruct(image, backend, { tiles });
  const seconds = (performance.now() - start) / 1000;
  await backend.dispose();
  return [result, seconds];
}

export async function benchTiling(makeBackend: () => Promise<InferenceBackend>, images: BenchImage[], tiles: TileSettings = DEFAULT_TILE_SETTINGS): Promise<void> {
  const rows: Array<Array<string | number>> = [];
  const ratiosAt5: number[] = [];
  const seamMedians: number[] = [];
  for (const { name, image } of images) {
    const [whole, wholeTime] = await timedRun(makeBackend, image, wholeImageSettings(image.width, image.height));
    const [tiled, tiledTime] = await timedRun(makeBackend, image, tiles);
    const seam = seamErrors(tiled.image, whole.image, image);
    const ratio = tiledTime / wholeTime;
    if (name.endsWith('@5%')) ratiosAt5.push(ratio);
    seamMedians.push(seam.median);
    rows.push([name, `${image.width}×${image.height}`, (100 * clippedPixelShare(image)).toFixed(1), `${tiled.computedTiles}/${tiled.tiles}`, wholeTime, tiledTime, ratio, seam.median, seam.p99]);
  }
  printTable(
    `Tiling: tile ${tiles.tileSize}, margin ${tiles.margin} (full-width random weights, onnxruntime-node)`,
    ['image', 'size', 'clipped %', 'tiles computed', 'whole s', 'tiled s', 'tiled/whole', 'seam median', 'seam p99'],
    rows,
  );
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
  console.log(`\nmean tiled/whole time at 5 % clipping: ${mean(ratiosAt5).toFixed(3)} (target ≤ 0.30); median of seam medians: ${median(seamMedians).toPrecision(3)} (target ≤ 0.01)`);
}
