/**
 * The engine page without a usable WebGPU adapter falls back to WASM and says
 * why; cancelling in the page.
 */
import type { Browser } from 'playwright-core';
import {
  launchChromium,
  NO_ADAPTER,
  openEngine,
  startServer,
  type EnginePage,
  type TestServer,
} from '../../tools/browser-harness';
import { EngineError } from '../../src/protocol/errors';
import { tinyModelBytes } from '../helpers/fixture';

jest.setTimeout(120_000);

const model = () => ({ label: 'params.npz', bytes: tinyModelBytes() });

let server: TestServer;
beforeAll(async () => (server = await startServer()));
afterAll(() => server.close());

describe('with WebGPU enabled in Chromium (one page)', () => {
  let browser: Browser;
  let engine: EnginePage;
  beforeAll(async () => {
    browser = await launchChromium();
    engine = await openEngine(browser, server);
  });
  afterAll(async () => {
    await engine?.close();
    await browser?.close(); // undefined when Chromium failed to launch
  });

  it("'auto' does not take the software adapter", async () => {
    const ready = await engine.client.init(model());
    expect(ready).toMatchObject({
      provider: 'wasm',
      reason: 'the only WebGPU adapter (google swiftshader) is a software renderer, slower than WASM; using WASM',
    });
  });

  it('no adapter at all: WASM, and the reason', async () => {
    await engine.page.evaluate(NO_ADAPTER);
    expect(await engine.client.init(model(), 'webgpu')).toMatchObject({
      provider: 'wasm',
      reason: 'no WebGPU adapter; using WASM',
    });
  });

  it('cancel: pending tiles reject at once, the engine stays usable', async () => {
    const tile = { width: 64, height: 64, data: new Float32Array(3 * 64 * 64).fill(0.97) };
    const runs = [engine.client.run(tile), engine.client.run(tile), engine.client.run(tile)];
    engine.client.cancelAll();
    for (const run of runs) await expect(run).rejects.toEqual(new EngineError('cancelled', 'cancelled'));
    expect((await engine.client.run(tile)).length).toBe(tile.data.length);
  });
});

it('Chromium without --enable-unsafe-webgpu: WASM, and the reason', async () => {
  const browser = await launchChromium({ webgpu: false });
  try {
    const engine = await openEngine(browser, server);
    expect(await engine.client.init(model(), 'webgpu')).toMatchObject({
      provider: 'wasm',
      reason: expect.stringMatching(/^(no WebGPU adapter|this browser has no WebGPU); using WASM$/),
    });
    await engine.close();
  } finally {
    await browser.close(); // a live browser process would keep jest running
  }
});
