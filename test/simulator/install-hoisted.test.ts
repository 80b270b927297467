/** install.ts with hoisted jest.mock calls: safe whatever order the imports end up in. */
import { addHdrLayer } from './fixtures/plugin-like';
import { installSimulator } from './install';

jest.mock('photoshop', () => require('./install').photoshopModule(), { virtual: true });
jest.mock('uxp', () => require('./install').uxpModule(), { virtual: true });
const { sim } = installSimulator();

test('the hoisted mocks and installSimulator share one simulator', async () => {
  const doc = sim.addDocument({ width: 1, height: 1 });
  await addHdrLayer('HDR');
  expect(sim.layerTree(doc).map((l) => l.name)).toEqual(['HDR', 'Background']);
});
