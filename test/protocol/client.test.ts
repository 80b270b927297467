/**
 * The plugin's client against a scripted engine: what it sends, how it reads
 * answers, events, errors, cancel, timeout and dispose.
 */
import { CHUNKS_IN_FLIGHT, EngineClient, type BridgeEndpoint } from '../../src/protocol/client';
import { EngineError } from '../../src/protocol/errors';
import { CHUNK_BYTES, PROTOCOL_VERSION, type Request } from '../../src/protocol/messages';
import { sha256Hex } from '../../src/protocol/checksum';
import { encodeBytes, encodeFloat32, encodeSamples } from '../../src/protocol/payload';

const v = PROTOCOL_VERSION;

/** An endpoint whose engine side the test plays: `sent` holds the client's messages, `answer` delivers one. */
function scripted() {
  const sent: Request[] = [];
  const listeners = new Set<(event: { data: unknown }) => void>();
  const endpoint: BridgeEndpoint = {
    postMessage: (message) => sent.push(JSON.parse(JSON.stringify(message))),
    addEventListener: (_type, l) => listeners.add(l),
    removeEventListener: (_type, l) => listeners.delete(l),
  };
  const answer = (data: unknown) => listeners.forEach((l) => l({ data }));
  return { endpoint, sent, answer, listeners };
}

const tile = { width: 2, height: 1, data: new Float32Array([1, 2, 3, 4, 5, 6]) };
/** The page's answer to request 1 for a 2×1 tile; `fields` override any of its fields. */
const result = (output: unknown, pixels: number, fields: Record<string, unknown> = {}) => ({
  type: 'result',
  id: 1,
  version: v,
  width: 2,
  height: 1,
  pixels,
  output,
  networkMs: 1,
  provider: 'wasm',
  ...fields,
});
/** Lets every pending promise callback run (no timer involved). */
const flush = () => new Promise((r) => setImmediate(r));

const MODEL = new Uint8Array([1, 2, 3, 4, 5]);
const OFFER = { label: 'jpeg weights', bytes: 5, chunks: 1, sha256: sha256Hex(MODEL) };

it('init sends the offer and the model in chunks, and resolves with what the engine says; status and progress reach the events', async () => {
  const { endpoint, sent, answer } = scripted();
  const events: string[] = [];
  const client = new EngineClient(endpoint, {
    onModelStatus: (state, message) => events.push(`${state} ${message}`),
    onProgress: (stage, loaded, total) => events.push(`${stage} ${loaded}/${total}`),
  });
  expect(client.name).toBe('onnxruntime-web (not ready)');
  const ready = client.init({ label: 'jpeg weights', bytes: MODEL });
  expect(sent).toEqual([
    { type: 'init', id: 1, version: v, model: OFFER, provider: 'auto' },
    { type: 'model-chunk', id: 2, version: v, target: 1, index: 0, data: encodeBytes(MODEL) },
  ]);
  answer({ type: 'chunk', id: 2, version: v, index: 0, received: 5 });
  await flush();
  answer({ type: 'model-status', id: 1, version: v, state: 'loading', message: 'loading jpeg weights' });
  const ok = {
    type: 'ready',
    id: 1,
    version: v,
    provider: 'webgpu',
    reason: 'WebGPU on test',
    model: 'jpeg weights',
    wasmThreads: 1,
    crossOriginIsolated: false,
  };
  answer(JSON.stringify(ok));
  expect(await ready).toEqual({
    provider: 'webgpu',
    reason: 'WebGPU on test',
    model: 'jpeg weights',
    wasmThreads: 1,
    crossOriginIsolated: false,
  });
  expect(events).toEqual([
    'loading sending jpeg weights to the engine',
    'transfer 5/5',
    'loading loading jpeg weights',
  ]);
  expect(client.name).toBe('onnxruntime-web (webgpu)');
});

