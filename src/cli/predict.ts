/**
 * `hdr-reconstruct predict`: the seed's `hdrcnn_predict.py` on the shared core.
 * Per frame: `%06d_in.png`, `%06d_out.png` (previews at −3 stops) and
 * `%06d_out.<format>` (linear HDR), numbered by the input's position in the run, so an input
 * that fails leaves a gap instead of renumbering the ones after it. Unreadable images warn,
 * the run goes on, and the result lists them.
 */
import { readFile } from 'node:fs/promises';
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
import { writeOutputs } from './output-files';
import { checkOutDir, listInputs, makeOutDir } from './paths';
import { frameProgress, type FrameProgress } from './progress';

export interface PredictOptions {
  readonly params: string;
  readonly imDir: string;
  readonly outDir: string;
  readonly width: number;
  readonly height: number;
  readonly fullRes: boolean;
  readonly format: HdrFormat;
  /** EXR with 32-bit float samples instead of half. */
  readonly exrFloat?: boolean;
  /** For `--format jpg`. */
  readonly gainMap?: GainMapJpegOptions;
  readonly settings: HdrcnnSettings;
  readonly tiles: TileSettings;
  readonly threads?: number;
}

export interface Logger {
  info(message: string): void;
  warn(message: string): void;
  /** A progress display for one frame; default: a bar on a terminal, a line otherwise (stderr). */
  progress?(label: string): FrameProgress;
}

export interface PredictResult {
  /** The HDR files written. */
  readonly written: string[];
  /** The inputs that could not be processed, and why. */
  readonly failed: Array<{ readonly file: string; readonly reason: string }>;
}

function previewPng(bytes: Uint8Array, width: number, height: number): Promise<Uint8Array> {
  return sharp(bytes, { raw: { width, height, channels: 3 } })
    .png()
    .toBuffer();
}

async function gainMapJpeg(decoded: DecodedImage, hdr: RgbImage, options: PredictOptions, log: Logger) {
  const started = Date.now();
  const jpeg = await encodeGainMapJpeg(decoded, hdr, options.settings, options.gainMap ?? DEFAULT_GAIN_MAP_JPEG);
  const seconds = ((Date.now() - started) / 1000).toFixed(2);
  const boost = `${jpeg.maxBoostStops.toFixed(2)} stops (${(2 ** jpeg.maxBoostStops).toFixed(1)}×)`;
  log.info(`\tgain map: max boost ${boost}, encoded in ${seconds} s`);
  return jpeg.bytes;
}

/** Runs the whole prediction. */
export async function predict(options: PredictOptions, log: Logger): Promise<PredictResult> {
  const size = { width: predictionSize(options.width), height: predictionSize(options.height) };
  if (!options.fullRes && (size.width !== options.width || size.height !== options.height)) {
    log.warn(
      `prediction size has been changed from ${options.width}x${options.height} pixels to ${size.width}x${size.height} pixels, to comply with autoencoder pooling and up-sampling.`,
    );
  }
  if (options.format === 'jpg') checkGainMapJpegOptions(options.gainMap ?? DEFAULT_GAIN_MAP_JPEG);
  const inputs = await listInputs(options.imDir);
  await checkOutDir(options.outDir);
  const params = await readFile(options.params).catch(() => {
    throw new Error(
      `--params ${options.params}: cannot read the weights (official hdrcnn_params.npz, or a converted .onnx)`,
    );
  });
  const backend: InferenceBackend = await createOrtNodeBackend(modelFromFile(params), { threads: options.threads });
  const written: string[] = [];
  const failed: PredictResult['failed'] = [];
  try {
    await makeOutDir(options.outDir);
    for (const [i, { file: frame, problem }] of inputs.entries()) {
      log.info(`Frame ${i + 1}: '${frame}'`);
      let decoded;
      try {
        if (problem) throw new Error(problem);
        decoded = await readImage(frame, options.fullRes ? undefined : size, log.warn);
      } catch (e) {
        const reason = (e as Error).message.replace(`${frame}: `, '');
        log.warn(`Failed reading LDR image ${frame}: ${reason}`);
        failed.push({ file: frame, reason });
        continue;
      }
      const { width, height, samples, maxValue } = decoded;
      log.info(
        `\t${width}x${height} (Saturation: ${(100 * saturatedFraction(samples, options.settings.scaling, maxValue)).toFixed(2)}%)`,
      );
      const hdr = createRgbImage(width, height);
      const label = `  ${path.basename(frame)}`;
      const progress = log.progress ? log.progress(label) : frameProgress(label);
      let elapsed = 0;
      const counts = await reconstructTiles(
        decoded,
        { write: (rect, pixels) => pasteImage(hdr, rect, pixels) },
        backend,
        {
          settings: options.settings,
          tiles: options.tiles,
          onProgress: (p) => progress.update(p),
        },
      ).finally(() => (elapsed = progress.finish())); // a failed frame still ends its bar
      log.info(`\tinference ${(elapsed / 1000).toFixed(2)} s, ${counts.computedTiles}/${counts.tiles} tiles computed`);
      const k = String(i + 1).padStart(6, '0');
      const hdrBytes =
        options.format === 'jpg'
          ? await gainMapJpeg(decoded, hdr, options, log)
          : await encodeHdr(hdr, options.format, { float: options.exrFloat, alpha: decoded.alpha });
      // The frame's files appear together when all are written (output-files.ts); the HDR file last.
      const files = [
        { name: `${k}_in.png`, bytes: await previewPng(previewBytes(samples, false, maxValue), width, height) },
        { name: `${k}_out.png`, bytes: await previewPng(previewBytes(hdr.data, true), width, height) },
        { name: `${k}_out.${options.format}`, bytes: hdrBytes },
      ];
      written.push((await writeOutputs(options.outDir, files, log.warn)).at(-1)!);
    }
  } finally {
    await backend.dispose();
  }
  return { written, failed };
}
