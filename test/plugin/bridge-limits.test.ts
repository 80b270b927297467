/**
 * The plugin's engine traffic through the simulator's bridge (JSON text, 8 MB limit): a
 * bundled model of several chunks reaches the engine page whole, and no message comes near
 * the limit (the protocol keeps to 4 MB).
 */
import { setupPlugin } from './harness';

const { sim, byId, openPanel } = setupPlugin({ bundledModel: () => false });
import { CHUNK_BYTES } from '../../src/protocol/messages';
import { parseHdrcnnParams } from '../../src/weights/hdrcnn-structure';
import { buildHdrcnnOnnx } from '../../src/weights/onnx-builder';
import { randomHdrcnnParams } from '../../src/weights/random-params';

test('a model of several chunks goes to the panel engine in messages under 4 MB', async () => {
  const model = buildHdrcnnOnnx(parseHdrcnnParams(randomHdrcnnParams(4, 3)));
  expect(model.length).toBeGreaterThan(2 * CHUNK_BYTES);
  sim.files.addPluginFile('model/hdrcnn.onnx', model);
  await openPanel();
  expect(byId('hdr-model').textContent).toMatch(/^Ready: model shipped with the plugin, on wasm/);
  const toPage = sim.bridge.log.filter((e) => e.direction === 'toPage');
  expect(toPage.filter((e) => e.bytes > CHUNK_BYTES)).toHaveLength(Math.floor(model.length / CHUNK_BYTES));
  expect(sim.bridge.log.filter((e) => e.dropped)).toEqual([]);
  expect(Math.max(...sim.bridge.log.map((e) => e.bytes))).toBeLessThan(4 * 2 ** 20);
});
