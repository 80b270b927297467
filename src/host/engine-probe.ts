/**
 * The Diagnostics bridge probe: sends text of a given size to the engine page through the `echo`
 * request and checks that the same text came back. (The page's self-test: engine-self-test.ts.)
 */
import { EngineClient } from '../protocol/client';
import { webviewEndpoint, whenLoaded, type MessageWindow, type WebviewLike } from './webview-endpoint';

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
export function bridgeProbe(
  webview: HTMLElement & WebviewLike,
  pluginWindow: MessageWindow,
  timeoutMs: number,
): BridgeProbe {
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
