/**
 * One backend's window costs in its own process (so peak RSS is its own):
 *   node run-window-cost.js time <model.onnx> <node|wasm> <threads> <rounds> <w>x<h>…
 *     per size: the first run of the shape, then `rounds` repeat runs of every
 *     size, interleaved (alternately up and down the list, so a busy spell on a
 *     shared machine does not land on one size), on one session warmed first on
 *     a window larger than all of them: the session's start and the growth of
 *     its memory arena are paid once per session, not per shape; also the CPU
 *     time (all threads) of each repeat, which a busy machine changes less;
 *   node run-window-cost.js memory <model.onnx> <w>x<h>
 *     peak RSS after creating the onnxruntime-node session, and after one run.
 * Prints one JSON line.
 */
import { readFileSync } from 'node:fs';
import type { InferenceBackend } from '../src/core/backend';
import { createOrtNodeBackend } from '../src/runtime/ort-node';
import { createOrtWebBackend } from '../src/runtime/ort-web';
import { peakRssMiB } from './stats';

const parseSize = (s: string): [number, number] => s.split('x').map(Number) as [number, number];

/** CPU seconds (all threads) of every run so far, per size, beside the wall times. */
const cpuSeconds = new Map<string, number[]>();

async function seconds(backend: InferenceBackend, width: number, height: number): Promise<number> {
  // Values around the highlight threshold, like the windows the planner sends.
  const data = Float32Array.from({ length: 3 * width * height }, (_, i) => 0.8 + 0.2 * (((i * 7919) % 1000) / 1000));
  const [start, cpu] = [performance.now(), process.cpuUsage()];
  await backend.run({ width, height, data });
  const { user, system } = process.cpuUsage(cpu);
  const key = `${width}x${height}`;
  cpuSeconds.set(key, [...(cpuSeconds.get(key) ?? []), (user + system) / 1e6]);
  return (performance.now() - start) / 1000;
}

async function main(): Promise<void> {
  const [mode, modelFile, ...rest] = process.argv.slice(2);
  const model = new Uint8Array(readFileSync(modelFile));
  if (mode === 'memory') {
    const [width, height] = parseSize(rest[0]);
    const backend = await createOrtNodeBackend(model, { threads: 2 });
    const sessionMiB = peakRssMiB();
    await seconds(backend, width, height);
    console.log(JSON.stringify({ width, height, sessionMiB, peakMiB: peakRssMiB() }));
    return;
  }
  const [runtime, threads, rounds, ...sizes] = rest;
  const backend =
    runtime === 'node'
      ? await createOrtNodeBackend(model, { threads: Number(threads) })
      : await createOrtWebBackend(model, { provider: 'wasm', threads: Number(threads) });
  const rows = sizes.map(parseSize).map(([width, height]) => ({ width, height, first: 0, repeats: [] as number[] }));
  await seconds(backend, Math.max(...rows.map((r) => r.width)) + 32, Math.max(...rows.map((r) => r.height)) + 32);
  for (const row of rows) row.first = await seconds(backend, row.width, row.height);
  for (let r = 0; r < Number(rounds); r++) {
    for (const row of r % 2 ? [...rows].reverse() : rows)
      row.repeats.push(await seconds(backend, row.width, row.height));
  }
  const cpu = (r: { width: number; height: number }) => cpuSeconds.get(`${r.width}x${r.height}`)!;
  console.log(JSON.stringify(rows.map((r) => ({ ...r, firstCpu: cpu(r)[0], cpu: cpu(r).slice(1) }))));
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
