/**
 * Model provisioning with a scripted fetch: downloads are checked, converted
 * and cached once; a failed, partial or malformed download leaves no cache
 * entry; mirrors are tried in order.
 */
import { readFileSync } from 'node:fs';
import { memoryCache, type ModelCache } from '../../src/engine/model-cache';
import { cacheKey, type ModelSources } from '../../src/engine/model-sources';
import { provisionModel, type ProvisionDeps } from '../../src/engine/provision';
import { EngineError } from '../../src/protocol/errors';
import type { ModelChoice } from '../../src/protocol/messages';
import { encodeBytes } from '../../src/protocol/payload';
import { fixturePath, tinyModelBytes } from '../helpers/fixture';

const npz = new Uint8Array(readFileSync(fixturePath('params.npz')));
const SOURCES: ModelSources = {
  clean: { label: 'clean weights', urls: ['https://a.test/clean.npz', 'https://b.test/clean.npz'] },
  jpeg: { label: 'jpeg weights', urls: ['https://a.test/jpeg.npz'] },
};

/** A body that yields `bytes` in 64 KiB chunks, then fails if `breakAfter` is set. */
function body(bytes: Uint8Array, breakAfter?: number): ReadableStream<Uint8Array> {
  let offset = 0;
  const end = breakAfter ?? bytes.length;
  return new ReadableStream({
    pull(controller) {
      if (offset >= end) return breakAfter === undefined ? controller.close() : controller.error(new TypeError('network error'));
      controller.enqueue(bytes.slice(offset, Math.min(end, offset + 65536)));
      offset += 65536;
    },
  });
}

type Served = Record<string, () => Response>;

function deps(served: Served, cache: ModelCache = memoryCache()): ProvisionDeps & { requested: string[] } {
  const requested: string[] = [];
  return {
    requested,
    fetch: async (url) => {
      requested.push(url);
      const serve = served[url];
      if (!serve) throw new TypeError('fetch failed', { cause: new Error('getaddrinfo ENOTFOUND') });
      return serve();
    },
    cache,
    bundledModel: async () => undefined,
    sources: SOURCES,
  };
}

const whole = (bytes: Uint8Array) => () => new Response(body(bytes), { headers: { 'content-length': String(bytes.length) } });

async function provision(choice: ModelChoice, d: ProvisionDeps) {
  const log: string[] = [];
  const progress: Array<[string, number, number]> = [];
  const model = await provisionModel(
    choice,
    d,
    { status: (state, message) => log.push(`${state}: ${message}`), progress: (stage, loaded, total) => progress.push([stage, loaded, total]) },
    new AbortController().signal,
  ).catch((e: EngineError) => e);
  return { model, log, progress };
}

/** jest's toEqual walks a 2 MB array element by element: compare bytes directly. */
const sameBytes = (model: unknown, expected: Uint8Array) => Buffer.from((model as { bytes: Uint8Array }).bytes).equals(expected);

const download: ModelChoice = { kind: 'download', variant: 'clean' };

