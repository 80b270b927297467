/**
 * The plugin ⇄ engine-page protocol: every message both sides exchange, in
 * one place that both import. Messages are plain JSON-safe objects (the UXP
 * webview bridge documents no binary transfer), so pixel payloads travel as
 * base64 (see ./payload: the input as a palette when it can be, the answer only where the blend reads it). Every message names the
 * protocol version it speaks; {@link parseRequest} and {@link parseResponse}
 * validate whatever arrives and throw {@link ProtocolError} for anything else.
 *
 * Flow: the plugin provisions the ONNX model itself (src/host), then sends
 * `init` with a {@link ModelOffer} and the model in numbered `model-chunk`
 * messages (each answered by `chunk`); the engine checks the whole against the
 * offer's SHA-256 and answers `ready` or `error`. Then one `run-tile` per
 * network window (answered by `result` or `error`). `cancel` names the id of a
 * pending request. `echo` (Diagnostics) is answered at once with the same
 * text. The plugin drives the tiling loop of the shared core; the engine only
 * runs the network. `engine.html?self-test` posts one {@link SelfTestReport}
 * instead.
 */
import { ERROR_CODES, ProtocolError, type ErrorCode } from './errors';
import type { Rect } from '../core/image';
import {
  base64Length,
  deflatedBase64Length,
  INDEX_BYTES,
  PALETTE_SIZES,
  type EncodedFloat32,
  type EncodedOutput,
  type EncodedSamples,
} from './payload';

/**
 * 2: the model arrives in chunks from the plugin (no download in the page); `chunk`, `echo`, self-test.
 * 3: compact pixels: `run-tile` input as a palette when it can be, `result` only the returned pixels.
 * 4: palette indices and answers deflated, answers on a log grid (`log-q24`), `run-tile` names the part it reads
 *    (`used`), `result` says how long the network took (`networkMs`).
 */
export const PROTOCOL_VERSION = 4;

/**
 * Model bytes per `model-chunk`: its base64 (4/3 the size) plus the envelope stays under 4 MB,
 * the most one bridge message carries here (no limit is documented; messages are JSON text).
 */
export const CHUNK_BYTES = 3_000_000;
/**
 * The largest tile either side accepts: 2048² (WASM runs at most about 1024², and the plugin sends
 * 320² windows). Deflated payloads are small whatever they declare, so this, not the message's
 * length, bounds what a message can make the reader allocate (a 4 MP tile: 25 MB of 16-bit indices).
 */
export const MAX_TILE_PIXELS = 2 ** 22;
/** Larger than any HDRCNN model (fp32 full width: ~118 MB); bounds what an offer can make the page allocate. */
export const MAX_MODEL_BYTES = 512 * 2 ** 20;

// Each value list is written once: the type and the run-time check both come from it.
/** Which official weights: clean inputs, or trained with JPEG artefacts. */
export const WEIGHTS_VARIANTS = ['clean', 'jpeg'] as const;
export type WeightsVariant = (typeof WEIGHTS_VARIANTS)[number];
export const PROVIDERS = ['webgpu', 'wasm'] as const;
export type Provider = (typeof PROVIDERS)[number];
const PROVIDER_CHOICES = ['auto', ...PROVIDERS] as const;
const PROGRESS_STAGES = ['download', 'convert', 'transfer'] as const;
export type ProgressStage = (typeof PROGRESS_STAGES)[number];

/** What `init` announces: an ONNX model of `bytes` bytes, in `chunks` chunks of CHUNK_BYTES (the last shorter). */
export interface ModelOffer {
  /** Where it came from, for the panel's model line. */
  readonly label: string;
  readonly bytes: number;
  readonly chunks: number;
  /** Of the whole model, lower-case hex. */
  readonly sha256: string;
}

