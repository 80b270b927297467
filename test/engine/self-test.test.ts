/**
 * The page's self-test with onnxruntime-node standing in for the page's runtime (onnxruntime-web
 * needs a worker thread under jest; the browser suite runs the real page), and with wrong runtimes.
 */
import { runSelfTest } from '../../src/engine/self-test';
import type { EngineDeps } from '../../src/engine/engine';
import { PROTOCOL_VERSION } from '../../src/protocol/messages';
import { createOrtNodeBackend } from '../../src/runtime/ort-node';

let clock = 0;
const now = () => (clock += 250);

const deps = (createBackend: EngineDeps['createBackend']): EngineDeps => ({
  requestGpu: async () => ({ reason: 'no WebGPU adapter' }),
  createBackend,
  runtimeInfo: () => ({ wasmThreads: 1, crossOriginIsolated: false }),
});

it('passes on a correct runtime and reports where it ran', async () => {
  const report = await runSelfTest(
    deps((model) => createOrtNodeBackend(model)),
    now,
  );
  expect(report).toEqual({
    type: 'self-test',
    version: PROTOCOL_VERSION,
    ok: true,
    provider: 'wasm',
    adapter: 'no WebGPU adapter',
    wasmThreads: 1,
    crossOriginIsolated: false,
    ms: 250,
  });
});

it('fails, saying by how much, when the runtime computes something else; and when it cannot load the model', async () => {
  const wrong = await runSelfTest(
    deps(async () => ({
      name: 'zeros',
      run: async (t) => new Float32Array(t.data.length),
      dispose: async () => undefined,
    })),
    now,
  );
  expect(wrong).toMatchObject({
    ok: false,
    provider: 'wasm',
    error: expect.stringMatching(/^the wasm output is off by up to \d/),
  });
  const broken = await runSelfTest(
    deps(async () => Promise.reject(new Error('no WebAssembly'))),
    now,
  );
  expect(broken).toMatchObject({ ok: false, error: 'no WebAssembly' });
});