describe('official weights', () => {
  it('downloads with progress, converts, caches; the next time comes from the cache', async () => {
    const d = deps({ 'https://a.test/clean.npz': whole(npz) });
    const first = await provision(download, d);
    expect(first.model).toMatchObject({ label: 'clean weights' });
    expect(sameBytes(first.model, tinyModelBytes())).toBe(true);
    expect(first.log).toEqual(['downloading: downloading the clean weights from a.test', 'converting: checking and converting the clean weights']);
    const downloads = first.progress.filter(([stage]) => stage === 'download');
    expect(downloads.at(-1)).toEqual(['download', npz.length, npz.length]);
    expect(downloads.length).toBeLessThanOrEqual(101);
    expect(first.progress.filter(([stage]) => stage === 'convert')).toEqual([['convert', 0, 1], ['convert', 1, 1]]);
    expect(await d.cache.keys()).toEqual([cacheKey('clean')]);

    const second = await provision(download, d);
    expect(second.log).toEqual(['cached: clean weights, from the cache']);
    expect(d.requested).toEqual(['https://a.test/clean.npz']);
  });

  it('tries the next mirror when one fails', async () => {
    const d = deps({ 'https://a.test/clean.npz': () => new Response('', { status: 500, statusText: 'Internal Server Error' }), 'https://b.test/clean.npz': whole(npz) });
    const { model } = await provision(download, d);
    expect(model).toMatchObject({ label: 'clean weights' });
    expect(d.requested).toEqual(['https://a.test/clean.npz', 'https://b.test/clean.npz']);
  });

  it.each([
    ['an HTTP error', () => new Response('', { status: 500, statusText: 'Internal Server Error' }), 'download', 'HTTP 500 Internal Server Error'],
    ['a body cut short', () => new Response(body(npz, 100_000), { headers: { 'content-length': String(npz.length) } }), 'download', 'network error after 100000 of'],
    ['fewer bytes than declared', () => new Response(body(npz.subarray(0, 1000)), { headers: { 'content-length': String(npz.length) } }), 'download', `truncated, 1000 of ${npz.length} bytes`],
    ['a partial file without a length', () => new Response(body(npz.subarray(0, npz.length / 2))), 'model', 'not a valid .npz/zip file'],
    ['an HTML error page', () => new Response('<html>moved</html>'), 'model', 'no zip signature'],
    ['a declared size no weights file has', () => new Response('x', { headers: { 'content-length': String(2 ** 30) } }), 'download', 'more than any HDRCNN weights file'],
  ])('%s fails with a clear message and caches nothing', async (_what, serve, code, text) => {
    const d = deps({ 'https://a.test/jpeg.npz': serve });
    const { model, log } = await provision({ kind: 'download', variant: 'jpeg' }, d);
    expect(model).toBeInstanceOf(EngineError);
    expect((model as EngineError).code).toBe(code);
    expect((model as EngineError).message).toContain('could not get the jpeg weights: https://a.test/jpeg.npz');
    expect((model as EngineError).message).toContain(text);
    expect(log[0]).toBe('downloading: downloading the jpeg weights from a.test');
    expect(await d.cache.keys()).toEqual([]);
  });

  it('names every mirror that failed', async () => {
    const { model } = await provision(download, deps({}));
    expect((model as EngineError).message).toBe(
      'could not get the clean weights: https://a.test/clean.npz: fetch failed (getaddrinfo ENOTFOUND); https://b.test/clean.npz: fetch failed (getaddrinfo ENOTFOUND)',
    );
  });

  it('still works when the cache cannot store the model', async () => {
    const cache: ModelCache = { ...memoryCache(), put: async () => Promise.reject(new Error('QuotaExceededError')) };
    const { model, log } = await provision(download, deps({ 'https://a.test/clean.npz': whole(npz) }, cache));
    expect(model).toMatchObject({ label: 'clean weights' });
    expect(log.at(-1)).toMatch(/could not cache the model \(QuotaExceededError\)/);
  });
});

describe('other sources', () => {
  it('bundled: the plugin model, else the download of the variant', async () => {
    const d = deps({ 'https://a.test/clean.npz': whole(npz) });
    const withModel = await provision({ kind: 'bundled', variant: 'clean' }, { ...d, bundledModel: async () => tinyModelBytes() });
    expect(withModel).toMatchObject({ model: { label: 'model shipped with the plugin' }, log: ['bundled: using the model shipped with the plugin'] });
    const without = await provision({ kind: 'bundled', variant: 'clean' }, d);
    expect(without.model).toMatchObject({ label: 'clean weights' });
  });

  it('file: an .npz is converted, an .onnx taken as is', async () => {
    const d = deps({});
    const fromNpz = await provision({ kind: 'file', name: 'params.npz', base64: encodeBytes(npz) }, d);
    const fromOnnx = await provision({ kind: 'file', name: 'hdrcnn.onnx', base64: encodeBytes(tinyModelBytes()) }, d);
    expect(fromNpz.model).toMatchObject({ label: 'params.npz' });
    expect(fromOnnx.model).toMatchObject({ label: 'hdrcnn.onnx' });
    expect(sameBytes(fromNpz.model, tinyModelBytes()) && sameBytes(fromOnnx.model, tinyModelBytes())).toBe(true);
    expect(d.requested).toEqual([]);
  });
});
