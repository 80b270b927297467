/**
 * The preview on the simulator, host side: its crop is exactly what the committed run
 * writes at the same place (both outputs, both linearisations, 8- and 16-bit, the most
 * clipped region and the next), it reads only (no change to any document or history),
 * and a layer without highlights gives the empty state.
 */
import { installSimulator } from '../simulator/install';
const { sim, photoshop } = installSimulator({ modalWaitMs: 50 });
import { buildPreview, previewPictures, type Preview, type ReadyPreview } from '../../src/host/preview';
import { reconstructInModal } from '../../src/host/reconstruct-layer';
import { DEFAULT_SETTINGS, type Settings } from '../../src/plugin-core/settings';
import { EngineClient } from '../../src/protocol/client';
import { startWorkerEngine, type WorkerEngine } from '../helpers/worker-engine';
import { tinyModelBytes } from '../helpers/fixture';
import { clippedPhoto, PHOTO_HEIGHT, PHOTO_WIDTH } from '../helpers/clipped-photo';

let engine: WorkerEngine;
let client: EngineClient;
beforeAll(async () => {
  engine = startWorkerEngine();
  client = new EngineClient(engine.endpoint);
  await client.init({ label: 'fixture model', bytes: tinyModelBytes() });
});
afterAll(async () => {
  await client.dispose();
  await engine.close();
});

const [W, H] = [PHOTO_WIDTH, PHOTO_HEIGHT];
const addPhoto = (depth: 8 | 16, clipped = true) =>
  sim.addDocument({
    width: W,
    height: H,
    depth,
    layers: [{ background: true, pixels: { width: W, height: H, data: clippedPhoto(depth, clipped) } }],
  });

const previewOf = (settings: Settings, region = 0): Promise<Preview> =>
  buildPreview(
    settings,
    region,
    async () => ({ backend: client, model: 'tiny', cancel: () => client.cancelAll() }),
    new AbortController().signal,
  );

async function commit(settings: Settings): Promise<void> {
  await photoshop.core.executeAsModal(
    (ctx) => reconstructInModal(ctx, undefined, settings, client, { progress: () => undefined }, new AbortController()),
    { commandName: 'test' },
  );
}

/** The committed layer's colour samples at the crop's rectangle. */
function committedAt(docId: number, preview: ReadyPreview): number[] {
  const doc = photoshop.app.documents.find((d) => d.id === docId)!;
  const out = sim.pixels(doc.id, doc.layers[0].id)!;
  const { rect, pixels } = preview.crop;
  const n = pixels.colors;
  const values: number[] = [];
  for (let y = rect.top; y < rect.top + rect.height; y++) {
    for (let x = rect.left; x < rect.left + rect.width; x++) {
      for (let c = 0; c < n; c++)
        values.push(
          out.data[
            ((y - out.bounds.top) * (out.bounds.right - out.bounds.left) + x - out.bounds.left) * out.channels + c
          ],
        );
    }
  }
  return values;
}

const colours = (p: ReadyPreview): number[] => {
  const { colors, alpha, samples } = p.crop.pixels;
  const stride = colors + (alpha ? 1 : 0);
  return Array.from(samples).filter((_, i) => i % stride < colors);
};

describe('the crop equals the committed result at the same place', () => {
  test.each([
    [
      'new layer, as Photoshop converts, 8-bit, the most clipped region',
      8,
      { output: 'layer', linearise: 'photoshop', gamma: 1.3 },
      0,
    ],
    [
      'new layer, as HDRCNN publishes it, 16-bit, the next region',
      16,
      { output: 'layer', linearise: 'hdrcnn', gamma: 1 },
      1,
    ],
    [
      'new document, as Photoshop converts, 8-bit, the next region',
      8,
      { output: 'document', linearise: 'photoshop', gamma: 0.8 },
      1,
    ],
  ] as const)('%s', async (_name, depth, choice, region) => {
    const doc = addPhoto(depth);
    const settings: Settings = { ...DEFAULT_SETTINGS, ...choice };
    const preview = await previewOf(settings, region);
    if (preview.kind !== 'ready') throw new Error('expected a preview');
    expect([preview.region, preview.regions]).toEqual([region, 2]);
    // The big lamp's tile first, then the small one's.
    expect(preview.crop.rect).toEqual(
      region === 0 ? { left: 416, top: 224, width: 194, height: 166 } : { left: 0, top: 0, width: 224, height: 224 },
    );
    expect(colours(preview).reduce((a, b) => Math.max(a, b))).toBeGreaterThan(1); // reconstructed above white

    await commit(settings);
    const target = choice.output === 'layer' ? doc.id : photoshop.app.activeDocument!.id;
    expect(colours(preview)).toEqual(committedAt(target, preview));
  });
});

describe('the preview only reads', () => {
  test('no document, layer, pixel or history change; the pictures are JPEG data URLs of the right size', async () => {
    const doc = addPhoto(8);
    const before = {
      tree: sim.layerTree(doc),
      history: sim.history(doc),
      pixels: sim.pixels(doc, doc.layers[0].id),
      bits: doc.bitsPerChannel,
    };
    const preview = await previewOf({ ...DEFAULT_SETTINGS, gamma: 1.2 });
    if (preview.kind !== 'ready') throw new Error('expected a preview');
    const pictures = await previewPictures(preview, -3);
    expect({
      tree: sim.layerTree(doc),
      history: sim.history(doc),
      pixels: sim.pixels(doc, doc.layers[0].id),
      bits: doc.bitsPerChannel,
    }).toEqual(before);
    expect(photoshop.app.documents).toHaveLength(1);
    expect(sim.encodedImage(pictures.crop)).toMatchObject({ width: 194, height: 166 });
    // Long edge 320, read with targetSize.
    expect(sim.encodedImage(pictures.view)).toMatchObject({ width: 320, height: 205 });
    expect(preview.view.mask.some((a) => a > 0)).toBe(true);
  });

  test('a highlight smaller than a view pixel is still found (the layer is scanned at full resolution)', async () => {
    // 700×300: the view is 320×137, 2 or 3 layer pixels a side per view pixel;
    // a white pixel averages to 0.5 or less there.
    const [w, h] = [700, 300];
    const data = new Array<number>(w * h * 3).fill(90);
    data.fill(255, (200 * w + 500) * 3, (200 * w + 500) * 3 + 3);
    const doc = sim.addDocument({
      width: w,
      height: h,
      layers: [{ background: true, pixels: { width: w, height: h, data } }],
    });
    const preview = await previewOf(DEFAULT_SETTINGS);
    if (preview.kind !== 'ready') throw new Error('expected a preview');
    expect(preview.view.mask.every((a) => a === 0)).toBe(true);
    expect([preview.regions, preview.crop.rect]).toEqual([1, { left: 480, top: 0, width: 220, height: 300 }]);
    await commit(DEFAULT_SETTINGS);
    expect(colours(preview)).toEqual(committedAt(doc.id, preview));
  }, 180_000);

  test('a layer with nothing near clipping is the empty state, and the engine is never asked', async () => {
    addPhoto(8, false);
    let asked = false;
    const preview = await buildPreview(
      DEFAULT_SETTINGS,
      0,
      async () => {
        asked = true;
        return { backend: client, model: 'tiny', cancel: () => undefined };
      },
      new AbortController().signal,
    );
    expect(preview).toEqual({ kind: 'empty', layerName: 'Background' });
    expect(asked).toBe(false);
  });
});