export type Request =
  | {
      readonly type: 'init';
      readonly id: number;
      readonly version: number;
      readonly model: ModelOffer;
      /** 'auto': WebGPU when the page has an adapter, else WASM. */
      readonly provider: Provider | 'auto';
    }
  | {
      readonly type: 'run-tile';
      readonly id: number;
      readonly version: number;
      readonly width: number;
      readonly height: number;
      readonly input: EncodedSamples;
      /** The part of the tile whose answer the plugin reads (tile coordinates); unset: all of it. */
      readonly used?: Rect;
    }
  /** Part `index` of the model announced by the init request `target`, as base64. */
  | {
      readonly type: 'model-chunk';
      readonly id: number;
      readonly version: number;
      readonly target: number;
      readonly index: number;
      readonly data: string;
    }
  | { readonly type: 'cancel'; readonly id: number; readonly version: number; readonly target: number }
  /** Diagnostics: the page answers with the same text at once (a bridge round trip of that size). */
  | { readonly type: 'echo'; readonly id: number; readonly version: number; readonly payload: string };

/** 'loading': the model is on its way to the engine page, or being loaded there. */
export const MODEL_STATES = ['bundled', 'cached', 'downloading', 'converting', 'loading', 'ready', 'failed'] as const;
export type ModelState = (typeof MODEL_STATES)[number];

export type Response =
  | {
      readonly type: 'model-status';
      readonly id: number;
      readonly version: number;
      readonly state: ModelState;
      readonly message: string;
    }
  | {
      readonly type: 'progress';
      readonly id: number;
      readonly version: number;
      readonly stage: ProgressStage;
      readonly loaded: number;
      readonly total: number;
    }
  | {
      readonly type: 'ready';
      readonly id: number;
      readonly version: number;
      readonly provider: Provider;
      /** Why this provider, e.g. "no WebGPU adapter". */
      readonly reason: string;
      /** Where the model came from, for the panel's model line. */
      readonly model: string;
      /** WASM threads the runtime got: more than 1 needs a cross-origin isolated page. */
      readonly wasmThreads: number;
      readonly crossOriginIsolated: boolean;
    }
  /** A model chunk arrived whole; `received` bytes of the model so far. */
  | {
      readonly type: 'chunk';
      readonly id: number;
      readonly version: number;
      readonly index: number;
      readonly received: number;
    }
  | {
      readonly type: 'result';
      readonly id: number;
      readonly version: number;
      readonly width: number;
      readonly height: number;
      /** Pixels the output holds: those `returnedPixels` picks from the input, in order. */
      readonly pixels: number;
      /** The network's values at those pixels, planar (all R, then G, then B). */
      readonly output: EncodedOutput;
      /** The network's own time on this tile, in the page (what the bridge and the codecs add is the rest). */
      readonly networkMs: number;
      readonly provider: Provider;
      /** Set when the engine changed provider while running this tile (e.g. GPU device lost). */
      readonly notice?: string;
    }
  | {
      readonly type: 'error';
      readonly id: number;
      readonly version: number;
      readonly code: ErrorCode;
      readonly message: string;
    }
  | { readonly type: 'echo'; readonly id: number; readonly version: number; readonly payload: string };

/** What `engine.html?self-test` posts (see src/engine/self-test.ts); not an answer to any request. */
export interface SelfTestReport {
  readonly type: 'self-test';
  readonly version: number;
  readonly ok: boolean;
  readonly provider: Provider;
  /** The WebGPU adapter used, or why there was none. */
  readonly adapter: string;
  readonly wasmThreads: number;
  readonly crossOriginIsolated: boolean;
  /** Time to build, load and run the test model and check it. */
  readonly ms: number;
  readonly error?: string;
}

type Obj = Record<string, unknown>;

function object(v: unknown, what: string): Obj {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new ProtocolError(`${what} must be an object`);
  return v as Obj;
}

/** A short sketch of any value for a message; never throws (BigInt, cycles, hostile getters). */
function preview(v: unknown): string {
  try {
    return String(JSON.stringify(v)).slice(0, 40); // undefined → 'undefined'
  } catch {
    return typeof v;
  }
}

function field<T>(o: Obj, key: string, check: (v: unknown) => v is T, expected: string): T {
  const v = o[key];
  if (!check(v)) {
    const type = typeof o.type === 'string' ? o.type.slice(0, 40) : preview(o.type);
    throw new ProtocolError(`'${type}' message: '${key}' must be ${expected}, got ${preview(v)}`);
  }
  return v;
}

