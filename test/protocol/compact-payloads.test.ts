/**
 * The compact payloads change the output only by the answer's log grid: the core's reconstruction
 * through EngineClient and the Engine (palette input, only the returned pixels back on the grid,
 * JSON between) equals the same backend called directly with the whole answer — bit for bit
 * outside the highlight mask, within γ·LOG_STEP/2 relative inside it — on both tile plans and with
 * pixels whose x' lies just above 0.95 at gamma 1.2 (their float32 rounds below it).
 */
import type { InferenceBackend, PlanarTile } from '../../src/core/backend';
import { highlightAlpha, networkValue, pixelAlpha } from '../../src/core/hdrcnn';
import { createRgbImage } from '../../src/core/image';
import { reconstruct } from '../../src/core/reconstruct';
import { Engine } from '../../src/engine/engine';
import { EngineClient, type BridgeEndpoint } from '../../src/protocol/client';
import { sha256Hex } from '../../src/protocol/checksum';
import { LOG_STEP } from '../../src/protocol/payload';

/** A deterministic stand-in for the network: every output sample depends on its input and its neighbour. */
const network: InferenceBackend = {
  name: 'deterministic',
  run: async (tile: PlanarTile) => tile.data.map((x, i, a) => Math.sin(7 * x + 3 * a[(i + 1) % a.length]) + 0.5),
  dispose: async () => undefined,
};

/** The client and an in-process engine, messages crossing as JSON text. */
async function connect(): Promise<EngineClient> {
  const listeners = new Set<(event: { data: unknown }) => void>();
  const engine = new Engine((m) => listeners.forEach((l) => l({ data: JSON.stringify(m) })), {
    requestGpu: async () => ({ reason: 'none' }),
    createBackend: async () => network,
    runtimeInfo: () => ({ wasmThreads: 1, crossOriginIsolated: false }),
  });
  const endpoint: BridgeEndpoint = {
    postMessage: (m) => engine.handle(JSON.stringify(m)),
    addEventListener: (_t, l) => listeners.add(l),
    removeEventListener: (_t, l) => listeners.delete(l),
  };
  const client = new EngineClient(endpoint);
  const model = new Uint8Array([1, 2, 3]);
  await client.init({ label: 'test', bytes: model, sha256: sha256Hex(model) });
  return client;
}

/**
 * A float32 display value whose x' at gamma 1.2, computed in doubles as the core does, lies just above
 * 0.95 (a pixel the core blends) while its float32, what the window carries, is below it.
 */
function justAbove(): number {
  const f32 = new Float32Array([0.95 ** 1.2]);
  const u32 = new Uint32Array(f32.buffer);
  for (;;) {
    const x = networkValue(f32[0], { gamma: 1.2, scaling: 1 });
    if (x > 0.95 && Math.fround(x) < 0.95) return f32[0];
    u32[0]++;
  }
}

/** 8-bit codes with two lamps, and a few samples whose x' at gamma 1.2 is {@link justAbove} 0.95. */
function photo(): ReturnType<typeof createRgbImage> {
  const [w, h] = [600, 400];
  const image = createRgbImage(w, h);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const lamp = Math.max(0, 1.4 - Math.hypot(x - 70, y - 60) / 30, 1.3 - Math.hypot(x - 240, y - 150) / 20);
      for (let c = 0; c < 3; c++) {
        const v = 0.3 + 0.2 * Math.sin(x / 13 + c) * Math.cos(y / 17) + lamp;
        image.data[(y * w + x) * 3 + c] = Math.round(Math.min(1, v) * 255) / 255;
      }
    }
  }
  for (const [x, y] of [
    [150, 20],
    [151, 20],
    [400, 300],
  ])
    image.data[(y * w + x) * 3 + 1] = justAbove();
  return image;
}

it.each([
  ['the fixed plan, gamma 1', { gamma: 1 }, undefined],
  ['the fixed plan, gamma 1.2', { gamma: 1.2 }, undefined],
  [
    'the cost planner, gamma 1.2',
    { gamma: 1.2 },
    { name: 'test', perRun: 4e-3, perPixel: 3e-6, perShape: 0.03, maxWindowPixels: 2 ** 20 },
  ],
])('%s: the output through the protocol is the direct one up to the log grid', async (_what, settings, cost) => {
  const image = photo();
  const x = networkValue(justAbove(), { gamma: 1.2, scaling: 1 });
  expect([highlightAlpha(x, 0, 0) > 0, highlightAlpha(Math.fround(x), 0, 0)]).toEqual([true, 0]);
  const client = await connect();
  const options = { settings, ...(cost ? { cost } : {}) };
  const direct = await reconstruct(image, network, options);
  const viaProtocol = await reconstruct(image, client, options);
  expect(viaProtocol.computedTiles).toBeGreaterThan(0);
  expect(viaProtocol.computedTiles).toBeLessThan(viaProtocol.tiles);
  let [outsideDiffering, worst] = [0, 0];
  for (let p = 0; p < image.width * image.height; p++) {
    const [r, g, b] = image.data.subarray(3 * p, 3 * p + 3);
    const masked = pixelAlpha(r, g, b, { gamma: settings.gamma, scaling: 1 }) > 0;
    for (let i = 3 * p; i < 3 * p + 3; i++) {
      const [got, want] = [viaProtocol.image.data[i], direct.image.data[i]];
      if (!masked) outsideDiffering += Number(got !== want);
      else worst = Math.max(worst, Math.abs(got - want) / Math.abs(want));
    }
  }
  expect(outsideDiffering).toBe(0);
  // The grid's bound, and float32 rounding of the value and of the output on top.
  expect(worst).toBeLessThan((settings.gamma * LOG_STEP) / 2 + 4e-7);
  expect(worst).toBeGreaterThan(0); // the answer really went through the grid
  await client.dispose();
});