it('run sends the tile as a palette and decodes the returned pixels; a notice reaches the events', async () => {
  const { endpoint, sent, answer } = scripted();
  const notices: string[] = [];
  const client = new EngineClient(endpoint, { onNotice: (n) => notices.push(n) });
  const output = client.run(tile);
  expect(sent[0]).toEqual({
    type: 'run-tile',
    id: 1,
    version: v,
    width: 2,
    height: 1,
    input: encodeSamples(tile.data, { width: tile.width, planes: 3 }),
  });
  expect(sent[0]).toMatchObject({ input: { encoding: 'palette-u8', length: 6 } });
  answer(result(encodeFloat32(tile.data.map((x) => -x)), 2, { notice: 'GPU lost' }));
  expect(Array.from(await output)).toEqual([-1, -2, -3, -4, -5, -6]);
  expect(notices).toEqual(['GPU lost']);
  expect(client.name).toBe('onnxruntime-web (wasm)');
});

it('only the highlight pixels come back: zeros elsewhere', async () => {
  const { endpoint, answer } = scripted();
  // Pixel 0's brightest input is 0.94 (no highlight), pixel 1's is 0.96.
  const dim = { width: 2, height: 1, data: new Float32Array([0.5, 0.96, 0.94, 0.2, 0.1, 0.3]) };
  const run = new EngineClient(endpoint).run(dim);
  const packed = encodeFloat32(new Float32Array([7, 8, 9]));
  answer(result(packed, 1));
  expect(Array.from(await run)).toEqual([0, 7, 0, 8, 0, 9]);
});

it('an error answer rejects with its code; answers for other ids are ignored', async () => {
  const { endpoint, answer } = scripted();
  const client = new EngineClient(endpoint);
  const run = client.run(tile);
  answer({ type: 'error', id: 7, version: v, code: 'inference', message: 'not mine' });
  answer({ type: 'error', id: 1, version: v, code: 'not-ready', message: 'send init first' });
  await expect(run).rejects.toEqual(new EngineError('not-ready', 'send init first'));
});

it.each([
  [
    'a malformed answer',
    result([1, 2], 2),
    'bad-message',
    /^malformed message from the engine page: 'result' message: 'output' must be float32 or log-q24 values/,
  ],
  ['another protocol version', { type: 'result', id: 1, version: 2 }, 'version', /protocol version 2 is not 4/],
  [
    'the wrong answer type',
    {
      type: 'ready',
      id: 1,
      version: v,
      provider: 'wasm',
      reason: '',
      model: '',
      wasmThreads: 1,
      crossOriginIsolated: false,
    },
    'bad-message',
    /answered a request with 'ready', expected 'result'/,
  ],
  [
    'a tile of another size',
    result(encodeFloat32(tile.data), 2, { width: 1, height: 2 }),
    'bad-message',
    /answered a 2×1 tile with 1×2/,
  ],
  [
    "fewer pixels than the tile's highlights",
    result(encodeFloat32(new Float32Array(3)), 1),
    'bad-message',
    /the engine returned 1 pixels of the 2 asked for/,
  ],
])('%s rejects the request', async (_what, data, code, text) => {
  const { endpoint, answer } = scripted();
  const run = new EngineClient(endpoint).run(tile);
  answer(data);
  await expect(run).rejects.toMatchObject({ code, message: expect.stringMatching(text) });
});

it('a malformed message nobody waits for becomes a notice', () => {
  const { endpoint, answer } = scripted();
  const notices: string[] = [];
  new EngineClient(endpoint, { onNotice: (n) => notices.push(n) });
  answer({ hello: 'world' });
  expect(notices).toEqual(['malformed message from the engine page: unknown message type undefined']);
});

