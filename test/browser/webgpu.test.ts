/**
 * The engine page on WebGPU (SwiftShader here) in real Chromium: the golden
 * fixture through the core's reconstruct loop, agreement with WASM, and a GPU
 * device destroyed mid-run. One WebGPU session for all of it: its first run
 * compiles shaders in software, ~25 s on two cores.
 */
import type { Browser } from 'playwright-core';
import {
  CAPTURE_DEVICES,
  launchChromium,
  openEngine,
  startServer,
  type EnginePage,
  type TestServer,
} from '../../tools/browser-harness';
import type { InferenceBackend } from '../../src/core/backend';
import { reconstruct } from '../../src/core/reconstruct';
import { wholeImageSettings } from '../../src/core/tile-plan';
import { expectedGamma1, fixtureInput, maxRelativeError, tinyModelBytes } from '../helpers/fixture';

jest.setTimeout(180_000);

const model = () => ({ label: 'params.npz', bytes: tinyModelBytes() });

let browser: Browser;
let server: TestServer;
let engine: EnginePage;
const notices: string[] = [];
let webgpuImage: Float32Array;

beforeAll(async () => {
  // Assigned one by one: if Chromium fails to launch, the server must still be closed below,
  // or its listening socket keeps jest running after the failures.
  server = await startServer();
  browser = await launchChromium();
  engine = await openEngine(browser, server, {
    initScript: CAPTURE_DEVICES,
    events: { onNotice: (n) => notices.push(n) },
  });
});
afterAll(async () => {
  await engine?.close();
  await Promise.all([browser?.close(), server?.close()]);
});

it('asked for WebGPU, runs on the SwiftShader adapter', async () => {
  const ready = await engine.client.init(model(), 'webgpu');
  expect(ready).toEqual({
    provider: 'webgpu',
    reason: 'WebGPU on google swiftshader (software)',
    model: 'params.npz',
    wasmThreads: 1,
    crossOriginIsolated: false,
  });
  expect(engine.client.name).toBe('onnxruntime-web (webgpu)');
});

it('reconstructs the golden fixture within 1e-3', async () => {
  const input = await fixtureInput();
  const { image } = await reconstruct(input, engine.client, { tiles: wholeImageSettings(input.width, input.height) });
  webgpuImage = image.data;
  expect(maxRelativeError(image.data, expectedGamma1())).toBeLessThan(1e-3);
});

it('survives the GPU device being destroyed mid-run: the tile is rerun on WASM', async () => {
  const input = await fixtureInput();
  let armed = false;
  const destroyWhileRunning: InferenceBackend = {
    name: 'the engine, whose GPU device goes during the first tile',
    run: async (tile, signal) => {
      if (!armed) {
        armed = true;
        // The device goes right after the network's first GPU submission for this tile: mid-run, not mid-idle.
        await engine.page.evaluate(() => {
          (window as unknown as { __destroyOnNextSubmit: boolean }).__destroyOnNextSubmit = true;
        });
      }
      return engine.client.run(tile, signal);
    },
    dispose: async () => undefined,
  };
  const { image } = await reconstruct(input, destroyWhileRunning, {
    tiles: wholeImageSettings(input.width, input.height),
  });
  expect(notices).toEqual([expect.stringMatching(/^the GPU device was lost \(.+\); continuing on WASM$/)]);
  expect(engine.client.name).toBe('onnxruntime-web (wasm)');
  expect(maxRelativeError(image.data, expectedGamma1())).toBeLessThan(1e-3);
});

it('on WASM, agrees with the WebGPU result within 1e-4', async () => {
  expect(await engine.client.init(model(), 'wasm')).toMatchObject({ provider: 'wasm', reason: 'WASM was asked for' });
  const input = await fixtureInput();
  const { image } = await reconstruct(input, engine.client, { tiles: wholeImageSettings(input.width, input.height) });
  expect(maxRelativeError(image.data, webgpuImage)).toBeLessThan(1e-4);
  expect(maxRelativeError(image.data, expectedGamma1())).toBeLessThan(1e-3);
});
