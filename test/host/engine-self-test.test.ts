/** The plugin's side of the self-test: a webview on the self-test URL, its report, the webview removed. */
import { installSimulator } from '../simulator/install';
const { sim } = installSimulator();
import { pageBridge } from '../../src/engine/page-bridge';
import { runEngineSelfTest } from '../../src/host/engine-self-test';
import { ENGINE_URL, type WebviewLike } from '../../src/host/webview-endpoint';
import { PROTOCOL_VERSION } from '../../src/protocol/messages';
import type { PageScript } from '../simulator/index';

const report = {
  type: 'self-test',
  version: PROTOCOL_VERSION,
  ok: true,
  provider: 'wasm',
  adapter: 'none',
  wasmThreads: 1,
  crossOriginIsolated: false,
  ms: 900,
};

const mount = (src: string) => {
  const webview = document.createElement('webview') as unknown as HTMLElement & WebviewLike;
  webview.setAttribute('src', src);
  document.body.appendChild(webview);
  return webview;
};

it('loads the page with ?self-test on a channel of its own and resolves with its report', async () => {
  const urls: string[] = [];
  const page: PageScript = (w) => {
    urls.push(w.location.href);
    w.uxpHost.postMessage({ ...report, ok: false, channel: 'someone-else', seq: 1 }); // another webview's: not heard
    pageBridge(w.uxpHost, w.location.href).post(report);
  };
  sim.servePage(ENGINE_URL, page);
  const result = await runEngineSelfTest(mount, window as never);
  expect(result).toMatchObject(report);
  expect(urls).toEqual([expect.stringMatching(/^plugin:\/engine\/engine\.html\?channel=[\w-]+&self-test$/)]);
  expect(document.body.children).toHaveLength(0);
});

it('a page that does not load fails at once, and the webview goes', async () => {
  sim.servePage(ENGINE_URL, () => {
    throw new Error('ERR_FILE_NOT_FOUND');
  });
  await expect(runEngineSelfTest(mount, window as never)).rejects.toThrow(/the engine page did not load/);
  expect(document.body.children).toHaveLength(0);
});
