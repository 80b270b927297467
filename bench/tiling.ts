/**
 * Tiling on real images (issues 3 and 15): the photos in ../shared/samples as
 * published and, like the HDR scenes in ../shared/hdr-scenes, through the
 * virtual camera at 2/5/10 % clipped pixels. Per image: the share of pixels
 * within the margin of the highlight mask, the network runs the cost model
 * chose, tiled time against whole-image inference beside the bound
 * min(1, 1.15 · share + 0.05), the least share windows on the 32-pixel grid
 * can cover (block floor), the cost model's own estimate of the ratio, and
 * seam error, with full-width random weights.
 */
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import type { InferenceBackend } from '../src/core/backend';
import { DEFAULT_SETTINGS, highlightAlpha, networkValue, SIZE_MULTIPLE } from '../src/core/hdrcnn';
import { findHighlightBlocks } from '../src/core/highlight-blocks';
import { createRgbImage, type RgbImage } from '../src/core/image';
import { cropImage, reconstruct, type PixelSource, type ReconstructResult } from '../src/core/reconstruct';
import { planReconstruction } from '../src/core/reconstruction-plan';
import { planSeconds, type WindowCostModel } from '../src/core/tile-cost';
import { DEFAULT_TILE_SETTINGS, roundUpTo32, wholeImageSettings, type TileSettings } from '../src/core/tile-plan';
import { readImage } from '../src/cli/image-input';
import { readExr } from '../tools/exr-input';
import { seamErrors } from '../tools/seam-error';
import { median, printTable } from './stats';
import { CAMERA_GAMMA, clippedPixelShare, exposeTo8bit } from './virtual-camera';

/**
 * The project's shared material (samples, HDR scenes): HDR_SHARED, else the nearest ancestor of the bench
 * with a ../shared (main tree or a worktree).
 */
export const SHARED =
  process.env.HDR_SHARED ??
  ((): string => {
    for (let dir = path.resolve(__dirname, '..', '..'); dir !== path.dirname(dir); dir = path.dirname(dir)) {
      if (existsSync(path.join(dir, '..', 'shared'))) return path.join(dir, '..', 'shared');
    }
    return path.resolve(__dirname, '..', '..', '..', 'shared');
  })();
const CLIP_LEVELS = [0.02, 0.05, 0.1];

export interface BenchImage {
  readonly name: string;
  readonly image: RgbImage;
}

/** A published 8-bit photo back to (clipped) linear light, for the virtual camera. */
function linearise(image: RgbImage): RgbImage {
  return createRgbImage(
    image.width,
    image.height,
    image.data.map((v) => v ** CAMERA_GAMMA),
  );
}

/** The bench's images whose name contains one of `filters` (all when there are none). */
export async function benchImages(filters: string[] = [], clipLevels = CLIP_LEVELS): Promise<BenchImage[]> {
  const images: BenchImage[] = [];
  const wanted = (name: string) => filters.length === 0 || filters.some((f) => name.includes(f));
  const samples = path.join(SHARED, 'samples');
  if (existsSync(samples)) {
    for (const f of readdirSync(samples)
      .filter((f) => f.endsWith('.png'))
      .sort()) {
      const levels = clipLevels.filter((clip) => wanted(`samples/${f} @${clip * 100}%`));
      if (!wanted(`samples/${f}`) && levels.length === 0) continue;
      const decoded = await readImage(path.join(samples, f));
      const image = decoded.read({ left: 0, top: 0, width: decoded.width, height: decoded.height });
      if (wanted(`samples/${f}`)) images.push({ name: `samples/${f}`, image });
      for (const clip of levels)
        images.push({ name: `samples/${f} @${clip * 100}%`, image: exposeTo8bit(linearise(image), clip) });
    }
  }
  for (const group of ['blender', 'ilm']) {
    const dir = path.join(SHARED, 'hdr-scenes', group);
    if (!existsSync(dir)) continue;
    for (const f of readdirSync(dir)
      .filter((f) => f.endsWith('.exr'))
      .sort()) {
      const names = clipLevels
        .map((clip) => [clip, `${group}/${f} @${clip * 100}%`] as const)
        .filter(([, name]) => wanted(name));
      if (names.length === 0) continue;
      const scene = readExr(path.join(dir, f));
      for (const [clip, name] of names) images.push({ name, image: exposeTo8bit(scene, clip) });
    }
  }
  return images;
}

/** Share of pixels within `margin` pixels (on both axes) of a pixel of the highlight mask: all the network must see. */
export function contextShare(image: RgbImage, margin: number): number {
  const { width, height } = image;
  let mask = new Uint8Array(width * height);
  for (let p = 0; p < mask.length; p++) {
    const [r, g, b] = [0, 1, 2].map((c) => networkValue(image.data[3 * p + c], DEFAULT_SETTINGS));
    mask[p] = Number(highlightAlpha(r, g, b) > 0);
  }
  // Dilation by a square: along rows, then along columns, each with running counts.
  const dilate = (src: Uint8Array, length: number, lines: number, at: (line: number, i: number) => number) => {
    const out = new Uint8Array(src.length);
    for (let line = 0; line < lines; line++) {
      let count = 0;
      for (let i = 0; i < Math.min(margin, length); i++) count += src[at(line, i)];
      for (let i = 0; i < length; i++) {
        if (i + margin < length) count += src[at(line, i + margin)];
        if (i - margin - 1 >= 0) count -= src[at(line, i - margin - 1)];
        out[at(line, i)] = Number(count > 0);
      }
    }
    return out;
  };
  mask = dilate(mask, width, height, (y, x) => y * width + x);
  mask = dilate(mask, height, width, (x, y) => y * width + x);
  return mask.reduce((n, v) => n + v, 0) / mask.length;
}

