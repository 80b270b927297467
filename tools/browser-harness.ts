/**
 * Runs the engine page (dist/engine/engine.html, from `webpack --config-name engine`)
 * in Debian's Chromium through playwright-core, for the browser tests and the
 * browser bench. The plugin's side is an {@link EngineClient} in Node; the page
 * gets a stand-in `window.uxpHost`. As over UXP's bridge, every message crosses
 * as JSON text both ways, replies are routed by the page's channel stamp, and a
 * message over `maxMessageBytes` is refused (and recorded).
 */
import { existsSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { readFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { CHANNEL_PARAM, readStamp } from '../src/protocol/channel';
import { EngineClient, type BridgeEndpoint, type EngineEvents } from '../src/protocol/client';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** The repository, from tools/ (ts-jest) or dist-cli/tools/ (compiled bench) alike. */
const repoRoot = (dir: string): string =>
  existsSync(path.join(dir, 'package.json')) ? dir : repoRoot(path.dirname(dir));
export const REPO = repoRoot(__dirname);
const ENGINE_DIR = path.join(REPO, 'dist', 'engine');
const BASE_ARGS = [
  '--headless=new',
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** Headless Chromium with a fresh profile; `webgpu: false` leaves WebGPU off (no adapter). */
export function launchChromium({ webgpu = true } = {}): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: webgpu ? [...BASE_ARGS, '--enable-unsafe-webgpu'] : BASE_ARGS,
  });
}

export type Route = (request: IncomingMessage, response: ServerResponse) => void;

export interface TestServer {
  readonly origin: string;
  /** Requests per path, for "was it downloaded again?" */
  readonly hits: Map<string, number>;
  /** Extra paths (weights, a bundled model); replaced by later calls. */
  routes: Map<string, Route>;
  close(): Promise<void>;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.wasm': 'application/wasm',
};

/**
 * Serves dist/engine at /engine/ on 127.0.0.1 only. `isolated` adds the
 * COOP/COEP headers that make the page cross-origin isolated (WASM threads);
 * `contentType: false` sends no Content-Type, as a custom scheme may not.
 */
export async function startServer({ isolated = false, contentType = true } = {}): Promise<TestServer> {
  const hits = new Map<string, number>();
  const server: TestServer = {
    origin: '',
    hits,
    routes: new Map(),
    close: () => new Promise((r) => (http.closeAllConnections(), http.close(() => r()))),
  };
  const http = createServer(async (request, response) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    hits.set(url.pathname, (hits.get(url.pathname) ?? 0) + 1);
    if (isolated) {
      response.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
      response.setHeader('Cross-Origin-Embedder-Policy', 'require-corp');
    }
    if (isolated) response.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
    const route = server.routes.get(url.pathname);
    if (route) return route(request, response);
    const name = url.pathname.startsWith('/engine/') ? path.basename(url.pathname) : '';
    try {
      const body = await readFile(path.join(ENGINE_DIR, name || '-'));
      // Cacheable, so Chromium can keep the compiled WASM between pages.
      const type = contentType ? { 'Content-Type': TYPES[path.extname(name)] ?? 'application/octet-stream' } : {};
      response.writeHead(200, { ...type, 'Content-Length': body.length, 'Cache-Control': 'max-age=3600' });
      response.end(body);
    } catch {
      response.writeHead(404).end();
    }
  });
  http.keepAliveTimeout = 0;
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  return Object.assign(server, { origin: `http://127.0.0.1:${(http.address() as AddressInfo).port}` });
}

/** Serves `body` whole, or cut after `sendBytes` while still declaring its full length, or as an HTTP error. */
export function fileRoute(
  body: Uint8Array,
  { status = 200, sendBytes = body.length, declareLength = true } = {},
): Route {
  return (_request, response) => {
    if (status !== 200) return void response.writeHead(status).end('server error');
    response.writeHead(200, {
      'Content-Type': 'application/octet-stream',
      ...(declareLength ? { 'Content-Length': body.length } : {}),
    });
    if (sendBytes >= body.length) return void response.end(Buffer.from(body));
    // Flush part of the body, then drop the connection: a download cut short.
    response.write(Buffer.from(body.subarray(0, sendBytes)), () => setTimeout(() => response.socket?.destroy(), 50));
  };
}

export interface PageOptions {
  /** Added to the page's URL after the channel, e.g. 'self-test'. */
  readonly query?: string;
  /** Runs in the page before anything else (stubs, device capture). */
  readonly initScript?: string;
  readonly events?: EngineEvents;
  /** Reuse a context; a fresh one otherwise. */
  readonly context?: BrowserContext;
  /** Largest message either way, as JSON text; larger ones are refused. */
  readonly maxMessageBytes?: number;
}

/** The simulator's default too (test/simulator/webview.ts): well above the 4 MB the protocol keeps to. */
export const MAX_MESSAGE_BYTES = 8 * 2 ** 20;

