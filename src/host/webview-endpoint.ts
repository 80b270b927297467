/**
 * A UXP <webview> as the EngineClient's BridgeEndpoint. The plugin sends with
 * `webview.postMessage(msg)`; the page's messages ("stringified & parsed by JSON",
 * HTMLWebViewElement docs) are heard on the webview element itself, as shipping
 * webview frameworks listen, and on the plugin's window, as the docs' example
 * does. Which webview a message is from is told by the channel stamp the page puts
 * on it (src/protocol/channel.ts; the channel is in the page's URL), not by
 * `event.source`, which may be a wrapper; a message heard on both counts once.
 */
import { CHANNEL_PARAM, channelOf, newChannel, readStamp } from '../protocol/channel';
import type { BridgeEndpoint } from '../protocol/client';

type Listener = (event: { data: unknown }) => void;

export interface MessageWindow {
  addEventListener(type: 'message', listener: (event: MessageEvent) => void): void;
  removeEventListener(type: 'message', listener: (event: MessageEvent) => void): void;
}

export interface WebviewLike extends MessageWindow {
  postMessage(message: unknown, targetOrigin?: string): void;
  getAttribute(name: string): string | null;
}

/** dist/engine/engine.html, bundled with the plugin. */
export const ENGINE_URL = 'plugin:/engine/engine.html';

/** The engine page's URL with a fresh channel, and `extra` query flags (e.g. 'self-test'). */
export const engineUrl = (extra?: string): string =>
  `${ENGINE_URL}?${CHANNEL_PARAM}=${newChannel(Date.now())}${extra ? `&${extra}` : ''}`;

export function webviewEndpoint(webview: WebviewLike, pluginWindow: MessageWindow): BridgeEndpoint {
  const channel = channelOf(webview.getAttribute('src') ?? '');
  const listeners = new Set<Listener>();
  let lastSeq = 0;
  const hear = (event: MessageEvent): void => {
    const stamped = readStamp(event.data);
    if (!stamped || stamped.stamp.channel !== channel || stamped.stamp.seq <= lastSeq) return;
    lastSeq = stamped.stamp.seq;
    listeners.forEach((listener) => listener({ data: stamped.message }));
  };
  return {
    postMessage: (message) => webview.postMessage(message),
    addEventListener(_type, listener) {
      if (!listeners.size) [webview, pluginWindow].forEach((target) => target.addEventListener('message', hear));
      listeners.add(listener);
    },
    removeEventListener(_type, listener) {
      listeners.delete(listener);
      if (!listeners.size) [webview, pluginWindow].forEach((target) => target.removeEventListener('message', hear));
    },
  };
}

/** Resolves once the webview's page has loaded (loadstop); rejects on loaderror. */
export function whenLoaded(webview: HTMLElement): Promise<void> {
  return new Promise((resolve, reject) => {
    const done = (event: Event): void => {
      webview.removeEventListener('loadstop', done);
      webview.removeEventListener('loaderror', done);
      const e = event as Event & { url?: string; code?: number; message?: string };
      if (event.type === 'loadstop') resolve();
      else
        reject(
          new Error(
            `the engine page did not load (${e.url ?? ''}: ${e.message ?? 'error'} ${e.code ?? ''})`.replace(
              /\s+\)/,
              ')',
            ),
          ),
        );
    };
    webview.addEventListener('loadstop', done);
    webview.addEventListener('loaderror', done);
  });
}
