/**
 * Photoshop as Adobe documents it, where the first build assumed otherwise (issue 10):
 * each test fails against the behaviour the plugin used to rely on. The engine is a
 * fast fake (fake-engine.ts); HDRCNN's numbers are tested elsewhere.
 */
import { COMMAND_ID, PANEL_ID, setupPlugin } from './harness';
import { fakeEngine } from './fake-engine';
const engine = fakeEngine();
const { sim, photoshop, openPanel, runFromPanel } = setupPlugin({ page: engine.page });
import { SETTINGS_KEY } from '../../src/host/settings';

/** 64×64 RGB, the left half clipped white, the rest mid grey; one pixel layer over a background. */
function addPhoto(spec: { depth?: 8 | 16; untagged?: boolean } = {}) {
  const max = spec.depth === 16 ? 32768 : 255;
  const data = new Array<number>(64 * 64 * 3);
  for (let p = 0; p < 64 * 64; p++) data.fill(p % 64 < 32 ? max : Math.round(max * 0.4), p * 3, p * 3 + 3);
  return sim.addDocument({
    width: 64, height: 64, depth: spec.depth, untagged: spec.untagged,
    layers: [{ name: 'photo', pixels: { width: 64, height: 64, data } }, { background: true }],
  });
}

describe('panel show/hide (PS-57284: show fires once, hide never)', () => {
  test('after the user hides the panel, the menu command runs in a dialog, not in the hidden panel’s page', async () => {
    await openPanel();
    await sim.entrypoints.hidePanel(PANEL_ID);
    const doc = addPhoto();
    const loadsBefore = engine.loads.length;
    await sim.entrypoints.runCommand(COMMAND_ID);
    expect(sim.alerts).toEqual([]);
    expect(doc.layers.map((l) => l.name)).toEqual(['HDR Reconstruct, gamma 1', 'photo', 'Background']);
    expect(engine.loads.length).toBe(loadsBefore + 1); // the dialog's page
  });

  test('the panel’s own button uses the panel’s page', async () => {
    await openPanel();
    addPhoto();
    const loadsBefore = engine.loads.length;
    expect(await runFromPanel()).toMatch(/^Added/);
    expect(engine.loads.length).toBe(loadsBefore);
  });
});

describe('untagged documents (colorProfileName is "None")', () => {
  test.each(['layer', 'document'] as const)('a document without a profile reconstructs; "None" is never passed as a profile (output: %s)', async (output) => {
    sim.localStorage.setItem(SETTINGS_KEY, JSON.stringify({ output }));
    const doc = addPhoto({ untagged: true });
    expect(doc.colorProfileName).toBe('None');
    await sim.entrypoints.runCommand(COMMAND_ID);
    expect(sim.alerts).toEqual([]);
    const hdr = photoshop.app.activeDocument!;
    expect(hdr.layers[0].name).toBe('HDR Reconstruct, gamma 1');
    expect(hdr.bitsPerChannel).toBe(photoshop.constants.BitsPerChannelType.THIRTYTWO);
  });
});
