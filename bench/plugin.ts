/**
 * The plugin's tile path, per stage (issue 15): the sample photos as published, as 8-bit sRGB
 * background layers in the Photoshop simulator, read and written through its imaging API as
 * the plugin's LayerReader/LayerWriter do (getPixels, the plugin's pixel codec; encodeOutput,
 * createImageDataFromBuffer, putPixels into a 32-bit document), the shared core's fixed tile
 * plan (the plugin's engine reports no cost model), overlapped as the plugin runs it, and
 * EngineClient over the engine in a Node worker (the engine page's code on onnxruntime-web
 * WASM, messages as JSON). Per image:
 * - each photo runs twice: through the simulator, then with Photoshop's work taken out (each
 *   window's samples are those the simulator gave the first run, the plugin still decoding
 *   them; the cores are encoded for putPixels and put after the run), since the simulator's
 *   imaging calls are JavaScript on the plugin's own thread, slower than Photoshop's own and
 *   not the plugin's to make faster;
 * - wall: the run, as the user waits for it; network: the page's own time in the network
 *   (`networkMs` of each result); overhead = wall − network: everything but the network, of
 *   the second run (the RESULT line), and of the first ("with it");
 * - Photoshop, read, write: timed at the calls (the simulator's getPixels/putPixels, the
 *   plugin's decoding and encoding of their samples), on the plugin's thread;
 * - encode, page, decode: the bridge's message work, replayed after the run on each tile's
 *   own messages (encode: the client's request; page: parsing it and packing its answer;
 *   decode: the client parsing and expanding the answer);
 * - bridge bytes: the JSON text of every run-tile and result that crossed, beside what protocol
 *   v2 sent (base64 float32 of the whole window both ways), computed for the same tiles.
 * Narrow random weights (widths ÷ 8): full width on WASM in a worker takes minutes a photo here;
 * the network column is the narrow model's, the other stages do not depend on the width.
 */
// The simulator checks itself against the UXP typings the plugin declares (the CLI build has no others).
/// <reference path="../src/host/uxp.d.ts" />
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import type { InferenceBackend, PlanarTile } from '../src/core/backend';
import type { Rect, RgbImage } from '../src/core/image';
import { reconstructTiles, type PixelSink, type PixelSource, type SourcePixels } from '../src/core/reconstruct';
import { decodePixels, encodeOutput } from '../src/plugin-core/pixel-codec';
import { toneCurve } from '../src/plugin-core/tone-curve';
import { EngineClient } from '../src/protocol/client';
import { parseRequest, parseResponse, PROTOCOL_VERSION, type Response } from '../src/protocol/messages';
import {
  decodeNetworkOutput,
  decodeSamples,
  encodeFloat32,
  encodeNetworkOutput,
  encodeSamples,
  expandPixels,
  packPixels,
  returnedPixels,
} from '../src/protocol/payload';
import { createPhotoshopSimulator } from '../test/simulator/index';
import { startWorkerEngine } from '../test/helpers/worker-engine';
import { benchModel } from './make-model';
import { printTable } from './stats';
import { SHARED } from './tiling';

const FORMAT = { depth: 8 as const, colorComponents: 3 as const, curve: toneCurve('sRGB IEC61966-2.1') };

interface Stages {
  /** The simulator's getPixels/getData and createImageDataFromBuffer/putPixels: Photoshop's work, not the plugin's. */
  photoshop: number;
  read: number;
  write: number;
  encode: number;
  page: number;
  decode: number;
  /** The page's own network time. */
  network: number;
  bytesIn: number;
  bytesOut: number;
  v2Bytes: number;
  runs: number;
}

const seconds = (since: number): number => (performance.now() - since) / 1000;

/** One tile as it crossed: the core's window and the answer the client gave back. */
interface Crossing {
  readonly tile: PlanarTile;
  readonly output: Float32Array;
}

/** The client as the core sees it, keeping each tile and its answer for the replay after the run. */
class RecordingBackend implements InferenceBackend {
  readonly name = 'engine in a worker';
  readonly crossings: Crossing[] = [];
  constructor(private readonly client: EngineClient) {}

  async run(tile: PlanarTile, signal?: Parameters<InferenceBackend['run']>[1]): Promise<Float32Array> {
    const output = await this.client.run(tile, signal);
    this.crossings.push({ tile, output });
    return output;
  }

  async dispose(): Promise<void> {}
}

