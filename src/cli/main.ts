/**
 * `hdr-reconstruct`: command-line front end over the shared core.
 *   predict  — reconstruct HDR images from LDR files (hdrcnn_predict.py's options)
 *   convert  — official .npz weights → ONNX
 */
import { parseArgs } from 'node:util';
import { DEFAULT_TILE_SETTINGS } from '../core/tile-plan';
import { convert } from './convert';
import { DEFAULT_GAIN_MAP_JPEG } from './gain-map-jpeg';
import { HDR_FORMATS, type HdrFormat } from './hdr-output';
import { predict } from './predict';

const USAGE = `Usage:
  hdr-reconstruct predict --params hdrcnn_params.npz|model.onnx --im_dir data [--out_dir out]
                          [--width 1024] [--height 768] [--full-res] [--scaling 1.0] [--gamma 1.0]
                          [--format exr|hdr|pfm|jpg] [--max-boost stops]
                          [--gain-map-scale ${DEFAULT_GAIN_MAP_JPEG.scale}] [--gain-map-quality ${DEFAULT_GAIN_MAP_JPEG.quality}]
                          [--tile-size ${DEFAULT_TILE_SETTINGS.tileSize}] [--tile-margin ${DEFAULT_TILE_SETTINGS.margin}] [--threads N]
  hdr-reconstruct convert --params hdrcnn_params.npz --out model/hdrcnn.onnx [--fp16]`;

function number(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n)) throw new UsageError(`--${name} needs a number, got '${value}'`);
  return n;
}

class UsageError extends Error {}

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  const { values } = parseArgs({
    args: rest,
    options: {
      params: { type: 'string', default: 'hdrcnn_params.npz' },
      im_dir: { type: 'string', default: 'data' },
      out_dir: { type: 'string', default: 'out' },
      out: { type: 'string', default: 'model/hdrcnn.onnx' },
      width: { type: 'string' },
      height: { type: 'string' },
      scaling: { type: 'string' },
      gamma: { type: 'string' },
      format: { type: 'string', default: 'exr' },
      'full-res': { type: 'boolean', default: false },
      fp16: { type: 'boolean', default: false },
      'tile-size': { type: 'string' },
      'tile-margin': { type: 'string' },
      threads: { type: 'string' },
      'max-boost': { type: 'string' },
      'gain-map-scale': { type: 'string' },
      'gain-map-quality': { type: 'string' },
    },
  });
  if (command === 'convert') {
    const bytes = await convert(values.params!, values.out!, values.fp16!);
    console.log(`Wrote ${values.out} (${(bytes / 2 ** 20).toFixed(1)} MiB, ${values.fp16 ? 'float16' : 'float32'} weights)`);
    return 0;
  }
  if (command !== 'predict') throw new UsageError(command ? `unknown command '${command}'` : 'no command given');
  if (!HDR_FORMATS.includes(values.format as HdrFormat)) throw new UsageError(`--format must be one of ${HDR_FORMATS.join(', ')}`);
  const threads = values.threads === undefined ? undefined : number('threads', values.threads, 0);
  const written = await predict(
    {
      params: values.params!,
      imDir: values.im_dir!,
      outDir: values.out_dir!,
      width: number('width', values.width, 1024),
      height: number('height', values.height, 768),
      fullRes: values['full-res']!,
      format: values.format as HdrFormat,
      gainMap: {
        maxBoostStops: values['max-boost'] === undefined ? undefined : number('max-boost', values['max-boost'], 0),
        scale: number('gain-map-scale', values['gain-map-scale'], DEFAULT_GAIN_MAP_JPEG.scale),
        quality: number('gain-map-quality', values['gain-map-quality'], DEFAULT_GAIN_MAP_JPEG.quality),
      },
      settings: { gamma: number('gamma', values.gamma, 1), scaling: number('scaling', values.scaling, 1) },
      tiles: {
        tileSize: number('tile-size', values['tile-size'], DEFAULT_TILE_SETTINGS.tileSize),
        margin: number('tile-margin', values['tile-margin'], DEFAULT_TILE_SETTINGS.margin),
      },
      threads,
    },
    { info: (m) => console.log(m), warn: (m) => console.warn(`Warning: ${m}`) },
  );
  console.log(`Done! ${written.length} frame(s) written to ${values.out_dir}`);
  return 0;
}

/** Runs the CLI and exits the process with its status. */
export function run(argv: string[]): void {
  main(argv).then(
    (code) => process.exit(code),
    (e: Error) => {
      console.error(`Error: ${e.message}`);
      if (e instanceof UsageError || e.name === 'TypeError') console.error(USAGE);
      process.exit(e instanceof UsageError ? 2 : 1);
    },
  );
}

if (require.main === module) run(process.argv.slice(2));
