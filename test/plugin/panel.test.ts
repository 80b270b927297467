/**
 * The panel: the gamma slider changes the result, settings survive a new session,
 * the model line follows the engine (ready, failed, Retry, Choose file…).
 */
import { setupPlugin, waitFor } from './harness';
const { sim, byId, openPanel, runFromPanel } = setupPlugin();
import { readFileSync } from 'node:fs';
import { pixelAlpha } from '../../src/core/hdrcnn';
import { SETTINGS_KEY } from '../../src/plugin-core/settings';
import { fixturePath } from '../helpers/fixture';
import type { SimDropdown, SimSlider } from '../simulator/index';
import { photo8 } from './reference';

async function addPhoto() {
  const img = await photo8();
  return {
    img,
    doc: sim.addDocument({
      width: img.width,
      height: img.height,
      layers: [{ background: true, pixels: { width: img.width, height: img.height, data: img.data } }],
    }),
  };
}
const modelLine = () => byId('hdr-model').textContent;

test('the panel opens within the entrypoint time limit and shows the bundled model ready', async () => {
  await openPanel();
  expect(modelLine()).toBe('Ready: model shipped with the plugin, on wasm (no WebGPU in Node; using WASM).');
  expect([(byId('hdr-gamma') as SimSlider).value, (byId('hdr-weights') as SimDropdown).selectedIndex]).toEqual([
    100, 0,
  ]);
  expect(byId('hdr-cancel').disabled).toBe(true);
});

test('the gamma slider changes the output: highlights differ, the rest is the same', async () => {
  await openPanel();
  const a = await addPhoto();
  sim.ui.slide(byId('hdr-gamma'), 100);
  expect(await runFromPanel()).toMatch(/gamma 1\)\.$/);
  const b = await addPhoto();
  sim.ui.slide(byId('hdr-gamma'), 160);
  expect(await runFromPanel()).toMatch(/gamma 1\.6\)\.$/);
  expect(b.doc.layers[0].name).toBe('HDR Reconstruct, gamma 1.6');
  const [pa, pb] = [sim.pixels(a.doc, a.doc.layers[0].id)!, sim.pixels(b.doc, b.doc.layers[0].id)!];
  let [same, different] = [0, 0];
  const d = a.img.data;
  for (let p = 0; p < a.img.width * a.img.height; p++) {
    // Pixels the mask leaves alone at both gammas: exactly Photoshop's conversion in both.
    const outside = [1, 1.6].every(
      (gamma) => pixelAlpha(d[p * 3] / 255, d[p * 3 + 1] / 255, d[p * 3 + 2] / 255, { gamma, scaling: 1 }) === 0,
    );
    for (let c = 0; c < 3; c++) {
      if (outside) expect(pb.data[p * 4 + c]).toBe(pa.data[p * 4 + c]);
      if (outside) same++;
      else if (Math.abs(pb.data[p * 4 + c] - pa.data[p * 4 + c]) > 1e-3) different++;
    }
  }
  expect(same).toBeGreaterThan(10000);
  expect(different).toBeGreaterThan(1000);
});

test('settings are saved and come back in a new session', async () => {
  await openPanel();
  sim.ui.slide(byId('hdr-gamma'), 135);
  sim.ui.choose(byId('hdr-weights'), 1);
  sim.ui.choose(byId('hdr-output'), 1);
  sim.ui.choose(byId('hdr-linearise'), 1);
  expect(JSON.parse(sim.localStorage.getItem(SETTINGS_KEY)!)).toEqual({
    gamma: 1.35,
    weights: 'jpeg',
    output: 'document',
    linearise: 'hdrcnn',
  });
  await waitFor(() => modelLine().startsWith('Ready'), 'the JPEG-trained model'); // no request left pending at the relaunch
  sim.relaunch(); // loads the plugin again (loadEvent "startup")
  await openPanel();
  expect([
    (byId('hdr-gamma') as SimSlider).value,
    ...['hdr-weights', 'hdr-output', 'hdr-linearise'].map((id) => (byId(id) as SimDropdown).selectedIndex),
  ]).toEqual([135, 1, 1, 1]);
});

test('unreadable saved settings fall back to the defaults', async () => {
  sim.localStorage.setItem(SETTINGS_KEY, '{"gamma": "bright"');
  await openPanel();
  expect((byId('hdr-gamma') as SimSlider).value).toBe(100);
});

test('weights from a file: none chosen fails with a way out; Choose file… loads it; it is kept for later sessions', async () => {
  sim.localStorage.setItem(SETTINGS_KEY, JSON.stringify({ weights: 'file' }));
  await openPanel();
  expect(modelLine()).toBe(
    'Failed: No weights file has been chosen: use “Choose file…” in the HDR Reconstruct panel, or pick the official weights.',
  );
  sim.ui.click(byId('hdr-retry'));
  await waitFor(() => modelLine().startsWith('Failed'), 'the retry to fail again');

  sim.files.pickNext(null); // the user cancels the file dialog
  sim.ui.click(byId('hdr-choose'));
  await new Promise((r) => setImmediate(r)); // the cancelled pick settles in promise callbacks, no timer
  expect(modelLine()).toMatch(/^Failed/);

  sim.files.pickNext({ name: 'hdrcnn_params.npz', content: new Uint8Array(readFileSync(fixturePath('params.npz'))) });
  sim.ui.click(byId('hdr-choose'));
  await waitFor(() => modelLine().startsWith('Ready'), 'the chosen weights to load');
  expect(modelLine()).toBe('Ready: hdrcnn_params.npz, on wasm (no WebGPU in Node; using WASM).');
  expect(byId('hdr-weights').querySelectorAll('sp-menu-item')[2].textContent).toBe('File: hdrcnn_params.npz');
  const { doc } = await addPhoto();
  expect(await runFromPanel()).toMatch(/^Added/);
  expect(doc.layers).toHaveLength(2);

  sim.relaunch(); // loads the plugin again (loadEvent "startup")
  await openPanel();
  expect(modelLine()).toBe('Ready: hdrcnn_params.npz, on wasm (no WebGPU in Node; using WASM).');
});

test('switching weights reloads the model', async () => {
  await openPanel();
  sim.ui.choose(byId('hdr-weights'), 1);
  expect(modelLine()).toBe('Loading the model…');
  await waitFor(() => modelLine().startsWith('Ready'), 'the model to load again');
});
