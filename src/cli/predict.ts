/**
 * `hdr-reconstruct predict`: the seed's `hdrcnn_predict.py` on the shared core.
 * Per frame: `%06d_in.png`, `%06d_out.png` (previews at −3 stops) and
 * `%06d_out.<format>` (linear HDR). Unreadable images warn and the run goes on.
 */
import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import type { InferenceBackend } from '../core/backend';
import { predictionSize } from '../core/crop';
import { saturatedFraction, type HdrcnnSettings } from '../core/hdrcnn';
import { createRgbImage, type RgbImage } from '../core/image';
import { previewBytes } from '../core/preview';
import { pasteImage, reconstructTiles } from '../core/reconstruct';
import type { TileSettings } from '../core/tile-plan';
import { createOrtNodeBackend } from '../runtime/ort-node';
import { modelFromFile } from '../weights/load-model';
import {
  checkGainMapJpegOptions,
  DEFAULT_GAIN_MAP_JPEG,
  encodeGainMapJpeg,
  type GainMapJpegOptions,
} from './gain-map-jpeg';
import { encodeHdr, type HdrFormat } from './hdr-output';
import { readImage, type DecodedImage } from './image-input';
import { tileProgress } from './progress';

export interface PredictOptions {
  readonly params: string;
  readonly imDir: string;
  readonly outDir: string;
  readonly width: number;
  readonly height: number;
  readonly fullRes: boolean;
  readonly format: HdrFormat;
  /** For `--format jpg`. */
  readonly gainMap?: GainMapJpegOptions;
  readonly settings: HdrcnnSettings;
  readonly tiles: TileSettings;
  readonly threads?: number;
}

export interface Logger {
  info(message: string): void;
  warn(message: string): void;
}

/** The files to process: `imDir` itself, or the files in it, sorted by name (as the seed). */
async function listFrames(imDir: string): Promise<string[]> {
  const info = await stat(imDir).catch(() => {
    throw new Error(`--im_dir ${imDir}: no such file or directory`);
  });
  if (!info.isDirectory()) return [imDir];
  const names = (await readdir(imDir, { withFileTypes: true })).filter((e) => e.isFile()).map((e) => e.name).sort();
  return names.map((n) => path.join(imDir, n));
}

async function writePreview(bytes: Uint8Array, width: number, height: number, file: string): Promise<void> {
  await sharp(bytes, { raw: { width, height, channels: 3 } }).png().toFile(file);
}

async function gainMapJpeg(decoded: DecodedImage, hdr: RgbImage, options: PredictOptions, log: Logger) {
  const started = Date.now();
  const jpeg = await encodeGainMapJpeg(decoded, hdr, options.settings, options.gainMap ?? DEFAULT_GAIN_MAP_JPEG);
  const seconds = ((Date.now() - started) / 1000).toFixed(2);
  const boost = `${jpeg.maxBoostStops.toFixed(2)} stops (${(2 ** jpeg.maxBoostStops).toFixed(1)}×)`;
  log.info(`\tgain map: max boost ${boost}, encoded in ${seconds} s`);
  return jpeg.bytes;
}

/** Runs the whole prediction; returns the HDR files written. */
export async function predict(options: PredictOptions, log: Logger): Promise<string[]> {
  const size = { width: predictionSize(options.width), height: predictionSize(options.height) };
  if (!options.fullRes && (size.width !== options.width || size.height !== options.height)) {
    log.warn(`prediction size has been changed from ${options.width}x${options.height} pixels to ${size.width}x${size.height} pixels, to comply with autoencoder pooling and up-sampling.`);
  }
  if (options.format === 'jpg') checkGainMapJpegOptions(options.gainMap ?? DEFAULT_GAIN_MAP_JPEG);
  const frames = await listFrames(options.imDir);
  const params = await readFile(options.params).catch(() => {
    throw new Error(`--params ${options.params}: cannot read the weights (official hdrcnn_params.npz, or a converted .onnx)`);
  });
  const backend: InferenceBackend = await createOrtNodeBackend(modelFromFile(params), { threads: options.threads });
  await mkdir(options.outDir, { recursive: true });
  const written: string[] = [];
  try {
    for (const [i, frame] of frames.entries()) {
      log.info(`Frame ${i}: '${frame}'`);
      let decoded;
      try {
        decoded = await readImage(frame, options.fullRes ? undefined : size);
      } catch (e) {
        log.warn(`Failed reading LDR image: ${(e as Error).message}`);
        continue;
      }
      const { width, height, samples, maxValue } = decoded;
      log.info(`\t${width}x${height} (Saturation: ${(100 * saturatedFraction(samples, options.settings.scaling, maxValue)).toFixed(2)}%)`);
      const started = Date.now();
      const hdr = createRgbImage(width, height);
      const counts = await reconstructTiles(decoded, { write: (rect, pixels) => pasteImage(hdr, rect, pixels) }, backend, {
        settings: options.settings,
        tiles: options.tiles,
        onProgress: tileProgress(),
      });
      log.info(`\tinference ${((Date.now() - started) / 1000).toFixed(2)} s, ${counts.computedTiles}/${counts.tiles} tiles computed`);
      const k = String(written.length + 1).padStart(6, '0');
      const hdrFile = path.join(options.outDir, `${k}_out.${options.format}`);
      await writePreview(previewBytes(samples, false, maxValue), width, height, path.join(options.outDir, `${k}_in.png`));
      await writePreview(previewBytes(hdr.data, true), width, height, path.join(options.outDir, `${k}_out.png`));
      const bytes =
        options.format === 'jpg' ? await gainMapJpeg(decoded, hdr, options, log) : await encodeHdr(hdr, options.format);
      await writeFile(hdrFile, bytes);
      written.push(hdrFile);
    }
  } finally {
    await backend.dispose();
  }
  return written;
}
