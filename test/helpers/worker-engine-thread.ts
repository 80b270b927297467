/**
 * The engine page's stand-in in Node (run by worker-engine.ts in a worker
 * thread): the same Engine on onnxruntime-web WASM, no WebGPU. Messages cross as JSON text, as a bridge carrying only
 * JSON-safe values would deliver them.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { Engine } from '../../src/engine/engine';
import { createOrtWebBackend, ortWasmThreads } from '../../src/runtime/ort-web';
import type { WorkerEngineOptions } from './worker-engine';

const options = workerData.options as WorkerEngineOptions;
const port = parentPort!;
const engine = new Engine((message) => port.postMessage(JSON.stringify(message)), {
  requestGpu: async () => ({ reason: 'no WebGPU in Node' }),
  createBackend: (model) => createOrtWebBackend(model, { provider: 'wasm', threads: options.threads ?? 1 }),
  runtimeInfo: () => ({ wasmThreads: ortWasmThreads(), crossOriginIsolated: false }),
});
port.on('message', (text: string) => engine.handle(text));
