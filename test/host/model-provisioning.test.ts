/**
 * Model provisioning in the plugin, with a scripted fetch and the simulator's data
 * folder: downloads are checked, converted and cached once, with a checksum; a
 * download cut at any point leaves no cache entry and a retry works; a damaged or
 * half-written cache is detected and rebuilt; hostile weights are refused before
 * anything is cached; a chosen file goes the same way.
 */
jest.mock('uxp', () => require('../simulator/install').uxpModule(), { virtual: true });
import { installSimulator } from '../simulator/install';
const { sim } = installSimulator();
import { readFileSync } from 'node:fs';
import { storage } from 'uxp';
import { UserError } from '../../src/plugin-core/errors';
import { importWeightsFile, provisionModel, type ProvisionDeps } from '../../src/host/model-provisioning';
import { cacheName, USER_MODEL, type ModelSources } from '../../src/host/model-sources';
import type { WeightsChoice } from '../../src/plugin-core/settings';
import { dataFolderCache } from '../../src/host/uxp-provision';
import { sha256Hex } from '../../src/protocol/checksum';
import type { EngineModel } from '../../src/protocol/client';
import { EngineError } from '../../src/protocol/errors';
import { fixturePath, tinyModelBytes } from '../helpers/fixture';
import { objectArrayPickle, pickleNpz, f4 } from '../weights/pickle-writer';

const npz = new Uint8Array(readFileSync(fixturePath('params.npz')));
const SOURCES: ModelSources = {
  clean: { label: 'clean weights', urls: ['https://a.test/clean.npz', 'https://b.test/clean.npz'] },
  jpeg: { label: 'jpeg weights', urls: ['https://a.test/jpeg.npz'] },
};
const CLEAN = cacheName('clean');

/** A body that yields `bytes` in 64 KiB chunks, then fails if `breakAfter` is set. */
function body(bytes: Uint8Array, breakAfter?: number): ReadableStream<Uint8Array> {
  let offset = 0;
  const end = breakAfter ?? bytes.length;
  return new ReadableStream({
    pull(controller) {
      if (offset >= end)
        return breakAfter === undefined ? controller.close() : controller.error(new TypeError('network error'));
      controller.enqueue(bytes.slice(offset, Math.min(end, offset + 65536)));
      offset = Math.min(end, offset + 65536);
    },
  });
}

type Served = Record<string, () => Response>;
const whole = (bytes: Uint8Array) => () =>
  new Response(body(bytes), { headers: { 'content-length': String(bytes.length) } });
const cut = (bytes: Uint8Array, at: number) => () =>
  new Response(body(bytes, at), { headers: { 'content-length': String(bytes.length) } });

function deps(served: Served): ProvisionDeps & { requested: string[] } {
  const requested: string[] = [];
  return {
    requested,
    fetch: async (url) => {
      requested.push(url);
      const serve = served[url];
      if (!serve) throw new TypeError('fetch failed', { cause: new Error('getaddrinfo ENOTFOUND') });
      return serve();
    },
    cache: dataFolderCache(),
    bundledModel: async () => undefined,
    sources: SOURCES,
  };
}

async function provision(weights: WeightsChoice, d: ProvisionDeps, signal = new AbortController().signal) {
  const log: string[] = [];
  const progress: Array<[string, number, number]> = [];
  const model = await provisionModel(
    weights,
    d,
    {
      status: (state, message) => log.push(`${state}: ${message}`),
      progress: (stage, loaded, total) => progress.push([stage, loaded, total]),
    },
    signal,
  ).catch((e: EngineError) => e);
  return { model, log, progress };
}

/** The data folder's file names. */
const dataFiles = async () =>
  (await (await storage.localFileSystem.getDataFolder()).getEntries()).map((e) => e.name).sort();
/** jest's toEqual walks a 2 MB array element by element: compare bytes directly. */
const sameBytes = (model: unknown, expected: Uint8Array) => Buffer.from((model as EngineModel).bytes).equals(expected);

async function overwrite(name: string, change: (bytes: Uint8Array) => Uint8Array | string): Promise<void> {
  const folder = await storage.localFileSystem.getDataFolder();
  const file = (await folder.getEntry(name)) as import('uxp').File;
  const changed = change(new Uint8Array((await file.read({ format: storage.formats.binary })) as ArrayBuffer));
  await file.write(changed, { format: typeof changed === 'string' ? storage.formats.utf8 : storage.formats.binary });
}

