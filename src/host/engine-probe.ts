/**
 * Diagnostics probes of the engine page. `engine.html?self-test` runs the page's own checks and
 * posts one SelfTestReport to window.uxpHost; the plugin hears it as a `message` event from that
 * webview. The bridge round trip sends text of a given size through the `echo` request and checks
 * that the same text came back.
 */
import { EngineClient } from '../protocol/client';
import type { SelfTestReport } from './diagnostics';
import { webviewEndpoint, whenLoaded, type MessageWindow, type WebviewLike } from './webview-endpoint';

export const SELF_TEST_QUERY = '?self-test';

const isReport = (d: unknown): d is SelfTestReport => {
  if (typeof d !== 'object' || d === null) return false;
  const r = d as Record<string, unknown>;
  const optionalText = (v: unknown): boolean => v === undefined || v === null || typeof v === 'string';
  return r.type === 'self-test' && typeof r.ok === 'boolean' && typeof r.provider === 'string' && optionalText(r.adapter)
    && typeof r.wasmThreads === 'number' && typeof r.crossOriginIsolated === 'boolean' && typeof r.ms === 'number'
    && (r.error === undefined || typeof r.error === 'string');
};

/**
 * Resolves with the self-test's report from `webview` (call before the webview enters the document,
 * so neither its load nor its message is missed); rejects when the page fails to load, answers in
 * another form, or says nothing for `timeoutMs`.
 */
export function awaitSelfTest(
  webview: HTMLElement,
  pluginWindow: MessageWindow,
  timeoutMs: number,
): Promise<SelfTestReport> {
  return new Promise((resolve, reject) => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const listener = (event: MessageEvent): void => {
      if (event.source !== (webview as unknown) || (event.data as { type?: unknown })?.type !== 'self-test') return;
      done();
      if (isReport(event.data)) resolve(event.data);
      else reject(new Error(`the self-test answered in an unknown form: ${JSON.stringify(event.data).slice(0, 80)}`));
    };
    const done = (): void => {
      clearTimeout(timer);
      pluginWindow.removeEventListener('message', listener);
    };
    pluginWindow.addEventListener('message', listener);
    timer = setTimeout(() => {
      done();
      reject(new Error(`the self-test said nothing for ${timeoutMs / 1000} s`));
    }, timeoutMs);
    whenLoaded(webview).catch((e: unknown) => {
      done();
      reject(e);
    });
  });
}

/** `bytes` characters of varied ASCII (JSON carries each as one byte). */
export function probeText(bytes: number): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  let block = '';
  for (let i = 0; i < 4096; i++) block += alphabet[(i * 7 + (i >> 6)) % alphabet.length];
  return block.repeat(Math.ceil(bytes / block.length)).slice(0, bytes);
}

export interface BridgeProbe {
  /** A round trip of `bytes` through the page's echo; rejects if it fails or comes back different. */
  roundTrip(bytes: number): Promise<void>;
  dispose(): Promise<void>;
}

/**
 * Round trips through the engine page in `webview` (call before it enters the document, so its load
 * is not missed); `timeoutMs` without an answer fails one.
 */
export function bridgeProbe(webview: HTMLElement & WebviewLike, pluginWindow: MessageWindow, timeoutMs: number): BridgeProbe {
  const loaded = whenLoaded(webview);
  loaded.catch(() => undefined); // reported by the first round trip
  const client = new EngineClient(webviewEndpoint(webview, pluginWindow), {}, { timeoutMs });
  return {
    async roundTrip(bytes) {
      await loaded;
      const sent = probeText(bytes);
      const back = await client.echo(sent);
      if (back !== sent) throw new Error(`the text came back different (${back.length} of ${bytes} characters)`);
    },
    dispose: () => client.dispose(),
  };
}