const isInt = (v: unknown): v is number => Number.isSafeInteger(v);
const isSize = (v: unknown): v is number => isInt(v) && v > 0 && v <= 65536;
const isCount = (v: unknown): v is number => isInt(v) && v >= 0;
const isString = (v: unknown): v is string => typeof v === 'string';
const isBoolean = (v: unknown): v is boolean => typeof v === 'boolean';
const isSha256 = (v: unknown): v is string => typeof v === 'string' && /^[0-9a-f]{64}$/.test(v);
const oneOf =
  <T extends string>(values: readonly T[]) =>
  (v: unknown): v is T =>
    values.includes(v as T);
/** "'a', 'b' or 'c'", for error messages. */
const listed = (values: readonly string[]): string =>
  values
    .map((v) => `'${v}'`)
    .join(', ')
    .replace(/, ([^,]*)$/, ' or $1');
/** float32 samples whose text is exactly as long as their count says (a hostile length is refused undecoded). */
const isFloat32 = (v: unknown): v is EncodedFloat32 => {
  const o = v as Obj;
  return (
    typeof v === 'object' &&
    v !== null &&
    o.encoding === 'base64-f32le' &&
    isCount(o.length) &&
    isString(o.data) &&
    o.data.length === base64Length(4 * o.length)
  );
};
const isPalette = (v: unknown): v is Extract<EncodedSamples, { palette: unknown }> => {
  const o = v as Obj;
  if (typeof v !== 'object' || v === null || (o.encoding !== 'palette-u8' && o.encoding !== 'palette-u16'))
    return false;
  const palette = o.palette as Obj;
  return (
    isCount(o.length) &&
    isFloat32(palette) &&
    palette.length > 0 &&
    palette.length <= PALETTE_SIZES[o.encoding] &&
    isString(o.indices) &&
    o.indices.length <= deflatedBase64Length(INDEX_BYTES[o.encoding] * o.length) &&
    isSize(o.width) &&
    (o.planes === 1 || o.planes === 3) &&
    o.length % ((o.width as number) * o.planes) === 0
  );
};
const isSamples = (v: unknown): v is EncodedSamples => isFloat32(v) || isPalette(v);
const isLog = (v: unknown): v is Extract<EncodedOutput, { encoding: 'log-q24' }> => {
  const o = v as Obj;
  return (
    typeof v === 'object' &&
    v !== null &&
    o.encoding === 'log-q24' &&
    isCount(o.length) &&
    typeof o.offset === 'number' &&
    Number.isFinite(o.offset) &&
    isString(o.data) &&
    o.data.length <= deflatedBase64Length(3 * o.length)
  );
};
const isOutput = (v: unknown): v is EncodedOutput => isFloat32(v) || isLog(v);
/** A rectangle inside a tile of `width`×`height`, with at least one pixel. */
const isPartOf =
  (width: number, height: number) =>
  (v: unknown): v is Rect => {
    const r = v as Obj;
    return (
      typeof v === 'object' &&
      v !== null &&
      isCount(r.left) &&
      isCount(r.top) &&
      isSize(r.width) &&
      isSize(r.height) &&
      (r.left as number) + (r.width as number) <= width &&
      (r.top as number) + (r.height as number) <= height
    );
  };

/** A copy made of the checked values only. */
function copySamples(s: EncodedSamples): EncodedSamples {
  const f32 = (e: EncodedFloat32): EncodedFloat32 => ({ encoding: 'base64-f32le', length: e.length, data: e.data });
  if (s.encoding === 'base64-f32le') return f32(s);
  const { encoding, length, width, planes, indices } = s;
  return { encoding, length, palette: f32(s.palette), width, planes, indices };
}

const copyRect = (r: Rect): Rect => ({ left: r.left, top: r.top, width: r.width, height: r.height });