it('cancelAll rejects every pending request and tells the engine; late answers are dropped', async () => {
  const { endpoint, sent, answer } = scripted();
  const client = new EngineClient(endpoint);
  const runs = [client.run(tile), client.run(tile)];
  client.cancelAll();
  for (const run of runs) await expect(run).rejects.toEqual(new EngineError('cancelled', 'cancelled'));
  expect(sent.slice(2)).toEqual([
    { type: 'cancel', id: 3, version: v, target: 1 },
    { type: 'cancel', id: 4, version: v, target: 2 },
  ]);
  answer(result(encodeFloat32(tile.data), 2));
  await flush();
});

it('a silent engine times the request out after 120 s; progress keeps it alive', async () => {
  jest.useFakeTimers();
  try {
    const { endpoint, sent, answer } = scripted();
    const client = new EngineClient(endpoint);
    const init = client.init({ label: 'm', bytes: MODEL });
    const outcome = init.catch((e: unknown) => e);
    answer({ type: 'chunk', id: 2, version: v, index: 0, received: 5 });
    for (let i = 0; i < 4; i++) {
      jest.advanceTimersByTime(100_000);
      answer({ type: 'model-status', id: 1, version: v, state: 'loading', message: 'loading m' });
    }
    jest.advanceTimersByTime(119_999);
    expect(sent).toHaveLength(2); // 519.999 s in, never 120 s of silence: still waiting
    jest.advanceTimersByTime(1);
    expect(await outcome).toEqual(new EngineError('timeout', 'the engine page did not answer for 120 s'));
    expect(sent.at(-1)).toEqual({ type: 'cancel', id: 3, version: v, target: 1 });
    expect(jest.getTimerCount()).toBe(0);
  } finally {
    jest.useRealTimers();
  }
});

it('a tile queued behind another is timed from the answer ahead of it, not from when it was sent', async () => {
  jest.useFakeTimers();
  try {
    const { endpoint, answer } = scripted();
    const client = new EngineClient(endpoint);
    const first = client.run(tile);
    const second = client.run(tile).catch((e: unknown) => e);
    jest.advanceTimersByTime(100_000);
    const packed = encodeFloat32(tile.data);
    answer(result(packed, 2));
    await first;
    jest.advanceTimersByTime(119_999); // 219.999 s after it was sent, 119.999 s of silence
    expect(jest.getTimerCount()).toBe(1);
    jest.advanceTimersByTime(1);
    expect(await second).toEqual(new EngineError('timeout', 'the engine page did not answer for 120 s'));
  } finally {
    jest.useRealTimers();
  }
});

it('an aborted signal rejects its request only, tells the engine, and is let go of', async () => {
  const { endpoint, sent } = scripted();
  const client = new EngineClient(endpoint);
  const run = new AbortController();
  const [mine, other] = [client.run(tile, run.signal), client.run(tile)];
  run.abort();
  await expect(mine).rejects.toEqual(new EngineError('cancelled', 'cancelled'));
  expect(sent.slice(2)).toEqual([{ type: 'cancel', id: 3, version: v, target: 1 }]);
  await expect(client.run(tile, run.signal)).rejects.toEqual(new EngineError('cancelled', 'cancelled'));
  expect(sent).toHaveLength(3); // already aborted: nothing is sent
  await client.dispose();
  await expect(other).rejects.toMatchObject({ code: 'cancelled' });
});

it('an init aborted while its model is on the way sends no further chunk and cancels the init', async () => {
  const { endpoint, sent, answer } = scripted();
  const client = new EngineClient(endpoint);
  const run = new AbortController();
  const init = client.init(
    { label: 'big', bytes: new Uint8Array((CHUNKS_IN_FLIGHT + 2) * CHUNK_BYTES) },
    'auto',
    run.signal,
  );
  expect(sent).toHaveLength(1 + CHUNKS_IN_FLIGHT);
  run.abort();
  answer({ type: 'chunk', id: 2, version: v, index: 0, received: CHUNK_BYTES });
  await expect(init).rejects.toEqual(new EngineError('cancelled', 'cancelled'));
  await flush();
  expect(sent.slice(1 + CHUNKS_IN_FLIGHT)).toEqual([
    { type: 'cancel', id: 2 + CHUNKS_IN_FLIGHT, version: v, target: 1 },
  ]);
  await expect(client.init({ label: 'm', bytes: MODEL }, 'auto', run.signal)).rejects.toMatchObject({
    code: 'cancelled',
  });
  expect(sent).toHaveLength(2 + CHUNKS_IN_FLIGHT); // already aborted: nothing is sent
});

