/**
 * Re-measures the window cost models of src/core/tile-cost.ts (issue 15):
 * per backend, the time of a window against its pixels (least squares on
 * repeat runs, the fastest of several interleaved rounds, as the shared bench
 * machine's quiet moments: perRun + perPixel · pixels), the extra time of a
 * shape's first run (perShape, median over sizes), and for onnxruntime-node the peak RSS per pixel of window.
 * Prints the fit beside the stored coefficients. Each backend in its own process.
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { ORT_NODE_BYTES_PER_PIXEL, ortNodeCost, ortWasmCost, type WindowCostModel } from '../src/core/tile-cost';
import { benchModel } from './make-model';
import { median, printTable } from './stats';

interface SizeRow {
  width: number;
  height: number;
  first: number;
  repeats: number[];
  firstCpu: number;
  cpu: number[];
}

const child = (args: string[]): string =>
  execFileSync(process.execPath, [path.join(__dirname, 'run-window-cost.js'), ...args], { encoding: 'utf8' })
    .trim()
    .split('\n')
    .pop()!;

/** Least squares y = a + b·x. */
export function fitLine(xs: number[], ys: number[]): { a: number; b: number } {
  const n = xs.length;
  const mx = xs.reduce((s, x) => s + x, 0) / n;
  const my = ys.reduce((s, y) => s + y, 0) / n;
  const sxy = xs.reduce((s, x, i) => s + (x - mx) * (ys[i] - my), 0);
  const sxx = xs.reduce((s, x) => s + (x - mx) ** 2, 0);
  const b = sxy / sxx;
  return { a: my - b * mx, b };
}

const BACKENDS: Array<{
  runtime: 'node' | 'wasm';
  threads: number;
  rounds: number;
  sizes: string[];
  stored: WindowCostModel;
}> = [
  {
    runtime: 'node',
    threads: 2,
    rounds: 4,
    sizes: ['96x96', '160x160', '256x256', '320x320', '512x384', '640x480'],
    stored: ortNodeCost(),
  },
  { runtime: 'wasm', threads: 2, rounds: 2, sizes: ['96x96', '160x160', '256x256', '320x320'], stored: ortWasmCost() },
];

export function benchWindowCost(): void {
  const model = benchModel(1);
  const rows: Array<Array<string | number>> = [];
  const fits: Array<Array<string | number>> = [];
  for (const b of BACKENDS) {
    const sizes = JSON.parse(
      child(['time', model, b.runtime, String(b.threads), String(b.rounds), ...b.sizes]),
    ) as SizeRow[];
    const pixels = sizes.map((s) => s.width * s.height);
    const repeat = sizes.map((s) => Math.min(...s.repeats));
    const { a, b: perPixel } = fitLine(pixels, repeat);
    const perShape = median(sizes.map((s, i) => s.first - repeat[i]));
    const perShapeCpu = median(sizes.map((s) => (s.firstCpu - Math.min(...s.cpu)) / b.threads));
    // CPU time over the threads: what the wall time would be with the cores to itself.
    const cpu = fitLine(
      pixels,
      sizes.map((s) => Math.min(...s.cpu) / b.threads),
    );
    for (const [i, s] of sizes.entries()) {
      const modelled = a + perPixel * pixels[i];
      const cpuOf = (t: number) => t / b.threads;
      rows.push([
        b.stored.name,
        `${s.width}×${s.height}`,
        s.first,
        repeat[i],
        cpuOf(s.firstCpu),
        cpuOf(Math.min(...s.cpu)),
        modelled,
        repeat[i] / modelled,
      ]);
    }
    fits.push([
      b.stored.name,
      `${b.threads}`,
      a,
      cpu.a,
      b.stored.perRun,
      perPixel * 1e6,
      cpu.b * 1e6,
      b.stored.perPixel * 1e6,
      perShape,
      perShapeCpu,
      b.stored.perShape,
    ]);
  }
  printTable(
    'Window cost: one session per backend, full-width random weights',
    [
      'backend',
      'window',
      'first run s',
      'repeat s',
      'first CPU s / threads',
      'repeat CPU s / threads',
      'fit s',
      'repeat / fit',
    ],
    rows,
  );
  printTable(
    'Window cost model: measured now beside src/core/tile-cost.ts',
    [
      'backend',
      'threads',
      'perRun s',
      'from CPU',
      'stored',
      'perPixel µs',
      'from CPU',
      'stored',
      'perShape s',
      'from CPU',
      'stored',
    ],
    fits,
  );
  const memory = ['512x512', '1024x512'].map(
    (s) =>
      JSON.parse(child(['memory', model, s])) as { width: number; height: number; sessionMiB: number; peakMiB: number },
  );
  const [small, large] = memory;
  const perPixel =
    ((large.peakMiB - small.peakMiB) * 2 ** 20) / (large.width * large.height - small.width * small.height);
  printTable(
    'onnxruntime-node memory per window (own process each)',
    ['window', 'RSS after session MiB', 'peak RSS MiB'],
    memory.map((m) => [`${m.width}×${m.height}`, m.sessionMiB, m.peakMiB]),
  );
  console.log(`\npeak RSS per pixel of window: ${perPixel.toFixed(0)} bytes (stored ${ORT_NODE_BYTES_PER_PIXEL})`);
}
