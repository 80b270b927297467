/** install.ts: the simulator as the `photoshop` / `uxp` modules of a test file, reset before each test. */
import { installSimulator } from './install';
const { sim, photoshop } = installSimulator();
// Imported after installSimulator(): its require('photoshop') gets the simulator.
import { addHdrLayer, dataFolder, defaultExportIsTheModule } from './fixtures/plugin-like';

test('product code sees the simulator through require("photoshop") and require("uxp")', async () => {
  const doc = sim.addDocument({ width: 1, height: 1 });
  const id = await addHdrLayer('HDR');
  expect([doc.layers[0].id, doc.layers[0].name, doc.bitsPerChannel]).toEqual([
    id,
    'HDR',
    photoshop.constants.BitsPerChannelType.THIRTYTWO,
  ]);
  expect([...sim.pixels(doc, id)!.data]).toEqual([4, 2, 1, 1]);
  expect(defaultExportIsTheModule()).toBe(true);
  expect((await dataFolder()).name).toBe('PluginData');
});

test('each test starts from a fresh Photoshop; modules keep working', async () => {
  expect(photoshop.app.documents).toEqual([]);
  sim.addDocument({ width: 2, height: 2 });
  await addHdrLayer('again');
  expect(photoshop.app.activeDocument!.layers.map((l) => l.name)).toEqual(['again', 'Background']);
});

test('UXP globals: localStorage and the plugin window', () => {
  const g = globalThis as unknown as { localStorage: Storage; window: unknown };
  g.localStorage.setItem('k', 'v');
  expect(sim.localStorage.getItem('k')).toBe('v');
  expect(g.window).toBe(sim.window);
});