/** Some bridges hand messages over as JSON text: accept both. */
function decode(raw: unknown): unknown {
  if (typeof raw !== 'string') return raw;
  try {
    return JSON.parse(raw);
  } catch {
    throw new ProtocolError('a message must be an object or its JSON text');
  }
}

/** The parts every message has; checks the version before anything else. */
function envelope(raw: unknown, types: readonly string[]): Obj {
  const o = object(decode(raw), 'a message');
  if (!types.includes(o.type as string)) throw new ProtocolError(`unknown message type ${preview(o.type)}`);
  if (o.version !== PROTOCOL_VERSION) {
    throw new ProtocolError(`protocol version ${preview(o.version)} is not ${PROTOCOL_VERSION}: reload the plugin`);
  }
  field(o, 'id', isCount, 'a non-negative integer');
  return o;
}

function tileSize(o: Readonly<Obj>): number {
  const pixels = field(o, 'width', isSize, 'a size in pixels') * field(o, 'height', isSize, 'a size in pixels');
  if (pixels > MAX_TILE_PIXELS)
    throw new ProtocolError(
      `'${String(o.type)}' message: a ${o.width}×${o.height} tile is over ${MAX_TILE_PIXELS} pixels`,
    );
  return pixels;
}

function checkTileInput(o: Readonly<Obj>): void {
  const pixels = tileSize(o);
  const input = field(o, 'input', isSamples, 'float32 or palette samples of matching lengths');
  if (input.length !== 3 * pixels)
    throw new ProtocolError(
      `'${String(o.type)}' message: ${input.length} samples for a ${o.width}×${o.height} RGB tile`,
    );
  if (o.used !== undefined) field(o, 'used', isPartOf(o.width as number, o.height as number), 'a part of the tile');
}

function checkTileOutput(o: Readonly<Obj>): void {
  const most = tileSize(o);
  const pixels = field(o, 'pixels', (v): v is number => isCount(v) && v <= most, `at most ${most} pixels`);
  const output = field(o, 'output', isOutput, 'float32 or log-q24 values of matching length');
  if (output.length !== 3 * pixels)
    throw new ProtocolError(`'${String(o.type)}' message: ${output.length} samples for ${pixels} RGB pixels`);
}

/**
 * Validates a request and returns a copy made of the values it checked, so that nothing
 * downstream reads the sender's object again (a getter or proxy could change its answer).
 * Anything wrong, however hostile the object, is a ProtocolError.
 */
export function parseRequest(raw: unknown): Request {
  try {
    return copyRequest(raw);
  } catch (e) {
    if (e instanceof ProtocolError) throw e;
    throw new ProtocolError(`a message could not be read: ${e instanceof Error ? e.message : typeof e}`);
  }
}

const isModelSize = (v: unknown): v is number => isInt(v) && v > 0 && v <= MAX_MODEL_BYTES;

function copyRequest(raw: unknown): Request {
  const o = envelope(raw, ['init', 'model-chunk', 'run-tile', 'cancel', 'echo']);
  const [id, version] = [field(o, 'id', isCount, 'a non-negative integer'), PROTOCOL_VERSION];
  switch (o.type) {
    case 'init': {
      // Read into a copy that carries the message's type, which field errors name.
      const m = { ...object(o.model, "'init' message: 'model'"), type: 'init' };
      const label = field(m, 'label', isString, 'text');
      const bytes = field(m, 'bytes', isModelSize, `at most ${MAX_MODEL_BYTES} bytes`);
      const chunks = field(m, 'chunks', isCount, 'a chunk count');
      if (chunks !== Math.ceil(bytes / CHUNK_BYTES))
        throw new ProtocolError(`'init' message: ${chunks} chunks for ${bytes} bytes`);
      const sha256 = field(m, 'sha256', isSha256, 'a SHA-256 in hex');
      const provider = field(o, 'provider', oneOf(PROVIDER_CHOICES), listed(PROVIDER_CHOICES));
      return { type: 'init', id, version, model: { label, bytes, chunks, sha256 }, provider };
    }
    case 'model-chunk': {
      const target = field(o, 'target', isCount, 'the id of an init request');
      const index = field(o, 'index', isCount, 'a chunk number');
      return { type: 'model-chunk', id, version, target, index, data: field(o, 'data', isString, 'base64 text') };
    }
    case 'run-tile': {
      checkTileInput(o);
      const input = copySamples(o.input as EncodedSamples);
      const used = o.used === undefined ? {} : { used: copyRect(o.used as Rect) };
      // Checked again on the copy: the first reads may not be what the object answers now.
      const [width, height] = [o.width as number, o.height as number];
      const tile = { type: 'run-tile', id, version, width, height, input, ...used } as const;
      checkTileInput(tile);
      return tile;
    }
    case 'echo':
      return { type: 'echo', id, version, payload: field(o, 'payload', isString, 'text') };
    default:
      return { type: 'cancel', id, version, target: field(o, 'target', isCount, 'the id of a request') };
  }
}

