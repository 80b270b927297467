/**
 * A <webview> stand-in and its message bridge, after UXP's HTMLWebViewElement
 * reference: the plugin sends with `webview.postMessage(msg)` and receives
 * `message` events on its *window* ({origin: url of the content, source: the
 * webview, data}); the page sends with `window.uxpHost.postMessage(msg)` and
 * receives `message` events on its window ({origin: plugin id, source: uxpHost}).
 * "The message is stringified & parsed by JSON": every message is JSON round-tripped
 * when sent and delivered asynchronously. No size limit is documented: the simulator
 * refuses (throws at the sender) messages whose JSON exceeds `maxMessageBytes`
 * (default 8 MB), so a test catches any oversized message. Page messages are also
 * dispatched on the webview element, where shipping webview frameworks listen.
 * A webview's `src` may carry a query (`?channel=…`): the page served for the URL
 * without it runs, and sees the whole URL. Load events: loadstart, loadstop, loaderror.
 */
import { SimEventTarget, type SimEvent, type Listener } from './events';
import { SimElement, type SimHtmlDocument } from './html';

export { SimEventTarget, type SimEvent };

/** What the page's script sees of its window: `uxpHost.postMessage` and `message` events. */
export interface WebviewPage {
  readonly location: { readonly href: string };
  readonly uxpHost: { postMessage(message: unknown): void };
  addEventListener(type: 'message', listener: Listener): void;
  removeEventListener(type: 'message', listener: Listener): void;
}

export interface BridgeLogEntry {
  direction: 'toPage' | 'toPlugin';
  bytes: number;
  dropped?: string;
}

/** The page's script, run at load with the page's window; what it returns, if a function, runs at unload. */
export type PageScript = (window: WebviewPage) => void | (() => void) | Promise<void | (() => void)>;

export interface WebviewOptions {
  src: string;
  /** The page's script (e.g. the engine running in Node). */
  page?: PageScript;
}

/**
 * A <webview> element. Created by `document.createElement('webview')` it loads its
 * `src` when it enters the document (the page script registered for that URL with
 * sim.webviewPages) and unloads when it leaves; sim.createWebview loads at once.
 */
export class SimWebview extends SimElement {
  /** Set once loadstop fired; messages posted to the page before then are dropped. */
  loaded = false;
  pageTarget = new SimEventTarget();
  readonly uxpHost = {
    postMessage: (message: unknown) =>
      this.bridge.deliver('toPlugin', message, [this.bridge.window, this], { origin: this.origin, source: this }),
  };
  private unload?: () => void;

  constructor(
    private readonly bridge: WebviewBridge,
    doc: SimHtmlDocument,
  ) {
    super(doc, 'webview');
  }

  get src(): string {
    return this.getAttribute('src') ?? '';
  }
  set src(v: string) {
    this.setAttribute('src', v);
  }
  get origin(): string {
    return originOf(this.src);
  }

  /** postMessage(message, targetOrigin?, transfer?) — transfer is "not functional yet". */
  postMessage(message: unknown, targetOrigin = '*', _transfer?: unknown): void {
    if (!this.loaded) return this.bridge.drop('toPage', message, 'page not loaded');
    if (targetOrigin !== '*' && targetOrigin !== this.origin)
      return this.bridge.drop('toPage', message, `targetOrigin ${targetOrigin}`);
    this.bridge.deliver('toPage', message, [this.pageTarget], { origin: this.bridge.pluginId, source: this.uxpHost });
  }

  /** Runs the page script; loadstart, then loadstop or loaderror, asynchronously. */
  load(script: PageScript | undefined): void {
    const src = this.src;
    const page: WebviewPage = {
      location: { href: src },
      uxpHost: this.uxpHost,
      addEventListener: (type, l) => this.pageTarget.addEventListener(type, l),
      removeEventListener: (type, l) => this.pageTarget.removeEventListener(type, l),
    };
    this.bridge.later(async () => {
      this.dispatchEvent({ type: 'loadstart', url: src });
      try {
        if (!script) throw new Error(`nothing is served at ${src}`);
        const unload = await script(page);
        if (typeof unload === 'function') this.unload = unload;
        this.loaded = true;
        this.dispatchEvent({ type: 'loadstop', url: src });
      } catch (e) {
        this.dispatchEvent({ type: 'loaderror', url: src, code: -1, message: String(e) });
      }
    });
  }