/** The bridge's message work on each crossing, timed apart from the run (the run did it once already). */
function replay(crossings: readonly Crossing[], answers: ReadonlyArray<Response & { type: 'result' }>, s: Stages) {
  crossings.forEach(({ tile, output }, k) => {
    const { width, height } = tile;
    const used = tile.used ? { used: tile.used } : {};
    let t = performance.now();
    const request = JSON.stringify({
      type: 'run-tile',
      id: 1,
      version: PROTOCOL_VERSION,
      width,
      height,
      input: encodeSamples(tile.data, { width, planes: 3 }),
      ...used,
    });
    s.encode += seconds(t);
    t = performance.now();
    const parsed = parseRequest(request) as Extract<ReturnType<typeof parseRequest>, { type: 'run-tile' }>;
    const data = decodeSamples(parsed.input);
    const pixels = returnedPixels({ width, height, data, used: parsed.used });
    const packed = encodeNetworkOutput(packPixels(output, pixels, width * height));
    const resultText = JSON.stringify({ ...answers[k], output: packed });
    s.page += seconds(t);
    t = performance.now();
    const result = parseResponse(resultText) as Response & { type: 'result' };
    expandPixels(decodeNetworkOutput(result.output), returnedPixels(tile), width * height);
    s.decode += seconds(t);
    s.bytesIn += request.length;
    s.bytesOut += JSON.stringify(answers[k]).length;
    s.network += answers[k].networkMs / 1000;
    const v2Request = JSON.stringify({
      type: 'run-tile',
      id: 1,
      version: 2,
      width,
      height,
      input: encodeFloat32(tile.data),
    });
    const { pixels: _pixels, networkMs: _ms, ...rest } = answers[k];
    s.v2Bytes += v2Request.length + JSON.stringify({ ...rest, version: 2, output: encodeFloat32(output) }).length;
    s.runs++;
  });
}

async function photo(file: string): Promise<{ width: number; height: number; data: Uint8Array }> {
  const { data, info } = await sharp(file)
    .removeAlpha()
    .toColourspace('srgb')
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { width: info.width, height: info.height, data: new Uint8Array(data) };
}

/** Stage timings of one image's run through the plugin's path. */
interface ImageRun {
  readonly wall: number;
  readonly stages: Stages;
}

const noStages = (): Stages => ({
  photoshop: 0,
  read: 0,
  write: 0,
  encode: 0,
  page: 0,
  decode: 0,
  network: 0,
  bytesIn: 0,
  bytesOut: 0,
  v2Bytes: 0,
  runs: 0,
});

/**
 * One run of a photo. With `fetched`, Photoshop's work is taken out: each window's samples are the
 * ones the simulator's getPixels gave in the run before (the plugin still decodes them), and the
 * written cores are encoded for putPixels but put after the run; without, every window is read
 * through the simulator and its samples kept in `keep`.
 */
async function runImage(
  img: { width: number; height: number; data: Uint8Array },
  client: EngineClient,
  engine: ReturnType<typeof startWorkerEngine>,
  windows: { readonly fetched?: Map<string, ArrayLike<number>>; readonly keep: Map<string, ArrayLike<number>> },
): Promise<ImageRun> {
  const { sim, photoshop } = createPhotoshopSimulator();
  const { imaging, core } = photoshop;
  const source = sim.addDocument({
    width: img.width,
    height: img.height,
    layers: [{ background: true, pixels: { width: img.width, height: img.height, data: img.data } }],
  });
  const target = sim.addDocument({ width: img.width, height: img.height, depth: 32, layers: [{ name: 'HDR' }] });
  const stages = noStages();
  const key = (r: Rect) => `${r.left},${r.top},${r.width},${r.height}`;
  const getPixels = async (rect: Rect): Promise<ArrayLike<number>> => {
    const fetched = windows.fetched?.get(key(rect));
    if (fetched) return fetched;
    const t = performance.now();
    const { imageData } = await imaging.getPixels({
      documentID: source.id,
      layerID: source.layers[0].id,
      sourceBounds: { left: rect.left, top: rect.top, right: rect.left + rect.width, bottom: rect.top + rect.height },
    });
    const data = await imageData.getData({ chunky: true });
    void imageData.dispose();
    stages.photoshop += seconds(t);
    windows.keep.set(key(rect), data);
    return data;
  };
  const putPixels = async (rect: Rect, samples: Float32Array): Promise<void> => {
    const put = performance.now();
    const imageData = await imaging.createImageDataFromBuffer(samples, {
      width: rect.width,
      height: rect.height,
      components: 3,
      chunky: true,
      colorSpace: 'RGB',
    });
    await imaging.putPixels({
      documentID: target.id,
      layerID: target.layers[0].id,
      imageData,
      replace: false,
      targetBounds: { left: rect.left, top: rect.top, width: rect.width, height: rect.height },
    });
    void imageData.dispose();
    stages.photoshop += seconds(put);
  };
  const reader: PixelSource = {
    width: img.width,
    height: img.height,
    async read(rect: Rect): Promise<SourcePixels> {
      const data = await getPixels(rect);
      const unpacked = performance.now();
      const pixels = decodePixels(data, rect.width, rect.height, { ...FORMAT, hasAlpha: false });
      stages.read += seconds(unpacked);
      return { width: rect.width, height: rect.height, data: pixels.display };
    },
  };
  const deferred: Array<[Rect, Float32Array]> = [];
  const writer: PixelSink = {
    async write(rect: Rect, hdr: RgbImage): Promise<void> {
      const t = performance.now();
      const samples = encodeOutput(hdr, 3, null);
      stages.write += seconds(t);
      if (windows.fetched) deferred.push([rect, samples]);
      else await putPixels(rect, samples);
    },
  };
  const backend = new RecordingBackend(client);
  const answersBefore = engine.sent.length;
  const started = performance.now();
  await core.executeAsModal(() => reconstructTiles(reader, writer, backend), { commandName: 'bench' });
  const wall = seconds(started);
  await core.executeAsModal(
    async () => {
      for (const [rect, samples] of deferred) await putPixels(rect, samples);
    },
    { commandName: 'bench: the deferred writes' },
  );
  const answers = engine.sent
    .slice(answersBefore)
    .filter((m): m is Response & { type: 'result' } => (m as Response).type === 'result');
  replay(backend.crossings, answers, stages);
  return { wall, stages };
}

