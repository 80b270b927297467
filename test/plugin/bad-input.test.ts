/**
 * What cannot be reconstructed gets a clear message, from the panel (status line) and
 * from the menu command (an alert), and Photoshop is left exactly as it was.
 */
import { COMMAND_ID, setupPlugin } from './harness';
const { sim, photoshop, openPanel, runFromPanel, snapshot } = setupPlugin();
import type { LayerSpec } from '../simulator/index';
import { photo8 } from './reference';

const C = photoshop.constants;
const K = C.LayerKind;

/** Runs from the panel and from the menu command; both say `message` and change nothing. */
async function expectRefused(message: RegExp): Promise<void> {
  const before = snapshot();
  await openPanel({ waitForModel: false }); // refused before the engine is asked for
  expect(await runFromPanel()).toMatch(message);
  expect(snapshot()).toEqual(before);
  await sim.entrypoints.runCommand(COMMAND_ID);
  expect(sim.alerts).toHaveLength(1);
  expect(sim.alerts[0]).toMatch(message);
  expect(snapshot()).toEqual(before);
}

const pixelLayer = (name: string): LayerSpec => ({ name, fill: [255, 250, 240] });

test('no document', async () => {
  await expectRefused(/^Open a document first/);
});

test('no selected layer, several selected layers', async () => {
  const doc = sim.addDocument({
    width: 8,
    height: 8,
    layers: [pixelLayer('a'), pixelLayer('b'), { background: true }],
  });
  sim.selectLayers(doc, []);
  await expectRefused(/^Select the pixel layer to reconstruct/);
  sim.alerts.length = 0;
  sim.selectLayers(doc, [doc.layers[0], doc.layers[1]]);
  expect(await runFromPanel()).toMatch(/^Select a single pixel layer \(2 layers are selected\)/);
});

test.each([
  ['a group', { name: 'G', children: [pixelLayer('inside')] }, /“G” is a group: select one pixel layer inside it/],
  ['a text layer', { name: 'T', kind: K.TEXT, fill: [255, 255, 255] }, /“T” is a text layer: rasterize it first/],
  ['an adjustment layer', { name: 'Curves 1', kind: K.CURVES }, /“Curves 1” is not a pixel layer \(curves\)/],
  [
    'a smart object',
    { name: 'S', kind: K.SMARTOBJECT, fill: [255, 255, 255] },
    /“S” is a smart object: rasterize it first/,
  ],
  ['an empty layer', { name: 'E' }, /“E” is empty: it has no pixels to reconstruct/],
] as Array<[string, LayerSpec, RegExp]>)('%s', async (_what, spec, message) => {
  sim.addDocument({ width: 8, height: 8, layers: [{ ...spec, active: true }, { background: true }] });
  await expectRefused(message);
});

test.each([
  ['CMYK', C.DocumentMode.CMYK],
  ['Lab Color', C.DocumentMode.LAB],
  ['Indexed Color', C.DocumentMode.INDEXEDCOLOR],
  ['Bitmap', C.DocumentMode.BITMAP],
  ['Multichannel', C.DocumentMode.MULTICHANNEL],
  ['Duotone', C.DocumentMode.DUOTONE],
] as const)('a %s document', async (name, mode) => {
  sim.addDocument({ name: 'print.psd', width: 8, height: 8, mode, layers: [{ name: 'L', active: true }] });
  await expectRefused(new RegExp(`^HDR Reconstruct works on RGB and Grayscale documents; “print.psd” is ${name}\\.`));
});

test('nothing clipped: the share is reported and nothing changes', async () => {
  const doc = sim.addDocument({ width: 8, height: 8, layers: [{ background: true, fill: [200, 180, 120] }] });
  const before = snapshot();
  await openPanel();
  expect(await runFromPanel()).toBe(
    'Nothing is clipped in this layer (0.00% saturated): no highlight to reconstruct. The document is unchanged.',
  );
  expect(snapshot()).toEqual(before);
  expect(doc.bitsPerChannel).toBe(C.BitsPerChannelType.EIGHT);
});

test('the document is closed while the reconstruction runs', async () => {
  const img = await photo8();
  const other = sim.addDocument({ name: 'other.psd', width: 4, height: 4 });
  const doc = sim.addDocument({
    name: 'photo.psd',
    width: img.width,
    height: img.height,
    layers: [{ background: true, pixels: { width: img.width, height: img.height, data: img.data } }],
  });
  const otherBefore = snapshot();
  await openPanel();
  const off = sim.modal.onApiCall((api) => {
    if (api === 'imaging.createImageDataFromBuffer') {
      off();
      doc.closeWithoutSaving(); // in Photoshop another script or the user could close it meanwhile
    }
  });
  expect(await runFromPanel()).toBe('“photo.psd” was closed during the reconstruction; nothing was saved.');
  expect(photoshop.app.documents.map((d) => d.id)).toEqual([other.id]);
  expect(snapshot()).toEqual(
    (otherBefore as unknown[]).slice(0, 1).map((d) => ({ ...(d as object), active: other.id })),
  );
});

test('another plugin holds the modal state', async () => {
  const img = await photo8();
  sim.addDocument({
    width: img.width,
    height: img.height,
    layers: [{ background: true, pixels: { width: img.width, height: img.height, data: img.data } }],
  });
  const before = snapshot();
  await openPanel();
  sim.modal.holdByOtherPlugin('com.example.busy');
  expect(await runFromPanel()).toMatch(
    /^Photoshop is busy with another plugin's command \(Plugin: com\.example\.busy is running a modal command\)/,
  );
  sim.modal.releaseOtherPlugin();
  expect(snapshot()).toEqual(before);
});