it('dispose rejects what is pending and stops listening', async () => {
  const { endpoint, listeners } = scripted();
  const client = new EngineClient(endpoint);
  const run = client.run(tile);
  await client.dispose();
  await expect(run).rejects.toEqual(new EngineError('cancelled', 'the engine client was disposed'));
  expect(listeners.size).toBe(0);
});

it(`keeps ${CHUNKS_IN_FLIGHT} chunks in flight; an engine that answers the init early stops the sending, its answer stands`, async () => {
  const { endpoint, sent, answer } = scripted();
  const client = new EngineClient(endpoint);
  const model = new Uint8Array((CHUNKS_IN_FLIGHT + 2) * CHUNK_BYTES);
  const init = client.init({ label: 'big', bytes: model });
  expect(sent.map((m) => m.type)).toEqual(['init', ...Array(CHUNKS_IN_FLIGHT).fill('model-chunk')]);
  answer({ type: 'chunk', id: 2, version: v, index: 0, received: CHUNK_BYTES });
  await flush();
  expect(sent).toHaveLength(2 + CHUNKS_IN_FLIGHT);
  answer({ type: 'error', id: 1, version: v, code: 'model', message: 'no room' });
  await expect(init).rejects.toEqual(new EngineError('model', 'no room'));
  await flush();
  expect(sent).toHaveLength(2 + CHUNKS_IN_FLIGHT);
});

it('a chunk the engine refuses fails the init with the refusal, and the init is cancelled', async () => {
  const { endpoint, sent, answer } = scripted();
  const client = new EngineClient(endpoint);
  const init = client.init({ label: 'm', bytes: MODEL });
  answer({ type: 'error', id: 2, version: v, code: 'bad-message', message: 'model chunk 0 holds 4 bytes, expected 5' });
  await expect(init).rejects.toEqual(new EngineError('bad-message', 'model chunk 0 holds 4 bytes, expected 5'));
  expect(sent.at(-1)).toEqual({ type: 'cancel', id: 3, version: v, target: 1 });
});

it('run rejects only with EngineError: a result whose payload is not base64, a bridge that throws', async () => {
  const { endpoint, answer } = scripted();
  const client = new EngineClient(endpoint);
  const run = client.run(tile);
  const output = { ...encodeFloat32(new Float32Array(6)), data: '!'.repeat(32) };
  answer(result(output, 2));
  const text = 'malformed result from the engine page: pixel payload is not valid base64: character 0 is "!"';
  await expect(run).rejects.toThrow(new EngineError('bad-message', text));
  await expect(run).rejects.toBeInstanceOf(EngineError);
  const broken = new EngineClient({
    ...endpoint,
    postMessage: () => {
      throw new Error('webview gone');
    },
  });
  const unreachable = new EngineError('not-ready', 'the engine page cannot be reached: webview gone');
  await expect(broken.run(tile)).rejects.toThrow(unreachable);
  await client.dispose();
  await broken.dispose();
});

it('echo sends the text and resolves with the text that comes back', async () => {
  const { endpoint, sent, answer } = scripted();
  const client = new EngineClient(endpoint);
  const back = client.echo('abc');
  expect(sent).toEqual([{ type: 'echo', id: 1, version: v, payload: 'abc' }]);
  answer({ type: 'echo', id: 1, version: v, payload: 'abc' });
  await expect(back).resolves.toBe('abc');
  await client.dispose();
});
