/**
 * Each command's options, as data: flag, meaning, default, and a parser that refuses a bad
 * value at parse time, before any model is loaded. main.ts turns these into commander options,
 * so `--help` and the checks come from this one table.
 */
import os from 'node:os';
import { InvalidArgumentError } from 'commander';
import { DEFAULT_TILE_SETTINGS } from '../core/tile-plan';
import { DEFAULT_GAIN_MAP_JPEG } from './gain-map-jpeg';
import { HDR_FORMATS } from './hdr-output';

export interface OptionSpec {
  /** commander's flag syntax: `--gamma <g>`; a flag without `<…>` is a switch. */
  readonly flags: string;
  /** One line for `--help`. */
  readonly description: string;
  readonly defaultValue?: string | number | boolean;
  readonly parse?: (raw: string) => number;
  readonly choices?: readonly string[];
}

// Strict decimal notation: Number() would also take '' (0), '0x10' (16) and ' 2 '.
const DECIMAL = /^[+-]?(\d+(\.\d*)?|\.\d+)(e[+-]?\d+)?$/i;

function decimal(raw: string): number {
  const n = Number(raw);
  if (!DECIMAL.test(raw) || !Number.isFinite(n)) throw new InvalidArgumentError('Expected a decimal number.');
  return n;
}

const positive = (raw: string): number => {
  const n = decimal(raw);
  if (n <= 0) throw new InvalidArgumentError('It must be greater than 0.');
  return n;
};

const integer =
  (min: number, max = Infinity, note = '') =>
  (raw: string): number => {
    const n = decimal(raw);
    if (!Number.isInteger(n) || n < min || n > max) {
      throw new InvalidArgumentError(
        `It must be a whole number from ${min}${max < Infinity ? ` to ${max}` : ' up'}${note}.`,
      );
    }
    return n;
  };

const multipleOf32 =
  (min: number) =>
  (raw: string): number => {
    const n = integer(min)(raw);
    if (n % 32 !== 0) throw new InvalidArgumentError("It must be a multiple of 32 (the network's pooling grid).");
    return n;
  };

/** onnxruntime aborts in native code when asked for thousands of threads; more than the cores never helps. */
export const MAX_THREADS = os.availableParallelism();

export const PREDICT_OPTIONS: readonly OptionSpec[] = [
  {
    flags: '--params <file>',
    description: 'weights: the official .npz or a converted .onnx',
    defaultValue: 'hdrcnn_params.npz',
  },
  {
    flags: '--im_dir <path>',
    description: 'an image file, or a directory of them (taken in name order)',
    defaultValue: 'data',
  },
  {
    flags: '--out_dir <dir>',
    description: 'where %06d_in.png, %06d_out.png and %06d_out.<format> go',
    defaultValue: 'out',
  },
  {
    flags: '--width <px>',
    description: 'prediction width, rounded to a multiple of 32',
    defaultValue: 1024,
    parse: integer(1),
  },
  {
    flags: '--height <px>',
    description: 'prediction height, rounded to a multiple of 32',
    defaultValue: 768,
    parse: integer(1),
  },
  { flags: '--full-res', description: 'keep the input size (any size; no crop, no resize)', defaultValue: false },
  {
    flags: '--scaling <s>',
    description: 'clip min(1, s·x) before the network (against compression artefacts)',
    defaultValue: 1,
    parse: positive,
  },
  {
    flags: '--gamma <g>',
    description: 'compute f(x^(1/g))^g; 1.1–1.3 brightens the reconstructed highlights',
    defaultValue: 1,
    parse: positive,
  },
  { flags: '--format <f>', description: 'HDR output format', defaultValue: 'exr', choices: HDR_FORMATS },
  { flags: '--exr-float', description: 'EXR with 32-bit float samples instead of half float', defaultValue: false },
  {
    flags: '--max-boost <stops>',
    description:
      "jpg: cap of the gain map's boost, in stops (up to 16); default: the image's reconstructed range (at most 8)",
    parse: (raw) => {
      const n = positive(raw);
      if (n > 16) throw new InvalidArgumentError('It must be at most 16 stops.');
      return n;
    },
  },
  {
    flags: '--gain-map-scale <n>',
    description: 'jpg: the gain map is 1/n of the photo per side',
    defaultValue: DEFAULT_GAIN_MAP_JPEG.scale,
    parse: integer(1, 64),
  },
  {
    flags: '--gain-map-quality <q>',
    description: "jpg: the gain map's JPEG quality",
    defaultValue: DEFAULT_GAIN_MAP_JPEG.quality,
    parse: integer(1, 100),
  },
  {
    flags: '--tile-size <px>',
    description: 'largest tile core, a multiple of 32',
    defaultValue: DEFAULT_TILE_SETTINGS.tileSize,
    parse: multipleOf32(32),
  },
  {
    flags: '--tile-margin <px>',
    description: 'context around each tile, a multiple of 32',
    defaultValue: DEFAULT_TILE_SETTINGS.margin,
    parse: multipleOf32(0),
  },
  {
    flags: '--threads <n>',
    description: `inference threads, 1 to ${MAX_THREADS} (the cores); default: all`,
    parse: integer(1, MAX_THREADS, ' (the cores)'),
  },
];

export const CONVERT_OPTIONS: readonly OptionSpec[] = [
  { flags: '--params <file>', description: 'the official weights (.npz)', defaultValue: 'hdrcnn_params.npz' },
  { flags: '--out <file>', description: 'the ONNX model to write', defaultValue: 'model/hdrcnn.onnx' },
  { flags: '--fp16', description: 'store the weights as float16 (half the file)', defaultValue: false },
];

/** What commander hands back for `predict`, keyed as it names them (camel case, `im_dir` kept). */
export interface PredictValues {
  params: string;
  im_dir: string;
  out_dir: string;
  width: number;
  height: number;
  fullRes: boolean;
  scaling: number;
  gamma: number;
  format: (typeof HDR_FORMATS)[number];
  exrFloat: boolean;
  maxBoost?: number;
  gainMapScale: number;
  gainMapQuality: number;
  tileSize: number;
  tileMargin: number;
  threads?: number;
}

export interface ConvertValues {
  params: string;
  out: string;
  fp16: boolean;
}
