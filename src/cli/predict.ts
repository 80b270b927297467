/**
 * `hdr-reconstruct predict`: the seed's `hdrcnn_predict.py` on the shared core.
 * Per frame: `%06d_in.png`, `%06d_out.png` (previews at −3 stops) and
 * `%06d_out.<format>` (linear HDR). Unreadable images warn and the run goes on.
 */
import { mkdir, readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import type { InferenceBackend } from '../core/backend';
import { predictionSize } from '../core/crop';
import { saturatedFraction, type HdrcnnSettings } from '../core/hdrcnn';
import { createRgbImage } from '../core/image';
import { previewBytes } from '../core/preview';
import { pasteImage, reconstructTiles } from '../core/reconstruct';
import type { TileSettings } from '../core/tile-plan';
import { createOrtNodeBackend } from '../runtime/ort-node';
import { modelFromFile } from '../weights/load-model';
import { encodeHdr, type HdrFormat } from './hdr-output';
import { readImage } from './image-input';
import { writeOutputs } from './output-files';
import { tileProgress } from './progress';

export interface PredictOptions {
  readonly params: string;
  readonly imDir: string;
  readonly outDir: string;
  readonly width: number;
  readonly height: number;
  readonly fullRes: boolean;
  readonly format: HdrFormat;
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

function previewPng(bytes: Uint8Array, width: number, height: number): Promise<Uint8Array> {
  return sharp(bytes, { raw: { width, height, channels: 3 } }).png().toBuffer();
}

/** Runs the whole prediction; returns the HDR files written. */
export async function predict(options: PredictOptions, log: Logger): Promise<string[]> {
  const size = { width: predictionSize(options.width), height: predictionSize(options.height) };
  if (!options.fullRes && (size.width !== options.width || size.height !== options.height)) {
    log.warn(`prediction size has been changed from ${options.width}x${options.height} pixels to ${size.width}x${size.height} pixels, to comply with autoencoder pooling and up-sampling.`);
  }
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
        decoded = await readImage(frame, options.fullRes ? undefined : size, log.warn);
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
      // The frame's files appear together when all are written (output-files.ts); the HDR file last.
      const files = [
        { name: `${k}_in.png`, bytes: await previewPng(previewBytes(samples, false, maxValue), width, height) },
        { name: `${k}_out.png`, bytes: await previewPng(previewBytes(hdr.data, true), width, height) },
        { name: `${k}_out.${options.format}`, bytes: await encodeHdr(hdr, options.format) },
      ];
      written.push((await writeOutputs(options.outDir, files, log.warn)).at(-1)!);
    }
  } finally {
    await backend.dispose();
  }
  return written;
}
