/** The protocol's validation: every well-formed message passes, anything else fails with a message that says what. */
import { ProtocolError } from '../../src/protocol/errors';
import { parseRequest, parseResponse, PROTOCOL_VERSION, type Request, type Response } from '../../src/protocol/messages';
import { encodeFloat32 } from '../../src/protocol/payload';

const v = PROTOCOL_VERSION;
const tile = encodeFloat32(new Float32Array(12));

describe('parseRequest', () => {
  it.each<Request>([
    { type: 'init', id: 1, version: v, model: { kind: 'bundled', variant: 'clean' }, provider: 'auto' },
    { type: 'init', id: 2, version: v, model: { kind: 'download', variant: 'jpeg' }, provider: 'webgpu' },
    { type: 'init', id: 3, version: v, model: { kind: 'file', name: 'a.npz', base64: 'UEsDBA==' }, provider: 'wasm' },
    { type: 'run-tile', id: 4, version: v, width: 2, height: 2, input: tile },
    { type: 'cancel', id: 5, version: v, target: 4 },
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
    ['another version', { type: 'cancel', id: 1, version: 2, target: 1 }, 'protocol version 2 is not 1: reload the plugin'],
    ['no version', { type: 'cancel', id: 1, target: 1 }, 'protocol version undefined is not 1: reload the plugin'],
    ['a fractional id', { type: 'cancel', id: 1.5, version: v, target: 1 }, "'cancel' message: 'id' must be a non-negative integer, got 1.5"],
    ['a missing target', { type: 'cancel', id: 1, version: v }, "'cancel' message: 'target' must be the id of a request, got undefined"],
    ['an unknown model kind', { type: 'init', id: 1, version: v, model: { kind: 'url' }, provider: 'auto' }, "'bundled', 'download' or 'file'"],
    ['an unknown variant', { type: 'init', id: 1, version: v, model: { kind: 'download', variant: 'hdr' }, provider: 'auto' }, "'clean' or 'jpeg'"],
    ['a file without content', { type: 'init', id: 1, version: v, model: { kind: 'file', name: 'a' }, provider: 'auto' }, "'base64' must be base64 text"],
    ['an unknown provider', { type: 'init', id: 1, version: v, model: { kind: 'bundled', variant: 'clean' }, provider: 'cuda' }, "'auto', 'webgpu' or 'wasm'"],
    ['a zero width', { type: 'run-tile', id: 1, version: v, width: 0, height: 2, input: tile }, "'width' must be a size in pixels"],
    ['a huge height', { type: 'run-tile', id: 1, version: v, width: 2, height: 1e6, input: tile }, "'height' must be a size in pixels"],
    ['raw numbers as input', { type: 'run-tile', id: 1, version: v, width: 2, height: 2, input: [1, 2, 3] }, "'input' must be base64 float32 data"],
    ['a payload of the wrong size', { type: 'run-tile', id: 1, version: v, width: 3, height: 2, input: tile }, '12 samples for a 3×2 RGB tile'],
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
  const getterThrows = { type: 'cancel', version: v, target: 1, get id(): number { throw new Error('boom'); } };
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
    const shifty = { type: 'cancel', id: 1, version: v, get target() { return reads++ === 0 ? 4 : 'boom'; } };
    const request = parseRequest(shifty);
    expect(request).toEqual({ type: 'cancel', id: 1, version: v, target: 4 });
    expect(request).not.toBe(shifty);
  });
});

describe('parseResponse', () => {
  it.each<Response>([
    { type: 'model-status', id: 1, version: v, state: 'downloading', message: 'downloading' },
    { type: 'progress', id: 1, version: v, stage: 'download', loaded: 10, total: 0 },
    { type: 'ready', id: 1, version: v, provider: 'webgpu', reason: 'WebGPU on test', model: 'params.npz' },
    { type: 'result', id: 2, version: v, width: 2, height: 2, output: tile, provider: 'wasm' },
    { type: 'result', id: 2, version: v, width: 2, height: 2, output: tile, provider: 'wasm', notice: 'GPU lost' },
    { type: 'error', id: 0, version: v, code: 'bad-message', message: 'what' },
  ])('accepts $type', (message) => {
    expect(parseResponse(message)).toEqual(message);
  });

  it.each([
    ['a request type', { type: 'init', id: 1, version: v }, 'unknown message type "init"'],
    ['an unknown state', { type: 'model-status', id: 1, version: v, state: 'sleeping', message: '' }, "'state' must be a model state"],
    ['a negative byte count', { type: 'progress', id: 1, version: v, stage: 'download', loaded: -1, total: 0 }, "'loaded' must be a byte count"],
    ['an unknown provider', { type: 'ready', id: 1, version: v, provider: 'cpu', reason: '', model: '' }, "'webgpu' or 'wasm'"],
    ['a notice that is not text', { type: 'result', id: 2, version: v, width: 2, height: 2, output: tile, provider: 'wasm', notice: 1 }, "'notice' must be text"],
    ['an unknown error code', { type: 'error', id: 1, version: v, code: 'oops', message: '' }, "'code' must be an error code"],
  ])('refuses %s', (_what, raw, text) => {
    expect(() => parseResponse(raw)).toThrow(text);
  });
});
