/**
 * The plugin's tile path, per stage (issue 15): the sample photos as published, as 8-bit sRGB
 * background layers in the Photoshop simulator, read and written through its imaging API as
 * the plugin's LayerReader/LayerWriter do (getPixels, the plugin's pixel codec; encodeOutput,
 * createImageDataFromBuffer, putPixels into a 32-bit document), the shared core's fixed tile
 * plan (the plugin's engine reports no cost model) and EngineClient over the engine in a Node
 * worker (the engine page's code on onnxruntime-web WASM, messages as JSON). Per image:
 * - Photoshop: the simulator's getPixels and putPixels (Photoshop's own work, outside the overhead);
 * - read / write: the plugin's decoding of what getPixels gave, its encoding for putPixels;
 * - encode, page, decode: the bridge's message work, replayed in-process on each tile's own
 *   messages (encode: the client's request; page: the page parsing it and packing its answer;
 *   decode: the client parsing and expanding the answer);
 * - network: the client's round trip less those three (the worker's message passing included);
 * - blend: the rest of the run (the core's x', mask, windows and blend), the replays' time taken out;
 * - bridge bytes: the JSON text of every run-tile and result, beside what protocol v2 sent
 *   (base64 float32 of the whole window both ways), computed for the same tiles.
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
  decodeFloat32,
  decodeSamples,
  encodeFloat32,
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
  encode: number;
  page: number;
  decode: number;
  roundTrip: number;
  write: number;
  /** The replays' own time, taken out of the run's. */
  replay: number;
  bytes: number;
  v2Bytes: number;
  runs: number;
}

const seconds = (since: number): number => (performance.now() - since) / 1000;

/** The client as the core sees it, timing each run and replaying its messages' work apart. */
class StagedBackend implements InferenceBackend {
  readonly name = 'engine in a worker';
  constructor(
    private readonly client: EngineClient,
    private readonly sent: unknown[],
    private readonly stages: Stages,
  ) {}

  async run(tile: PlanarTile): Promise<Float32Array> {
    const s = this.stages;
    const started = performance.now();
    const output = await this.client.run(tile);
    s.roundTrip += seconds(started);
    s.runs++;
    const replayed = performance.now();
    const answer = this.sent.at(-1) as Response & { type: 'result' };
    const { width, height } = tile;
    // The client's request, as it goes out.
    let t = performance.now();
    const request = JSON.stringify({
      type: 'run-tile',
      id: 1,
      version: PROTOCOL_VERSION,
      width,
      height,
      input: encodeSamples(tile.data),
    });
    s.encode += seconds(t);
    // The page: the request in, its answer out (from the full output the network gave).
    t = performance.now();
    const parsed = parseRequest(request);
    const data = decodeSamples((parsed as { input: Parameters<typeof decodeSamples>[0] }).input);
    const pixels = returnedPixels({ width, height, data });
    const resultText = JSON.stringify({ ...answer, output: encodeFloat32(packPixels(output, pixels, width * height)) });
    s.page += seconds(t);
    // The client: the answer in, expanded.
    t = performance.now();
    const result = parseResponse(resultText) as Response & { type: 'result' };
    expandPixels(decodeFloat32(result.output), returnedPixels(tile), width * height);
    s.decode += seconds(t);
    s.bytes += request.length + resultText.length;
    const v2Request = JSON.stringify({
      type: 'run-tile',
      id: 1,
      version: 2,
      width,
      height,
      input: encodeFloat32(tile.data),
    });
    const { pixels: _pixels, ...rest } = answer;
    s.v2Bytes += v2Request.length + JSON.stringify({ ...rest, version: 2, output: encodeFloat32(output) }).length;
    s.replay += seconds(replayed); // the round trip did this work once already
    return output;
  }

  async dispose(): Promise<void> {}
}

async function photo(file: string): Promise<{ width: number; height: number; data: Uint8Array }> {
  const { data, info } = await sharp(file)
    .removeAlpha()
    .toColourspace('srgb')
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { width: info.width, height: info.height, data: new Uint8Array(data) };
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
  const totals = { mp: 0, bytes: 0, v2Bytes: 0, overhead: 0, network: 0 };
  for (const file of files) {
    const img = await photo(path.join(dir, file));
    const { sim, photoshop } = createPhotoshopSimulator();
    const { imaging, core } = photoshop;
    const source = sim.addDocument({
      width: img.width,
      height: img.height,
      layers: [{ background: true, pixels: { width: img.width, height: img.height, data: img.data } }],
    });
    const target = sim.addDocument({ width: img.width, height: img.height, depth: 32, layers: [{ name: 'HDR' }] });
    const stages: Stages = {
      photoshop: 0,
      read: 0,
      encode: 0,
      page: 0,
      decode: 0,
      roundTrip: 0,
      write: 0,
      replay: 0,
      bytes: 0,
      v2Bytes: 0,
      runs: 0,
    };
    const reader: PixelSource = {
      width: img.width,
      height: img.height,
      async read(rect: Rect): Promise<SourcePixels> {
        const t = performance.now();
        const { imageData } = await imaging.getPixels({
          documentID: source.id,
          layerID: source.layers[0].id,
          sourceBounds: {
            left: rect.left,
            top: rect.top,
            right: rect.left + rect.width,
            bottom: rect.top + rect.height,
          },
        });
        const data = await imageData.getData({ chunky: true });
        void imageData.dispose();
        stages.photoshop += seconds(t);
        const unpacked = performance.now();
        const pixels = decodePixels(data, rect.width, rect.height, { ...FORMAT, hasAlpha: false });
        stages.read += seconds(unpacked);
        return { width: rect.width, height: rect.height, data: pixels.display };
      },
    };
    const writer: PixelSink = {
      async write(rect: Rect, hdr: RgbImage): Promise<void> {
        const t = performance.now();
        const samples = encodeOutput(hdr, 3, null);
        stages.write += seconds(t);
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
      },
    };
    const backend = new StagedBackend(client, engine.sent, stages);
    const started = performance.now();
    await core.executeAsModal(() => reconstructTiles(reader, writer, backend), { commandName: 'bench' });
    const total = seconds(started) - stages.replay;
    const s = stages;
    const network = s.roundTrip - s.encode - s.page - s.decode;
    const blend = total - s.photoshop - s.read - s.write - s.roundTrip;
    const mp = (img.width * img.height) / 1e6;
    totals.mp += mp;
    totals.bytes += s.bytes;
    totals.v2Bytes += s.v2Bytes;
    totals.network += network;
    // Photoshop's own reading and writing (the simulator's here) are neither the plugin's overhead nor the network.
    const overhead = total - network - s.photoshop;
    totals.overhead += overhead;
    rows.push([
      file,
      s.runs,
      s.photoshop / mp,
      s.read / mp,
      s.encode / mp,
      s.page / mp,
      network / mp,
      s.decode / mp,
      blend / mp,
      s.write / mp,
      overhead / mp,
      s.bytes / mp / 1e6,
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
      'read',
      'encode',
      'page',
      'network',
      'decode',
      'blend',
      'write',
      'overhead (≤ 0.15)',
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
  console.log(`(protocol v2 on the same tiles: bridge_bytes_per_mp=${Math.round(perMp(totals.v2Bytes))})`);
}