  protected override connected(): void {
    this.load(this.bridge.pages.get(this.src) ?? this.bridge.pages.get(this.src.replace(/[?#].*$/, '')));
  }

  protected override disconnected(): void {
    this.loaded = false;
    this.pageTarget = new SimEventTarget();
    const unload = this.unload;
    this.unload = undefined;
    unload?.();
  }
}

/** The simulator's bridge limit by default; the protocol keeps its messages under 4 MB. */
export const DEFAULT_MAX_MESSAGE_BYTES = 8 * 2 ** 20;

export class WebviewBridge {
  /** Messages whose JSON is longer are refused: postMessage throws and the log says so. */
  maxMessageBytes = DEFAULT_MAX_MESSAGE_BYTES;
  /** The plugin's `window`, where page messages arrive as `message` events. */
  readonly window = new SimEventTarget();
  readonly log: BridgeLogEntry[] = [];
  /** Errors thrown by message or load listeners (a browser would report, not propagate, them). */
  readonly errors: unknown[] = [];
  /** The page served at each URL, for webviews the plugin creates. */
  readonly pages = new Map<string, PageScript>();
  private pending = 0;
  /**
   * `outsideModal` runs deliveries outside any modal scope: an event comes from the
   * host's event loop, so a listener is never inside the scope of the code that
   * happened to post the message (an awaiting target function still is).
   */
  constructor(
    readonly pluginId: string,
    readonly document: SimHtmlDocument,
    private readonly outsideModal: (fn: () => void) => void = (fn) => fn(),
  ) {
    document.factories.set('webview', (doc) => new SimWebview(this, doc));
  }

  reset(): void {
    this.maxMessageBytes = DEFAULT_MAX_MESSAGE_BYTES;
    this.window.removeAllListeners();
    this.log.length = 0;
    this.errors.length = 0;
  }

  /** A webview outside the document whose page runs `options.page`, loading at once. */
  create(options: WebviewOptions): SimWebview {
    const webview = new SimWebview(this, this.document);
    webview.src = options.src;
    webview.load(options.page);
    return webview;
  }

  deliver(
    direction: BridgeLogEntry['direction'],
    message: unknown,
    targets: SimEventTarget[],
    meta: { origin: string; source: unknown },
  ): void {
    const json = JSON.stringify(message);
    const bytes = json === undefined ? 0 : Buffer.byteLength(json);
    if (bytes > this.maxMessageBytes) {
      const why = `a ${bytes}-byte message is over the bridge limit of ${this.maxMessageBytes} bytes`;
      this.log.push({ direction, bytes, dropped: why });
      this.errors.push(new Error(why));
      throw new Error(`postMessage: ${why}`);
    }
    this.log.push({ direction, bytes });
    // Each listener gets its own parse, as separate deliveries would.
    for (const target of targets) {
      const data: unknown = json === undefined ? undefined : JSON.parse(json);
      this.later(() => {
        target.dispatchEvent({ type: 'message', data, ...meta });
      });
    }
  }

  drop(direction: BridgeLogEntry['direction'], message: unknown, why: string): void {
    this.log.push({ direction, bytes: Buffer.byteLength(JSON.stringify(message) ?? ''), dropped: why });
  }

  later(fn: () => void | Promise<void>): void {
    this.pending++;
    setTimeout(
      () =>
        this.outsideModal(() => {
          void Promise.resolve()
            .then(fn)
            .catch((e: unknown) => {
              this.errors.push(e);
            })
            .finally(() => {
              this.pending--;
            });
        }),
      0,
    );
  }

  /** Resolves once every queued delivery and load sequence has run (including ones they queued). */
  async settle(): Promise<void> {
    do await new Promise((r) => setTimeout(r, 0));
    while (this.pending > 0);
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
