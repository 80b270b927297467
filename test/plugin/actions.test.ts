/**
 * Actions: a run the user starts while an Action records becomes a step with its
 * settings; playing it back reruns with those settings, panel open or not, without
 * touching the panel; "Record Again" stores the settings the step ran with.
 */
import { COMMAND_ID, setupPlugin } from './harness';
const { sim, photoshop, byId, openPanel, runFromPanel } = setupPlugin();
import { ACTION_METHOD } from '../../src/host/actions';
import { SETTINGS_KEY } from '../../src/plugin-core/settings';
import { photo8 } from './reference';
import type { SimSlider } from '../simulator/index';

async function addPhoto() {
  const img = await photo8();
  return sim.addDocument({
    width: img.width,
    height: img.height,
    layers: [{ name: 'photo', pixels: { width: img.width, height: img.height, data: img.data } }, { background: true }],
  });
}

const STEP = { name: 'HDR Reconstruct', methodName: ACTION_METHOD };

test('the step handler is a global function', () => {
  expect(typeof (globalThis as Record<string, unknown>)[ACTION_METHOD]).toBe('function');
});

test('record from the panel, play back on another document: the same layer; the panel is not touched', async () => {
  await openPanel();
  sim.ui.slide(byId('hdr-gamma'), 130);
  sim.ui.choose(byId('hdr-linearise'), 1);
  const first = await addPhoto();
  sim.actions.startRecording('HDR');
  expect(await runFromPanel()).toMatch(/^Added/);
  expect(sim.actions.stopRecording()).toEqual([
    { ...STEP, info: { gamma: 1.3, weights: 'clean', output: 'layer', linearise: 'hdrcnn' } },
  ]);

  sim.ui.slide(byId('hdr-gamma'), 70);
  sim.ui.choose(byId('hdr-linearise'), 0);
  const saved = sim.localStorage.getItem(SETTINGS_KEY);
  const status = byId('hdr-status').textContent;
  const second = await addPhoto();
  await sim.actions.play('HDR');
  expect(second.layers.map((l) => l.name)).toEqual([
    'HDR Reconstruct, gamma 1.3 (HDRCNN linear)',
    'photo',
    'Background',
  ]);
  expect(sim.pixels(second, second.layers[0].id)).toEqual(sim.pixels(first, first.layers[0].id));
  expect(sim.history(second)).toEqual(['Reconstruct HDR']);
  expect([(byId('hdr-gamma') as SimSlider).value, sim.localStorage.getItem(SETTINGS_KEY)]).toEqual([70, saved]);
  expect(byId('hdr-status').textContent).not.toBe(status); // it shows the playback's outcome
  expect(sim.actions.steps('HDR')).toHaveLength(1); // playback records nothing
});

test('record from the menu command and play back with the panel never opened: the engine runs in a dialog', async () => {
  sim.localStorage.setItem(SETTINGS_KEY, JSON.stringify({ gamma: 1.15, output: 'document' }));
  const first = await addPhoto();
  sim.actions.startRecording('HDR');
  await sim.entrypoints.runCommand(COMMAND_ID);
  expect(sim.actions.stopRecording()).toEqual([
    { ...STEP, info: { gamma: 1.15, weights: 'clean', output: 'document', linearise: 'photoshop' } },
  ]);
  const firstHdr = photoshop.app.activeDocument!;

  sim.localStorage.setItem(SETTINGS_KEY, JSON.stringify({ gamma: 2, output: 'layer' }));
  const second = await addPhoto();
  await sim.actions.play('HDR');
  const secondHdr = photoshop.app.activeDocument!;
  expect(secondHdr.id).not.toBe(second.id);
  expect(sim.pixels(secondHdr.id, secondHdr.layers[0].id)).toEqual(sim.pixels(firstHdr.id, firstHdr.layers[0].id));
  expect([first.layers.length, second.layers.length, sim.document.openDialogs.size, sim.alerts]).toEqual([2, 2, 0, []]);
});

test('the panel hidden: playback uses a dialog, not the hidden panel’s page', async () => {
  await openPanel();
  sim.actions.startRecording('HDR');
  await addPhoto();
  expect(await runFromPanel()).toMatch(/^Added/);
  sim.actions.stopRecording();
  await sim.entrypoints.hidePanel('hdr-panel');
  const doc = await addPhoto();
  const opened: string[] = [];
  sim.modal.onApiCall(() => {
    if (sim.document.openDialogs.size) opened.push('dialog');
  });
  await sim.actions.play('HDR');
  expect(doc.layers).toHaveLength(3);
  expect(opened.length).toBeGreaterThan(0);
});

test('Record Again stores the settings the step ran with, complete', async () => {
  sim.actions.startRecording('Old');
  // A step as an older version might have recorded it: only gamma.
  await photoshop.action.recordAction(STEP, { gamma: 1.2 });
  sim.actions.stopRecording();
  await addPhoto();
  await sim.actions.play('Old', { recordAgain: true });
  expect(sim.actions.steps('Old')[0].info).toEqual({
    gamma: 1.2,
    weights: 'clean',
    output: 'layer',
    linearise: 'photoshop',
  });
});

test('a step with unusable settings fails with a clear message and changes nothing', async () => {
  sim.actions.startRecording('Bad');
  await photoshop.action.recordAction(STEP, { gamma: 9 });
  sim.actions.stopRecording();
  const doc = await addPhoto();
  await expect(sim.actions.play('Bad')).rejects.toThrow(
    'This Action step cannot be played: gamma must be a number from 0.5 to 2, got 9. Record it again.',
  );
  expect([doc.layers.length, sim.history(doc)]).toEqual([2, []]);
});

test('a failing step fails the Action; runs that changed nothing are not recorded', async () => {
  sim.actions.startRecording('HDR');
  await sim.entrypoints.runCommand(COMMAND_ID); // no document
  const flat = sim.addDocument({ width: 8, height: 8, layers: [{ background: true, fill: [100, 100, 100] }] });
  await sim.entrypoints.runCommand(COMMAND_ID); // nothing clipped
  expect(sim.actions.stopRecording()).toEqual([]);
  expect(sim.alerts).toEqual([
    'Open a document first: there is no active document.',
    'Nothing is clipped in this layer (0.00% saturated): no highlight to reconstruct. The document is unchanged.',
  ]);
  sim.actions.startRecording('Manual');
  await photoshop.action.recordAction(STEP, { gamma: 1 });
  sim.actions.stopRecording();
  await sim.entrypoints.runCommand(COMMAND_ID); // still nothing clipped
  await sim.actions.play('Manual'); // nothing clipped is not a failure
  expect(flat.layers).toHaveLength(1);
  sim.selectLayers(flat, []);
  await expect(sim.actions.play('Manual')).rejects.toThrow(
    'Select the pixel layer to reconstruct in the Layers panel.',
  );
});
