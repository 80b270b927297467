/**
 * The engine: answers the plugin's requests (src/protocol/messages.ts) with the
 * model the plugin sends in chunks and an onnxruntime-web session on WebGPU or
 * WASM. Everything host-specific comes in through {@link EngineDeps}, so the
 * page (page.ts) and Node (test/helpers/worker-engine.ts) run this same class.
 *
 * Requests are served one at a time, in arrival order (a session runs one
 * tile at a time anyway); model chunks are taken as they come, for the init
 * they belong to, queued or running. The page's own work on a tile overlaps the
 * network where the network leaves the page's thread free (WebGPU): a tile that
 * arrives while one other request is in hand is decoded at once, and a WebGPU
 * tile's answer is packed after the next queued tile has started. On WASM the
 * network holds the thread, and each answer goes out at once. `cancel` aborts an init, skips a queued tile and
 * turns a running tile's result into a 'cancelled' error: the network cannot
 * be interrupted mid-run. A WebGPU session whose device is lost, or whose run
 * fails, is replaced by a WASM session and the tile runs again there.
 */
import type { InferenceBackend, PlanarTile } from '../core/backend';
import { EngineError, ProtocolError, type ErrorCode } from '../protocol/errors';
import {
  parseRequest,
  PROTOCOL_VERSION,
  refusal,
  type Provider,
  type Request,
  type Response,
} from '../protocol/messages';
import { decodeSamples, encodeNetworkOutput, packPixels, returnedPixels } from '../protocol/payload';
import type { GpuChoice, GpuDevice } from './gpu';
import { ModelAssembly } from './model-assembly';

export interface EngineDeps {
  /** A WebGPU device, or why there is none; `allowSoftware` when the plugin asked for WebGPU by name. */
  requestGpu(allowSoftware: boolean): Promise<GpuChoice>;
  createBackend(model: Uint8Array, provider: Provider, device?: GpuDevice): Promise<InferenceBackend>;
  /** What the runtime got, asked once a session exists (onnxruntime lowers threads without isolation). */
  runtimeInfo(): { readonly wasmThreads: number; readonly crossOriginIsolated: boolean };
}

interface Session {
  readonly backend: InferenceBackend;
  readonly provider: Provider;
  /** WebGPU only: the device, and the model to rebuild on WASM if the device goes. */
  readonly device?: GpuDevice;
  readonly model?: Uint8Array;
  /** Set when the device is lost: why. */
  lost?: string;
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
type Body = DistributiveOmit<Response, 'id' | 'version'>;
type Work = Exclude<Request, { type: 'cancel' | 'model-chunk' | 'echo' }>;

/** How long a failed WebGPU run waits for its device's lost promise, to say which happened. */
const LOST_GRACE_MS = 2000;

/** Requests queued or running at once; more are refused with 'busy' (the plugin sends one tile at a time). */
export const MAX_QUEUED_REQUESTS = 32;

/** What went wrong, as text; never throws, whatever was thrown. */
const message = (e: unknown): string => {
  try {
    return e instanceof Error ? e.message : String(e);
  } catch {
    return typeof e;
  }
};
const cancelled = (): EngineError => new EngineError('cancelled', 'cancelled');

export class Engine {
  private session?: Session;
  private queue: Promise<void> = Promise.resolve();
  private readonly requests = new Map<number, AbortController>();
  /** The model of each init not yet served, by init id. */
  private readonly assemblies = new Map<number, ModelAssembly>();

  constructor(
    private readonly reply: (message: Response) => void,
    private readonly deps: EngineDeps,
  ) {}

  /** Takes one message from the plugin; never throws: anything wrong is answered with an 'error'. */
  handle(raw: unknown): void {
    try {
      this.accept(raw);
    } catch {
      // Only the bridge can fail here (reply threw): there is no one left to tell.
    }
  }

