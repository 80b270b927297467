/** The simulated webview bridge: JSON text both ways, and a size limit that makes the sender fail. */
import { createPhotoshopSimulator } from './index';
import type { SimEvent } from './index';

test('messages arrive JSON round-tripped, both ways', async () => {
  const { sim } = createPhotoshopSimulator();
  const atPage: unknown[] = [];
  const w = sim.createWebview({
    src: 'plugin:/page.html?channel=x',
    page: (page) =>
      page.addEventListener(
        'message',
        (e: SimEvent) => (atPage.push(e.data), page.uxpHost.postMessage({ back: new Uint8Array([7]) })),
      ),
  });
  const atPlugin: unknown[] = [];
  sim.window.addEventListener('message', (e: SimEvent) => atPlugin.push(e.data));
  await sim.bridge.settle();
  w.postMessage({ bytes: new Float32Array([0.5]), when: new Date(0), skip: undefined });
  await sim.bridge.settle();
  expect(atPage).toEqual([{ bytes: { 0: 0.5 }, when: '1970-01-01T00:00:00.000Z' }]);
  expect(atPlugin).toEqual([{ back: { 0: 7 } }]);
});

test('a message over the limit is refused at the sender and logged; the limit can be set', async () => {
  const { sim } = createPhotoshopSimulator();
  const w = sim.createWebview({ src: 'plugin:/page.html', page: () => undefined });
  await sim.bridge.settle();
  expect(() => w.postMessage({ text: 'x'.repeat(8 * 2 ** 20) })).toThrow(/over the bridge limit of 8388608 bytes/);
  sim.bridge.maxMessageBytes = 1000;
  expect(() => w.uxpHost.postMessage({ text: 'x'.repeat(1000) })).toThrow(
    /1011-byte message is over the bridge limit of 1000 bytes/,
  );
  w.postMessage({ text: 'x'.repeat(900) });
  expect(sim.bridge.log.map((e) => [e.direction, e.bytes, Boolean(e.dropped)])).toEqual([
    ['toPage', 8388619, true],
    ['toPlugin', 1011, true],
    ['toPage', 911, false],
  ]);
});