export interface EnginePage {
  readonly page: Page;
  readonly context: BrowserContext;
  readonly client: EngineClient;
  /** Messages the page logged to its console (ORT warnings). */
  readonly console: string[];
  /** Every message the page posted, parsed: self-test reports land here too. */
  readonly received: unknown[];
  /** Resolves once `count` messages have been received (jest's own timeout ends a wait that never does). */
  receivedCount(count: number): Promise<void>;
  /** Bytes of JSON of each message, by direction; refused ones are listed in `refused`. */
  readonly sizes: { toPage: number[]; toPlugin: number[] };
  readonly refused: string[];
  close(): Promise<void>;
}

let channels = 0;

/** Opens dist/engine/engine.html and returns the plugin-side client talking to it. */
export async function openEngine(browser: Browser, server: TestServer, options: PageOptions = {}): Promise<EnginePage> {
  const context = options.context ?? (await browser.newContext());
  const page = await context.newPage();
  const console: string[] = [];
  page.on('console', (m) => console.push(m.text()));
  const listeners = new Set<(event: { data: unknown }) => void>();
  const limit = options.maxMessageBytes ?? MAX_MESSAGE_BYTES;
  const channel = `test-${++channels}`;
  const received: unknown[] = [];
  const sizes = { toPage: [] as number[], toPlugin: [] as number[] };
  const refused: string[] = [];
  let lastSeq = 0;
  await page.exposeBinding('__toPlugin', (_source, text: string) => {
    sizes.toPlugin.push(Buffer.byteLength(text));
    if (Buffer.byteLength(text) > limit) return void refused.push(`to the plugin: ${Buffer.byteLength(text)} bytes`);
    const stamped = readStamp(text);
    if (!stamped || stamped.stamp.channel !== channel || stamped.stamp.seq <= lastSeq) return;
    lastSeq = stamped.stamp.seq;
    received.push(stamped.message);
    listeners.forEach((l) => l({ data: stamped.message }));
  });
  await page.addInitScript(() => {
    const w = window as unknown as Record<string, unknown>;
    w.uxpHost = { postMessage: (m: unknown) => (w.__toPlugin as (text: string) => void)(JSON.stringify(m)) };
  });
  if (options.initScript) await page.addInitScript(options.initScript);
  const query = `?${CHANNEL_PARAM}=${channel}${options.query ? `&${options.query}` : ''}`;
  await page.goto(`${server.origin}/engine/engine.html${query}`);
  const endpoint: BridgeEndpoint = {
    postMessage: (message) => {
      const text = JSON.stringify(message);
      sizes.toPage.push(Buffer.byteLength(text));
      if (Buffer.byteLength(text) > limit) throw new Error(`refused: a ${Buffer.byteLength(text)}-byte message`);
      void page.evaluate((t) => window.postMessage(JSON.parse(t), '*'), text).catch(() => undefined);
    },
    addEventListener: (_type, listener) => listeners.add(listener),
    removeEventListener: (_type, listener) => listeners.delete(listener),
  };
  const client = new EngineClient(endpoint, options.events, { timeoutMs: 300_000 });
  return {
    page,
    context,
    client,
    console,
    received,
    receivedCount: (count) =>
      new Promise<void>((resolve) => {
        const check = () => received.length >= count && (listeners.delete(check), resolve());
        listeners.add(check);
        check();
      }),
    sizes,
    refused,
    close: async () => {
      await client.dispose();
      await page.close();
      if (!options.context) await context.close();
    },
  };
}

/** Local webview content has no localStorage and IndexedDB is undocumented: both throw on access. */
export const THROWING_STORAGE = `
  for (const name of ['localStorage', 'sessionStorage', 'indexedDB', 'caches']) {
    Object.defineProperty(window, name, { configurable: true, get() { throw new DOMException(name + ' is not available', 'SecurityError'); } });
  }`;

/** Stubs WebGPU out of the page: navigator.gpu.requestAdapter() gives null. */
export const NO_ADAPTER = `if (navigator.gpu) navigator.gpu.requestAdapter = async () => null;`;

/**
 * Keeps every GPUDevice the page creates in window.__devices, so a test can destroy the engine's;
 * setting window.__destroyOnNextSubmit destroys them just after the next GPU submission.
 */
export const CAPTURE_DEVICES = `
  window.__devices = [];
  window.__destroyOnNextSubmit = false;
  if (self.GPUAdapter) {
    const request = GPUAdapter.prototype.requestDevice;
    GPUAdapter.prototype.requestDevice = async function (...args) {
      const device = await request.apply(this, args);
      window.__devices.push(device);
      return device;
    };
    const submit = GPUQueue.prototype.submit;
    GPUQueue.prototype.submit = function (...args) {
      submit.apply(this, args);
      if (!window.__destroyOnNextSubmit) return;
      window.__destroyOnNextSubmit = false;
      window.__devices.forEach((d) => d.destroy());
    };
  }`;
