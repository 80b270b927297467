/** Builds (once) the full-width random-weights ONNX model the benchmarks use. */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseHdrcnnParams } from '../src/weights/hdrcnn-structure';
import { buildHdrcnnOnnx } from '../src/weights/onnx-builder';
import { randomHdrcnnParams } from '../tools/random-weights';

export const BENCH_DIR = path.resolve(__dirname, '..', '..', '.bench');

export function benchModel(widthDivisor = 1): string {
  const file = path.join(BENCH_DIR, `hdrcnn-random-w${widthDivisor}.onnx`);
  if (!existsSync(file)) {
    mkdirSync(BENCH_DIR, { recursive: true });
    writeFileSync(file, buildHdrcnnOnnx(parseHdrcnnParams(randomHdrcnnParams(widthDivisor, 2017))));
  }
  return file;
}
