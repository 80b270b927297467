/**
 * Browser figures (issue 4): the engine page in Debian's Chromium, headless,
 * whose WebGPU is SwiftShader (software: a correctness path, not a speed).
 * - The page itself: its size, and its start-up (navigation to the engine
 *   listening; the inline .wasm is decoded and compiled at the first init).
 * - Moving the full-width model (fp32 and fp16) over the bridge in chunks, up to
 *   the page having it whole and checked, and the init as a whole.
 * - Time per tile, measured inside the page: a run-tile posted to the page and
 *   its result back (payload decode, network, encode), so the test harness's
 *   own transport is not counted. WebGPU with the fixture's narrow model (every
 *   width / 8); WASM (one thread: the page is never cross-origin isolated in
 *   UXP), narrow and full-width random weights.
 * - The bridge's cost per megapixel: encodeFloat32/decodeFloat32 and
 *   JSON.stringify/parse (Node's V8), and Chromium cloning the message.
 * Needs /usr/bin/chromium and dist/engine (webpack --config-name engine).
 * Alone: node dist-cli/bench/browser.js
 */
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { PROTOCOL_VERSION } from '../src/protocol/messages';
import { decodeFloat32, encodeFloat32 } from '../src/protocol/payload';
import { parseHdrcnnParams } from '../src/weights/hdrcnn-structure';
import { convertWeights } from '../src/weights/load-model';
import { buildHdrcnnOnnx } from '../src/weights/onnx-builder';
import { randomHdrcnnParams } from '../src/weights/random-params';
import { launchChromium, openEngine, REPO, startServer, type TestServer } from '../tools/browser-harness';
import { benchModel } from './make-model';
import { median, printTable } from './stats';

/** Runs after the first, per figure (WebGPU fewer: SwiftShader takes seconds per tile). */
const RUNS = 5;
const WEBGPU_RUNS = 3;
const MEGAPIXEL = 1_000_000;

interface TileFigure {
  readonly first: number;
  readonly median: number;
}

/** Runs `runs + 1` tiles of `size`² inside the page; the first is reported apart (WebGPU compiles its shaders then). */
function timeTiles(page: Page, size: number, runs: number): Promise<TileFigure> {
  return page
    .evaluate(
      async ({ size, runs, version }) => {
        const w = window as unknown as { __toPlugin: (m: unknown) => void };
        const data = Float32Array.from({ length: 3 * size * size }, () => Math.random());
        const bytes = new Uint8Array(data.buffer);
        let text = '';
        for (let i = 0; i < bytes.length; i += 0x8000) text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
        const input = { encoding: 'base64-f32le', length: data.length, data: btoa(text) };
        const harness = w.__toPlugin;
        const times: number[] = [];
        for (let i = 0; i <= runs; i++) {
          const id = 1_000_000 + i;
          const started = performance.now();
          const reply = await new Promise<{ type: string; message?: string }>((resolve) => {
            w.__toPlugin = (m) => {
              const r = JSON.parse(m as string) as { id: number; type: string; message?: string };
              if (r.id === id && (r.type === 'result' || r.type === 'error')) resolve(r);
            };
            window.postMessage({ type: 'run-tile', id, version, width: size, height: size, input }, '*');
          });
          if (reply.type === 'error') throw new Error(reply.message);
          times.push(performance.now() - started);
        }
        w.__toPlugin = harness;
        return { first: times[0], rest: times.slice(1) };
      },
      { size, runs, version: PROTOCOL_VERSION },
    )
    .then(({ first, rest }) => ({ first, median: median(rest) }));
}

/** Encoding a megapixel tile for the bridge and back, per stage, in Node (ms, median of 5). */
function bridgeCostNode(): Array<[string, number]> {
  const data = Float32Array.from({ length: 3 * MEGAPIXEL }, () => Math.random() * 4);
  const stages: Record<string, number[]> = {
    encodeFloat32: [],
    'JSON.stringify': [],
    'JSON.parse': [],
    decodeFloat32: [],
  };
  const time = <T>(name: string, f: () => T): T => {
    const started = performance.now();
    const result = f();
    stages[name].push(performance.now() - started);
    return result;
  };
  for (let i = 0; i < 5; i++) {
    const encoded = time('encodeFloat32', () => encodeFloat32(data));
    const text = time('JSON.stringify', () =>
      JSON.stringify({ type: 'run-tile', id: 1, version: PROTOCOL_VERSION, width: 1000, height: 1000, input: encoded }),
    );
    const parsed = time('JSON.parse', () => JSON.parse(text));
    time('decodeFloat32', () => decodeFloat32(parsed.input));
  }
  return Object.entries(stages).map(([name, times]) => [name, median(times)]);
}

/** Chromium posting a megapixel message to itself (structured clone of 16 MB of base64), ms, median of 5. */
function bridgeCostChromium(page: Page): Promise<number> {
  return page.evaluate(async (n) => {
    const message = {
      type: 'run-tile',
      id: 1,
      version: 1,
      width: 1000,
      height: 1000,
      input: { encoding: 'base64-f32le', length: n, data: 'A'.repeat((n * 4 * 4) / 3) },
    };
    const times: number[] = [];
    for (let i = 0; i < 5; i++) {
      const started = performance.now();
      await new Promise<void>((resolve) => {
        const channel = new MessageChannel();
        channel.port2.onmessage = () => resolve();
        channel.port1.postMessage(message);
      });
      times.push(performance.now() - started);
    }
    return times.sort((a, b) => a - b)[2];
  }, 3 * MEGAPIXEL);
}