describe('official weights', () => {
  it('downloads with progress, converts, caches with a checksum; the next time comes from the cache', async () => {
    const d = deps({ 'https://a.test/clean.npz': whole(npz) });
    const first = await provision('clean', d);
    expect(first.model).toMatchObject({ label: 'clean weights' });
    expect(sameBytes(first.model, tinyModelBytes())).toBe(true);
    expect(first.log).toEqual([
      'downloading: downloading the clean weights from a.test',
      'converting: checking and converting the clean weights',
    ]);
    const downloads = first.progress.filter(([stage]) => stage === 'download');
    expect(downloads.at(-1)).toEqual(['download', npz.length, npz.length]);
    expect(first.progress.filter(([stage]) => stage === 'convert')).toEqual([
      ['convert', 0, 1],
      ['convert', 1, 1],
    ]);
    expect(await dataFiles()).toEqual([CLEAN, `${CLEAN}.sha256`]);

    const second = await provision('clean', d);
    expect(second.log).toEqual(['cached: clean weights, from the cache']);
    expect(second.model).toMatchObject({ sha256: sha256Hex(tinyModelBytes()) });
    expect(sameBytes(second.model, tinyModelBytes())).toBe(true);
    expect(d.requested).toEqual(['https://a.test/clean.npz']);
  });

  it('the bundled model comes first, with no download', async () => {
    const d = { ...deps({}), bundledModel: async () => tinyModelBytes() };
    expect(await provision('jpeg', d)).toMatchObject({
      model: { label: 'model shipped with the plugin' },
      log: ['bundled: using the model shipped with the plugin'],
    });
    expect(d.requested).toEqual([]);
  });

  it('tries the next mirror when one fails, and names every one that failed', async () => {
    const d = deps({
      'https://a.test/clean.npz': () => new Response('', { status: 500, statusText: 'Internal Server Error' }),
      'https://b.test/clean.npz': whole(npz),
    });
    expect((await provision('clean', d)).model).toMatchObject({ label: 'clean weights' });
    expect(d.requested).toEqual(['https://a.test/clean.npz', 'https://b.test/clean.npz']);
    sim.reset();
    expect(((await provision('clean', deps({}))).model as EngineError).message).toBe(
      'could not get the clean weights: https://a.test/clean.npz: fetch failed (getaddrinfo ENOTFOUND); https://b.test/clean.npz: fetch failed (getaddrinfo ENOTFOUND)',
    );
  });

  it.each([0, 1, 65536, 65537, Math.floor(npz.length / 2), npz.length - 1])(
    'a download cut after %i bytes leaves no cache entry; a retry works',
    async (at) => {
      const failed = await provision('jpeg', deps({ 'https://a.test/jpeg.npz': cut(npz, at) }));
      expect(failed.model).toBeInstanceOf(EngineError);
      expect(failed.model).toMatchObject({
        code: 'download',
        message: expect.stringContaining(`after ${at} of ${npz.length} bytes`),
      });
      expect(await dataFiles()).toEqual([]);
      const retry = await provision('jpeg', deps({ 'https://a.test/jpeg.npz': whole(npz) }));
      expect(sameBytes(retry.model, tinyModelBytes())).toBe(true);
      expect(await dataFiles()).toEqual([cacheName('jpeg'), `${cacheName('jpeg')}.sha256`]);
    },
  );

  it('a cancelled download caches nothing', async () => {
    const controller = new AbortController();
    const d = deps({
      'https://a.test/clean.npz': () =>
        new Response(
          body(npz, 100_000).pipeThrough(
            new TransformStream({ transform: (c, t) => (controller.abort(), t.enqueue(c)) }),
          ),
        ),
    });
    const { model } = await provision('clean', d, controller.signal);
    expect(model).toEqual(new EngineError('cancelled', 'download cancelled'));
    expect(await dataFiles()).toEqual([]);
  });

  it.each<[string, (bytes: Uint8Array) => Uint8Array | string]>([
    ['a flipped byte in the model', (b) => ((b[b.length >> 1] ^= 1), b)],
    ['a truncated model', (b) => b.subarray(0, b.length - 1)],
  ])('a damaged cache (%s) is detected, deleted and rebuilt', async (_what, damage) => {
    const d = deps({ 'https://a.test/clean.npz': whole(npz) });
    await provision('clean', d);
    await overwrite(CLEAN, damage);
    const again = await provision('clean', d);
    expect(again.log[0]).toBe('downloading: downloading the clean weights from a.test (the cached copy was damaged)');
    expect(sameBytes(again.model, tinyModelBytes())).toBe(true);
    expect(d.requested).toHaveLength(2);
    expect(await provision('clean', d)).toMatchObject({ log: ['cached: clean weights, from the cache'] });
  });

  it('a write interrupted before the checksum (model renamed, checksum missing, a partial left) is rebuilt', async () => {
    const d = deps({ 'https://a.test/clean.npz': whole(npz) });
    await provision('clean', d);
    const folder = await storage.localFileSystem.getDataFolder();
    await ((await folder.getEntry(`${CLEAN}.sha256`)) as import('uxp').File).delete();
    await (await folder.createFile(`${CLEAN}.sha256.partial`)).write('{"bytes":', { format: storage.formats.utf8 });
    const again = await provision('clean', d);
    expect(again.log[0]).toMatch(/the cached copy was damaged/);
    expect(await dataFiles()).toEqual([CLEAN, `${CLEAN}.sha256`]);
  });

  it.each([
    ['an HTML error page', () => new Response('<html>moved</html>'), 'no zip signature'],
    [
      'a declared size no weights file has',
      () => new Response('x', { headers: { 'content-length': String(2 ** 30) } }),
      'more than any HDRCNN weights file',
    ],
    ['a pickle that calls os.system', whole(pickleNpz(hostilePickle(), 1)), 'global "posix.system" is not allowed'],
    [
      'a partial file without a length',
      () => new Response(body(npz.subarray(0, npz.length / 2))),
      'not a valid .npz/zip file',
    ],
  ])('hostile weights (%s) are refused before anything is cached', async (_what, serve, text) => {
    const { model, log } = await provision('jpeg', deps({ 'https://a.test/jpeg.npz': serve }));
    expect(model).toBeInstanceOf(EngineError);
    expect((model as EngineError).message).toContain('could not get the jpeg weights: https://a.test/jpeg.npz');
    expect((model as EngineError).message).toContain(text);
    expect(log[0]).toBe('downloading: downloading the jpeg weights from a.test');
    expect(await dataFiles()).toEqual([]);
  });
});

