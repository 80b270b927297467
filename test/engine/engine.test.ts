/**
 * The Engine's choices and recoveries, with fake runtimes: which provider and
 * why, WebGPU failures and lost devices falling back to WASM, cancellation,
 * the model put together from its chunks and checked, and an error answer for
 * whatever goes wrong.
 */
import type { InferenceBackend, PlanarTile } from '../../src/core/backend';
import { Engine, MAX_QUEUED_REQUESTS, type EngineDeps } from '../../src/engine/engine';
import type { GpuChoice, GpuDevice } from '../../src/engine/gpu';
import { sha256Hex } from '../../src/protocol/checksum';
import { CHUNK_BYTES, PROTOCOL_VERSION, type Provider, type Response } from '../../src/protocol/messages';
import { decodeNetworkOutput, encodeBytes, encodeFloat32, encodeSamples, LOG_STEP } from '../../src/protocol/payload';

const v = PROTOCOL_VERSION;

/** A device whose loss the test triggers. */
function fakeDevice(): GpuDevice & { lose(message: string): void; destroyed: boolean } {
  let lose!: (info: { reason: string; message: string }) => void;
  const device = {
    lost: new Promise<{ reason: string; message: string }>((resolve) => (lose = resolve)),
    destroyed: false,
    destroy: () => {
      device.destroyed = true;
      lose({ reason: 'destroyed', message: 'Device was destroyed.' });
    },
    lose: (message: string) => lose({ reason: 'unknown', message }),
  };
  return device;
}

/** Adds `offset` to every sample, so a result tells which backend made it. */
function fakeBackend(
  offset: number,
  run?: (tile: PlanarTile) => Promise<Float32Array>,
): InferenceBackend & { disposed: boolean } {
  const backend = {
    name: `fake ${offset}`,
    disposed: false,
    run: run ?? (async (tile: PlanarTile) => tile.data.map((x) => x + offset)),
    dispose: async () => void (backend.disposed = true),
  };
  return backend;
}

const WEBGPU = 1;
const WASM = 2;

interface Harness {
  readonly engine: Engine;
  readonly replies: Response[];
  readonly backends: Record<Provider, Array<ReturnType<typeof fakeBackend>>>;
  /** Sends a request and waits for its final answer (ready, result or error). */
  ask(message: Record<string, unknown>): Promise<Response>;
}

function harness(
  overrides: Partial<EngineDeps> & { gpu?: () => GpuChoice; gpuRun?: (tile: PlanarTile) => Promise<Float32Array> } = {},
): Harness {
  const replies: Response[] = [];
  const waiting = new Map<number, (r: Response) => void>();
  const backends: Harness['backends'] = { webgpu: [], wasm: [] };
  const engine = new Engine(
    (r) => {
      replies.push(JSON.parse(JSON.stringify(r)));
      if (r.type === 'ready' || r.type === 'result' || r.type === 'error') waiting.get(r.id)?.(r);
    },
    {
      requestGpu: async () => overrides.gpu?.() ?? { reason: 'no WebGPU adapter' },
      createBackend: async (_model, provider) => {
        const backend = provider === 'webgpu' ? fakeBackend(WEBGPU, overrides.gpuRun) : fakeBackend(WASM);
        backends[provider].push(backend);
        return backend;
      },
      runtimeInfo: () => ({ wasmThreads: 1, crossOriginIsolated: false }),
      ...overrides,
    },
  );
  // An init is followed by its model's chunks, as the client sends them.
  const ask = (message: Record<string, unknown>) =>
    new Promise<Response>((resolve) => {
      waiting.set(message.id as number, resolve);
      engine.handle({ version: v, ...message });
      if (message.type === 'init' && message.model === OFFER)
        engine.handle({ ...chunk(message.id as number, 0), version: v });
    });
  return { engine, replies, backends, ask };
}

