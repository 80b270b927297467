/**
 * A UXP <webview> as the EngineClient's BridgeEndpoint (HTMLWebViewElement docs:
 * the plugin sends with `webview.postMessage(msg)`; the page's messages arrive as
 * `message` events on the plugin's `window`, with `source` the webview element and
 * `data` the JSON-parsed message). Only events from this webview are passed on, so
 * a panel engine and a dialog engine never hear each other.
 */
import type { BridgeEndpoint } from '../protocol/client';

type Listener = (event: { data: unknown }) => void;

export interface MessageWindow {
  addEventListener(type: 'message', listener: (event: MessageEvent) => void): void;
  removeEventListener(type: 'message', listener: (event: MessageEvent) => void): void;
}

export interface WebviewLike {
  postMessage(message: unknown, targetOrigin?: string): void;
}

export function webviewEndpoint(webview: WebviewLike, pluginWindow: MessageWindow): BridgeEndpoint {
  const wrapped = new Map<Listener, (event: MessageEvent) => void>();
  return {
    postMessage: (message) => webview.postMessage(message),
    addEventListener(_type, listener) {
      const filter = (event: MessageEvent): void => {
        if (event.source === (webview as unknown)) listener({ data: event.data });
      };
      wrapped.set(listener, filter);
      pluginWindow.addEventListener('message', filter);
    },
    removeEventListener(_type, listener) {
      const filter = wrapped.get(listener);
      if (filter) pluginWindow.removeEventListener('message', filter);
      wrapped.delete(listener);
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
      else reject(new Error(`the engine page did not load (${e.url ?? ''}: ${e.message ?? 'error'} ${e.code ?? ''})`.replace(/\s+\)/, ')')));
    };
    webview.addEventListener('loadstop', done);
    webview.addEventListener('loaderror', done);
  });
}
