/**
 * The engine page under the UXP webview's rules (AdobeDocs html-web-view-element.md):
 * files served with no Content-Type and no COOP/COEP, storage that throws on access,
 * messages that cross as JSON text only and never above the bridge limit. The whole
 * flow (init → model chunks → run-tile → result) on WASM and on software WebGPU, and
 * `?self-test`.
 */
import type { Browser } from 'playwright-core';
import {
  launchChromium,
  openEngine,
  startServer,
  THROWING_STORAGE,
  type EnginePage,
  type TestServer,
} from '../../tools/browser-harness';
import { reconstruct } from '../../src/core/reconstruct';
import { wholeImageSettings } from '../../src/core/tile-plan';
import { CHUNK_BYTES, parseSelfTestReport, type Provider } from '../../src/protocol/messages';
import { LOG_STEP, packPixels, returnedPixels } from '../../src/protocol/payload';
import { createOrtNodeBackend } from '../../src/runtime/ort-node';
import { parseHdrcnnParams } from '../../src/weights/hdrcnn-structure';
import { buildHdrcnnOnnx } from '../../src/weights/onnx-builder';
import { randomHdrcnnParams } from '../../src/weights/random-params';
import { expectedGamma1, fixtureInput, maxRelativeError, tinyModelBytes } from '../helpers/fixture';

jest.setTimeout(240_000);

let browser: Browser;
let server: TestServer;
const pages: EnginePage[] = [];

beforeAll(async () => {
  // Assigned one by one: if Chromium fails to launch, the server must still be closed below,
  // or its listening socket keeps jest running after the failures.
  server = await startServer({ contentType: false });
  browser = await launchChromium();
});
afterAll(async () => {
  await Promise.all(pages.map((p) => p.close()));
  await Promise.all([browser?.close(), server?.close()]);
});

async function open(query?: string): Promise<EnginePage> {
  const engine = await openEngine(browser, server, { initScript: THROWING_STORAGE, query });
  pages.push(engine);
  expect(
    await engine.page.evaluate(() => [
      crossOriginIsolated,
      (() => {
        try {
          return localStorage;
        } catch {
          return 'throws';
        }
      })(),
    ]),
  ).toEqual([false, 'throws']);
  return engine;
}

describe.each<Provider>(['wasm', 'webgpu'])('the whole flow on %s', (provider) => {
  it('init → model chunks → run-tile → result reproduces the golden fixture', async () => {
    const engine = await open();
    const ready = await engine.client.init({ label: 'fixture model', bytes: tinyModelBytes() }, provider);
    expect(ready).toMatchObject({ provider, model: 'fixture model', wasmThreads: 1, crossOriginIsolated: false });
    const input = await fixtureInput();
    const { image } = await reconstruct(input, engine.client, { tiles: wholeImageSettings(input.width, input.height) });
    expect(maxRelativeError(image.data, expectedGamma1())).toBeLessThan(1e-3);
    expect(engine.refused).toEqual([]);
    expect(Math.max(...engine.sizes.toPage, ...engine.sizes.toPlugin)).toBeLessThanOrEqual(4 * 2 ** 20);
    // The page fetched nothing but itself (Chromium asks for a favicon on its own).
    expect([...server.hits.keys()].filter((p) => p !== '/favicon.ico')).toEqual(['/engine/engine.html']);
  });
});

it('a model of several chunks arrives whole: the page gives what onnxruntime-node gives for it', async () => {
  const model = buildHdrcnnOnnx(parseHdrcnnParams(randomHdrcnnParams(4, 11)));
  expect(model.length).toBeGreaterThan(2 * CHUNK_BYTES);
  const engine = await open();
  await engine.client.init({ label: 'widths ÷ 4', bytes: model }, 'wasm');
  expect(engine.sizes.toPage.length).toBe(1 + Math.ceil(model.length / CHUNK_BYTES)); // init, then the chunks
  const tile = {
    width: 64,
    height: 64,
    data: Float32Array.from({ length: 3 * 64 * 64 }, (_, i) => ((i * 31) % 101) / 100),
  };
  const node = await createOrtNodeBackend(model);
  const expected = await node.run(tile);
  await node.dispose();
  // Only the pixels the blend reads come back, on the log grid; zeros elsewhere.
  const output = await engine.client.run(tile);
  const pixels = returnedPixels(tile);
  expect(pixels.length).toBeGreaterThan(0);
  const plane = 64 * 64;
  const got = packPixels(output, pixels, plane);
  const want = packPixels(expected, pixels, plane);
  // The grid's half step, then onnxruntime-web against -node as before (1e-4 relative, floor 1e-3).
  const worst = got.reduce(
    (w, v, i) => Math.max(w, (Math.abs(v - want[i]) - LOG_STEP / 2) / Math.max(Math.abs(want[i]), 1e-3)),
    0,
  );
  expect(worst).toBeLessThan(1e-4);
  expect(output.reduce((n, v) => n + Math.abs(v), 0)).toBe(got.reduce((n, v) => n + Math.abs(v), 0));
  expect(engine.refused).toEqual([]);
});

it('?self-test builds, runs and checks a small model in the page and posts its report', async () => {
  const engine = await open('self-test');
  await engine.receivedCount(1);
  expect(engine.received).toHaveLength(1);
  const report = parseSelfTestReport(engine.received[0]);
  expect(report).toMatchObject({
    type: 'self-test',
    ok: true,
    provider: 'wasm',
    wasmThreads: 1,
    crossOriginIsolated: false,
  });
  // Chromium's only adapter here is SwiftShader: a real init would not take it either.
  expect(report.adapter).toMatch(/software renderer/);
  expect(report.error).toBeUndefined();
});