/** The fake backends never read the model: any bytes do. */
const MODEL = new Uint8Array([1, 2, 3, 4, 5]);
const OFFER = { label: 'test model', bytes: MODEL.length, chunks: 1, sha256: sha256Hex(MODEL) };
const chunk = (target: number, index: number, data = MODEL) => ({
  type: 'model-chunk',
  id: 1000 + target,
  target,
  index,
  data: encodeBytes(data),
});
const init = (id: number, provider: Provider | 'auto' = 'auto') => ({ type: 'init', id, model: OFFER, provider });
/** Two highlight pixels (every input 1), so the whole answer comes back. */
const tile = (id: number, value = 1) => ({
  type: 'run-tile',
  id,
  width: 2,
  height: 1,
  input: encodeSamples(new Float32Array(6).fill(value)),
});
const samples = (r: Response) => (r.type === 'result' ? Array.from(decodeNetworkOutput(r.output)) : r);

describe('provider choice', () => {
  it('uses WASM when there is no adapter, and says so', async () => {
    const { ask } = harness();
    expect(await ask(init(1))).toEqual({
      type: 'ready',
      id: 1,
      version: v,
      provider: 'wasm',
      reason: 'no WebGPU adapter; using WASM',
      model: 'test model',
      wasmThreads: 1,
      crossOriginIsolated: false,
    });
  });

  it('asks for any adapter (software included) only when WebGPU is asked for by name', async () => {
    const asked: boolean[] = [];
    const { ask } = harness({ requestGpu: async (allowSoftware) => (asked.push(allowSoftware), { reason: 'none' }) });
    await ask(init(1, 'auto'));
    await ask(init(2, 'webgpu'));
    await ask(init(3, 'wasm'));
    expect(asked).toEqual([false, true]);
  });

  it('runs on WebGPU when a device is there', async () => {
    const { ask } = harness({ gpu: () => ({ device: fakeDevice(), description: 'test adapter' }) });
    expect(await ask(init(1))).toMatchObject({ provider: 'webgpu', reason: 'WebGPU on test adapter' });
    expect(samples(await ask(tile(2)))).toEqual(Array(6).fill(2));
  });

  it('falls back to WASM when the WebGPU session cannot be made, and frees the device', async () => {
    const device = fakeDevice();
    const { ask } = harness({
      gpu: () => ({ device, description: 'test adapter' }),
      createBackend: async (_m, provider) => {
        if (provider === 'webgpu') throw new Error('unsupported op');
        return fakeBackend(WASM);
      },
    });
    expect(await ask(init(1))).toMatchObject({
      provider: 'wasm',
      reason: 'WebGPU could not load the model (unsupported op); using WASM',
    });
    expect(device.destroyed).toBe(true);
  });

  it('frees the previous session on a new init', async () => {
    const { ask, backends } = harness();
    await ask(init(1));
    await ask(init(2));
    expect(backends.wasm.map((b) => b.disposed)).toEqual([true, false]);
  });
});

describe('WebGPU failures', () => {
  it('a device lost mid-run: the tile is rerun on WASM, with a notice, and WASM stays', async () => {
    const device = fakeDevice();
    let started!: () => void;
    const running = new Promise<void>((r) => (started = r));
    const { ask, backends } = harness({
      gpu: () => ({ device, description: 'test adapter' }),
      gpuRun: () => (started(), new Promise<Float32Array>(() => undefined)), // never returns, as on a dead device
    });
    await ask(init(1));
    const answer = ask(tile(2));
    await running;
    device.lose('GPU reset');
    const result = await answer;
    expect(result).toMatchObject({
      type: 'result',
      networkMs: expect.any(Number),
      provider: 'wasm',
      notice: 'the GPU device was lost (GPU reset); continuing on WASM',
    });
    expect(samples(result)).toEqual(Array(6).fill(3));
    expect(await ask(tile(3))).toMatchObject({ provider: 'wasm' });
    expect(backends.webgpu[0].disposed).toBe(true);
  });

  it('a result read back while the device went is not trusted', async () => {
    const device = fakeDevice();
    const { ask } = harness({
      gpu: () => ({ device, description: 'test adapter' }),
      gpuRun: async (t) => {
        device.lose('lost while reading back');
        await new Promise((r) => setImmediate(r)); // the loss's promise callbacks run first
        return t.data.map(() => 0);
      },
    });
    await ask(init(1));
    expect(samples(await ask(tile(2)))).toEqual(Array(6).fill(3));
  });

  it('a WebGPU run that fails also moves to WASM', async () => {
    const { ask } = harness({
      gpu: () => ({ device: fakeDevice(), description: 'test adapter' }),
      gpuRun: async () => {
        throw new Error('shader compilation failed');
      },
    });
    await ask(init(1));
    expect(await ask(tile(2))).toMatchObject({
      provider: 'wasm',
      notice: 'WebGPU failed (shader compilation failed); continuing on WASM',
    });
  });

  it('a WASM failure is an inference error', async () => {
    const { ask } = harness({
      createBackend: async () =>
        fakeBackend(WASM, async () => {
          throw new Error('out of memory');
        }),
    });
    await ask(init(1));
    expect(await ask(tile(2))).toEqual({
      type: 'error',
      id: 2,
      version: v,
      code: 'inference',
      message: 'out of memory',
    });
  });
});