  private accept(raw: unknown): void {
    let request: Request;
    try {
      request = parseRequest(raw);
    } catch (e) {
      const { id, code } = refusal(raw);
      this.send(id ?? 0, { type: 'error', code, message: message(e) });
      return;
    }
    if (request.type === 'cancel') {
      this.requests.get(request.target)?.abort(); // cancel has no answer of its own
      this.assemblies.get(request.target)?.abort(cancelled());
      return;
    }
    if (request.type === 'model-chunk') return this.takeChunk(request);
    if (request.type === 'echo') {
      this.send(request.id, { type: 'echo', payload: request.payload }); // at once, not behind queued work
      return;
    }
    if (this.requests.size >= MAX_QUEUED_REQUESTS) {
      const text = `the engine already has ${MAX_QUEUED_REQUESTS} requests in hand; wait for their answers`;
      this.send(request.id, { type: 'error', code: 'busy', message: text });
      return;
    }
    if (request.type === 'init') {
      try {
        this.assemblies.set(request.id, new ModelAssembly(request.model));
      } catch (e) {
        this.send(request.id, {
          type: 'error',
          code: 'model',
          message: `no room for a ${request.model.bytes}-byte model: ${message(e)}`,
        });
        return;
      }
    }
    let input: Float32Array | undefined;
    if (request.type === 'run-tile' && this.requests.size <= 1) {
      // Decoded now, while the request ahead runs; at most two decoded tiles are ever held.
      try {
        input = decodeSamples(request.input);
      } catch (e) {
        this.send(request.id, { type: 'error', code: 'bad-message', message: message(e) });
        return;
      }
    }
    const controller = new AbortController();
    this.requests.set(request.id, controller);
    // serve() answers its own failures; a bridge that throws on reply has no one left to tell.
    this.queue = this.queue.then(() => this.serve(request as Work, controller.signal, input)).catch(() => undefined);
  }

  /** Adds a chunk to its init's model; a chunk that does not fit fails that init too. */
  private takeChunk(chunk: Extract<Request, { type: 'model-chunk' }>): void {
    const assembly = this.assemblies.get(chunk.target);
    if (!assembly) {
      this.send(chunk.id, {
        type: 'error',
        code: 'not-ready',
        message: `no init request ${chunk.target} is waiting for its model`,
      });
      return;
    }
    try {
      this.send(chunk.id, { type: 'chunk', index: chunk.index, received: assembly.add(chunk.index, chunk.data) });
    } catch (e) {
      assembly.abort(e as Error);
      this.send(chunk.id, { type: 'error', code: 'bad-message', message: message(e) });
    }
  }

  private send(id: number, body: Body): void {
    this.reply({ ...body, id, version: PROTOCOL_VERSION } as Response);
  }

  private async serve(request: Work, signal: AbortSignal, input?: Float32Array): Promise<void> {
    let later = false;
    try {
      if (signal.aborted) throw cancelled();
      if (request.type === 'init') await this.init(request, signal);
      else {
        const { answer, provider } = await this.runTile(request, signal, input);
        later = provider === 'webgpu';
        if (!later) return answer();
        // A task later: the queue's next tile starts first, and its GPU work runs while this answer is packed.
        setTimeout(() => {
          try {
            answer();
          } catch (e) {
            this.fail(request, signal, e);
          } finally {
            this.requests.delete(request.id);
          }
        }, 0);
      }
    } catch (e) {
      this.fail(request, signal, e);
    } finally {
      if (!later) this.requests.delete(request.id);
      this.assemblies.delete(request.id);
    }
  }

  /** Answers a failed request: its error, and for an init the model's 'failed' status first. */
  private fail(request: Work, signal: AbortSignal, e: unknown): void {
    const code: ErrorCode =
      e instanceof EngineError
        ? e.code
        : e instanceof ProtocolError
          ? 'bad-message'
          : request.type === 'init'
            ? 'model'
            : 'inference';
    const text = signal.aborted ? 'cancelled' : message(e);
    if (request.type === 'init') this.send(request.id, { type: 'model-status', state: 'failed', message: text });
    this.send(request.id, { type: 'error', code: signal.aborted ? 'cancelled' : code, message: text });
  }

  private async init(request: Extract<Request, { type: 'init' }>, signal: AbortSignal): Promise<void> {
    const { id } = request;
    const label = request.model.label;
    const bytes = await this.assemblies.get(id)!.whole;
    if (signal.aborted) throw cancelled();
    this.send(id, { type: 'model-status', state: 'loading', message: `loading ${label}` });
    const { session, reason } = await this.open(bytes, request.provider);
    if (signal.aborted) {
      await close(session);
      throw cancelled();
    }
    if (this.session) await close(this.session);
    this.session = session;
    this.send(id, { type: 'model-status', state: 'ready', message: `${label}, on ${session.provider}` });
    this.send(id, { type: 'ready', provider: session.provider, reason, model: label, ...this.deps.runtimeInfo() });
  }