export const tilingBound = (share: number): number => Math.min(1, 1.15 * share + 0.05);

/**
 * The least share of the padded image that windows on the 32-pixel grid must
 * cover: the highlights' blocks grown by the margin. Rectangles, and the cost
 * of each run, come on top.
 */
export async function blockFloor(source: PixelSource, margin: number): Promise<number> {
  const { columns, rows, hot } = await findHighlightBlocks(source, DEFAULT_SETTINGS);
  const reach = Math.ceil(margin / SIZE_MULTIPLE);
  let needed = 0;
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < columns; c++) {
      let near = false;
      for (let y = Math.max(0, r - reach); y <= Math.min(rows - 1, r + reach) && !near; y++) {
        for (let x = Math.max(0, c - reach); x <= Math.min(columns - 1, c + reach) && !near; x++)
          near = hot[y * columns + x] === 1;
      }
      needed += Number(near);
    }
  }
  return needed / (columns * rows);
}

/**
 * Times one reconstruction on a fresh session (created untimed), as a CLI run
 * meets it: no shape seen before. Wall time, and the process's CPU time (all
 * threads): on a shared machine the second is what stays comparable.
 */
async function timedRun(
  makeBackend: () => Promise<InferenceBackend>,
  image: RgbImage,
  tiles: TileSettings,
): Promise<[ReconstructResult, number, number]> {
  const backend = await makeBackend();
  const [start, cpu] = [performance.now(), process.cpuUsage()];
  const result = await reconstruct(image, backend, { tiles });
  const { user, system } = process.cpuUsage(cpu);
  const seconds = (performance.now() - start) / 1000;
  await backend.dispose();
  return [result, seconds, (user + system) / 1e6];
}

export async function benchTiling(
  makeBackend: () => Promise<InferenceBackend>,
  images: BenchImage[],
  tiles: TileSettings = DEFAULT_TILE_SETTINGS,
): Promise<void> {
  const rows: Array<Array<string | number>> = [];
  const seamMedians: number[] = [];
  const held: Array<[boolean, boolean]> = [];
  let cost: WindowCostModel | undefined;
  for (const { name, image } of images) {
    const share = contextShare(image, tiles.margin);
    const probe = await makeBackend();
    cost = probe.cost!;
    const source = {
      width: image.width,
      height: image.height,
      read: (r: Parameters<typeof cropImage>[1]) => cropImage(image, r),
    };
    const { plan } = await planReconstruction(source, { settings: DEFAULT_SETTINGS, tiles, cost });
    const floor = await blockFloor(source, tiles.margin);
    await probe.dispose();
    const modelledWhole = planSeconds(cost, [{ width: roundUpTo32(image.width), height: roundUpTo32(image.height) }]);
    const [whole, wholeTime, wholeCpu] = await timedRun(
      makeBackend,
      image,
      wholeImageSettings(image.width, image.height),
    );
    const [tiled, tiledTime, tiledCpu] = await timedRun(makeBackend, image, tiles);
    const seam = seamErrors(tiled.image, whole.image, image);
    const [ratio, cpuRatio] = [tiledTime / wholeTime, tiledCpu / wholeCpu];
    const bound = tilingBound(share);
    held.push([ratio <= bound, cpuRatio <= bound]);
    seamMedians.push(seam.median);
    rows.push([
      name,
      `${image.width}×${image.height}`,
      (100 * clippedPixelShare(image)).toFixed(1),
      share,
      floor,
      `${tiled.networkRuns}: ${tiled.computedTiles}/${tiled.tiles}`,
      wholeTime,
      tiledTime,
      ratio,
      cpuRatio,
      plan.seconds / modelledWhole,
      bound,
      `${ratio <= bound ? 'yes' : 'NO'} / ${cpuRatio <= bound ? 'yes' : 'NO'}`,
      seam.median,
      seam.p99,
    ]);
  }
  printTable(
    `Tiling: tile ${tiles.tileSize}, margin ${tiles.margin}, cost model "${cost?.name}" (full-width random weights)`,
    [
      'image',
      'size',
      'clipped %',
      'share',
      'block floor',
      'runs: tiles computed',
      'whole s',
      'tiled s',
      'tiled/whole',
      'CPU time ratio',
      'modelled',
      'bound',
      'holds (wall / CPU)',
      'seam median',
      'seam p99',
    ],
    rows,
  );
  console.log(
    `\nbound min(1, 1.15·share + 0.05) held for ${held.filter(([w]) => w).length} of ${held.length} images by wall time, ` +
      `${held.filter(([, c]) => c).length} by CPU time; ` +
      `median of seam medians: ${median(seamMedians).toPrecision(3)} (target ≤ 0.01)`,
  );
}
