/**
 * The plugin ⇄ engine-page protocol: every message both sides exchange, in
 * one place that both import. Messages are plain JSON-safe objects (the UXP
 * webview bridge documents no binary transfer), so pixel payloads travel as
 * base64 of little-endian float32 (see ./payload). Every message names the
 * protocol version it speaks; {@link parseRequest} and {@link parseResponse}
 * validate whatever arrives and throw {@link ProtocolError} for anything else.
 *
 * Flow: the plugin sends `init` once (the engine answers `model-status` and
 * `progress` while it provisions the model, then `ready` or `error`), then one
 * `run-tile` per network window (answered by `result` or `error`). `cancel`
 * names the id of a pending request. `echo` (Diagnostics) is answered at once
 * with the same text. The plugin drives the tiling loop of the
 * shared core; the engine only runs the network.
 */
import { ERROR_CODES, ProtocolError, type ErrorCode } from './errors';
import type { EncodedFloat32 } from './payload';

export const PROTOCOL_VERSION = 1;

// Each value list is written once: the type and the run-time check both come from it.
/** Which official weights: clean inputs, or trained with JPEG artefacts. */
export const WEIGHTS_VARIANTS = ['clean', 'jpeg'] as const;
export type WeightsVariant = (typeof WEIGHTS_VARIANTS)[number];
export const PROVIDERS = ['webgpu', 'wasm'] as const;
export type Provider = (typeof PROVIDERS)[number];
const MODEL_KINDS = ['bundled', 'download', 'file'] as const;
const PROVIDER_CHOICES = ['auto', ...PROVIDERS] as const;
const PROGRESS_STAGES = ['download', 'convert'] as const;
export type ProgressStage = (typeof PROGRESS_STAGES)[number];

export type ModelChoice =
  /** `model/hdrcnn.onnx` shipped in the plugin, if the build had one; else the official download. */
  | { readonly kind: 'bundled'; readonly variant: WeightsVariant }
  /** The official weights, downloaded once and cached by the engine page. */
  | { readonly kind: 'download'; readonly variant: WeightsVariant }
  /** A `.npz` or `.onnx` file the user picked, as base64. */
  | { readonly kind: 'file'; readonly name: string; readonly base64: string };

export type Request =
  | {
      readonly type: 'init';
      readonly id: number;
      readonly version: number;
      readonly model: ModelChoice;
      /** 'auto': WebGPU when the page has an adapter, else WASM. */
      readonly provider: Provider | 'auto';
    }
  | { readonly type: 'run-tile'; readonly id: number; readonly version: number; readonly width: number; readonly height: number; readonly input: EncodedFloat32 }
  | { readonly type: 'cancel'; readonly id: number; readonly version: number; readonly target: number }
  /** Diagnostics: the page answers with the same text at once (a bridge round trip of that size). */
  | { readonly type: 'echo'; readonly id: number; readonly version: number; readonly payload: string };

export const MODEL_STATES = ['bundled', 'cached', 'downloading', 'converting', 'ready', 'failed'] as const;
export type ModelState = (typeof MODEL_STATES)[number];

export type Response =
  | { readonly type: 'model-status'; readonly id: number; readonly version: number; readonly state: ModelState; readonly message: string }
  | { readonly type: 'progress'; readonly id: number; readonly version: number; readonly stage: ProgressStage; readonly loaded: number; readonly total: number }
  | {
      readonly type: 'ready';
      readonly id: number;
      readonly version: number;
      readonly provider: Provider;
      /** Why this provider, e.g. "no WebGPU adapter". */
      readonly reason: string;
      /** Where the model came from, for the panel's model line. */
      readonly model: string;
    }
  | {
      readonly type: 'result';
      readonly id: number;
      readonly version: number;
      readonly width: number;
      readonly height: number;
      readonly output: EncodedFloat32;
      readonly provider: Provider;
      /** Set when the engine changed provider while running this tile (e.g. GPU device lost). */
      readonly notice?: string;
    }
  | { readonly type: 'error'; readonly id: number; readonly version: number; readonly code: ErrorCode; readonly message: string }
  | { readonly type: 'echo'; readonly id: number; readonly version: number; readonly payload: string };

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
const oneOf =
  <T extends string>(values: readonly T[]) =>
  (v: unknown): v is T =>
    values.includes(v as T);
/** "'a', 'b' or 'c'", for error messages. */
const listed = (values: readonly string[]): string =>
  values.map((v) => `'${v}'`).join(', ').replace(/, ([^,]*)$/, ' or $1');
const isEncoded = (v: unknown): v is EncodedFloat32 => {
  const o = v as Obj;
  return typeof v === 'object' && v !== null && o.encoding === 'base64-f32le' && isCount(o.length) && isString(o.data);
};

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

function checkTilePayload(o: Readonly<Obj>, key: 'input' | 'output'): void {
  const width = field(o, 'width', isSize, 'a size in pixels');
  const height = field(o, 'height', isSize, 'a size in pixels');
  const payload = field(o, key, isEncoded, 'base64 float32 data');
  if (payload.length !== 3 * width * height) throw new ProtocolError(`'${String(o.type)}' message: ${payload.length} samples for a ${width}×${height} RGB tile`);
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

function copyRequest(raw: unknown): Request {
  const o = envelope(raw, ['init', 'run-tile', 'cancel', 'echo']);
  const [id, version] = [field(o, 'id', isCount, 'a non-negative integer'), PROTOCOL_VERSION];
  switch (o.type) {
    case 'init': {
      const m = object(o.model, "'init' message: 'model'");
      const kind = field(m, 'kind', oneOf(MODEL_KINDS), listed(MODEL_KINDS));
      const model: ModelChoice =
        kind === 'file'
          ? { kind, name: field(m, 'name', isString, 'a file name'), base64: field(m, 'base64', isString, 'base64 text') }
          : { kind, variant: field(m, 'variant', oneOf(WEIGHTS_VARIANTS), listed(WEIGHTS_VARIANTS)) };
      const provider = field(o, 'provider', oneOf(PROVIDER_CHOICES), listed(PROVIDER_CHOICES));
      return { type: 'init', id, version, model, provider };
    }
    case 'run-tile': {
      checkTilePayload(o, 'input');
      const input = o.input as EncodedFloat32;
      const copy = { encoding: 'base64-f32le', length: input.length, data: input.data } as const;
      // Checked again on the copy: the first reads may not be what the object answers now.
      const [width, height] = [o.width as number, o.height as number];
      const tile = { type: 'run-tile', id, version, width, height, input: copy } as const;
      checkTilePayload(tile, 'input');
      return tile;
    }
    case 'echo':
      return { type: 'echo', id, version, payload: field(o, 'payload', isString, 'text') };
    default:
      return { type: 'cancel', id, version, target: field(o, 'target', isCount, 'the id of a request') };
  }
}

export function parseResponse(raw: unknown): Response {
  const o = envelope(raw, ['model-status', 'progress', 'ready', 'result', 'error', 'echo']);
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
      break;
    case 'result':
      checkTilePayload(o, 'output');
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