describe('results', () => {
  it('carry only the pixels whose inputs reach the highlight mask, from a float32 input too', async () => {
    const { ask } = harness();
    await ask(init(1));
    // 3×1 planar: pixel 1's green is 0.97 (a highlight), the others stay below 0.95.
    const data = new Float32Array([0.1, 0.2, 0.3, 0.4, 0.97, 0.6, 0.7, 0.8, 0.9]);
    const input = encodeFloat32(data);
    const result = await ask({ type: 'run-tile', id: 2, width: 3, height: 1, input });
    expect(result).toMatchObject({ type: 'result', pixels: 1 });
    const expected = [0.2, 0.97, 0.8].map((x) => Math.fround(Math.fround(x) + WASM));
    const got = samples(result) as number[];
    expected.forEach((x, i) => expect(Math.abs(got[i] - x)).toBeLessThanOrEqual(LOG_STEP / 2 + 1e-7));
    // Only from the part the plugin reads: pixel 1 left out, nothing comes back.
    const used = { left: 2, top: 0, width: 1, height: 1 };
    expect(await ask({ type: 'run-tile', id: 3, width: 3, height: 1, input, used })).toMatchObject({ pixels: 0 });
  });

  it('refuse a model whose answer has a non-finite value, also where nothing would come back', async () => {
    const { ask } = harness({
      createBackend: async () => fakeBackend(WASM, async (t) => t.data.map((x, i) => (i === 0 ? NaN : x))),
    });
    await ask(init(1));
    const data = new Float32Array([0.5, 1, 0.5, 1, 0.5, 1]); // pixel 0 is no highlight
    const result = await ask({ type: 'run-tile', id: 2, width: 2, height: 1, input: encodeSamples(data) });
    expect(result).toMatchObject({
      type: 'error',
      code: 'inference',
      message: 'the model gave 1 non-finite values (NaN or Inf); it is broken',
    });
  });
});

describe('the page’s own work beside the network', () => {
  /** Tiles whose first sample says which they are; the backend records when each starts. */
  const numbered = (id: number, n: number) => ({ ...tile(id), input: encodeSamples(new Float32Array(6).fill(n)) });

  it.each([
    ['WebGPU', true, 0],
    ['WASM', false, 1],
  ])('on %s, the next tile starts before the answer ahead is sent: %s', async (_what, gpu, answeredFirst) => {
    const started: number[] = [];
    const results = () => replies.filter((r) => r.type === 'result').length;
    const run = async (t: PlanarTile) => (started.push(results()), t.data);
    const { ask, replies } = harness(
      gpu
        ? { gpu: () => ({ device: fakeDevice(), description: 'test adapter' }), gpuRun: run }
        : { createBackend: async () => fakeBackend(WASM, run) },
    );
    await ask(init(1, gpu ? 'webgpu' : 'wasm'));
    const answers = [ask(numbered(2, 0.25)), ask(numbered(3, 0.5))];
    expect(await Promise.all(answers)).toMatchObject([{ type: 'result' }, { type: 'result' }]);
    // Results sent when the second tile started: none on WebGPU (its answer is packed after), one on WASM.
    expect(started).toEqual([0, answeredFirst]);
  });

  it('a tile that arrives while another runs is decoded at once: a damaged one is refused before the other answers', async () => {
    let finish!: () => void;
    let gate = new Promise<void>((r) => (finish = r));
    const { ask, replies } = harness({
      createBackend: async () => fakeBackend(WASM, async (t) => (await gate, t.data)),
    });
    await ask(init(1));
    finish(); // one tile through first, so that nothing but the next one is in hand
    await ask(tile(9));
    gate = new Promise<void>((r) => (finish = r));
    const running = ask(tile(2));
    const damaged = { ...tile(3), input: { ...encodeSamples(new Float32Array(6).fill(0.5)), indices: 'AAAA' } };
    expect(await ask(damaged)).toMatchObject({ type: 'error', code: 'bad-message' });
    expect(replies.some((r) => r.type === 'result' && r.id === 2)).toBe(false);
    finish();
    expect(await running).toMatchObject({ type: 'result' });
  });
});

