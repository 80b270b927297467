/** The protocol's validation: every well-formed message passes, anything else fails with a message that says what. */
import { ProtocolError } from '../../src/protocol/errors';
import {
  CHUNK_BYTES,
  MAX_MODEL_BYTES,
  parseRequest,
  parseResponse,
  parseSelfTestReport,
  PROTOCOL_VERSION,
  type Request,
  type Response,
} from '../../src/protocol/messages';
import { encodeFloat32, encodeNetworkOutput, encodeSamples } from '../../src/protocol/payload';

const v = PROTOCOL_VERSION;
const tile = encodeFloat32(new Float32Array(12));
const narrow = encodeSamples(new Float32Array(12).fill(0.5)); // palette-u8
const wide = encodeSamples(Float32Array.from({ length: 300 }, (_, i) => i / 300)); // palette-u16, 10×10
const returned = encodeFloat32(new Float32Array(6)); // 2 pixels
const offer = { label: 'model', bytes: 10, chunks: 1, sha256: 'ab'.repeat(32) };

/** A run-tile request for a 2×2 tile of `narrow` input; `fields` override any of its fields. */
const runTile = (fields: Record<string, unknown> = {}) => ({
  type: 'run-tile',
  id: 1,
  version: v,
  width: 2,
  height: 2,
  input: narrow,
  ...fields,
});

describe('parseRequest', () => {
  it.each<Request>([
    { type: 'init', id: 1, version: v, model: offer, provider: 'auto' },
    { type: 'init', id: 2, version: v, model: { ...offer, bytes: CHUNK_BYTES + 1, chunks: 2 }, provider: 'webgpu' },
    { type: 'model-chunk', id: 3, version: v, target: 1, index: 0, data: 'UEsDBA==' },
    { type: 'run-tile', id: 4, version: v, width: 2, height: 2, input: tile },
    { type: 'run-tile', id: 4, version: v, width: 2, height: 2, input: narrow },
    { type: 'run-tile', id: 4, version: v, width: 10, height: 10, input: wide },
    {
      type: 'run-tile',
      id: 4,
      version: v,
      width: 10,
      height: 10,
      input: wide,
      used: { left: 2, top: 0, width: 8, height: 9 },
    },
    { type: 'cancel', id: 5, version: v, target: 4 },
    { type: 'echo', id: 6, version: v, payload: 'abc' },
  ])('accepts $type', (message) => {
    expect(parseRequest(message)).toEqual(message);
    expect(parseRequest(JSON.stringify(message))).toEqual(message);
  });

  it.each([
    ['not an object', 42, 'a message must be an object'],
    ['an array', [], 'a message must be an object'],
    ['text that is not JSON', '{oops', 'a message must be an object or its JSON text'],
    ['an unknown type', { type: 'explode', id: 1, version: v }, 'unknown message type "explode"'],
    ['a response type', { type: 'result', id: 1, version: v }, 'unknown message type "result"'],
    [
      'the previous version',
      { type: 'run-tile', id: 1, version: 2, width: 2, height: 2, input: tile },
      'protocol version 2 is not 4: reload the plugin',
    ],
    ['no version', { type: 'cancel', id: 1, target: 1 }, 'protocol version undefined is not 4: reload the plugin'],
    [
      'a fractional id',
      { type: 'cancel', id: 1.5, version: v, target: 1 },
      "'cancel' message: 'id' must be a non-negative integer, got 1.5",
    ],
    [
      'a missing target',
      { type: 'cancel', id: 1, version: v },
      "'cancel' message: 'target' must be the id of a request, got undefined",
    ],
    [
      'a model without a label',
      { type: 'init', id: 1, version: v, model: { ...offer, label: 1 }, provider: 'auto' },
      "'init' message: 'label' must be text",
    ],
    [
      'a model too big',
      { type: 'init', id: 1, version: v, model: { ...offer, bytes: MAX_MODEL_BYTES + 1 }, provider: 'auto' },
      `at most ${MAX_MODEL_BYTES} bytes`,
    ],
    [
      'a chunk count that does not fit',
      { type: 'init', id: 1, version: v, model: { ...offer, chunks: 2 }, provider: 'auto' },
      '2 chunks for 10 bytes',
    ],
    [
      'a checksum that is not SHA-256 hex',
      { type: 'init', id: 1, version: v, model: { ...offer, sha256: 'AB'.repeat(32) }, provider: 'auto' },
      "'sha256' must be a SHA-256 in hex",
    ],
    [
      'an unknown provider',
      { type: 'init', id: 1, version: v, model: offer, provider: 'cuda' },
      "'auto', 'webgpu' or 'wasm'",
    ],
    [
      'a chunk without data',
      { type: 'model-chunk', id: 1, version: v, target: 1, index: 0 },
      "'model-chunk' message: 'data' must be base64 text",
    ],
    ['a zero width', runTile({ width: 0, input: tile }), "'width' must be a size in pixels"],
    ['a huge height', runTile({ height: 1e6, input: tile }), "'height' must be a size in pixels"],
    [
      'raw numbers as input',
      { type: 'run-tile', id: 1, version: v, width: 2, height: 2, input: [1, 2, 3] },
      "'input' must be float32 or palette samples of matching lengths",
    ],
    ['a payload of the wrong size', runTile({ width: 3, input: tile }), '12 samples for a 3×2 RGB tile'],
    [
      'float32 text longer than its length says',
      { type: 'run-tile', id: 1, version: v, width: 2, height: 2, input: { ...tile, data: tile.data + 'AAAA' } },
      "'input' must be float32 or palette samples of matching lengths",
    ],
    [
      'a used part past the tile',
      runTile({ used: { left: 1, top: 0, width: 2, height: 1 } }),
      "'run-tile' message: 'used' must be a part of the tile",
    ],
    [
      'an empty used part',
      runTile({ used: { left: 0, top: 0, width: 0, height: 1 } }),
      "'used' must be a part of the tile",
    ],
    [
      'indices longer than any deflate of the samples',
      runTile({ input: { ...narrow, indices: 'AAAA'.repeat(30) } }),
      "'input' must be float32 or palette samples of matching lengths",
    ],
    [
      'a palette longer than 8-bit indices reach',
      runTile({ input: { ...narrow, palette: encodeFloat32(new Float32Array(257)) } }),
      "'input' must be float32 or palette samples of matching lengths",
    ],
    [
      'an empty palette',
      runTile({ input: { ...narrow, palette: encodeFloat32(new Float32Array(0)) } }),
      "'input' must be float32 or palette samples of matching lengths",
    ],
    [
      'a tile larger than any window, whose deflated indices would claim gigabytes',
      runTile({ width: 65536, height: 65536 }),
      "'run-tile' message: a 65536×65536 tile is over 4194304 pixels",
    ],
    ['a palette payload of the wrong size', runTile({ height: 3 }), '12 samples for a 2×3 RGB tile'],
  ])('refuses %s', (_what, raw, text) => {
    expect(() => parseRequest(raw)).toThrow(ProtocolError);
    expect(() => parseRequest(raw)).toThrow(text);
  });
});

