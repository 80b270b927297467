/** The uxp side: entrypoints, localFileSystem, localStorage and the webview message bridge. */
import { createPhotoshopSimulator } from './index';
import type { PhotoshopSimulator, SimEvent, SimFile, WebviewPage } from './index';

let s: PhotoshopSimulator;
beforeEach(() => {
  s = createPhotoshopSimulator({ pluginId: 'com.example.hdr' });
});

describe('entrypoints', () => {
  test('setup captures panels and commands; a second call throws', async () => {
    const calls: unknown[][] = [];
    s.uxp.entrypoints.setup({
      panels: {
        main: {
          create: (root: unknown) => calls.push(['create', root]),
          show: (root: unknown) => calls.push(['show', root]),
          hide: (root: unknown) => calls.push(['hide', root]),
        },
      },
      commands: {
        reconstruct: (...args: unknown[]) => {
          calls.push(['run', ...args]);
          return 'ran';
        },
      },
    });
    expect(() => s.uxp.entrypoints.setup({})).toThrow(/already/);
    const root = { id: 'root' };
    await s.sim.entrypoints.showPanel('main', root);
    await s.sim.entrypoints.hidePanel('main');
    await s.sim.entrypoints.showPanel('main', root);
    expect(await s.sim.entrypoints.runCommand('reconstruct', 'arg')).toBe('ran');
    // PS-57284: show fires once per plugin load, hide never.
    expect(calls).toEqual([
      ['create', root],
      ['show', root],
      ['run', {}, 'arg'],
    ]);
  });

  test('bad entrypoint data throws; slow panel callbacks break the 300 ms limit', async () => {
    expect(() => s.uxp.entrypoints.setup({ panels: { p: {} } })).toThrow(/create or show/);
    jest.useFakeTimers();
    try {
      s.uxp.entrypoints.setup({ panels: { p: { show: () => new Promise((r) => setTimeout(r, 301)) } } });
      const shown = expect(s.sim.entrypoints.showPanel('p')).rejects.toThrow(/300 ms/);
      await jest.advanceTimersByTimeAsync(300);
      await shown;
    } finally {
      jest.useRealTimers();
    }
  });
});

describe('storage', () => {
  test('data folder: create, write, read back (utf8 and binary), list, metadata', async () => {
    const { localFileSystem, formats } = s.uxp.storage;
    const data = await localFileSystem.getDataFolder();
    const cache = await data.createFolder('weights');
    const file = await cache.createFile('model.onnx');
    expect(await file.write(new Uint8Array([1, 2, 3]), { format: formats.binary })).toBe(3);
    const again = (await data.getEntry('weights/model.onnx')) as SimFile;
    expect(new Uint8Array((await again.read({ format: formats.binary })) as ArrayBuffer)).toEqual(
      new Uint8Array([1, 2, 3]),
    );
    const text = await data.createFile('settings.json');
    await text.write('{"gamma":');
    await text.write('2.2}', { append: true });
    expect(await text.read()).toBe('{"gamma":2.2}');
    expect((await data.getEntries()).map((e) => [e.name, e.isFolder])).toEqual([
      ['weights', true],
      ['settings.json', false],
    ]);
    expect((await text.getMetadata()).size).toBe(13);
    await expect(data.createFile('settings.json')).rejects.toThrow(/exists/);
    await expect(data.getEntry('missing.bin')).rejects.toMatchObject({ simKind: 'not-found' });
  });

  test('plugin folder is read-only and holds bundled files', async () => {
    s.sim.files.addPluginFile('engine/index.html', '<html></html>');
    const plugin = await s.uxp.storage.localFileSystem.getPluginFolder();
    const page = await plugin.getEntry('engine/index.html');
    expect(await (page as SimFile).read()).toBe('<html></html>');
    await expect(plugin.createFile('x.txt')).rejects.toThrow(/read-only/);
  });

  test('localStorage keeps strings; a missing key is null', () => {
    const ls = s.sim.localStorage;
    ls.setItem('gamma', 2.2 as unknown as string);
    expect([ls.getItem('gamma'), ls.getItem('nope'), ls.length, ls.key(0)]).toEqual(['2.2', null, 1, 'gamma']);
    s.sim.reset();
    expect(ls.length).toBe(0);
  });
});

