/**
 * The panel's crop preview (issue 14): its latency on WASM with 1 and 2 threads,
 * full-width random weights, split into the network's time and the plugin's overhead
 * on top of it. The preview's code runs as in the panel (host/preview-compute:
 * decoding, mask and regions, the crop through reconstructTile and the layer encoding,
 * both pictures at 0 EV) against the engine in a worker thread (the
 * engine page's code, messages as JSON), the way the webview runs it. Per run:
 * - engine round trip: the client's run of the window (what the panel waits for);
 * - bridge: base64 + JSON of the window and its answer, both sides, measured apart in
 *   the same run (a message's cost is its size's, not the network's);
 * - network: the round trip less the bridge; preview code: the total less the round trip;
 * - overhead = bridge + preview code (target ≤ 0.3 s); an exposure step redraws both pictures.
 * Not measured (Photoshop's own work): getPixels of the view and the window, JPEG encoding.
 * A 6000×4000 8-bit layer with a lamp filling one tile; the window is the tile's full 320².
 */
import { readFileSync } from 'node:fs';
import { rankRegions, rectInView } from '../src/core/preview-region';
import { EXPOSURES, renderExposure } from '../src/core/preview-render';
import { sourceRect } from '../src/core/window';
import { decodePixels, type DecodedPixels } from '../src/plugin-core/pixel-codec';
import { previewCrop, previewView, renderView } from '../src/plugin-core/preview-compute';
import { DEFAULT_SETTINGS } from '../src/plugin-core/settings';
import { toneCurve } from '../src/plugin-core/tone-curve';
import { EngineClient } from '../src/protocol/client';
import { decodeFloat32, encodeFloat32, type EncodedFloat32 } from '../src/protocol/payload';
import { startWorkerEngine } from '../test/helpers/worker-engine';
import { benchModel } from './make-model';
import { median, printTable } from './stats';

const [W, H] = [6000, 4000];
const VIEW = { width: 320, height: 213 };
const WINDOW = 320;
const FORMAT = {
  depth: 8 as const,
  colorComponents: 3 as const,
  curve: toneCurve('sRGB IEC61966-2.1'),
  hasAlpha: false,
};

/** The virtual layer's 8-bit sample at (x, y): shading and a lamp clipped over about 500 px around (3100, 2100). */
function sample(x: number, y: number, c: number): number {
  const base = 0.35 + 0.25 * Math.sin(x / 97) * Math.cos(y / 61);
  const lamp = Math.max(0, 1.6 - Math.hypot(x - 3100, y - 2100) / 400);
  return Math.round(Math.min(1, base + lamp * (1 - 0.1 * c)) * 255);
}

/** What getPixels gives for `rect` scaled to `w`×`h` (point-sampled here: Photoshop's work, not timed). */
function bytes(rect: { left: number; top: number; width: number; height: number }, w: number, h: number): Uint8Array {
  const out = new Uint8Array(w * h * 3);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const [sx, sy] = [
        rect.left + Math.floor(((x + 0.5) * rect.width) / w),
        rect.top + Math.floor(((y + 0.5) * rect.height) / h),
      ];
      for (let c = 0; c < 3; c++) out[(y * w + x) * 3 + c] = sample(sx, sy, c);
    }
  }
  return out;
}

/** Seconds to carry a WINDOW² RGB float tile and its answer over the bridge: encode, JSON both ways, decode. */
function bridgeSeconds(): number {
  const data = Float32Array.from({ length: 3 * WINDOW * WINDOW }, (_, i) => (i % 997) / 997);
  const started = performance.now();
  for (let leg = 0; leg < 2; leg++)
    decodeFloat32((JSON.parse(JSON.stringify({ input: encodeFloat32(data) })) as { input: EncodedFloat32 }).input);
  return (performance.now() - started) / 1000;
}

export async function benchPreview(runs = 3): Promise<void> {
  const model = new Uint8Array(readFileSync(benchModel(1)));
  const settings = { ...DEFAULT_SETTINGS, gamma: 1.2 };
  const viewBytes = bytes({ left: 0, top: 0, width: W, height: H }, VIEW.width, VIEW.height);
  const rows: Array<Array<string | number>> = [];
  for (const threads of [1, 2]) {
    const engine = startWorkerEngine({ bundledModel: model, threads });
    const client = new EngineClient(engine.endpoint);
    await client.init({ kind: 'bundled', variant: 'clean' });
    let patchBytes: Uint8Array | undefined;
    const once = async () => {
      const started = performance.now();
      const view = previewView(decodePixels(viewBytes, VIEW.width, VIEW.height, FORMAT), settings);
      const [region] = rankRegions(view.mask, VIEW.width, VIEW.height, W, H);
      const rect = sourceRect(region.tile.window, W, H);
      patchBytes ??= bytes(rect, rect.width, rect.height); // stands for getPixels: made in the warm-up, untimed
      const pixels: DecodedPixels = decodePixels(patchBytes, rect.width, rect.height, FORMAT);
      const crop = await previewCrop({ rect, pixels }, region.tile, { width: W, height: H }, client, settings);
      const inView = rectInView(region.tile.core, VIEW.width, VIEW.height, W, H);
      renderExposure(crop.pixels, EXPOSURES[0]); // the panel draws the current exposure; the others on stepping
      renderView(view, EXPOSURES[0], inView);
      const done = performance.now();
      for (const ev of EXPOSURES.slice(1)) {
        renderExposure(crop.pixels, ev);
        renderView(view, ev, inView);
      }
      const step = (performance.now() - done) / 1000 / (EXPOSURES.length - 1);
      if (region.tile.window.width !== WINDOW || region.tile.window.height !== WINDOW)
        throw new Error('the lamp did not fill its tile');
      return { total: (done - started) / 1000, client: crop.networkMs / 1000, bridge: bridgeSeconds(), step };
    };
    await once(); // warm-up: the session's first run of this shape
    const times = [];
    for (let r = 0; r < runs; r++) times.push(await once());
    await client.dispose();
    await engine.close();
    const total = median(times.map((t) => t.total));
    const code = median(times.map((t) => t.total - t.client));
    const bridge = median(times.map((t) => t.bridge));
    const roundTrip = median(times.map((t) => t.client));
    const step = median(times.map((t) => t.step));
    rows.push([
      `wasm, ${threads} thread${threads > 1 ? 's' : ''}`,
      `${WINDOW}×${WINDOW}`,
      roundTrip - bridge,
      bridge,
      code,
      bridge + code,
      total,
      step,
    ]);
  }
  printTable(
    `Preview: crop latency, full-width random weights, 6000×4000 layer, median of ${runs} runs`,
    [
      'engine',
      'window',
      'network s',
      'bridge s',
      'preview code s',
      'overhead s (target ≤ 0.3)',
      'total s',
      'exposure step s',
    ],
    rows,
  );
}