export function parseResponse(raw: unknown): Response {
  const o = envelope(raw, ['model-status', 'progress', 'ready', 'chunk', 'result', 'error', 'echo']);
  switch (o.type) {
    case 'model-status':
      field(o, 'state', oneOf(MODEL_STATES), 'a model state');
      field(o, 'message', isString, 'text');
      break;
    case 'progress':
      field(o, 'stage', oneOf(PROGRESS_STAGES), listed(PROGRESS_STAGES));
      field(o, 'loaded', isCount, 'a byte count');
      field(o, 'total', isCount, 'a byte count');
      break;
    case 'ready':
      field(o, 'provider', oneOf(PROVIDERS), listed(PROVIDERS));
      field(o, 'reason', isString, 'text');
      field(o, 'model', isString, 'text');
      field(o, 'wasmThreads', isCount, 'a thread count');
      field(o, 'crossOriginIsolated', isBoolean, 'true or false');
      break;
    case 'chunk':
      field(o, 'index', isCount, 'a chunk number');
      field(o, 'received', isCount, 'a byte count');
      break;
    case 'result':
      checkTileOutput(o);
      field(o, 'networkMs', (v): v is number => typeof v === 'number' && v >= 0, 'a duration');
      field(o, 'provider', oneOf(PROVIDERS), listed(PROVIDERS));
      if (o.notice !== undefined) field(o, 'notice', isString, 'text');
      break;
    case 'error':
      field(o, 'code', oneOf(ERROR_CODES), 'an error code');
      field(o, 'message', isString, 'text');
      break;
    case 'echo':
      field(o, 'payload', isString, 'text');
      break;
  }
  return o as unknown as Response;
}

/** The page's self-test report, validated like any message. */
export function parseSelfTestReport(raw: unknown): SelfTestReport {
  const o = envelope({ id: 0, ...object(decode(raw), 'a message') }, ['self-test']);
  field(o, 'ok', isBoolean, 'true or false');
  field(o, 'provider', oneOf(PROVIDERS), listed(PROVIDERS));
  field(o, 'adapter', isString, 'text');
  field(o, 'wasmThreads', isCount, 'a thread count');
  field(o, 'crossOriginIsolated', isBoolean, 'true or false');
  field(o, 'ms', (v): v is number => typeof v === 'number' && v >= 0, 'a duration');
  if (o.error !== undefined) field(o, 'error', isString, 'text');
  const { id: _id, ...report } = o;
  return report as unknown as SelfTestReport;
}

/**
 * For a message that failed validation: the request id it claims, if readable
 * (so the refusal can answer it), and whether it failed on the version.
 */
export function refusal(raw: unknown): { id?: number; code: 'version' | 'bad-message' } {
  try {
    const o: unknown = typeof raw === 'string' ? JSON.parse(raw) : raw;
    const { id, version } = typeof o === 'object' && o !== null ? (o as Obj) : {};
    return {
      id: isCount(id) ? id : undefined,
      code: version !== undefined && version !== PROTOCOL_VERSION ? 'version' : 'bad-message',
    };
  } catch {
    return { code: 'bad-message' }; // unreadable JSON, or an object whose fields throw
  }
}