export async function benchPlugin(filters: string[] = []): Promise<void> {
  const dir = path.join(SHARED, 'samples');
  const files = readdirSync(dir)
    .filter((f) => /\.(png|jpe?g)$/i.test(f))
    .filter((f) => filters.length === 0 || filters.some((w) => f.includes(w)));
  const engine = startWorkerEngine();
  const client = new EngineClient(engine.endpoint);
  await client.init({ label: 'narrow random weights', bytes: new Uint8Array(readFileSync(benchModel(8))) });
  const rows: Array<Array<string | number>> = [];
  const totals = { mp: 0, bytes: 0, v2Bytes: 0, overhead: 0, withPhotoshop: 0, network: 0 };
  for (const file of files) {
    const img = await photo(path.join(dir, file));
    const keep = new Map<string, ArrayLike<number>>();
    const simulated = await runImage(img, client, engine, { keep });
    const own = await runImage(img, client, engine, { fetched: keep, keep: new Map() });
    const s = own.stages;
    const mp = (img.width * img.height) / 1e6;
    const overhead = own.wall - s.network;
    const withPhotoshop = simulated.wall - simulated.stages.network;
    totals.mp += mp;
    totals.bytes += s.bytesIn + s.bytesOut;
    totals.v2Bytes += s.v2Bytes;
    totals.network += s.network;
    totals.overhead += overhead;
    totals.withPhotoshop += withPhotoshop;
    rows.push([
      file,
      s.runs,
      simulated.stages.photoshop / mp,
      withPhotoshop / mp,
      s.read / mp,
      s.write / mp,
      s.encode / mp,
      s.page / mp,
      s.decode / mp,
      s.network / mp,
      own.wall / mp,
      overhead / mp,
      s.bytesIn / mp / 1e6,
      s.bytesOut / mp / 1e6,
      (s.bytesIn + s.bytesOut) / mp / 1e6,
      s.v2Bytes / mp / 1e6,
    ]);
  }
  await client.dispose();
  await engine.close();
  printTable(
    'Plugin tile path per stage, s per image megapixel (simulator, engine in a worker, narrow random weights)',
    [
      'photo',
      'runs',
      'Photoshop (simulator)',
      'wall − network, with it',
      'read',
      'write',
      'encode',
      'page',
      'decode',
      'network (page)',
      'wall',
      'overhead = wall − network (≤ 0.15)',
      'bridge in MB/MP',
      'out',
      'bridge MB/MP (≤ 3)',
      'v2 MB/MP',
    ],
    rows,
  );
  const perMp = (x: number) => x / totals.mp;
  console.log(
    `\nRESULT bridge_bytes_per_mp=${Math.round(perMp(totals.bytes))} overhead_s_per_mp=${perMp(totals.overhead).toFixed(3)}` +
      ` network_s_per_mp=${perMp(totals.network).toFixed(3)}`,
  );
  console.log(
    `(with the simulator's Photoshop work in the run: wall − network = ${perMp(totals.withPhotoshop).toFixed(3)} s/MP;` +
      ` protocol v2 on the same tiles: bridge_bytes_per_mp=${Math.round(perMp(totals.v2Bytes))})`,
  );
}
