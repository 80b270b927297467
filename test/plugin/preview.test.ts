/**
 * The panel's preview on the simulator: shown on request, it follows the gamma slider's
 * release (not its dragging), the exposure stepper and "next region", the active
 * document; a newer request cancels the older one's engine work; it never changes a
 * document or its history; a layer without highlights says so; a run during a preview wins;
 * while the model loads, the preview shows the loading progress.
 */
import { setupPlugin, waitFor } from './harness';
import type { PageScript } from '../simulator/index';
import { startWorkerEngine, type WorkerEngine } from '../helpers/worker-engine';
import { pageBridge } from '../../src/engine/page-bridge';
import { clippedPhoto, PHOTO_HEIGHT, PHOTO_WIDTH } from '../helpers/clipped-photo';
import { PROTOCOL_VERSION } from '../../src/protocol/messages';

/** The engine page, with a gate that can hold run-tile (or init and its model) messages so a test decides when they start. */
const gate = {
  holding: false,
  holdInit: false,
  held: [] as unknown[],
  toPage: [] as Array<{ type: string; id: number; target?: number }>,
  forward: (_m: unknown) => undefined as void,
  toPlugin: (_m: unknown) => undefined as void,
};
const workers: WorkerEngine[] = [];
const page: PageScript = (w) => {
  const engine = startWorkerEngine();
  workers.push(engine);
  const bridge = pageBridge(w.uxpHost, w.location.href);
  gate.forward = (m) => engine.endpoint.postMessage(m);
  gate.toPlugin = (m) => bridge.post(m as object);
  w.addEventListener('message', (e) => {
    const m = e.data as { type: string; id: number; target?: number };
    gate.toPage.push(m);
    const model = m.type === 'init' || m.type === 'model-chunk';
    if ((gate.holding && m.type === 'run-tile') || (gate.holdInit && model)) gate.held.push(m);
    else engine.endpoint.postMessage(m);
  });
  engine.endpoint.addEventListener('message', (e) => bridge.post(e.data as object));
  return () => void engine.close();
};
const { sim, byId, openPanel, runFromPanel, snapshot } = setupPlugin({ page });
afterAll(() => Promise.all(workers.map((e) => e.close())));
beforeEach(() => Object.assign(gate, { holding: false, holdInit: false, held: [], toPage: [] }));

const addPhoto = (clipped = true, name = 'Photo') =>
  sim.addDocument({
    name,
    width: PHOTO_WIDTH,
    height: PHOTO_HEIGHT,
    layers: [
      { background: true, pixels: { width: PHOTO_WIDTH, height: PHOTO_HEIGHT, data: clippedPhoto(8, clipped) } },
    ],
  });
const status = (): string => byId('hdr-preview-status').textContent;
const waitStatus = (re: RegExp): Promise<string> =>
  waitFor(() => re.test(status()) && status(), `preview status ${re}`);
/** Mean byte of what an <img> shows. */
const brightness = (id: string): number => {
  const img = sim.encodedImage(byId(id).getAttribute('src') ?? '');
  if (!img) throw new Error(`#${id} shows no encoded image`);
  return img.rgb.reduce((a, b) => a + b, 0) / img.rgb.length;
};

async function showPreview(): Promise<void> {
  await openPanel();
  sim.ui.click(byId('hdr-preview-toggle'));
  await waitStatus(/^Preview of /);
}

