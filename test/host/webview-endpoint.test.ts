/** The webview as a BridgeEndpoint: out through webview.postMessage, in from the plugin window, only this webview's messages. */
import { webviewEndpoint, whenLoaded } from '../../src/host/webview-endpoint';
import { createPhotoshopSimulator } from '../simulator/index';
import type { SimEvent, WebviewPage } from '../simulator/index';

const echo = (page: WebviewPage) => page.addEventListener('message', (e: SimEvent) => page.uxpHost.postMessage({ echo: e.data }));

test('messages go to the page and answers come back; other webviews are not heard; listeners can be removed', async () => {
  const { sim } = createPhotoshopSimulator();
  const a = sim.createWebview({ src: 'plugin:/a.html', page: echo });
  const b = sim.createWebview({ src: 'plugin:/b.html', page: echo });
  await Promise.all([whenLoaded(a as unknown as HTMLElement), whenLoaded(b as unknown as HTMLElement)]);
  const endpoint = webviewEndpoint(a, sim.window as never);
  const heard: unknown[] = [];
  const listener = (e: { data: unknown }) => heard.push(e.data);
  endpoint.addEventListener('message', listener);
  endpoint.postMessage({ n: 1 });
  b.postMessage({ n: 2 });
  await sim.bridge.settle();
  expect(heard).toEqual([{ echo: { n: 1 } }]);
  endpoint.removeEventListener('message', listener);
  endpoint.postMessage({ n: 3 });
  await sim.bridge.settle();
  expect(heard).toHaveLength(1);
});

test('whenLoaded rejects with the load error', async () => {
  const { sim } = createPhotoshopSimulator();
  const w = sim.createWebview({ src: 'plugin:/missing.html', page: () => { throw new Error('404'); } });
  await expect(whenLoaded(w as unknown as HTMLElement)).rejects.toThrow('the engine page did not load (plugin:/missing.html: Error: 404 -1)');
});
