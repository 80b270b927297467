/**
 * InferenceBackend on onnxruntime-node (CPU): the CLI's and the benchmark's runtime.
 * The only file that imports onnxruntime-node.
 */
import * as ort from 'onnxruntime-node';
import type { InferenceBackend, PlanarTile } from '../core/backend';
import { MODEL_INPUT, MODEL_OUTPUT } from '../core/hdrcnn';
import { ortNodeCost } from '../core/tile-cost';

export interface OrtNodeOptions {
  /** Intra-op threads; default: onnxruntime's choice (all cores). */
  readonly threads?: number;
}

export function createOrtNodeSession(model: Uint8Array, options: OrtNodeOptions = {}): Promise<ort.InferenceSession> {
  return ort.InferenceSession.create(model, {
    executionProviders: ['cpu'],
    graphOptimizationLevel: 'all',
    ...(options.threads ? { intraOpNumThreads: options.threads } : {}),
  });
}

/** The backend over an existing session (the benchmark times the bare session beside it). */
export function wrapOrtNodeSession(session: ort.InferenceSession): InferenceBackend {
  return {
    name: 'onnxruntime-node (cpu)',
    cost: ortNodeCost(),
    async run(tile: PlanarTile): Promise<Float32Array> {
      const input = new ort.Tensor('float32', tile.data, [1, 3, tile.height, tile.width]);
      const result = await session.run({ [MODEL_INPUT]: input });
      return result[MODEL_OUTPUT].data as Float32Array;
    },
    dispose: () => session.release(),
  };
}

export async function createOrtNodeBackend(model: Uint8Array, options: OrtNodeOptions = {}): Promise<InferenceBackend> {
  return wrapOrtNodeSession(await createOrtNodeSession(model, options));
}