describe('cancel', () => {
  it('skips a queued tile and answers a running one with cancelled', async () => {
    let finish!: () => void;
    const gate = new Promise<void>((r) => (finish = r));
    const { engine, ask } = harness({
      createBackend: async () => fakeBackend(WASM, async (t) => (await gate, t.data)),
    });
    await ask(init(1));
    const running = ask(tile(2));
    const queued = ask(tile(3));
    engine.handle({ type: 'cancel', id: 4, version: v, target: 3 });
    engine.handle({ type: 'cancel', id: 5, version: v, target: 2 });
    finish();
    expect(await running).toMatchObject({ type: 'error', code: 'cancelled' });
    expect(await queued).toMatchObject({ type: 'error', code: 'cancelled' });
    expect(await ask(tile(6))).toMatchObject({ type: 'result' });
  });

  it('cancels an init still waiting for its model', async () => {
    const { engine, ask, replies } = harness();
    const answer = ask({ type: 'init', id: 1, model: { ...OFFER, label: 'waiting' }, provider: 'auto' });
    engine.handle({ type: 'cancel', id: 2, version: v, target: 1 });
    expect(await answer).toEqual({ type: 'error', id: 1, version: v, code: 'cancelled', message: 'cancelled' });
    expect(replies.map((r) => r.type)).toEqual(['model-status', 'error']);
    engine.handle({ ...chunk(1, 0), version: v });
    expect(replies.at(-1)).toMatchObject({
      type: 'error',
      id: 1001,
      code: 'not-ready',
      message: 'no init request 1 is waiting for its model',
    });
  });
});

describe('errors', () => {
  it('a model of several chunks, in any order, is put together; each chunk is acknowledged', async () => {
    let loaded: Uint8Array | undefined;
    const { engine, ask, replies } = harness({ createBackend: async (model) => ((loaded = model), fakeBackend(WASM)) });
    const model = Uint8Array.from({ length: 2 * CHUNK_BYTES + 10 }, (_, i) => i % 251);
    const answer = ask({
      type: 'init',
      id: 1,
      model: { label: 'big', bytes: model.length, chunks: 3, sha256: sha256Hex(model) },
      provider: 'wasm',
    });
    for (const index of [2, 0, 1])
      engine.handle({ ...chunk(1, index, model.subarray(index * CHUNK_BYTES, (index + 1) * CHUNK_BYTES)), version: v });
    expect(await answer).toMatchObject({ type: 'ready', model: 'big' });
    expect(Buffer.from(loaded!).equals(Buffer.from(model))).toBe(true);
    expect(replies.filter((r) => r.type === 'chunk').map((r) => r.type === 'chunk' && [r.index, r.received])).toEqual([
      [2, 10],
      [0, CHUNK_BYTES + 10],
      [1, 2 * CHUNK_BYTES + 10],
    ]);
  });

  it('a model that arrives damaged is a model error, announced as failed, and never loaded', async () => {
    const { engine, ask, replies, backends } = harness();
    const answer = ask({ type: 'init', id: 1, model: { ...OFFER, label: 'damaged' }, provider: 'auto' });
    engine.handle({ ...chunk(1, 0, new Uint8Array([1, 2, 3, 4, 6])), version: v });
    expect(await answer).toMatchObject({
      type: 'error',
      code: 'model',
      message: expect.stringMatching(/^damaged arrived damaged: SHA-256 [0-9a-f]{64}, expected/),
    });
    expect(replies.at(-2)).toMatchObject({ type: 'model-status', state: 'failed' });
    expect(backends.wasm).toEqual([]);
  });

  it.each([
    ['a chunk of the wrong size', chunk(1, 0, new Uint8Array(4)), 'model chunk 0 holds 4 bytes, expected 5'],
    ['a chunk past the end', chunk(1, 1), 'model chunk 1 of 1'],
  ])('%s fails its init as a bad message', async (_what, bad, text) => {
    const { engine, ask, replies } = harness();
    const answer = ask({ type: 'init', id: 1, model: { ...OFFER, label: 'x' }, provider: 'auto' });
    engine.handle({ ...bad, version: v });
    expect(await answer).toMatchObject({ type: 'error', id: 1, code: 'bad-message', message: text });
    expect(replies.find((r) => r.id === 1001)).toMatchObject({ type: 'error', code: 'bad-message', message: text });
  });

  it('a payload that is not base64 is a bad message', async () => {
    const { ask } = harness();
    await ask(init(1));
    const answer = await ask({
      type: 'run-tile',
      id: 2,
      width: 1,
      height: 1,
      input: { encoding: 'base64-f32le', length: 3, data: '!!!!' },
    });
    expect(answer).toMatchObject({ type: 'error', id: 2, code: 'bad-message' });
  });

  it('a message without a usable id is answered with id 0', async () => {
    const { engine, replies } = harness();
    engine.handle({ type: 'init', id: -4, version: v });
    engine.handle(null);
    expect(replies).toEqual([
      {
        type: 'error',
        id: 0,
        version: v,
        code: 'bad-message',
        message: "'init' message: 'id' must be a non-negative integer, got -4",
      },
      { type: 'error', id: 0, version: v, code: 'bad-message', message: 'a message must be an object' },
    ]);
  });
});

