/**
 * The engine side seen from Photoshop: the model downloading with progress in the
 * panel, and engine failures (the network, the model, the page itself), each with a
 * clear message and the document unchanged.
 */
import { COMMAND_ID, workerEnginePage, setupPlugin, waitFor } from './harness';
import type { PageScript } from '../simulator/index';
import type { WorkerEngine } from '../helpers/worker-engine';
import { PROTOCOL_VERSION } from '../../src/protocol/messages';

let page: PageScript;
/** Whether the plugin folder holds model/hdrcnn.onnx, read as each test starts: not for the first test (the download). */
let bundled = false;
const { sim, byId, openPanel, runFromPanel, snapshot } = setupPlugin({
  page: (w) => page(w),
  bundledModel: () => bundled,
});
import { createServer, type Server } from 'node:http';
import { readFileSync } from 'node:fs';
import { pageBridge } from '../../src/engine/page-bridge';
import { MODEL_SOURCES } from '../../src/host/model-sources';
import { fixturePath } from '../helpers/fixture';
import { photo8 } from './reference';

const started: WorkerEngine[] = [];
afterAll(() => Promise.all(started.map((e) => e.close())));

/** An engine page that loads any model at once and answers every tile with `answer`. */
const fakeEngine =
  (answer: 'inference-error' | 'model-error'): PageScript =>
  (w) => {
    const bridge = pageBridge(w.uxpHost, w.location.href);
    w.addEventListener('message', (e) => {
      const m = e.data as { type: string; id: number };
      const reply = (body: object) => bridge.post({ ...body, id: m.id, version: PROTOCOL_VERSION });
      if (m.type === 'init' && answer === 'model-error') {
        reply({ type: 'model-status', state: 'failed', message: 'params.npy: not HDRCNN weights' });
        reply({ type: 'error', code: 'model', message: 'params.npy: not HDRCNN weights' });
      } else if (m.type === 'init') {
        reply({
          type: 'ready',
          provider: 'webgpu',
          reason: 'fake',
          model: 'fake model',
          wasmThreads: 1,
          crossOriginIsolated: false,
        });
      } else if (m.type === 'run-tile') reply({ type: 'error', code: 'inference', message: 'out of GPU memory' });
    });
  };

async function addPhoto() {
  const img = await photo8();
  return sim.addDocument({
    width: img.width,
    height: img.height,
    layers: [{ background: true, pixels: { width: img.width, height: img.height, data: img.data } }],
  });
}

test('without a bundled model the plugin downloads the official weights, with progress in the panel, converts and sends them', async () => {
  const npz = readFileSync(fixturePath('params.npz'));
  let server!: Server;
  let progressSeen!: () => void;
  const seenProgress = new Promise<void>((r) => (progressSeen = r));
  const port = await new Promise<number>((resolve) => {
    server = createServer((_req, res) => {
      res.writeHead(200, { 'content-length': String(npz.length), 'access-control-allow-origin': '*' });
      // A first piece, then the rest only once the panel has shown the progress of it.
      const first = 256 * 1024;
      res.write(npz.subarray(0, first));
      void seenProgress.then(() => res.end(npz.subarray(first)));
    }).listen(0, '127.0.0.1', () => resolve((server.address() as { port: number }).port));
  });
  // The plugin's own fetch (UXP's, here Node's): the official URL is served by the local server.
  const official = MODEL_SOURCES.clean.urls[0];
  const realFetch = globalThis.fetch;
  const fetched: string[] = [];
  const spy = jest.spyOn(globalThis, 'fetch').mockImplementation((url, init) => {
    fetched.push(String(url));
    return realFetch(
      String(url) === official ? `http://127.0.0.1:${port}/hdrcnn_params.npz` : 'http://127.0.0.1:1/',
      init,
    );
  });
  page = workerEnginePage(started);
  const seen = new Set<string>();
  await sim.entrypoints.showPanel('hdr-panel');
  await waitFor(() => {
    seen.add(byId('hdr-model').textContent.replace(/[\d.]+ of/, 'N of'));
    if (byId('hdr-model-progress').style.display === 'block') seen.add('progress bar shown');
    if (seen.has('progress bar shown') && [...seen].some((line) => line.includes('N of'))) progressSeen();
    return byId('hdr-model').textContent.startsWith('Ready');
  }, 'the download');
  server.close();
  spy.mockRestore();
  bundled = true;
  expect(fetched).toEqual([official]);
  expect([...seen]).toEqual(
    expect.arrayContaining([
      `Downloading: downloading the official weights (clean inputs) from ${new URL(official).host}`,
      `Downloading: N of ${(npz.length / 1048576).toFixed(1)} MB`,
      'progress bar shown',
      'Ready: official weights (clean inputs), on wasm (no WebGPU in Node; using WASM).',
    ]),
  );
  expect(byId('hdr-model-progress').style.display).toBe('none');
});

test('the network fails on a tile: a clear message, the document unchanged', async () => {
  page = fakeEngine('inference-error');
  await addPhoto();
  const before = snapshot();
  await openPanel();
  expect(await runFromPanel()).toBe('The network failed while running: out of GPU memory. The document is unchanged.');
  expect(snapshot()).toEqual(before);
  await sim.entrypoints.runCommand(COMMAND_ID);
  expect(sim.alerts).toEqual(['The network failed while running: out of GPU memory. The document is unchanged.']);
  expect(snapshot()).toEqual(before);
});

test('the model cannot be loaded: the panel says so and offers Retry; runs say so and change nothing', async () => {
  page = fakeEngine('model-error');
  await addPhoto();
  const before = snapshot();
  await openPanel();
  expect(byId('hdr-model').textContent).toBe(
    'Failed: The HDRCNN model could not be loaded: params.npy: not HDRCNN weights.',
  );
  expect(await runFromPanel()).toBe(
    'The HDRCNN model could not be loaded: params.npy: not HDRCNN weights. The document is unchanged.',
  );
  expect(snapshot()).toEqual(before);
});

test('the engine page does not load', async () => {
  page = () => {
    throw new Error('ERR_FILE_NOT_FOUND');
  };
  await addPhoto();
  const before = snapshot();
  await sim.entrypoints.runCommand(COMMAND_ID);
  expect(sim.alerts).toEqual([
    expect.stringMatching(
      /^Reconstruction failed: the engine page did not load \(plugin:\/engine\/engine\.html\?channel=[\w-]+: Error: ERR_FILE_NOT_FOUND -1\)\. The document is unchanged\.$/,
    ),
  ]);
  expect([snapshot(), sim.document.openDialogs.size]).toEqual([before, 0]);
});
