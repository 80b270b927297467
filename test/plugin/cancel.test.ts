/**
 * Cancelling: at every await point of a run (each Photoshop call), from Photoshop's
 * progress bar or the panel while the engine runs a tile, and from the engine dialog
 * of the menu command. Every time the document is exactly as before.
 */
import { COMMAND_ID, setupPlugin, waitFor } from './harness';
const { sim, byId, openPanel, runFromPanel, snapshot } = setupPlugin();
import { CANCELLED_MESSAGE } from '../../src/plugin-core/errors';
import { photo8 } from './reference';

async function addPhoto() {
  const img = await photo8();
  return sim.addDocument({
    width: img.width,
    height: img.height,
    layers: [{ name: 'photo', pixels: { width: img.width, height: img.height, data: img.data } }, { background: true }],
  });
}

/** Resolves once the engine has been sent a tile (the only large message to the page). */
const tileSent = () =>
  waitFor(() => sim.bridge.log.some((l) => l.direction === 'toPage' && l.bytes > 10_000), 'a tile to reach the engine');

test.each([
  ['layer', 0],
  ['document', 1],
] as const)(
  'cancel at each of the Photoshop calls of a run (output: %s)',
  async (_name, output) => {
    await openPanel();
    sim.ui.choose(byId('hdr-output'), output);
    await addPhoto();
    const start = sim.modal.apiCallCount;
    expect(await runFromPanel()).toMatch(/^Added/);
    const calls = sim.modal.apiCallCount - start;
    expect(calls).toBeGreaterThan(8);
    for (let k = 1; k <= calls; k++) {
      await addPhoto();
      const before = snapshot();
      sim.modal.cancelAtCall(k);
      expect([k, await runFromPanel()]).toEqual([k, CANCELLED_MESSAGE]);
      expect(snapshot()).toEqual(before);
    }
  },
  240_000,
); // one whole run per Photoshop call of a run

test('cancel from Photoshop’s progress bar while the engine runs a tile: the engine is told to drop it', async () => {
  await openPanel();
  await addPhoto();
  const before = snapshot();
  sim.bridge.log.length = 0;
  sim.ui.click(byId('hdr-run'));
  await tileSent();
  expect(sim.modal.cancel()).toBe(true);
  await waitFor(() => !byId('hdr-run').disabled, 'the run to end');
  expect(byId('hdr-status').textContent).toBe(CANCELLED_MESSAGE);
  expect(snapshot()).toEqual(before);
  expect(sim.bridge.log.filter((l) => l.direction === 'toPage').length).toBe(2); // the tile, then its cancel
});

test('the panel’s Cancel button while the engine runs a tile', async () => {
  await openPanel();
  await addPhoto();
  const before = snapshot();
  sim.bridge.log.length = 0;
  sim.ui.click(byId('hdr-run'));
  expect(byId('hdr-cancel').disabled).toBe(false);
  await tileSent();
  sim.ui.click(byId('hdr-cancel'));
  await waitFor(() => !byId('hdr-run').disabled, 'the run to end');
  expect([byId('hdr-status').textContent, byId('hdr-cancel').disabled]).toEqual([CANCELLED_MESSAGE, true]);
  expect(snapshot()).toEqual(before);
});

test.each([
  ['while the engine starts', false],
  ['while it runs a tile', true],
])('the menu command’s engine dialog: Cancel %s', async (_when, afterTile) => {
  await addPhoto();
  const before = snapshot();
  const command = sim.entrypoints.runCommand(COMMAND_ID);
  const cancel = await waitFor(() => sim.document.getElementById('hdr-dialog-cancel'), 'the engine dialog');
  if (afterTile) await tileSent();
  sim.ui.click(cancel);
  await command;
  expect([sim.alerts, sim.document.openDialogs.size, sim.document.getElementById('hdr-engine-dialog')]).toEqual([
    [],
    0,
    null,
  ]);
  expect(snapshot()).toEqual(before);
});

test('dismissing the engine dialog (Escape) cancels too', async () => {
  await addPhoto();
  const before = snapshot();
  const command = sim.entrypoints.runCommand(COMMAND_ID);
  const dialog = await waitFor(() => [...sim.document.openDialogs][0], 'the engine dialog');
  dialog.dismiss();
  await command;
  expect([sim.alerts, sim.document.openDialogs.size]).toEqual([[], 0]);
  expect(snapshot()).toEqual(before);
});
