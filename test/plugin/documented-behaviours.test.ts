/**
 * Photoshop as Adobe documents it, where the first build assumed otherwise (issue 10):
 * each test fails against the behaviour the plugin used to rely on. The engine is a
 * fast fake (fake-engine.ts); HDRCNN's numbers are tested elsewhere.
 */
import { COMMAND_ID, PANEL_ID, setupPlugin, waitFor } from './harness';
import { fakeEngine } from './fake-engine';
const engine = fakeEngine();
const { sim, photoshop, uxp, byId, openPanel, runFromPanel } = setupPlugin({ page: engine.page });
import { SETTINGS_KEY } from '../../src/plugin-core/settings';
import { WEIGHTS_NAME_KEY } from '../../src/host/weights-file';
import type { SimDropdown, SimSlider } from '../simulator/index';
import { tinyModelBytes } from '../helpers/fixture';

/** 64×64 RGB, the left half clipped white, the rest mid grey; one pixel layer over a background. */
function addPhoto(spec: { depth?: 8 | 16; untagged?: boolean } = {}) {
  const max = spec.depth === 16 ? 32768 : 255;
  const data = new Array<number>(64 * 64 * 3);
  for (let p = 0; p < 64 * 64; p++) data.fill(p % 64 < 32 ? max : Math.round(max * 0.4), p * 3, p * 3 + 3);
  return sim.addDocument({
    width: 64,
    height: 64,
    depth: spec.depth,
    untagged: spec.untagged,
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
  test.each(['layer', 'document'] as const)(
    'a document without a profile reconstructs; "None" is never passed as a profile (output: %s)',
    async (output) => {
      sim.localStorage.setItem(SETTINGS_KEY, JSON.stringify({ output }));
      const doc = addPhoto({ untagged: true });
      expect(doc.colorProfileName).toBe('None');
      await sim.entrypoints.runCommand(COMMAND_ID);
      expect(sim.alerts).toEqual([]);
      const hdr = photoshop.app.activeDocument!;
      expect(hdr.layers[0].name).toBe('HDR Reconstruct, gamma 1');
      expect(hdr.bitsPerChannel).toBe(photoshop.constants.BitsPerChannelType.THIRTYTWO);
    },
  );
});

describe('panel widgets', () => {
  test('gamma is an integer sp-slider in hundredths (no fractional step), its value shown in the label', async () => {
    await openPanel();
    const slider = byId('hdr-gamma') as SimSlider;
    expect([slider.min, slider.max, slider.value, slider.getAttribute('step')]).toEqual([50, 200, 100, null]);
    sim.ui.slide(slider, 125);
    expect(slider.querySelector('sp-label')!.textContent).toBe('Gamma 1.25');
    expect(JSON.parse(sim.localStorage.getItem(SETTINGS_KEY)!).gamma).toBe(1.25);
  });

  test('Choose file…: the picker’s extra clicks (PS-57264) open no second picker; the dropdown moves to the file', async () => {
    await openPanel();
    const pickers = jest.spyOn(uxp.storage.localFileSystem, 'getFileForOpening');
    sim.files.pickNext({ name: 'mine.onnx', content: tinyModelBytes() }); // checked as an HDRCNN model when chosen
    sim.ui.click(byId('hdr-choose'));
    await waitFor(() => sim.localStorage.getItem(WEIGHTS_NAME_KEY), 'the pick to be stored');
    await waitFor(() => byId('hdr-model').textContent.startsWith('Ready'), 'the chosen model');
    expect(pickers).toHaveBeenCalledTimes(1);
    pickers.mockRestore();
    expect((byId('hdr-weights') as SimDropdown).selectedIndex).toBe(2);
    expect(JSON.parse(sim.localStorage.getItem(SETTINGS_KEY)!).weights).toBe('file');
  });
});

describe('dialogs refused during Action playback (REJECTION_REASON_NOT_ALLOWED)', () => {
  async function recordStep(): Promise<void> {
    sim.actions.startRecording('HDR');
    await photoshop.action.recordAction(
      { name: 'HDR Reconstruct', methodName: 'hdrReconstructActionStep' },
      { gamma: 1 },
    );
    sim.actions.stopRecording();
  }

  test('without the panel the step fails saying the dialog was refused, not “Cancelled”; nothing changes', async () => {
    await recordStep();
    const doc = addPhoto();
    await expect(sim.actions.play('HDR', { refuseDialogs: true })).rejects.toThrow(
      /^Photoshop did not allow HDR Reconstruct’s engine dialog to open \(dialogs are not allowed now\), so the engine could not start; nothing was changed\./,
    );
    expect([doc.layers.length, sim.history(doc), doc.bitsPerChannel]).toEqual([
      2,
      [],
      photoshop.constants.BitsPerChannelType.EIGHT,
    ]);
  });

  test('with the panel open the step runs on the panel’s engine', async () => {
    await openPanel();
    await recordStep();
    const doc = addPhoto();
    await sim.actions.play('HDR', { refuseDialogs: true });
    expect(doc.layers.map((l) => l.name)).toEqual(['HDR Reconstruct, gamma 1', 'photo', 'Background']);
  });
});

describe('history during playback (the Actions panel owns the suspension: 0xFFFFFFFF)', () => {
  beforeEach(async () => {
    sim.actions.startRecording('HDR');
    await photoshop.action.recordAction(
      { name: 'HDR Reconstruct', methodName: 'hdrReconstructActionStep' },
      { gamma: 1 },
    );
    sim.actions.stopRecording();
  });

  test('with “suspend history” the step runs and the Action is one history state', async () => {
    const doc = addPhoto();
    await sim.actions.play('HDR', { suspendHistory: true });
    expect(doc.layers.map((l) => l.name)).toEqual(['HDR Reconstruct, gamma 1', 'photo', 'Background']);
    expect(sim.history(doc)).toEqual(['HDR']);
  });

  test('a step stopped half way says its changes stay and how to undo them', async () => {
    const doc = addPhoto();
    const off = sim.modal.onApiCall((api) => {
      if (api === 'imaging.putPixels') sim.modal.cancel();
    });
    await expect(sim.actions.play('HDR', { suspendHistory: true })).rejects.toThrow(
      'Cancelled. The Actions panel holds the history of “Untitled-1” during this playback, so its changes could not be rolled back: use Edit > Undo to remove them.',
    );
    off();
    expect(sim.history(doc)).toEqual(['HDR']); // one state the user can undo
  });
});

describe('loading for playback (manifest loadEvent)', () => {
  test('after Photoshop restarts, a recorded step plays without the panel or a command being used first', async () => {
    addPhoto();
    sim.actions.startRecording('HDR');
    await sim.entrypoints.runCommand(COMMAND_ID);
    sim.actions.stopRecording();
    sim.relaunch();
    const doc = addPhoto();
    await sim.actions.play('HDR');
    expect(doc.layers.map((l) => l.name)).toEqual(['HDR Reconstruct, gamma 1', 'photo', 'Background']);
  });
});

describe('converting to 32 bits per channel', () => {
  const C = () => photoshop.constants;

  test('layers 32-bit mode may show differently are named in the status line before anything is lost', async () => {
    await openPanel();
    const doc = addPhoto();
    sim.addLayer(doc, { name: 'Levels 1', kind: C().LayerKind.LEVELS }, 0);
    sim.addLayer(doc, { name: 'Glow', blendMode: C().BlendMode.SCREEN, fill: [10, 10, 10] }, 0);
    sim.selectLayers(doc, [doc.layers[2]]);
    expect(await runFromPanel()).toMatch(
      /“Untitled-1” is now 32 bits per channel: Glow \(blend mode screen\), Levels 1 \(levels\) may look different in 32-bit mode\. Edit > Undo removes the conversion with the new layer\.$/,
    );
  });

  test('a run stopped after the conversion leaves the document as it was, adjustment layer and 8 bits', async () => {
    await openPanel();
    const doc = addPhoto();
    sim.addLayer(doc, { name: 'Levels 1', kind: C().LayerKind.LEVELS }, 0);
    sim.selectLayers(doc, [doc.layers[1]]);
    const tree = sim.layerTree(doc);
    const off = sim.modal.onApiCall((api) => {
      if (api === 'imaging.putPixels') sim.modal.cancel();
    });
    expect(await runFromPanel()).toBe('Cancelled. The document is unchanged.');
    off();
    expect([doc.bitsPerChannel, sim.layerTree(doc), sim.history(doc)]).toEqual([
      C().BitsPerChannelType.EIGHT,
      tree,
      [],
    ]);
  });
});