describe('parseRequest on hostile objects', () => {
  const revokedProxy = () => {
    const p = Proxy.revocable({}, {});
    p.revoke();
    return p.proxy;
  };
  const getterThrows = {
    type: 'cancel',
    version: v,
    target: 1,
    get id(): number {
      throw new Error('boom');
    },
  };
  const cyclic: Record<string, unknown> = { type: 'cancel', id: 1, version: v };
  cyclic.target = cyclic;
  it.each([
    ['a getter that throws', getterThrows, 'a message could not be read: boom'],
    [
      'a BigInt',
      { type: 'cancel', id: 1, version: v, target: 10n },
      "'target' must be the id of a request, got bigint",
    ],
    ['a cycle', cyclic, "'target' must be the id of a request, got object"],
    ['a revoked proxy', revokedProxy(), 'a message could not be read'],
  ])('refuses %s with a ProtocolError', (_what, raw, text) => {
    expect(() => parseRequest(raw)).toThrow(ProtocolError);
    expect(() => parseRequest(raw)).toThrow(text);
  });

  it('returns a copy of what it checked: a getter cannot change its answer afterwards', () => {
    let reads = 0;
    const shifty = {
      type: 'cancel',
      id: 1,
      version: v,
      get target() {
        return reads++ === 0 ? 4 : 'boom';
      },
    };
    const request = parseRequest(shifty);
    expect(request).toEqual({ type: 'cancel', id: 1, version: v, target: 4 });
    expect(request).not.toBe(shifty);
    // The model offer too: the copy holds the checked hash, not the object's later answer.
    let hashReads = 0;
    const model = {
      ...offer,
      get sha256() {
        return hashReads++ === 0 ? offer.sha256 : 'not hex';
      },
    };
    const init = parseRequest({ type: 'init', id: 2, version: v, model, provider: 'auto' });
    expect(init).toEqual({ type: 'init', id: 2, version: v, model: offer, provider: 'auto' });
    expect(init.type === 'init' && init.model).not.toBe(model);
  });
});

/** A result for a 2×2 tile; `fields` override any of its fields. */
const result = <T extends object>(fields: T = {} as T) => ({
  type: 'result' as const,
  id: 2,
  version: v,
  width: 2,
  height: 2,
  pixels: 4,
  output: tile,
  networkMs: 1,
  provider: 'wasm' as const,
  ...fields,
});