async function tileTimes(browser: Browser, rows: Array<Array<string | number>>): Promise<number> {
  const narrow = convertWeights(
    new Uint8Array(readFileSync(path.join(REPO, 'test', 'fixtures', 'hdrcnn-tiny', 'params.npz'))),
  );
  const full = new Uint8Array(readFileSync(benchModel(1)));
  let chromiumBridge = NaN;
  const server = await startServer({ contentType: false });

  // WebGPU (SwiftShader), narrow model only: software WebGPU runs the full model for minutes.
  {
    const engine = await openEngine(browser, server);
    const ready = await engine.client.init({ label: 'narrow', bytes: narrow }, 'webgpu');
    const t = await timeTiles(engine.page, 128, WEBGPU_RUNS);
    rows.push([ready.provider, 'narrow (fixture, widths / 8)', '128²', t.first, t.median]);
    await engine.close();
  }
  const engine = await openEngine(browser, server);
  await engine.client.init({ label: 'narrow', bytes: narrow }, 'wasm');
  for (const size of [128, 512]) {
    const t = await timeTiles(engine.page, size, RUNS);
    rows.push(['wasm', 'narrow (fixture, widths / 8)', `${size}²`, t.first, t.median]);
  }
  await engine.client.init({ label: 'full', bytes: full }, 'wasm');
  const t = await timeTiles(engine.page, 256, RUNS);
  rows.push(['wasm', 'full width (random weights)', '256²', t.first, t.median]);
  chromiumBridge = await bridgeCostChromium(engine.page);
  await engine.close();
  await server.close();
  return chromiumBridge;
}

/** Page size; navigation → engine listening; first init (decodes and compiles the inline .wasm) with the narrow model. */
export async function pageFigures(browser: Browser, server: TestServer): Promise<Array<Array<string | number>>> {
  const narrow = convertWeights(
    new Uint8Array(readFileSync(path.join(REPO, 'test', 'fixtures', 'hdrcnn-tiny', 'params.npz'))),
  );
  const loads: number[] = [];
  const inits: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const context = await browser.newContext(); // nothing cached between runs
    let started = performance.now();
    const engine = await openEngine(browser, server, { context });
    await engine.page.waitForFunction(() =>
      document.getElementById('status')?.textContent?.startsWith('Engine loaded'),
    );
    loads.push(performance.now() - started);
    started = performance.now();
    await engine.client.init({ label: 'narrow', bytes: narrow }, 'wasm');
    inits.push(performance.now() - started);
    await engine.close();
    await context.close();
  }
  const size = statSync(path.join(REPO, 'dist', 'engine', 'engine.html')).size;
  return [
    ['engine.html (script and .wasm inline)', `${(size / 2 ** 20).toFixed(1)} MiB`],
    ['open the page until the engine listens (new context, median)', `${median(loads).toFixed(0)} ms`],
    ['first init, narrow model (decode + compile the .wasm, session)', `${median(inits).toFixed(0)} ms`],
  ];
}

/** The full-width model into the page: chunks sent until the page has it whole and checked, then the whole init. */
export async function transferFigures(browser: Browser, server: TestServer): Promise<Array<Array<string | number>>> {
  const params = parseHdrcnnParams(randomHdrcnnParams(1, 2017));
  const rows: Array<Array<string | number>> = [];
  for (const fp16 of [false, true]) {
    const model = buildHdrcnnOnnx(params, { fp16 });
    const transfers: number[] = [];
    const inits: number[] = [];
    for (let i = 0; i < 3; i++) {
      let arrived = NaN;
      const engine = await openEngine(browser, server, {
        events: {
          onModelStatus: (state, message) =>
            state === 'loading' && message.startsWith('loading ') && (arrived = performance.now()),
        },
      });
      const opened = performance.now();
      await engine.client.init({ label: 'full', bytes: model }, 'wasm');
      transfers.push(arrived - opened);
      inits.push(performance.now() - opened);
      await engine.close();
    }
    rows.push([
      fp16 ? 'fp16' : 'fp32',
      `${(model.length / 2 ** 20).toFixed(1)} MiB`,
      Math.ceil(model.length / 3e6),
      median(transfers),
      median(inits),
    ]);
  }
  return rows;
}

export async function benchBrowser(): Promise<void> {
  const browser = await launchChromium();
  const version = browser.version();
  const rows: Array<Array<string | number>> = [];
  let chromiumBridge: number;
  let page: Array<Array<string | number>>;
  let transfer: Array<Array<string | number>>;
  try {
    const server = await startServer({ contentType: false });
    page = await pageFigures(browser, server);
    transfer = await transferFigures(browser, server);
    await server.close();
    chromiumBridge = await tileTimes(browser, rows);
  } finally {
    await browser.close();
  }
  printTable(
    `Engine page in Chromium ${version}, served with no Content-Type and no COOP/COEP`,
    ['what', 'figure'],
    page,
  );
  printTable(
    'Full-width model over the bridge (chunks of 3 MB as base64 JSON, each acknowledged), median of 3',
    ['model', 'size', 'chunks', 'until whole and checked, ms', 'whole init (and WASM session), ms'],
    transfer,
  );
  printTable(
    `Engine page in Chromium ${version} (headless, WebGPU = SwiftShader): ms per tile inside the page, median of ${RUNS} (WebGPU ${WEBGPU_RUNS}) after a first run`,
    ['provider', 'model', 'window', 'first ms', 'median ms'],
    rows,
  );
  const node = bridgeCostNode();
  printTable(
    'Bridge payload cost per megapixel of RGB float32 (12 MB raw, 16 MB base64), one direction, median of 5',
    ['stage', 'ms'],
    [
      ...node,
      ['total, Node', node.reduce((sum, [, ms]) => sum + ms, 0)],
      ['Chromium postMessage clone of the encoded message', chromiumBridge],
    ],
  );
}

if (require.main === module) {
  benchBrowser().catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
