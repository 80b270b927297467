/**
 * A <webview> stand-in and its message bridge, after UXP's HTMLWebViewElement
 * reference: the plugin sends with `webview.postMessage(msg)` and receives
 * `message` events on its *window* ({origin: url of the content, source: the
 * webview, data}); the page sends with `window.uxpHost.postMessage(msg)` and
 * receives `message` events on its window ({origin: plugin id, source: uxpHost}).
 * "The message is stringified & parsed by JSON": every message is JSON round-tripped
 * when sent and delivered asynchronously. Load events: loadstart, loadstop, loaderror.
 */
export interface SimEvent { readonly type: string; readonly [key: string]: unknown }
type Listener = ((event: SimEvent) => void) | { handleEvent(event: SimEvent): void };

/** A minimal EventTarget (addEventListener / removeEventListener / dispatchEvent). */
export class SimEventTarget {
  private listeners = new Map<string, Set<Listener>>();
  addEventListener(type: string, listener: Listener): void {
    if (!this.listeners.has(type)) this.listeners.set(type, new Set());
    this.listeners.get(type)!.add(listener);
  }
  removeEventListener(type: string, listener: Listener): void { this.listeners.get(type)?.delete(listener); }
  dispatchEvent(event: SimEvent): boolean {
    const errors: unknown[] = [];
    for (const l of [...(this.listeners.get(event.type) ?? [])]) {
      try {
        if (typeof l === 'function') l.call(this, event); else l.handleEvent(event);
      } catch (e) {
        errors.push(e); // every listener runs, as in a browser; the first error is rethrown after
      }
    }
    if (errors.length) throw errors[0];
    return true;
  }
  removeAllListeners(): void { this.listeners.clear(); }
}

/** What the page's script sees of its window: `uxpHost.postMessage` and `message` events. */
export interface WebviewPage {
  readonly location: { readonly href: string };
  readonly uxpHost: { postMessage(message: unknown): void };
  addEventListener(type: 'message', listener: Listener): void;
  removeEventListener(type: 'message', listener: Listener): void;
}

export interface BridgeLogEntry { direction: 'toPage' | 'toPlugin'; bytes: number; dropped?: string }

export interface WebviewOptions {
  src: string;
  /** The page's script, run at load with the page window (e.g. the engine running in Node). */
  page?: (window: WebviewPage) => void | Promise<void>;
}

export class SimWebview extends SimEventTarget {
  /** Set once loadstop fired; messages posted to the page before then are dropped. */
  loaded = false;
  constructor(private readonly bridge: WebviewBridge, readonly src: string, readonly pageTarget: SimEventTarget, readonly uxpHost: { postMessage(message: unknown): void }) {
    super();
  }
  get origin(): string { return originOf(this.src); }

  /** postMessage(message, targetOrigin?, transfer?) — transfer is "not functional yet". */
  postMessage(message: unknown, targetOrigin = '*', _transfer?: unknown): void {
    if (!this.loaded) return this.bridge.drop('toPage', message, 'page not loaded');
    if (targetOrigin !== '*' && targetOrigin !== this.origin) return this.bridge.drop('toPage', message, `targetOrigin ${targetOrigin}`);
    this.bridge.deliver('toPage', message, this.pageTarget, { origin: this.bridge.pluginId, source: this.uxpHost });
  }
}

export class WebviewBridge {
  /** The plugin's `window`, where page messages arrive as `message` events. */
  readonly window = new SimEventTarget();
  readonly log: BridgeLogEntry[] = [];
  /** Errors thrown by message or load listeners (a browser would report, not propagate, them). */
  readonly errors: unknown[] = [];
  private pending = 0;
  /**
   * `outsideModal` runs deliveries outside any modal scope: an event comes from the
   * host's event loop, so a listener is never inside the scope of the code that
   * happened to post the message (an awaiting target function still is).
   */
  constructor(readonly pluginId: string, private readonly outsideModal: (fn: () => void) => void = (fn) => fn()) {}

  reset(): void {
    this.window.removeAllListeners();
    this.log.length = 0;
    this.errors.length = 0;
  }

  /** Creates a webview whose page runs `options.page`; loadstart/loadstop (or loaderror) follow asynchronously. */
  create(options: WebviewOptions): SimWebview {
    const pageTarget = new SimEventTarget();
    const uxpHost = { postMessage: (message: unknown) => this.deliver('toPlugin', message, this.window, { origin: webview.origin, source: webview }) };
    const webview = new SimWebview(this, options.src, pageTarget, uxpHost);
    const page: WebviewPage = {
      location: { href: options.src }, uxpHost,
      addEventListener: (type, l) => pageTarget.addEventListener(type, l),
      removeEventListener: (type, l) => pageTarget.removeEventListener(type, l),
    };
    this.later(async () => {
      webview.dispatchEvent({ type: 'loadstart', url: options.src });
      try {
        await options.page?.(page);
        webview.loaded = true;
        webview.dispatchEvent({ type: 'loadstop', url: options.src });
      } catch (e) {
        webview.dispatchEvent({ type: 'loaderror', url: options.src, code: -1, message: String(e) });
      }
    });
    return webview;
  }

  deliver(direction: BridgeLogEntry['direction'], message: unknown, target: SimEventTarget, meta: { origin: string; source: unknown }): void {
    const json = JSON.stringify(message);
    this.log.push({ direction, bytes: json === undefined ? 0 : Buffer.byteLength(json) });
    const data: unknown = json === undefined ? undefined : JSON.parse(json);
    this.later(() => { target.dispatchEvent({ type: 'message', data, ...meta }); });
  }

  drop(direction: BridgeLogEntry['direction'], message: unknown, why: string): void {
    this.log.push({ direction, bytes: Buffer.byteLength(JSON.stringify(message) ?? ''), dropped: why });
  }

  private later(fn: () => void | Promise<void>): void {
    this.pending++;
    setTimeout(() => this.outsideModal(() => {
      void Promise.resolve().then(fn).catch((e: unknown) => { this.errors.push(e); }).finally(() => { this.pending--; });
    }), 0);
  }

  /** Resolves once every queued delivery and load sequence has run (including ones they queued). */
  async settle(): Promise<void> {
    do await new Promise((r) => setTimeout(r, 0)); while (this.pending > 0);
  }
}

function originOf(src: string): string {
  try {
    const u = new URL(src);
    return u.origin !== 'null' ? u.origin : `${u.protocol}`;
  } catch {
    return src;
  }
}
