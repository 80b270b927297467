/**
 * Plugin client ⇄ engine over the Node wiring (engine in a worker thread on
 * onnxruntime-web WASM, JSON messages): the shared core's reconstruct loop
 * through the protocol reproduces the golden fixture.
 */
import { reconstruct } from '../../src/core/reconstruct';
import { wholeImageSettings } from '../../src/core/tile-plan';
import { EngineClient } from '../../src/protocol/client';
import { EngineError } from '../../src/protocol/errors';
import { PROTOCOL_VERSION } from '../../src/protocol/messages';
import { encodeFloat32 } from '../../src/protocol/payload';
import { fixtureInput, fixturePath, maxRelativeError, readNpyFloat32, tinyModelBytes } from '../helpers/fixture';
import { startWorkerEngine, untilSent, type WorkerEngine } from '../helpers/worker-engine';

const fixtureModel = () => ({ label: 'fixture model', bytes: tinyModelBytes() });

describe('EngineClient ⇄ Engine over the Node wiring', () => {
  let engine: WorkerEngine;
  let client: EngineClient;
  const statuses: string[] = [];

  beforeAll(() => {
    engine = startWorkerEngine();
    client = new EngineClient(engine.endpoint, { onModelStatus: (state) => statuses.push(state) });
  });
  afterAll(async () => {
    await client.dispose();
    await engine.close();
  });

  it('refuses a tile before init', async () => {
    await expect(client.run({ width: 32, height: 32, data: new Float32Array(3 * 32 * 32) })).rejects.toMatchObject({
      code: 'not-ready',
    });
  });

  it('loads the model sent in chunks on WASM and says why', async () => {
    const ready = await client.init(fixtureModel());
    expect(ready).toEqual({
      provider: 'wasm',
      reason: 'no WebGPU in Node; using WASM',
      model: 'fixture model',
      wasmThreads: 1,
      crossOriginIsolated: false,
    });
    expect(client.name).toBe('onnxruntime-web (wasm)');
    // The client's own 'loading' (sending), then the engine's (loading the session).
    expect(statuses).toEqual(['loading', 'loading', 'ready']);
  });

  it('reconstructs the golden fixture through the protocol within 1e-3', async () => {
    const input = await fixtureInput();
    const { image, computedTiles } = await reconstruct(input, client, {
      tiles: wholeImageSettings(input.width, input.height),
    });
    expect(computedTiles).toBe(1);
    expect(maxRelativeError(image.data, readNpyFloat32(fixturePath('expected_gamma_1_0.npy')).data)).toBeLessThan(1e-3);
  });

  it('reproduces the gamma 1.2 fixture too', async () => {
    const input = await fixtureInput();
    const { image } = await reconstruct(input, client, {
      settings: { gamma: 1.2 },
      tiles: wholeImageSettings(input.width, input.height),
    });
    expect(maxRelativeError(image.data, readNpyFloat32(fixturePath('expected_gamma_1_2.npy')).data)).toBeLessThan(1e-3);
  });

  it('loads another model on the provider asked for', async () => {
    const ready = await client.init({ label: 'again', bytes: tinyModelBytes() }, 'wasm');
    expect(ready).toMatchObject({ provider: 'wasm', reason: 'WASM was asked for', model: 'again' });
  });

  it('cancels pending tiles; the engine keeps serving', async () => {
    const tile = { width: 64, height: 64, data: new Float32Array(3 * 64 * 64).fill(0.9) };
    const runs = [client.run(tile), client.run(tile), client.run(tile)];
    client.cancelAll();
    for (const run of runs) await expect(run).rejects.toEqual(new EngineError('cancelled', 'cancelled'));
    const output = await client.run(tile);
    expect(output.length).toBe(tile.data.length);
  });

  it('answers malformed and wrong-version messages with a clear error', async () => {
    const errors = () =>
      engine.sent.filter((m) => (m as { type: string }).type === 'error') as Array<{
        id: number;
        code: string;
        message: string;
      }>;
    const before = errors().length;
    engine.endpoint.postMessage({
      type: 'run-tile',
      id: 900,
      version: PROTOCOL_VERSION,
      width: 2,
      height: 2,
      input: encodeFloat32(new Float32Array(5)),
    });
    engine.endpoint.postMessage({
      type: 'init',
      id: 901,
      version: 99,
      model: { label: 'x', bytes: 1, chunks: 1, sha256: '0'.repeat(64) },
      provider: 'auto',
    });
    const answered = untilSent(engine, () => errors().length >= before + 3);
    engine.endpoint.postMessage('not json');
    await answered;
    expect(errors().slice(before)).toEqual([
      {
        type: 'error',
        id: 900,
        version: PROTOCOL_VERSION,
        code: 'bad-message',
        message: "'run-tile' message: 5 samples for a 2×2 RGB tile",
      },
      {
        type: 'error',
        id: 901,
        version: PROTOCOL_VERSION,
        code: 'version',
        message: `protocol version 99 is not ${PROTOCOL_VERSION}: reload the plugin`,
      },
      { type: 'error', id: 0, version: PROTOCOL_VERSION, code: 'bad-message', message: 'a message must be an object' },
    ]);
  });
});
