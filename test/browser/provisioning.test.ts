/**
 * Model provisioning in the page, against a local server (127.0.0.1) that
 * plays the weights host with the fixture's TensorLayer-format params.npz:
 * download with progress, conversion in the page, the IndexedDB cache, and
 * no cache entry after a server error or a download cut short.
 */
import { readFileSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { fileRoute, launchChromium, openEngine, startServer, type PageOptions, type TestServer } from '../../tools/browser-harness';
import { reconstruct } from '../../src/core/reconstruct';
import { wholeImageSettings } from '../../src/core/tile-plan';
import { MODEL_DB, MODEL_STORE } from '../../src/engine/idb-cache';
import { cacheKey, type ModelSources } from '../../src/engine/model-sources';
import { EngineError } from '../../src/protocol/errors';
import type { ModelChoice } from '../../src/protocol/messages';
import { expectedGamma1, fixtureInput, fixturePath, maxRelativeError, tinyModelBytes } from '../helpers/fixture';

jest.setTimeout(120_000);

const npz = new Uint8Array(readFileSync(fixturePath('params.npz')));
const clean: ModelChoice = { kind: 'download', variant: 'clean' };

let browser: Browser;
let server: TestServer;
/** One context for the whole file: its pages share one IndexedDB, as the webview keeps one. */
let context: BrowserContext;

beforeAll(async () => {
  // Assigned one by one: if Chromium fails to launch, the server must still be closed below,
  // or its listening socket keeps jest running after the failures.
  server = await startServer();
  browser = await launchChromium();
  context = await browser.newContext();
  server.routes.set('/weights/ok.npz', fileRoute(npz));
  server.routes.set('/weights/error.npz', fileRoute(npz, { status: 500 }));
  server.routes.set('/weights/cut.npz', fileRoute(npz, { sendBytes: 600_000 }));
  server.routes.set('/weights/cut-unsized.npz', fileRoute(npz, { sendBytes: 600_000, declareLength: false }));
});
afterAll(async () => {
  await context?.close();
  await Promise.all([browser?.close(), server?.close()]);
});

const sources = (clean: string): ModelSources => ({
  clean: { label: 'clean weights', urls: [`${server.origin}${clean}`] },
  jpeg: { label: 'jpeg weights', urls: [] },
});

/** Opens an engine page whose 'clean' weights come from `path`; records status and progress. */
async function open(path: string, options: PageOptions = {}) {
  const statuses: string[] = [];
  const progress: Array<[string, number, number]> = [];
  const engine = await openEngine(browser, server, {
    context,
    sources: sources(path),
    events: { onModelStatus: (state) => statuses.push(state), onProgress: (stage, loaded, total) => progress.push([stage, loaded, total]) },
    ...options,
  });
  return { ...engine, statuses, progress };
}

/** The keys of the engine's IndexedDB store ([] when the database was never made). */
function cacheKeys(page: Page): Promise<string[]> {
  return page.evaluate(
    async ({ db, store }) => {
      if (!(await indexedDB.databases()).some((d) => d.name === db)) return [];
      const database = await new Promise<IDBDatabase>((resolve, reject) => {
        const request = indexedDB.open(db);
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error);
      });
      if (!database.objectStoreNames.contains(store)) return (database.close(), []);
      const keys = await new Promise<IDBValidKey[]>((resolve) => {
        const request = database.transaction(store).objectStore(store).getAllKeys();
        request.onsuccess = () => resolve(request.result);
      });
      database.close();
      return keys.map(String);
    },
    { db: MODEL_DB, store: MODEL_STORE },
  );
}

describe('failed downloads leave no cache entry', () => {
  it.each<[string, string, string, RegExp]>([
    ['a server error (500)', '/weights/error.npz', 'download', /error\.npz: HTTP 500 Internal Server Error$/],
    ['a download cut short', '/weights/cut.npz', 'download', /cut\.npz: .+ after \d+ of 1852654 bytes$|cut\.npz: truncated, \d+ of 1852654 bytes$/],
    ['a download of unknown length cut short', '/weights/cut-unsized.npz', 'download', /cut-unsized\.npz: .+ after \d+ of \? bytes$/],
  ])('%s', async (_what, path, code, text) => {
    const engine = await open(path);
    const failure = await engine.client.init(clean).catch((e: EngineError) => e);
    expect(failure).toBeInstanceOf(EngineError);
    expect((failure as EngineError).code).toBe(code);
    expect((failure as EngineError).message).toMatch(text);
    expect(engine.statuses).toEqual(['downloading', 'failed']);
    expect(await cacheKeys(engine.page)).toEqual([]);
    await engine.close();
  });
});

describe('a good download', () => {
  it('is fetched with progress, converted in the page and cached', async () => {
    const engine = await open('/weights/ok.npz');
    expect(await engine.client.init(clean)).toMatchObject({ provider: 'wasm', model: 'clean weights' });
    expect(engine.statuses).toEqual(['downloading', 'converting', 'ready']);
    const downloads = engine.progress.filter(([stage]) => stage === 'download');
    expect(downloads.at(-1)).toEqual(['download', npz.length, npz.length]);
    expect(downloads.every(([, loaded], i) => i === 0 || loaded > downloads[i - 1][1])).toBe(true);
    expect(engine.progress.filter(([stage]) => stage === 'convert')).toEqual([['convert', 0, 1], ['convert', 1, 1]]);
    expect(await cacheKeys(engine.page)).toEqual([cacheKey('clean')]);
    await engine.close();
  });

  it('is not downloaded again: the next page loads it from the cache and it reproduces the golden fixture', async () => {
    const engine = await open('/weights/ok.npz');
    expect(await engine.client.init(clean)).toMatchObject({ model: 'clean weights' });
    expect(engine.statuses).toEqual(['cached', 'ready']);
    expect(server.hits.get('/weights/ok.npz')).toBe(1);
    const input = await fixtureInput();
    const { image } = await reconstruct(input, engine.client, { tiles: wholeImageSettings(input.width, input.height) });
    expect(maxRelativeError(image.data, expectedGamma1())).toBeLessThan(1e-3);

    // The plugin's own model, when its build shipped one, comes before any download.
    server.routes.set('/model/hdrcnn.onnx', fileRoute(tinyModelBytes()));
    expect(await engine.client.init({ kind: 'bundled', variant: 'jpeg' })).toMatchObject({ model: 'model shipped with the plugin' });
    expect(engine.statuses.slice(-2)).toEqual(['bundled', 'ready']);
    await engine.close();
  });
});
