/**
 * InferenceBackend on onnxruntime-web: WebGPU when asked and available, else
 * WASM. Runs in browsers (the engine page) and in Node (WASM, for tests and the
 * benchmark). The only file that imports onnxruntime-web; settings are passed
 * in, nothing is sniffed or set at import time.
 */
import * as ort from 'onnxruntime-web';
import type { InferenceBackend, PlanarTile } from '../core/backend';
import { MODEL_INPUT, MODEL_OUTPUT } from '../core/hdrcnn';
import { DEFAULT_GPU_LIMITS, ortWasmCost, webGpuCost, type GpuBufferLimits } from '../core/tile-cost';

export type WebProvider = 'webgpu' | 'wasm';

export interface OrtWebOptions {
  readonly provider: WebProvider;
  /** WASM threads (needs cross-origin isolation in browsers); default 1. */
  readonly threads?: number;
  /** Where ort-wasm-*.{mjs,wasm} are served from, in browsers (non-bundled builds only). */
  readonly wasmPaths?: string;
  /** The runtime's .wasm itself, so nothing is fetched (the engine page carries it inline). */
  readonly wasmBinary?: Uint8Array;
  /** WebGPU: a GPUDevice created with the limits the model needs; onnxruntime makes its own when absent. */
  readonly device?: unknown;
}

export async function createOrtWebBackend(model: Uint8Array, options: OrtWebOptions): Promise<InferenceBackend> {
  ort.env.wasm.numThreads = options.threads ?? 1;
  if (options.wasmPaths) ort.env.wasm.wasmPaths = options.wasmPaths;
  if (options.wasmBinary) ort.env.wasm.wasmBinary = options.wasmBinary;
  const session = await ort.InferenceSession.create(model, {
    executionProviders: [
      options.provider === 'webgpu' && options.device ? { name: 'webgpu', device: options.device } : options.provider,
    ],
    graphOptimizationLevel: 'all',
  });
  // A device passed in carries the buffer limits it was created with; onnxruntime's own gets the defaults.
  const limits = (options.device as { limits?: GpuBufferLimits } | undefined)?.limits ?? DEFAULT_GPU_LIMITS;
  return {
    cost: options.provider === 'webgpu' ? webGpuCost(limits) : ortWasmCost(),
    name: `onnxruntime-web (${options.provider}${options.provider === 'wasm' ? `, ${ort.env.wasm.numThreads} thread(s)` : ''})`,
    async run(tile: PlanarTile): Promise<Float32Array> {
      const input = new ort.Tensor('float32', tile.data, [1, 3, tile.height, tile.width]);
      const result = await session.run({ [MODEL_INPUT]: input });
      const output = result[MODEL_OUTPUT];
      const data = (await output.getData(true)) as Float32Array;
      input.dispose();
      return data;
    },
    dispose: () => session.release(),
  };
}

/** WASM threads onnxruntime uses: it drops to 1 where SharedArrayBuffer is missing (no cross-origin isolation). */
export const ortWasmThreads = (): number => ort.env.wasm.numThreads ?? 1;
