/**
 * The engine page's stand-in in Node (run by worker-engine.ts in a worker
 * thread): the same Engine on onnxruntime-web WASM, a memory cache, Node's
 * fetch, no WebGPU. Messages cross as JSON text, as a bridge carrying only
 * JSON-safe values would deliver them.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { Engine } from '../../src/engine/engine';
import { memoryCache } from '../../src/engine/model-cache';
import { MODEL_SOURCES } from '../../src/engine/model-sources';
import { createOrtWebBackend } from '../../src/runtime/ort-web';
import type { WorkerEngineOptions } from './worker-engine';

const options = workerData.options as WorkerEngineOptions;
const port = parentPort!;
const engine = new Engine((message) => port.postMessage(JSON.stringify(message)), {
  requestGpu: async () => ({ reason: 'no WebGPU in Node' }),
  createBackend: (model) => createOrtWebBackend(model, { provider: 'wasm', threads: options.threads ?? 1 }),
  fetch: (url, init) => fetch(url, init),
  cache: memoryCache(),
  bundledModel: async () => options.bundledModel,
  sources: options.sources ?? MODEL_SOURCES,
});
port.on('message', (text: string) => engine.handle(text));