test('off until shown; then follows the slider’s release, the stepper, the next region; changes nothing', async () => {
  addPhoto();
  const before = snapshot();
  await openPanel();
  expect(status()).toBe('Preview is off.');
  sim.ui.click(byId('hdr-preview-toggle'));
  expect(await waitStatus(/^Preview of /)).toMatch(
    /^Preview of .+, gamma 1, 0 EV: region 1 of 2, 194×166 at \(416, 224\)\. Network \d+\.\d s, plugin \d+\.\d s\.$/,
  );
  const gamma1 = byId('hdr-preview-crop').getAttribute('src');

  const slider = byId('hdr-gamma') as unknown as { value: number; dispatchEvent(e: { type: string }): void };
  slider.value = 160;
  slider.dispatchEvent({ type: 'input' }); // dragging: no new preview
  expect(status()).toMatch(/gamma 1, /);
  sim.ui.slide(byId('hdr-gamma'), 160); // released
  await waitStatus(/gamma 1\.6, 0 EV/);
  expect(byId('hdr-preview-crop').getAttribute('src')).not.toBe(gamma1);

  const [bright, viewBright] = [brightness('hdr-preview-crop'), brightness('hdr-preview-view')];
  for (let i = 0; i < 3; i++) sim.ui.click(byId('hdr-preview-darker'));
  await waitStatus(/gamma 1\.6, −3 EV/);
  expect(byId('hdr-preview-ev').textContent).toBe('−3 EV');
  expect(brightness('hdr-preview-crop')).toBeLessThan(bright / 2);
  expect(brightness('hdr-preview-view')).toBeLessThan(viewBright);

  sim.ui.click(byId('hdr-preview-next'));
  await waitStatus(/region 2 of 2, 224×224 at \(0, 0\)/);
  expect(snapshot()).toEqual(before);
  expect(sim.localStorage.getItem('hdr-reconstruct.preview')).toBe('on');
});

test('a newer request cancels the older one’s engine work', async () => {
  addPhoto();
  await showPreview();
  gate.holding = true;
  sim.ui.slide(byId('hdr-gamma'), 120);
  await waitFor(() => gate.held.length === 1, 'the first preview tile to reach the engine');
  sim.ui.slide(byId('hdr-gamma'), 140);
  await waitFor(() => gate.held.length === 2, 'the second preview tile to reach the engine');
  const [first, second] = gate.held as Array<{ id: number }>;
  expect(gate.toPage.filter((m) => m.type === 'cancel').map((m) => m.target)).toEqual([first.id]);
  gate.holding = false;
  gate.held.forEach((m) => gate.forward(m));
  await waitStatus(/gamma 1\.4, 0 EV/);
  expect(gate.toPage.some((m) => m.type === 'cancel' && m.target === second.id)).toBe(false);
});

test('a layer with nothing near clipping says so; opening another document follows it', async () => {
  addPhoto(false, 'Flat');
  await openPanel();
  sim.ui.click(byId('hdr-preview-toggle'));
  await waitStatus(/^Nothing near clipping in “Background”/);
  expect(byId('hdr-preview-crop').parentNode!.style.display).toBe('none');
  addPhoto(true, 'Lamps'); // Photoshop's 'open' notification
  await waitStatus(/^Preview of /);
});

test('Reconstruct while a preview waits on the engine: the run wins, the preview follows it', async () => {
  addPhoto();
  await showPreview();
  gate.holding = true;
  sim.ui.slide(byId('hdr-gamma'), 120);
  await waitFor(() => gate.held.length === 1, 'the preview tile to reach the engine');
  const [held] = gate.held as Array<{ id: number }>;
  gate.holding = false;
  expect(await runFromPanel()).toMatch(/^Added “HDR Reconstruct, gamma 1\.2”/);
  expect(gate.toPage.some((m) => m.type === 'cancel' && m.target === held.id)).toBe(true);
  await waitStatus(/^Preview of /);
});

test('while the engine is still loading its model, the preview shows its progress, then the preview', async () => {
  addPhoto();
  sim.localStorage.setItem('hdr-reconstruct.preview', 'on'); // shown last session
  gate.holdInit = true;
  await openPanel({ waitForModel: false });
  await waitFor(() => gate.held.length === 2, 'the model to be offered and sent (one chunk)');
  const [init] = gate.held as Array<{ id: number }>;
  await waitFor(
    // The plugin is sending the model already: its line may be shown at once.
    () =>
      /^(Updating the preview…|Preview waits for the model\. )/.test(status()) &&
      byId('hdr-preview-toggle').textContent === 'Hide preview',
    'a preview to wait',
  );
  const MB = 1024 * 1024;
  gate.toPlugin({
    type: 'progress',
    id: init.id,
    version: PROTOCOL_VERSION,
    stage: 'download',
    loaded: 3 * MB,
    total: 12 * MB,
  });
  await waitStatus(/^Preview waits for the model\. Downloading: 3\.0 of 12\.0 MB$/);
  gate.holdInit = false;
  gate.held.forEach((m) => gate.forward(m));
  await waitStatus(/^Preview of /);
});