/** A valid params pickle with its first GLOBAL replaced by posix.system (same length). */
function hostilePickle(): Uint8Array {
  const file = objectArrayPickle([{ shape: [2, 3], data: f4([0, 1, 2, 3, 4, 5]) }]);
  const at = Buffer.from(file).indexOf('cnumpy');
  return Buffer.concat([file.subarray(0, at), Buffer.from('cposix\nsystem\n'), file.subarray(at + 13)]);
}

describe('a file the user chose', () => {
  const cache = dataFolderCache;

  it('is checked and converted when chosen, then served from the data folder', async () => {
    await importWeightsFile('params.npz', npz, cache());
    expect(await dataFiles()).toEqual([USER_MODEL, `${USER_MODEL}.sha256`]);
    const { model } = await provision('file', deps({}));
    expect(sameBytes(model, tinyModelBytes())).toBe(true);
    await importWeightsFile('hdrcnn.onnx', tinyModelBytes(), cache());
    expect(sameBytes((await provision('file', deps({}))).model, tinyModelBytes())).toBe(true);
  });

  it('that is not HDRCNN is refused and stores nothing; the previous choice stays', async () => {
    await expect(importWeightsFile('evil.npz', pickleNpz(hostilePickle(), 1), cache())).rejects.toThrow(
      new UserError(
        'evil.npz is not an HDRCNN weights file: pickle byte 2: global "posix.system" is not allowed (only NumPy array reconstruction).',
      ),
    );
    expect(await dataFiles()).toEqual([]);
    await importWeightsFile('params.npz', npz, cache());
    await expect(importWeightsFile('notes.npz', new TextEncoder().encode('hello'), cache())).rejects.toThrow(UserError);
    expect(sameBytes((await provision('file', deps({}))).model, tinyModelBytes())).toBe(true);
  });

  it('none chosen, or its copy damaged: the user is asked to choose again', async () => {
    expect((await provision('file', deps({}))).model).toEqual(
      new UserError(
        'No weights file has been chosen: use “Choose file…” in the HDR Reconstruct panel, or pick the official weights.',
      ),
    );
    await importWeightsFile('params.npz', npz, cache());
    await overwrite(USER_MODEL, (b) => ((b[100] ^= 1), b));
    expect(((await provision('file', deps({}))).model as Error).message).toMatch(
      /^The stored copy of the chosen weights file was damaged/,
    );
    expect(await dataFiles()).toEqual([]);
  });
});