describe('hostile input', () => {
  it('handle never throws, whatever it is given, and answers what it can', () => {
    const { engine, replies } = harness();
    const revoked = Proxy.revocable({}, {});
    revoked.revoke();
    const hostile: unknown[] = [
      revoked.proxy,
      {
        get type(): string {
          throw new Error('boom');
        },
      },
      { type: 'cancel', id: 1, version: v, target: 10n },
      Object.create(null),
      new Proxy(
        {},
        {
          get: () => {
            throw new Error('trap');
          },
        },
      ),
    ];
    for (const raw of hostile) expect(() => engine.handle(raw)).not.toThrow();
    expect(replies).toHaveLength(hostile.length);
    expect(replies.every((r) => r.type === 'error' && r.code === 'bad-message')).toBe(true);
    // A bridge that throws on reply is not the engine's caller's problem either.
    const broken = new Engine(() => {
      throw new Error('bridge gone');
    }, {} as EngineDeps);
    expect(() => broken.handle('{oops')).not.toThrow();
  });

  it('refuses requests past its queue bound with busy, and serves the others', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const { ask, engine, replies } = harness({ gpuRun: undefined });
    await ask(init(1));
    await new Promise(setImmediate); // the init's own bookkeeping ends just after its answer
    const slow = fakeBackend(0, async (t) => (await gate, t.data));
    (engine as unknown as { session: { backend: InferenceBackend } }).session.backend = slow;
    const answers = Array.from({ length: MAX_QUEUED_REQUESTS + 5 }, (_, i) => ask(tile(100 + i)));
    const busy = replies.filter((r) => r.type === 'error' && r.code === 'busy');
    expect(busy.map((r) => r.id)).toEqual([132, 133, 134, 135, 136]);
    const text = `the engine already has ${MAX_QUEUED_REQUESTS} requests in hand; wait for their answers`;
    expect(busy[0]).toMatchObject({ message: text });
    release();
    const done = await Promise.all(answers);
    expect(done.filter((r) => r.type === 'result')).toHaveLength(MAX_QUEUED_REQUESTS);
    expect(samples(await ask(tile(200)))).toEqual(Array(6).fill(1)); // served again once the queue drained
  });
});

test('echo is answered at once with the same text, without a model (Diagnostics’ bridge round trip)', () => {
  const replies: Response[] = [];
  const engine = new Engine((m) => replies.push(m), {} as EngineDeps);
  engine.handle({ type: 'echo', id: 7, version: v, payload: 'x'.repeat(1000) });
  expect(replies).toEqual([{ type: 'echo', id: 7, version: v, payload: 'x'.repeat(1000) }]);
});
