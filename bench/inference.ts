/**
 * Whole-network inference (issue 2): full-width random weights at 512×512 and
 * 1024×768; onnxruntime-node (bare session and the CLI's path, interleaved) and
 * onnxruntime-web WASM with 1 and 2 threads. Each configuration in its own process.
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { benchModel } from './make-model';
import { gflops, median, printTable } from './stats';

const SIZES: Array<[number, number]> = [
  [512, 512],
  [1024, 768],
];
const CONFIGS: Array<{ runtime: 'node' | 'wasm'; threads: number; label: string }> = [
  { runtime: 'node', threads: 2, label: 'onnxruntime-node cpu' },
  { runtime: 'wasm', threads: 1, label: 'onnxruntime-web wasm 1 thread' },
  { runtime: 'wasm', threads: 2, label: 'onnxruntime-web wasm 2 threads' },
];

export function benchInference(runs = 3): void {
  const model = benchModel(1);
  const rows: Array<Array<string | number>> = [];
  for (const [width, height] of SIZES) {
    for (const c of CONFIGS) {
      const out = execFileSync(
        process.execPath,
        [
          path.join(__dirname, 'run-inference.js'),
          model,
          c.runtime,
          String(c.threads),
          String(width),
          String(height),
          String(runs),
        ],
        { encoding: 'utf8' },
      );
      const r = JSON.parse(out.trim().split('\n').pop()!) as { bare?: number[]; cli: number[]; peakRssMiB: number };
      const cli = median(r.cli);
      const bare = r.bare ? median(r.bare) : undefined;
      if (bare !== undefined)
        rows.push([
          `${c.label}: bare session.run`,
          `${width}×${height}`,
          bare,
          gflops(width, height, bare),
          r.peakRssMiB,
          '',
        ]);
      rows.push([
        `${c.label}: CLI path`,
        `${width}×${height}`,
        cli,
        gflops(width, height, cli),
        r.peakRssMiB,
        bare ? (cli / bare).toFixed(3) : '',
      ]);
    }
  }
  printTable(
    `Inference: full-width random weights, median of ${runs} runs`,
    ['runtime', 'size', 'median s', 'GFLOP/s', 'peak RSS MiB', 'CLI / bare (target ≤ 1.1)'],
    rows,
  );
}