describe('parseResponse', () => {
  it.each<Response>([
    { type: 'model-status', id: 1, version: v, state: 'downloading', message: 'downloading' },
    { type: 'progress', id: 1, version: v, stage: 'download', loaded: 10, total: 0 },
    {
      type: 'ready',
      id: 1,
      version: v,
      provider: 'webgpu',
      reason: 'WebGPU on test',
      model: 'params.npz',
      wasmThreads: 1,
      crossOriginIsolated: false,
    },
    { type: 'chunk', id: 3, version: v, index: 0, received: 10 },
    result({ pixels: 2, output: returned }),
    result({ pixels: 0, output: encodeFloat32(new Float32Array(0)) }),
    result({ notice: 'GPU lost' }),
    result({ pixels: 2, output: encodeNetworkOutput(Float32Array.of(0.5, 1, 1.5, 2, 2.5, 3)), networkMs: 20.25 }),
    { type: 'error', id: 0, version: v, code: 'bad-message', message: 'what' },
    { type: 'error', id: 4, version: v, code: 'busy', message: 'the engine already has 32 requests in hand' },
    { type: 'echo', id: 6, version: v, payload: 'abc' },
  ])('accepts $type', (message) => {
    expect(parseResponse(message)).toEqual(message);
  });

  it.each([
    ['a request type', { type: 'init', id: 1, version: v }, 'unknown message type "init"'],
    [
      'an unknown state',
      { type: 'model-status', id: 1, version: v, state: 'sleeping', message: '' },
      "'state' must be a model state",
    ],
    [
      'a negative byte count',
      { type: 'progress', id: 1, version: v, stage: 'download', loaded: -1, total: 0 },
      "'loaded' must be a byte count",
    ],
    [
      'an unknown provider',
      { type: 'ready', id: 1, version: v, provider: 'cpu', reason: '', model: '' },
      "'webgpu' or 'wasm'",
    ],
    [
      'a ready without its thread count',
      { type: 'ready', id: 1, version: v, provider: 'wasm', reason: '', model: '' },
      "'wasmThreads' must be a thread count",
    ],
    ['a notice that is not text', result({ notice: 1 }), "'notice' must be text"],
    ['more pixels than the tile has', result({ pixels: 5 }), "'pixels' must be at most 4 pixels"],
    ['an output of another length than its pixels', result({ pixels: 3 }), '12 samples for 3 RGB pixels'],
    ['a negative network time', result({ networkMs: -1 }), "'networkMs' must be a duration"],
    ['no network time', result({ networkMs: undefined }), "'networkMs' must be a duration"],
    [
      'log steps longer than any deflate of their count',
      result({ pixels: 1, output: { ...encodeNetworkOutput(Float32Array.of(1, 2, 3)), data: 'AAAA'.repeat(30) } }),
      "'output' must be float32 or log-q24 values of matching length",
    ],
    [
      'a log offset that is not finite',
      result({ pixels: 1, output: { ...encodeNetworkOutput(Float32Array.of(1, 2, 3)), offset: null } }),
      "'output' must be float32 or log-q24 values of matching length",
    ],

    [
      'an output whose text is longer than its length',
      result({ pixels: 2, output: { ...returned, data: returned.data + 'AAAA' } }),
      "'output' must be float32 or log-q24 values of matching length",
    ],
    [
      'an unknown error code',
      { type: 'error', id: 1, version: v, code: 'oops', message: '' },
      "'code' must be an error code",
    ],
  ])('refuses %s', (_what, raw, text) => {
    expect(() => parseResponse(raw)).toThrow(text);
  });
});

describe('parseSelfTestReport', () => {
  const report = {
    type: 'self-test',
    version: v,
    ok: true,
    provider: 'wasm',
    adapter: 'no WebGPU adapter',
    wasmThreads: 1,
    crossOriginIsolated: false,
    ms: 812,
  };
  it('accepts a report, with or without an error', () => {
    expect(parseSelfTestReport({ ...report, channel: 'c1', seq: 1 })).toEqual({ ...report, channel: 'c1', seq: 1 });
    expect(parseSelfTestReport(JSON.stringify({ ...report, ok: false, error: 'off by 0.5' }))).toEqual({
      ...report,
      ok: false,
      error: 'off by 0.5',
    });
  });
  it.each([
    ['another version', { ...report, version: 1 }, 'protocol version 1 is not 4'],
    ['no provider', { ...report, provider: undefined }, "'provider' must be 'webgpu' or 'wasm'"],
    ['a negative time', { ...report, ms: -1 }, "'ms' must be a duration"],
  ])('refuses %s', (_what, raw, text) => {
    expect(() => parseSelfTestReport(raw)).toThrow(text);
  });
});
