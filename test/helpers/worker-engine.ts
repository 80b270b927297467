/**
 * The engine in Node, for jest tests of anything that talks to the engine
 * page: an Engine on onnxruntime-web WASM in a worker thread, exposed as the
 * BridgeEndpoint a UXP <webview> element would be. Messages cross as JSON.
 *
 *   const engine = startWorkerEngine();
 *   const client = new EngineClient(engine.endpoint);
 *   await client.init({ kind: 'file', name: 'params.npz', base64 });
 *   ...
 *   await engine.close();
 */
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { ModelSources } from '../../src/engine/model-sources';
import type { BridgeEndpoint } from '../../src/protocol/client';

export interface WorkerEngineOptions {
  /** Where 'download' models come from (e.g. a local test server); the official URLs by default. */
  readonly sources?: ModelSources;
  /** What 'bundled' finds: the plugin's model/hdrcnn.onnx; none by default. */
  readonly bundledModel?: Uint8Array;
  readonly threads?: number;
}

export interface WorkerEngine {
  readonly endpoint: BridgeEndpoint;
  /** Every message the engine sent, parsed, in order. */
  readonly sent: unknown[];
  close(): Promise<void>;
}

/** The helpers' TypeScript sources, also when this file runs compiled (the bench runs it from dist-cli/). */
const HELPERS = __dirname.replace(/[\\/]dist-cli(?=[\\/])/, '');

export function startWorkerEngine(options: WorkerEngineOptions = {}): WorkerEngine {
  const worker = new Worker(path.join(HELPERS, 'ts-worker.js'), {
    workerData: { entry: path.join(HELPERS, 'worker-engine-thread.ts'), options },
  });
  // An engine a test forgot to close must not keep jest alive.
  worker.unref();
  const listeners = new Set<(event: { data: unknown }) => void>();
  const sent: unknown[] = [];
  worker.on('message', (text: string) => {
    const data = JSON.parse(text);
    sent.push(data);
    listeners.forEach((listener) => listener({ data }));
  });
  return {
    endpoint: {
      postMessage: (message) => worker.postMessage(JSON.stringify(message)),
      addEventListener: (_type, listener) => listeners.add(listener),
      removeEventListener: (_type, listener) => listeners.delete(listener),
    },
    sent,
    close: async () => void (await worker.terminate()),
  };
}

/** Resolves when the engine has sent a message after which `done()` holds: waits on messages, not on time. */
export function untilSent(engine: WorkerEngine, done: () => boolean): Promise<void> {
  return new Promise((resolve) => {
    if (done()) return resolve();
    const listener = (): void => {
      if (!done()) return;
      engine.endpoint.removeEventListener('message', listener);
      resolve();
    };
    engine.endpoint.addEventListener('message', listener);
  });
}
