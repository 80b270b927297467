/**
 * `hdr-reconstruct`: command-line front end over the shared core.
 *   predict  — reconstruct HDR images from LDR files (hdrcnn_predict.py's options)
 *   convert  — official .npz weights → ONNX
 *
 * Parsing is commander's (maintained; per-command options, generated --help, --version);
 * the options themselves are the table in options.ts. Exit codes: 0 done (and --help,
 * --version), 1 a runtime failure or an input that failed, 2 a usage error.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Command, CommanderError, Option } from 'commander';
import { convert } from './convert';
import { CONVERT_OPTIONS, PREDICT_OPTIONS, type ConvertValues, type OptionSpec, type PredictValues } from './options';
import { predict } from './predict';
import type { FrameProgress } from './progress';

export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

/** Where the CLI writes: the process's streams, or a test's buffers. */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  /** Per-frame progress; default: progress.ts on stderr. */
  progress?(label: string): FrameProgress;
}

const processIo: CliIo = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
};

/**
 * The version in the package's package.json: the nearest one above this file, from src/cli
 * (tests) and dist-cli/src/cli alike. (Importing the JSON would make tsc copy it into dist-cli,
 * where it would pass for the repository root.)
 */
function packageVersion(dir = __dirname): string {
  const file = path.join(dir, 'package.json');
  if (existsSync(file)) return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
  return path.dirname(dir) === dir ? 'unknown' : packageVersion(path.dirname(dir));
}

const PREDICT_EXAMPLE = `
Examples:
  hdr-reconstruct predict --params hdrcnn_params.npz --im_dir photos/ --out_dir out
  hdr-reconstruct predict --params model/hdrcnn.onnx --im_dir photo.tif --full-res --gamma 1.2
  hdr-reconstruct predict --params model/hdrcnn.onnx --im_dir photo.jpg --full-res --format jpg`;
const CONVERT_EXAMPLE = `
Example:
  hdr-reconstruct convert --params hdrcnn_params.npz --out model/hdrcnn.onnx --fp16`;

function addOptions(command: Command, specs: readonly OptionSpec[]): Command {
  for (const spec of specs) {
    const option = new Option(spec.flags, spec.description);
    // A switch is off unless given; saying "(default: false)" for each adds nothing.
    if (spec.defaultValue !== undefined && typeof spec.defaultValue !== 'boolean') option.default(spec.defaultValue);
    if (spec.parse) option.argParser(spec.parse);
    if (spec.choices) option.choices(spec.choices);
    command.addOption(option);
  }
  return command;
}

/** Every command reports usage errors the same way: one line, with where to look. */
function configure(command: Command, io: CliIo, helpCommand: string): Command {
  return command
    .exitOverride()
    .allowExcessArguments(false)
    .configureOutput({
      writeOut: io.out,
      writeErr: io.err,
      // commander puts "Did you mean …?" on a second line; keep it on one.
      outputError: (text, write) => write(`${text.trim().replace(/\s*\n\s*/g, ' ')} (see '${helpCommand} --help')\n`),
    });
}

function program(io: CliIo, done: (code: number) => void): Command {
  const root = configure(new Command('hdr-reconstruct'), io, 'hdr-reconstruct')
    .description('Reconstruct blown-out highlights of LDR photos into linear HDR images with HDRCNN.')
    .version(packageVersion(), '-V, --version')
    .helpCommand(false)
    .addHelpText('after', `${PREDICT_EXAMPLE}\n\nRun 'hdr-reconstruct <command> --help' for a command's options.`);

  const predictCommand = configure(new Command('predict'), io, 'hdr-reconstruct predict')
    .description('Reconstruct HDR images from 8/16-bit photos (the options of hdrcnn_predict.py)')
    .addHelpText('after', PREDICT_EXAMPLE)
    .action(async (values: PredictValues) => done(await runPredict(values, io)));
  const convertCommand = configure(new Command('convert'), io, 'hdr-reconstruct convert')
    .description('Convert the official .npz weights into an ONNX model file')
    .addHelpText('after', CONVERT_EXAMPLE)
    .action(async (values: ConvertValues) => done(await runConvert(values, io)));
  root.addCommand(addOptions(predictCommand, PREDICT_OPTIONS));
  root.addCommand(addOptions(convertCommand, CONVERT_OPTIONS));
  return root;
}

async function runPredict(values: PredictValues, io: CliIo): Promise<number> {
  const { written, failed } = await predict(
    {
      params: values.params,
      imDir: values.im_dir,
      outDir: values.out_dir,
      width: values.width,
      height: values.height,
      fullRes: values.fullRes === true,
      format: values.format,
      exrFloat: values.exrFloat === true,
      gainMap: { maxBoostStops: values.maxBoost, scale: values.gainMapScale, quality: values.gainMapQuality },
      settings: { gamma: values.gamma, scaling: values.scaling },
      tiles: { tileSize: values.tileSize, margin: values.tileMargin },
      threads: values.threads,
    },
    { info: (m) => io.out(`${m}\n`), warn: (m) => io.err(`Warning: ${m}\n`), progress: io.progress },
  );
  io.out(`Done! ${written.length} frame(s) written to ${values.out_dir}\n`);
  if (failed.length === 0) return 0;
  const list = failed.map(({ file, reason }) => `${file} (${reason})`).join(', ');
  io.err(`Error: ${failed.length} of ${failed.length + written.length} input(s) failed: ${list}\n`);
  return EXIT_FAILURE;
}

async function runConvert(values: ConvertValues, io: CliIo): Promise<number> {
  const bytes = await convert(values.params, values.out, values.fp16 === true);
  io.out(`Wrote ${values.out} (${(bytes / 2 ** 20).toFixed(1)} MiB, ${values.fp16 ? 'float16' : 'float32'} weights)\n`);
  return 0;
}

/** Runs the CLI on `argv` (without node and the script); resolves with the exit code, never rejects. */
export async function main(argv: string[], io: CliIo = processIo): Promise<number> {
  let code = EXIT_USAGE; // commander shows help and throws for a missing command
  try {
    await program(io, (c) => (code = c)).parseAsync(argv, { from: 'user' });
    return code;
  } catch (e) {
    // --help and --version end here too, with exit code 0.
    if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : EXIT_USAGE;
    // One line: the message, not a stack; a multi-line message from a native library is joined.
    io.err(`Error: ${(e as Error).message.trim().replace(/\s*\n\s*/g, ' ')}\n`);
    return EXIT_FAILURE;
  }
}

/** Runs the CLI and exits the process with its status. */
export function run(argv: string[]): void {
  void main(argv).then((code) => process.exit(code));
}

if (require.main === module) run(process.argv.slice(2));