describe('webview bridge', () => {
  /** A page that answers every message with {echo: data}. */
  const echoPage = (page: WebviewPage) => {
    page.addEventListener('message', (e: SimEvent) => page.uxpHost.postMessage({ echo: e.data, origin: e.origin }));
  };

  test('plugin → page → plugin, JSON round-tripped, on the plugin window', async () => {
    const received: SimEvent[] = [];
    s.sim.window.addEventListener('message', (e) => received.push(e));
    const webview = s.sim.createWebview({ src: 'plugin:/engine/index.html', page: echoPage });
    const loads: string[] = [];
    webview.addEventListener('loadstop', (e) => loads.push(String(e.url)));
    await s.sim.bridge.settle();
    expect(loads).toEqual(['plugin:/engine/index.html']);
    const message = { type: 'run', tile: new Float32Array([0.5, 2]), at: new Date(0), skip: undefined };
    const bytes = JSON.stringify(message).length;
    webview.postMessage(message);
    message.type = 'mutated after send';
    await s.sim.bridge.settle();
    expect(received).toHaveLength(1);
    expect(received[0].data).toEqual({
      echo: { type: 'run', tile: { 0: 0.5, 1: 2 }, at: '1970-01-01T00:00:00.000Z' },
      origin: 'com.example.hdr',
    });
    expect(received[0].source).toBe(webview);
    expect(received[0].origin).toBe(webview.origin);
    expect(s.sim.bridge.log.map((l) => l.direction)).toEqual(['toPage', 'toPlugin']);
    expect(s.sim.bridge.log[0].bytes).toBe(bytes);
  });

  test('an awaiting target function stays modal; a message listener itself is not inside the modal scope', async () => {
    const doc = s.sim.addDocument({ width: 1, height: 1 });
    const webview = s.sim.createWebview({ src: 'plugin:/engine.html', page: echoPage });
    await s.sim.bridge.settle();
    let listenerError: unknown;
    const reply = new Promise<unknown>((resolve) =>
      s.sim.window.addEventListener('message', (e) => {
        try {
          doc.layers[0].visible = false;
        } catch (err) {
          listenerError = err;
        }
        resolve(e.data);
      }),
    );
    await s.photoshop.core.executeAsModal(
      async () => {
        webview.postMessage({ run: 1 });
        expect(await reply).toEqual({ echo: { run: 1 }, origin: 'com.example.hdr' });
        await doc.createPixelLayer({ name: 'after reply' }); // still inside the scope
      },
      { commandName: 'engine round trip' },
    );
    expect(listenerError).toMatchObject({ simKind: 'outside-modal' });
    expect(doc.layers.map((l) => l.name)).toEqual(['after reply', 'Background']);
  });

  test('messages before the page loaded, or to another targetOrigin, are dropped', async () => {
    const got: unknown[] = [];
    const webview = s.sim.createWebview({
      src: 'https://engine.example/',
      page: (p) => p.addEventListener('message', (e) => got.push(e.data)),
    });
    webview.postMessage('too early');
    await s.sim.bridge.settle();
    webview.postMessage('wrong origin', 'https://elsewhere.example');
    webview.postMessage('ok', 'https://engine.example');
    await s.sim.bridge.settle();
    expect(got).toEqual(['ok']);
    expect(s.sim.bridge.log.filter((l) => l.dropped).map((l) => l.dropped)).toEqual([
      'page not loaded',
      'targetOrigin https://elsewhere.example',
    ]);
  });

  test('a page that fails to load fires loaderror; listener errors are collected, not thrown', async () => {
    const errors: SimEvent[] = [];
    const bad = s.sim.createWebview({
      src: 'plugin:/x.html',
      page: () => {
        throw new Error('boom');
      },
    });
    bad.addEventListener('loaderror', (e) => errors.push(e));
    s.sim.window.addEventListener('message', () => {
      throw new Error('listener bug');
    });
    s.sim.createWebview({ src: 'plugin:/y.html', page: (p) => p.uxpHost.postMessage('hi') });
    await s.sim.bridge.settle();
    expect(errors.map((e) => e.message)).toEqual(['Error: boom']);
    expect(s.sim.bridge.errors).toEqual([new Error('listener bug')]);
  });
});