  /** A session on the provider asked for, falling back to WASM with the reason why. */
  private async open(model: Uint8Array, wanted: Provider | 'auto'): Promise<{ session: Session; reason: string }> {
    if (wanted === 'wasm') return { session: await this.wasm(model), reason: 'WASM was asked for' };
    const gpu = await this.deps.requestGpu(wanted === 'webgpu');
    if ('reason' in gpu) return { session: await this.wasm(model), reason: `${gpu.reason}; using WASM` };
    try {
      const backend = await this.deps.createBackend(model, 'webgpu', gpu.device);
      const session: Session = { backend, provider: 'webgpu', device: gpu.device, model };
      void gpu.device.lost.then((info) => (session.lost = info.message || info.reason || 'unknown reason'));
      return { session, reason: `WebGPU on ${gpu.description}` };
    } catch (e) {
      gpu.device.destroy();
      return { session: await this.wasm(model), reason: `WebGPU could not load the model (${message(e)}); using WASM` };
    }
  }

  private async wasm(model: Uint8Array): Promise<Session> {
    return { backend: await this.deps.createBackend(model, 'wasm'), provider: 'wasm' };
  }

  /** The network on a tile; resolves when it has run, with the sending of its answer still to do. */
  private async runTile(
    request: Extract<Request, { type: 'run-tile' }>,
    signal: AbortSignal,
    input?: Float32Array,
  ): Promise<{ answer: () => void; provider: Provider }> {
    const session = this.session;
    if (!session) throw new EngineError('not-ready', 'no model is loaded yet: send init first');
    const { width, height, used } = request;
    const tile: PlanarTile = { width, height, data: input ?? decodeSamples(request.input), used };
    let current = session;
    let output: Float32Array;
    let notice: string | undefined;
    const started = performance.now();
    try {
      output = await compute(session, tile);
    } catch (e) {
      if (!session.model || !session.device) throw new EngineError('inference', message(e));
      // A dying device fails the run before its lost promise settles (~1 s on SwiftShader): while
      // the WASM session is made, wait a little to tell a lost device from another failure.
      const settled = Promise.race([session.device.lost, new Promise((r) => setTimeout(r, LOST_GRACE_MS))]);
      [current] = await Promise.all([this.wasm(session.model), settled]);
      this.session = current;
      notice = `${session.lost ? `the GPU device was lost (${session.lost})` : `WebGPU failed (${message(e)})`}; continuing on WASM`;
      void close(session);
      output = await current.backend.run(tile);
    }
    const networkMs = performance.now() - started;
    const answer = (): void => {
      if (output.length !== tile.data.length)
        throw new EngineError('inference', `the model gave ${output.length} values for ${tile.data.length}`);
      // Only the returned pixels travel: a broken model is refused here, where its whole answer is seen.
      let bad = 0;
      for (let i = 0; i < output.length; i++) if (!Number.isFinite(output[i])) bad++;
      if (bad) throw new EngineError('inference', `the model gave ${bad} non-finite values (NaN or Inf); it is broken`);
      if (signal.aborted) throw cancelled();
      const pixels = returnedPixels(tile);
      this.send(request.id, {
        type: 'result',
        width: tile.width,
        height: tile.height,
        pixels: pixels.length,
        output: encodeNetworkOutput(packPixels(output, pixels, tile.width * tile.height)),
        networkMs,
        provider: current.provider,
        notice,
      });
    };
    return { answer, provider: current.provider };
  }
}

/** Runs a tile; on WebGPU, fails as soon as the device is lost, even if the run never returns. */
async function compute(session: Session, tile: PlanarTile): Promise<Float32Array> {
  if (!session.device) return session.backend.run(tile);
  if (session.lost) throw new Error(`device lost: ${session.lost}`);
  const lost = session.device.lost.then((info) =>
    Promise.reject(new Error(`device lost: ${info.message || info.reason}`)),
  );
  const output = await Promise.race([session.backend.run(tile), lost]);
  // A result read back while the device went away is not trusted.
  if (session.lost) throw new Error(`device lost: ${session.lost}`);
  return output;
}

async function close(session: Session): Promise<void> {
  await session.backend.dispose().catch(() => undefined); // releasing on a lost device may fail: nothing to keep
  session.device?.destroy();
}
