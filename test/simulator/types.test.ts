/**
 * Compile-time guarantees (checked by tsc and by ts-jest's diagnostics): the simulator
 * offers only members of the published API, with its option names and constants.
 */
import { createPhotoshopSimulator } from './index';

test('misspelt or invented API members do not compile', () => {
  const { photoshop, sim } = createPhotoshopSimulator();
  const neverRun = async () => {
    const doc = sim.addDocument({ width: 1, height: 1 });
    // @ts-expect-error misspelt member
    void photoshop.app.activeDocuments;
    // @ts-expect-error not part of the imaging API
    void photoshop.imaging.getPixelData;
    // @ts-expect-error @types/photoshop 25.0.4 has no LayerKind.PIXEL (a pixel layer is NORMAL)
    void photoshop.constants.LayerKind.PIXEL;
    // @ts-expect-error history is a simulator control (sim.history), not a Document member
    void doc.history;
    // @ts-expect-error the option is commandName
    await photoshop.core.executeAsModal(async () => 1, { name: 'x' });
    // @ts-expect-error getPixels has no layerId (it is layerID)
    await photoshop.imaging.getPixels({ layerId: 1 });
    // @ts-expect-error recordAction needs its info argument
    await photoshop.action.recordAction({ name: 'a', methodName: 'b' });
    // Documented members compile, including recordAction and timeOut from src/host/photoshop-types.d.ts.
    await photoshop.action.recordAction({ name: 'a', methodName: 'b' }, {});
    await photoshop.core.executeAsModal(async (ctx) => ctx.isCancelled, { commandName: 'x', timeOut: 2 });
  };
  expect(typeof neverRun).toBe('function');
});
