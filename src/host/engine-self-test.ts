/**
 * Runs the engine page's self-test (`engine.html?self-test`, src/engine/self-test.ts)
 * in a webview the caller places (a dialog, a panel corner) and resolves with the
 * report the page posts: whether the network runs in this webview, on which
 * provider and adapter, with how many WASM threads, cross-origin isolated or not.
 * The webview is removed afterwards. For the Diagnostics command.
 */
import { parseSelfTestReport, type SelfTestReport } from '../protocol/messages';
import { engineUrl, webviewEndpoint, whenLoaded, type MessageWindow, type WebviewLike } from './webview-endpoint';

declare function setTimeout(callback: () => void, ms: number): unknown;
declare function clearTimeout(handle: unknown): void;

/** Building and checking the small model takes about a second; a first WebGPU run compiles shaders. */
export const SELF_TEST_TIMEOUT_MS = 60_000;

/** `mount(src)` creates a <webview> with that src and puts it in the document. */
export async function runEngineSelfTest(
  mount: (src: string) => HTMLElement & WebviewLike,
  pluginWindow: MessageWindow,
  timeoutMs = SELF_TEST_TIMEOUT_MS,
): Promise<SelfTestReport> {
  const webview = mount(engineUrl('self-test'));
  const endpoint = webviewEndpoint(webview, pluginWindow);
  let listener!: (event: { data: unknown }) => void;
  let timer: unknown;
  try {
    const report = new Promise<SelfTestReport>((resolve, reject) => {
      listener = ({ data }) => {
        if ((data as { type?: unknown }).type !== 'self-test') return;
        try {
          resolve(parseSelfTestReport(data));
        } catch (e) {
          reject(e);
        }
      };
      endpoint.addEventListener('message', listener);
      timer = setTimeout(
        () => reject(new Error(`the engine self-test did not report within ${timeoutMs / 1000} s`)),
        timeoutMs,
      );
    });
    const loaded = whenLoaded(webview);
    // A page that fails to load never reports: say why instead of waiting for the timeout.
    return await Promise.race([report, loaded.then(() => report)]);
  } finally {
    clearTimeout(timer);
    endpoint.removeEventListener('message', listener);
    webview.remove();
  }
}