describe('more of the plugin environment', () => {
  test('getFileForOpening: the user’s pick (read-only), nothing when they cancel; only the offered types', async () => {
    const fs = s.uxp.storage.localFileSystem;
    s.sim.files.pickNext({ name: 'w.npz', content: new Uint8Array([1, 2]) });
    const file = await fs.getFileForOpening({ types: ['npz', 'onnx'] });
    expect([
      file!.name,
      new Uint8Array((await file!.read({ format: s.uxp.storage.formats.binary })) as ArrayBuffer),
    ]).toEqual(['w.npz', new Uint8Array([1, 2])]);
    await expect(file!.write('x')).rejects.toThrow(/read-only/);
    s.sim.files.pickNext(null);
    expect(await fs.getFileForOpening({ types: ['npz'] })).toBeNull();
    s.sim.files.pickNext({ name: 'photo.jpg', content: new Uint8Array(1) });
    await expect(fs.getFileForOpening({ types: ['npz'] })).rejects.toThrow(/offers npz files, not photo.jpg/);
    await expect(fs.getFileForOpening()).rejects.toThrow(/queued no pick/);
  });

  test('core.showAlert is recorded; selectLayers sets the selection', async () => {
    await s.photoshop.core.showAlert({ message: 'one' });
    await s.photoshop.core.showAlert('two');
    expect(s.sim.alerts).toEqual(['one', 'two']);
    const doc = s.sim.addDocument({ width: 1, height: 1, layers: [{ name: 'a' }, { background: true }] });
    s.sim.selectLayers(doc, []);
    expect(doc.activeLayers).toEqual([]);
    s.sim.selectLayers(doc, [doc.layers[1]]);
    expect(doc.activeLayers.map((l) => l.name)).toEqual(['Background']);
    expect(() => s.sim.selectLayers(doc, [999])).toThrow(/no such layer/);
  });

  test('relaunch: documents, entrypoints and the plugin document go; storage, data folder and Actions stay', async () => {
    s.sim.addDocument({ width: 1, height: 1 });
    s.uxp.entrypoints.setup({ panels: { p: { create: () => undefined } } });
    await s.sim.entrypoints.showPanel('p');
    s.sim.localStorage.setItem('k', 'v');
    await (await (await s.uxp.storage.localFileSystem.getDataFolder()).createFile('f')).write('data');
    s.sim.actions.startRecording('A');
    s.sim.actions.stopRecording();
    s.sim.relaunch();
    expect([
      s.photoshop.app.documents,
      s.sim.entrypoints.isSetUp,
      s.sim.document.body.children.length,
      s.sim.localStorage.getItem('k'),
      s.sim.actions.steps('A'),
    ]).toEqual([[], false, 0, 'v', []]);
    const f = (await (await s.uxp.storage.localFileSystem.getDataFolder()).getEntry('f')) as SimFile;
    expect(await f.read()).toBe('data');
  });

  test('loadEvent: "use" loads the plugin at its first command or panel, "startup" at launch; unloading drops its globals', async () => {
    let loads = 0;
    const load = () => {
      loads++;
      (globalThis as Record<string, unknown>).simPluginGlobal = loads;
      s.uxp.entrypoints.setup({ commands: { c: () => 'ran' } });
    };
    s.sim.plugin.install({ manifest: { host: { data: {} } }, load });
    s.sim.plugin.launch();
    expect([s.sim.plugin.loaded, loads]).toEqual([false, 0]);
    expect(await s.sim.entrypoints.runCommand('c')).toBe('ran');
    s.sim.relaunch();
    expect([s.sim.plugin.loaded, (globalThis as Record<string, unknown>).simPluginGlobal]).toEqual([false, undefined]);
    s.sim.plugin.install({ manifest: { host: { data: { loadEvent: 'startup' } } }, load });
    s.sim.relaunch();
    expect([s.sim.plugin.loaded, loads]).toEqual([true, 2]);
    s.sim.reset();
    expect((globalThis as Record<string, unknown>).simPluginGlobal).toBeUndefined();
  });

  test('host and versions; getFileForSaving writes where the user chose, or gives nothing on Cancel', async () => {
    expect([s.uxp.host.version, s.uxp.versions.uxp, s.uxp.versions.plugin]).toEqual(['26.0.0', '8.0.0', '0.1.0']);
    s.sim.versions.photoshop = '26.5.0';
    expect(s.uxp.host.version).toBe('26.5.0');
    const fs = s.uxp.storage.localFileSystem;
    s.sim.files.saveNext(null);
    expect(await fs.getFileForSaving('a.txt', { types: ['txt'] })).toBeNull();
    s.sim.files.saveNext('report.txt');
    const file = (await fs.getFileForSaving('a.txt', { types: ['txt'] }))!;
    await file.write('hello');
    expect([file.nativePath, s.sim.files.saved('report.txt')]).toEqual(['/sim/saved/report.txt', 'hello']);
  });

  test('getFolder and persistent tokens: the picked folder again in a later session, until it is gone', async () => {
    const fs = s.uxp.storage.localFileSystem;
    s.sim.files.folderNext(null);
    expect(await fs.getFolder()).toBeNull();
    s.sim.files.folderNext('/Users/me/Out');
    const folder = (await fs.getFolder())!;
    const token = await fs.createPersistentToken(folder);
    const temp = await folder.createFile('.a.jpg.tmp', { overwrite: true });
    await temp.write(new Uint8Array([1, 2, 3]), { format: s.uxp.storage.formats.binary });
    await temp.moveTo(folder, { newName: 'a.jpg', overwrite: true });
    expect(s.sim.files.folderNames('/Users/me/Out')).toEqual(['a.jpg']);
    s.sim.relaunch();
    const again = (await fs.getEntryForPersistentToken(token)) as typeof folder;
    expect([again.isFolder, again.nativePath, (await again.getEntries()).map((e) => e.name)]).toEqual([
      true,
      '/Users/me/Out',
      ['a.jpg'],
    ]);
    expect(Array.from(s.sim.files.diskFile('/Users/me/Out', 'a.jpg')!)).toEqual([1, 2, 3]);
    s.sim.files.removeDiskFolder('/Users/me/Out');
    await expect(fs.getEntryForPersistentToken(token)).rejects.toThrow('token is not defined');
    await expect(fs.getEntryForPersistentToken('made-up')).rejects.toThrow('token is not defined');
  });

  test('getDisplayConfiguration: one entry per display; the headroom field only where set (26.5+)', async () => {
    s.sim.displays.splice(0, 1, { primary: true, headroom: 2.5 }, { primary: false });
    const got = await s.photoshop.core.getDisplayConfiguration({});
    expect(got.map((d) => [d.isPrimary, d.maximumExtendedDynamicRangeColorComponent])).toEqual([
      [true, 2.5],
      [false, undefined],
    ]);
  });

  test('showPanel roots are elements of the plugin document; destroyPanel calls destroy and removes them', async () => {
    const calls: string[] = [];
    s.uxp.entrypoints.setup({
      panels: {
        p: {
          create: (root: SimElementLike) => calls.push(`create ${root.isConnected}`),
          destroy: () => calls.push('destroy'),
        },
      },
    });
    await s.sim.entrypoints.showPanel('p');
    await s.sim.entrypoints.destroyPanel('p');
    expect([calls, s.sim.document.body.children.length]).toEqual([['create true', 'destroy'], 0]);
  });
});
type SimElementLike = { isConnected: boolean };
