/**
 * The webview as a BridgeEndpoint: out through webview.postMessage; in from the webview
 * element and the plugin window, routed by the channel in the page's URL (not by
 * event.source), each message once.
 */
import { pageBridge } from '../../src/engine/page-bridge';
import { engineUrl, webviewEndpoint, whenLoaded } from '../../src/host/webview-endpoint';
import { createPhotoshopSimulator } from '../simulator/index';
import type { SimEvent, WebviewPage } from '../simulator/index';

const echo = (page: WebviewPage) => {
  const bridge = pageBridge(page.uxpHost, page.location.href);
  page.addEventListener('message', (e: SimEvent) => bridge.post({ echo: e.data }));
};

test('messages go to the page and answers come back once; other channels are not heard; listeners can be removed', async () => {
  const { sim } = createPhotoshopSimulator();
  const [srcA, srcB] = [engineUrl(), engineUrl()];
  expect(srcA).not.toBe(srcB);
  const a = sim.createWebview({ src: srcA, page: echo });
  const b = sim.createWebview({ src: srcB, page: echo });
  await Promise.all([whenLoaded(a as unknown as HTMLElement), whenLoaded(b as unknown as HTMLElement)]);
  const endpoint = webviewEndpoint(a as never, sim.window as never);
  const heard: unknown[] = [];
  const listener = (e: { data: unknown }) => heard.push(e.data);
  endpoint.addEventListener('message', listener);
  endpoint.postMessage({ n: 1 });
  b.postMessage({ n: 2 });
  await sim.bridge.settle();
  // Delivered on the element and on the window, heard once.
  expect(heard).toEqual([{ echo: { n: 1 }, channel: expect.any(String), seq: 1 }]);
  endpoint.removeEventListener('message', listener);
  endpoint.postMessage({ n: 3 });
  await sim.bridge.settle();
  expect(heard).toHaveLength(1);
});

test('a page message without the channel stamp is not taken for the engine', async () => {
  const { sim } = createPhotoshopSimulator();
  const w = sim.createWebview({
    src: engineUrl(),
    page: (page) => page.addEventListener('message', () => page.uxpHost.postMessage({ plain: true })),
  });
  await whenLoaded(w as unknown as HTMLElement);
  const endpoint = webviewEndpoint(w as never, sim.window as never);
  const heard: unknown[] = [];
  endpoint.addEventListener('message', (e) => heard.push(e.data));
  endpoint.postMessage({});
  await sim.bridge.settle();
  expect(heard).toEqual([]);
});

test('whenLoaded rejects with the load error', async () => {
  const { sim } = createPhotoshopSimulator();
  const w = sim.createWebview({
    src: 'plugin:/missing.html',
    page: () => {
      throw new Error('404');
    },
  });
  await expect(whenLoaded(w as unknown as HTMLElement)).rejects.toThrow(
    'the engine page did not load (plugin:/missing.html: Error: 404 -1)',
  );
});
