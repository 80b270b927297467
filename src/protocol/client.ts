/**
 * The plugin's side of the engine protocol: an {@link InferenceBackend} whose
 * tiles run in the engine page. Host-free: it talks to anything shaped like a
 * {@link BridgeEndpoint} (the UXP `<webview>` element, the Node wiring in the
 * tests, a browser test harness). Every request gets its own id; answers for
 * ids no longer pending (cancelled, timed out) are dropped.
 */
import type { InferenceBackend, PlanarTile } from '../core/backend';
import type { CancelSignal } from '../core/cancellation';
import { EngineError } from './errors';
import { sha256Hex } from './checksum';
import {
  CHUNK_BYTES,
  parseResponse,
  PROTOCOL_VERSION,
  refusal,
  type ModelState,
  type ProgressStage,
  type Provider,
  type Request,
  type Response,
} from './messages';
import { decodeNetworkOutput, encodeBytes, encodeSamples, expandPixels, returnedPixels } from './payload';

// The host-free build has no DOM or Node typings; every host has these two.
declare function setTimeout(callback: () => void, ms: number): unknown;
declare function clearTimeout(handle: unknown): void;

/** What both a UXP <webview> element and the page's window/uxpHost look like for messaging. */
export interface BridgeEndpoint {
  postMessage(message: unknown): void;
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
  removeEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
}

export interface EngineEvents {
  onModelStatus?(state: ModelState, message: string): void;
  onProgress?(stage: ProgressStage, loaded: number, total: number): void;
  /** Something the user should know that is not an error, e.g. "GPU lost, continuing on WASM". */
  onNotice?(message: string): void;
}

/**
 * Model chunks sent before the oldest is acknowledged: hides the bridge's round trip while
 * bounding what it holds (3 × 4 MB of JSON) and what a refused init wastes.
 */
export const CHUNKS_IN_FLIGHT = 3;

/** No word from the engine for this long fails the request; progress, status and other requests' answers count. */
export const DEFAULT_TIMEOUT_MS = 120_000;

/** Where the silence timers come from: the platform's by default, a test's clock otherwise. */
export interface Timers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

// Looked up at each call, so jest's fake timers apply too.
const PLATFORM_TIMERS: Timers = {
  setTimeout: (callback, ms) => {
    const handle = setTimeout(callback, ms);
    // In Node (tests, tools) a watchdog alone must not keep the process alive for two minutes.
    (handle as { unref?: () => void }).unref?.();
    return handle;
  },
  clearTimeout: (handle) => clearTimeout(handle),
};

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
type RequestBody = DistributiveOmit<Exclude<Request, { type: 'cancel' }>, 'id' | 'version'>;
type Answer<T extends Response['type']> = Extract<Response, { type: T }>;

/** An ONNX model the plugin provisioned, to load into the engine page. */
export interface EngineModel {
  readonly label: string;
  readonly bytes: Uint8Array;
  /** SHA-256 hex of bytes when already known (the cache keeps it); computed otherwise. */
  readonly sha256?: string;
}

export interface ReadyInfo {
  readonly provider: Provider;
  readonly reason: string;
  readonly model: string;
  readonly wasmThreads: number;
  readonly crossOriginIsolated: boolean;
}

interface Pending {
  readonly expect: Response['type'];
  resolve(response: Response): void;
  reject(error: EngineError): void;
  timer: unknown;
  /** Unhooks the request from its abort signal. */
  unhook(): void;
}

const cancelled = (): EngineError => new EngineError('cancelled', 'cancelled');

export class EngineClient implements InferenceBackend {
  private nextId = 1; // 0 is what the engine uses for messages it cannot attribute
  private readonly pending = new Map<number, Pending>();
  private provider?: Provider;
  private readonly timeoutMs: number;
  private readonly timers: Timers;
  private readonly listener = (event: { data: unknown }): void => this.receive(event.data);

  constructor(
    private readonly endpoint: BridgeEndpoint,
    private readonly events: EngineEvents = {},
    options: { timeoutMs?: number; timers?: Timers } = {},
  ) {
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.timers = options.timers ?? PLATFORM_TIMERS;
    endpoint.addEventListener('message', this.listener);
  }

