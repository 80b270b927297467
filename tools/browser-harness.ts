/**
 * Runs the engine page (dist/engine, from `webpack --config-name engine`) in
 * Debian's Chromium through playwright-core, for the browser tests and the
 * browser bench. The plugin's side is an {@link EngineClient} in Node; the
 * page gets a stand-in `window.uxpHost` whose messages come back through a
 * Playwright binding, so every message crosses a real serialisation boundary.
 */
import { existsSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { readFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import type { ModelSources } from '../src/engine/model-sources';
import { EngineClient, type BridgeEndpoint, type EngineEvents } from '../src/protocol/client';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** The repository, from tools/ (ts-jest) or dist-cli/tools/ (compiled bench) alike. */
const repoRoot = (dir: string): string => (existsSync(path.join(dir, 'package.json')) ? dir : repoRoot(path.dirname(dir)));
export const REPO = repoRoot(__dirname);
const ENGINE_DIR = path.join(REPO, 'dist', 'engine');
const BASE_ARGS = ['--headless=new', '--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

/** Headless Chromium with a fresh profile; `webgpu: false` leaves WebGPU off (no adapter). */
export function launchChromium({ webgpu = true } = {}): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: webgpu ? [...BASE_ARGS, '--enable-unsafe-webgpu'] : BASE_ARGS });
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

const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.mjs': 'text/javascript', '.wasm': 'application/wasm' };

/**
 * Serves dist/engine at /engine/ on 127.0.0.1 only. `isolated` adds the
 * COOP/COEP headers that make the page cross-origin isolated (WASM threads).
 */
export async function startServer({ isolated = false } = {}): Promise<TestServer> {
  const hits = new Map<string, number>();
  const server: TestServer = { origin: '', hits, routes: new Map(), close: () => new Promise((r) => (http.closeAllConnections(), http.close(() => r()))) };
  const http = createServer(async (request, response) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    hits.set(url.pathname, (hits.get(url.pathname) ?? 0) + 1);
    if (isolated) {
      response.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
      response.setHeader('Cross-Origin-Embedder-Policy', 'require-corp');
    }
    response.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
    const route = server.routes.get(url.pathname);
    if (route) return route(request, response);
    const name = url.pathname.startsWith('/engine/') ? path.basename(url.pathname) : '';
    try {
      const body = await readFile(path.join(ENGINE_DIR, name || '-'));
      // Cacheable, so Chromium can keep the compiled WASM between pages.
      const headers = { 'Content-Type': TYPES[path.extname(name)] ?? 'application/octet-stream', 'Content-Length': body.length, 'Cache-Control': 'max-age=3600' };
      response.writeHead(200, headers);
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
export function fileRoute(body: Uint8Array, { status = 200, sendBytes = body.length, declareLength = true } = {}): Route {
  return (_request, response) => {
    if (status !== 200) return void response.writeHead(status).end('server error');
    response.writeHead(200, { 'Content-Type': 'application/octet-stream', ...(declareLength ? { 'Content-Length': body.length } : {}) });
    if (sendBytes >= body.length) return void response.end(Buffer.from(body));
    // Flush part of the body, then drop the connection: a download cut short.
    response.write(Buffer.from(body.subarray(0, sendBytes)), () => setTimeout(() => response.socket?.destroy(), 50));
  };
}

export interface PageOptions {
  readonly sources?: ModelSources;
  readonly threads?: number;
  /** Runs in the page before anything else (stubs, device capture). */
  readonly initScript?: string;
  readonly events?: EngineEvents;
  /** Reuse a context (shares IndexedDB between pages); a fresh one otherwise. */
  readonly context?: BrowserContext;
}

export interface EnginePage {
  readonly page: Page;
  readonly context: BrowserContext;
  readonly client: EngineClient;
  /** Messages the page logged to its console (ORT warnings). */
  readonly console: string[];
  close(): Promise<void>;
}

/** Opens dist/engine/engine.html and returns the plugin-side client talking to it. */
export async function openEngine(browser: Browser, server: TestServer, options: PageOptions = {}): Promise<EnginePage> {
  const context = options.context ?? (await browser.newContext());
  const page = await context.newPage();
  const console: string[] = [];
  page.on('console', (m) => console.push(m.text()));
  const listeners = new Set<(event: { data: unknown }) => void>();
  await page.exposeBinding('__toPlugin', (_source, message: unknown) => listeners.forEach((l) => l({ data: message })));
  await page.addInitScript(
    ({ sources, threads }) => {
      const w = window as unknown as Record<string, unknown>;
      w.uxpHost = { postMessage: (m: unknown) => (w.__toPlugin as (m: unknown) => void)(m) };
      w.hdrEngineOverrides = { sources, threads };
    },
    { sources: options.sources, threads: options.threads },
  );
  if (options.initScript) await page.addInitScript(options.initScript);
  await page.goto(`${server.origin}/engine/engine.html`);
  const endpoint: BridgeEndpoint = {
    postMessage: (message) => void page.evaluate((m) => window.postMessage(m, '*'), message).catch(() => undefined),
    addEventListener: (_type, listener) => listeners.add(listener),
    removeEventListener: (_type, listener) => listeners.delete(listener),
  };
  const client = new EngineClient(endpoint, options.events, { timeoutMs: 300_000 });
  return {
    page,
    context,
    client,
    console,
    close: async () => {
      await client.dispose();
      await page.close();
      if (!options.context) await context.close();
    },
  };
}

/** Stubs WebGPU out of the page: navigator.gpu.requestAdapter() gives null. */
export const NO_ADAPTER = `if (navigator.gpu) navigator.gpu.requestAdapter = async () => null;`;

/** Keeps every GPUDevice the page creates in window.__devices, so a test can destroy the engine's. */
export const CAPTURE_DEVICES = `
  window.__devices = [];
  if (self.GPUAdapter) {
    const request = GPUAdapter.prototype.requestDevice;
    GPUAdapter.prototype.requestDevice = async function (...args) {
      const device = await request.apply(this, args);
      window.__devices.push(device);
      return device;
    };
  }`;
