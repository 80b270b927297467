/**
 * One inference measurement in its own process (so peak RSS is its own):
 * `node run-inference.js <model.onnx> <node|wasm> <threads> <width> <height> <runs>`.
 * For onnxruntime-node it times, interleaved, a bare `InferenceSession.run` and
 * the CLI's path (`reconstruct` with one whole-image window, pre/post included).
 * Prints one JSON line.
 */
import { readFileSync } from 'node:fs';
import { Tensor } from 'onnxruntime-node';
import { MODEL_INPUT } from '../src/core/hdrcnn';
import { createRgbImage } from '../src/core/image';
import { reconstruct } from '../src/core/reconstruct';
import { wholeImageSettings } from '../src/core/tile-plan';
import { createOrtNodeSession, wrapOrtNodeSession } from '../src/runtime/ort-node';
import { createOrtWebBackend } from '../src/runtime/ort-web';
import { peakRssMiB } from './stats';

async function time(f: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await f();
  return (performance.now() - start) / 1000;
}

async function main(): Promise<void> {
  const [modelFile, runtime, threadsArg, w, h, runsArg] = process.argv.slice(2);
  const [width, height, runs, threads] = [Number(w), Number(h), Number(runsArg), Number(threadsArg)];
  const model = new Uint8Array(readFileSync(modelFile));
  // A photo-like input with clipped samples everywhere, so the network always runs.
  const image = createRgbImage(
    width,
    height,
    Float32Array.from({ length: width * height * 3 }, (_, i) => Math.min(1, ((i * 7919) % 1000) / 900)),
  );
  const tiles = wholeImageSettings(width, height);
  const result: Record<string, unknown> = { runtime, threads, width, height };
  if (runtime === 'node') {
    const session = await createOrtNodeSession(model, { threads });
    const backend = wrapOrtNodeSession(session);
    const input = new Tensor('float32', new Float32Array(3 * width * height).fill(0.97), [1, 3, height, width]);
    await session.run({ [MODEL_INPUT]: input }); // warm-up: allocations and kernel selection
    await reconstruct(image, backend, { tiles });
    const bare: number[] = [];
    const cli: number[] = [];
    for (let r = 0; r < runs; r++) {
      bare.push(await time(() => session.run({ [MODEL_INPUT]: input })));
      cli.push(await time(() => reconstruct(image, backend, { tiles })));
    }
    Object.assign(result, { bare, cli });
  } else {
    const backend = await createOrtWebBackend(model, { provider: 'wasm', threads });
    await reconstruct(image, backend, { tiles });
    const cli: number[] = [];
    for (let r = 0; r < runs; r++) cli.push(await time(() => reconstruct(image, backend, { tiles })));
    Object.assign(result, { cli });
  }
  result.peakRssMiB = peakRssMiB();
  console.log(JSON.stringify(result));
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