  get name(): string {
    return `onnxruntime-web (${this.provider ?? 'not ready'})`;
  }

  /**
   * Sends init and the model in chunks, at most CHUNKS_IN_FLIGHT unacknowledged at a time; resolves
   * when the engine is ready; rejects with EngineError(code, message), 'cancelled' when `signal`
   * aborts (the engine is told to stop, and no further chunk is sent).
   */
  async init(model: EngineModel, provider: Provider | 'auto' = 'auto', signal?: CancelSignal): Promise<ReadyInfo> {
    const { bytes, label } = model;
    const chunks = Math.ceil(bytes.length / CHUNK_BYTES);
    const offer = { label, bytes: bytes.length, chunks, sha256: model.sha256 ?? sha256Hex(bytes) };
    const { id, answer } = this.start({ type: 'init', model: offer, provider }, 'ready', signal);
    const settled = answer.then(
      () => 'settled' as const,
      () => 'settled' as const,
    );
    if (!signal?.aborted) this.events.onModelStatus?.('loading', `sending ${label} to the engine`);
    const inFlight: Array<{ id: number; answer: Promise<Answer<'chunk'>> }> = [];
    try {
      for (let index = 0; !signal?.aborted && (index < chunks || inFlight.length); index++) {
        if (index < chunks) {
          const data = encodeBytes(bytes.subarray(index * CHUNK_BYTES, (index + 1) * CHUNK_BYTES));
          const chunk = this.start({ type: 'model-chunk', target: id, index, data }, 'chunk');
          chunk.answer.catch(() => undefined); // seen when its turn comes; until then it must not count as unhandled
          inFlight.push(chunk);
          if (inFlight.length < CHUNKS_IN_FLIGHT && index < chunks - 1) continue;
        }
        const oldest = inFlight.shift()!;
        const first = await Promise.race([oldest.answer, settled]);
        if (first === 'settled') {
          // The engine answered the init early (it failed, or never needed the rest), or it was cancelled.
          this.settle(oldest.id);
          break;
        }
        this.events.onProgress?.('transfer', first.received, bytes.length);
      }
    } catch (e) {
      // The init's own answer, if it failed first, says more than its chunk's.
      this.abandon(id, e instanceof EngineError ? e : new EngineError('bad-message', String(e)));
    } finally {
      inFlight.forEach((chunk) => this.settle(chunk.id));
    }
    const ready = await answer;
    this.provider = ready.provider;
    const { provider: got, reason, wasmThreads, crossOriginIsolated } = ready;
    return { provider: got, reason, model: ready.model, wasmThreads, crossOriginIsolated };
  }

  /**
   * Runs a tile in the engine page; when `signal` aborts it rejects with EngineError('cancelled') and the page
   * drops the tile. The answer holds the network's values where the blend reads them (returnedPixels, within
   * `tile.used`), on the log grid of payload.ts, zeros elsewhere.
   */
  async run(tile: PlanarTile, signal?: CancelSignal): Promise<Float32Array> {
    const input = encodeSamples(tile.data, { width: tile.width, planes: 3 });
    const used = tile.used ? { used: tile.used } : {};
    const result = await this.request(
      { type: 'run-tile', width: tile.width, height: tile.height, input, ...used },
      'result',
      signal,
    );
    if (result.width !== tile.width || result.height !== tile.height) {
      throw new EngineError(
        'bad-message',
        `the engine answered a ${tile.width}×${tile.height} tile with ${result.width}×${result.height}`,
      );
    }
    if (result.notice) this.events.onNotice?.(result.notice);
    this.provider = result.provider;
    const pixels = returnedPixels(tile);
    if (result.pixels !== pixels.length) {
      throw new EngineError(
        'bad-message',
        `the engine returned ${result.pixels} pixels of the ${pixels.length} asked for`,
      );
    }
    try {
      return expandPixels(decodeNetworkOutput(result.output), pixels, tile.width * tile.height);
    } catch (e) {
      throw new EngineError('bad-message', `malformed result from the engine page: ${(e as Error).message}`);
    }
  }

  /** Diagnostics: sends `payload` and resolves with what came back (a bridge round trip). */
  async echo(payload: string): Promise<string> {
    return (await this.request({ type: 'echo', payload }, 'echo')).payload;
  }

