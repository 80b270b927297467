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

/** onnxruntime's messages span lines and its own log colours them: one plain line instead. */
export function runtimeError(e: unknown): Error {
  // Not `instanceof Error`: the addon's errors may come from another realm (jest's sandbox).
  const text = typeof e === 'object' && e !== null && 'message' in e ? String(e.message) : String(e);
  const plain = text
    .replace(/\x1b\[[0-9;]*[A-Za-z]/g, '')
    .split(/\s*\n\s*/)
    .filter(Boolean)
    .join(' ');
  return new Error(`onnxruntime: ${plain}`);
}

export async function createOrtNodeSession(
  model: Uint8Array,
  options: OrtNodeOptions = {},
): Promise<ort.InferenceSession> {
  try {
    return await ort.InferenceSession.create(model, {
      executionProviders: ['cpu'],
      graphOptimizationLevel: 'all',
      // Fatal only: its error log repeats, in colour, what the rejection says.
      logSeverityLevel: 4,
      ...(options.threads ? { intraOpNumThreads: options.threads } : {}),
    });
  } catch (e) {
    throw runtimeError(e);
  }
}

/** The backend over an existing session (the benchmark times the bare session beside it). */
export function wrapOrtNodeSession(session: ort.InferenceSession): InferenceBackend {
  return {
    name: 'onnxruntime-node (cpu)',
    cost: ortNodeCost(),
    async run(tile: PlanarTile): Promise<Float32Array> {
      let result: ort.InferenceSession.ReturnType;
      try {
        const input = new ort.Tensor('float32', tile.data, [1, 3, tile.height, tile.width]);
        result = await session.run({ [MODEL_INPUT]: input });
      } catch (e) {
        throw runtimeError(e);
      }
      if (!result[MODEL_OUTPUT]) throw new Error(`onnxruntime: the model has no output '${MODEL_OUTPUT}'`);
      return result[MODEL_OUTPUT].data as Float32Array;
    },
    dispose: () => session.release(),
  };
}

export async function createOrtNodeBackend(model: Uint8Array, options: OrtNodeOptions = {}): Promise<InferenceBackend> {
  return wrapOrtNodeSession(await createOrtNodeSession(model, options));
}