  /** Sends cancel for every pending request; they reject with EngineError('cancelled'). */
  cancelAll(): void {
    for (const id of [...this.pending.keys()]) this.abandon(id, cancelled());
  }

  /** Removes the listener and rejects whatever is pending; the client is unusable afterwards. */
  async dispose(): Promise<void> {
    for (const id of [...this.pending.keys()])
      this.abandon(id, new EngineError('cancelled', 'the engine client was disposed'));
    this.endpoint.removeEventListener('message', this.listener);
    this.provider = undefined;
  }

  private request<T extends Response['type']>(body: RequestBody, expect: T, signal?: CancelSignal): Promise<Answer<T>> {
    return this.start(body, expect, signal).answer;
  }

  /** Sends a request; its id (for messages that refer to it) and its answer. An aborted signal sends nothing. */
  private start<T extends Response['type']>(
    body: RequestBody,
    expect: T,
    signal?: CancelSignal,
  ): { id: number; answer: Promise<Answer<T>> } {
    if (signal?.aborted) return { id: -1, answer: Promise.reject(cancelled()) };
    const id = this.nextId++;
    const answer = new Promise<Answer<T>>((resolve, reject) => {
      const onAbort = (): void => this.abandon(id, cancelled());
      const unhook = (): void => signal?.removeEventListener('abort', onAbort);
      const entry: Pending = { expect, resolve: resolve as (r: Response) => void, reject, timer: undefined, unhook };
      this.pending.set(id, entry);
      signal?.addEventListener('abort', onAbort);
      this.touch(id, entry);
      try {
        this.endpoint.postMessage({ ...body, id, version: PROTOCOL_VERSION });
      } catch (e) {
        this.settle(id);
        const why = e instanceof Error ? e.message : String(e);
        reject(new EngineError('not-ready', `the engine page cannot be reached: ${why}`));
      }
    });
    return { id, answer };
  }

  /** (Re)starts the silence timer of a pending request. */
  private touch(id: number, entry: Pending): void {
    this.timers.clearTimeout(entry.timer);
    entry.timer = this.timers.setTimeout(
      () =>
        this.abandon(id, new EngineError('timeout', `the engine page did not answer for ${this.timeoutMs / 1000} s`)),
      this.timeoutMs,
    );
  }

  /** Rejects a pending request and tells the engine to stop working on it. */
  private abandon(id: number, error: EngineError): void {
    const entry = this.settle(id);
    if (!entry) return;
    entry.reject(error);
    this.endpoint.postMessage({ type: 'cancel', id: this.nextId++, version: PROTOCOL_VERSION, target: id });
  }

  /** Removes a pending request; returns it, or undefined if it was not pending. */
  private settle(id: number): Pending | undefined {
    const entry = this.pending.get(id);
    if (!entry) return undefined;
    this.timers.clearTimeout(entry.timer);
    entry.unhook();
    this.pending.delete(id);
    return entry;
  }

  private receive(raw: unknown): void {
    let message: Response;
    try {
      message = parseResponse(raw);
    } catch (e) {
      const { id, code } = refusal(raw);
      const error = new EngineError(code, `malformed message from the engine page: ${(e as Error).message}`);
      if (id !== undefined && this.pending.has(id)) this.settle(id)!.reject(error);
      else this.events.onNotice?.(error.message);
      return;
    }
    const entry = this.pending.get(message.id);
    if (!entry) return;
    // Any word restarts every silence timer: the page serves requests in turn, so a tile queued
    // behind another (the fixed plan sends the next one early) waits for that one's time as well as its own.
    for (const [id, other] of this.pending) this.touch(id, other);
    switch (message.type) {
      case 'model-status':
        this.events.onModelStatus?.(message.state, message.message);
        return;
      case 'progress':
        this.events.onProgress?.(message.stage, message.loaded, message.total);
        return;
      case 'error':
        this.settle(message.id)!.reject(new EngineError(message.code, message.message));
        return;
      default:
        this.settle(message.id);
        if (message.type === entry.expect) entry.resolve(message);
        else
          entry.reject(
            new EngineError(
              'bad-message',
              `the engine answered a request with '${message.type}', expected '${entry.expect}'`,
            ),
          );
    }
  }
}
