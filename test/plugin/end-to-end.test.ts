/**
 * One click, end to end on the simulator: the panel's Reconstruct button on 8/16/32-bit
 * RGB and Grayscale layers gives a 32-bit layer equal to the CLI's output for the same
 * pixels (HDRCNN linearisation), and by default one that matches Photoshop's own 32-bit
 * conversion outside the reconstructed highlights, in one history step.
 */
import { COMMAND_ID, setupPlugin } from './harness';
const { sim, photoshop, byId, openPanel, runFromPanel } = setupPlugin();
import { main } from '../../src/cli/main';
import { toneCurve } from '../../src/plugin-core/tone-curve';
import { pixelAlpha } from '../../src/core/hdrcnn';
import { planTiles } from '../../src/core/tile-plan';
import { sourceRect } from '../../src/core/window';
import { fixturePath } from '../helpers/fixture';
import { captureIo } from '../helpers/cli-io';
import { decodePfm } from '../helpers/pfm';
import { cliReference, photo8, rgbFrom, worstError } from './reference';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';

const C = photoshop.constants;
const srgb = toneCurve('sRGB IEC61966-2.1');
const gray22 = toneCurve('Gray Gamma 2.2');
const TOLERANCE = 1e-4; // onnxruntime-web WASM in the engine vs onnxruntime-node in the CLI

/** Panel settings for the next run: gamma, and the pickers by index. */
async function configure({
  gamma = 1,
  linearise = 0,
  output = 0,
}: {
  gamma?: number;
  linearise?: number;
  output?: number;
}) {
  await openPanel();
  sim.ui.slide(byId('hdr-gamma'), Math.round(gamma * 100)); // the slider is in hundredths
  sim.ui.choose(byId('hdr-linearise'), linearise);
  sim.ui.choose(byId('hdr-output'), output);
}

const newLayer = (doc: { layers: Array<{ id: number; name: string }> }) => doc.layers[0];

describe('HDRCNN linearisation equals the CLI for the same pixels', () => {
  test('8-bit RGB, against the CLI run on a PNG of the layer', async () => {
    const img = await photo8();
    const doc = sim.addDocument({
      width: img.width,
      height: img.height,
      layers: [{ background: true, pixels: { width: img.width, height: img.height, data: img.data } }],
    });
    await configure({ gamma: 1.2, linearise: 1 });
    expect(await runFromPanel()).toMatch(
      /^Added “HDR Reconstruct, gamma 1\.2 \(HDRCNN linear\)” above the source layer: 15\.10% of the layer was clipped/,
    );

    const dir = mkdtempSync(path.join(os.tmpdir(), 'hdr-plugin-'));
    const png = path.join(dir, 'layer.png');
    let cli;
    try {
      await sharp(Buffer.from(img.data), { raw: { width: img.width, height: img.height, channels: 3 } })
        .png()
        .toFile(png);
      expect(
        await main(
          [
            'predict',
            '--params',
            fixturePath('params.npz'),
            '--im_dir',
            png,
            '--out_dir',
            dir,
            '--full-res',
            '--format',
            'pfm',
            '--gamma',
            '1.2',
          ],
          captureIo().io,
        ),
      ).toBe(0);
      cli = decodePfm(new Uint8Array(readFileSync(path.join(dir, '000001_out.pfm'))));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }

    const out = sim.pixels(doc, newLayer(doc).id)!;
    expect([out.bounds, out.channels, doc.bitsPerChannel]).toEqual([
      { left: 0, top: 0, right: 96, bottom: 64 },
      4,
      C.BitsPerChannelType.THIRTYTWO,
    ]);
    expect(worstError(out.data, 4, 3, cli)).toBeLessThan(TOLERANCE);
  });

  test.each([
    ['RGB', 16],
    ['RGB', 32],
    ['Grayscale', 8],
    ['Grayscale', 16],
    ['Grayscale', 32],
  ] as const)('%s %i-bit', async (mode, depth) => {
    const img = await photo8();
    const n = mode === 'RGB' ? 3 : 1;
    const codes =
      n === 3 ? img.data : Uint8Array.from({ length: img.width * img.height }, (_, p) => img.data[p * 3 + 1]);
    // The same picture at each depth: 16-bit codes of 0..32768, 32-bit as Photoshop converts 8-bit.
    const curve = n === 3 ? srgb : gray22;
    const data =
      depth === 8
        ? codes
        : depth === 16
          ? Uint16Array.from(codes, (v) => Math.round((v * 32768) / 255))
          : Float32Array.from(codes, (v) => curve.toLinear(v / 255));
    const doc = sim.addDocument({
      width: img.width,
      height: img.height,
      depth,
      mode: mode === 'RGB' ? C.DocumentMode.RGB : C.DocumentMode.GRAYSCALE,
      layers: [{ name: 'photo', pixels: { width: img.width, height: img.height, data } }],
    });
    await configure({ gamma: 1.3, linearise: 1 });
    expect(await runFromPanel()).toMatch(/^Added/);

    const display =
      depth === 32
        ? (v: number) => Math.fround(curve.toDisplay(v))
        : (v: number) => Math.fround(v / (depth === 8 ? 255 : 32768));
    const expected = await cliReference(rgbFrom(data, img.width, img.height, n, display), { gamma: 1.3 });
    const out = sim.pixels(doc, newLayer(doc).id)!;
    expect(out.channels).toBe(n + 1);
    expect(worstError(out.data, n + 1, n, expected)).toBeLessThan(TOLERANCE);
  });
});

describe('Photoshop linearisation (default)', () => {
  test('outside highlights the layer equals Photoshop’s 32-bit conversion of the source; one history step', async () => {
    const img = await photo8();
    const doc = sim.addDocument({
      width: img.width,
      height: img.height,
      layers: [
        { name: 'photo', pixels: { width: img.width, height: img.height, data: img.data } },
        { background: true },
      ],
    });
    await configure({ gamma: 1 });
    expect(await runFromPanel()).toMatch(/^Added “HDR Reconstruct, gamma 1” above the source layer/);

    expect(sim.layerTree(doc).map((l) => l.name)).toEqual(['HDR Reconstruct, gamma 1', 'photo', 'Background']);
    expect(sim.history(doc)).toEqual(['Reconstruct HDR']);
    const converted = sim.pixels(doc, doc.layers[1].id)!; // Photoshop's conversion of the source
    const out = sim.pixels(doc, doc.layers[0].id)!;
    let [same, changed] = [0, 0];
    for (let p = 0; p < img.width * img.height; p++) {
      const alpha = pixelAlpha(img.data[p * 3] / 255, img.data[p * 3 + 1] / 255, img.data[p * 3 + 2] / 255, {
        gamma: 1,
        scaling: 1,
      });
      for (let c = 0; c < 4; c++) {
        if (alpha === 0 || c === 3) {
          expect(out.data[p * 4 + c]).toBe(converted.data[p * 4 + c]);
          same++;
        } else if (out.data[p * 4 + c] !== converted.data[p * 4 + c]) changed++;
      }
    }
    expect(same).toBeGreaterThan(10000);
    expect(changed).toBeGreaterThan(1000); // the highlights were reconstructed
  });

  test('an offset, partly transparent layer: same position, alpha kept, values equal the conversion outside highlights', async () => {
    const img = await photo8();
    const [w, h] = [40, 30];
    const data = new Uint8Array(w * h * 4);
    for (let y = 0; y < h; y++)
      for (let x = 0; x < w; x++) {
        const s = ((y + 20) * img.width + x + 40) * 3;
        data.set([img.data[s], img.data[s + 1], img.data[s + 2], x < 5 ? 0 : x < 10 ? 128 : 255], (y * w + x) * 4);
      }
    const doc = sim.addDocument({
      width: 100,
      height: 80,
      layers: [{ name: 'cut-out', pixels: { left: 13, top: 7, width: w, height: h, data } }, { background: true }],
    });
    await configure({ gamma: 1.1 });
    let reads = 0;
    const off = sim.modal.onApiCall((api) => void (api === 'imaging.getPixels' && reads++));
    expect(await runFromPanel()).toMatch(/^Added/);
    off();
    // One strip to measure clipping, one tile window: the writer takes the transparency from that window.
    expect(reads).toBe(2);
    const source = sim.pixels(doc, doc.layers[1].id)!;
    const out = sim.pixels(doc, doc.layers[0].id)!;
    expect(out.bounds).toEqual({ left: 18, top: 7, right: 53, bottom: 37 }); // alpha-0 columns are outside the pixel bounds
    expect(out.bounds).toEqual(source.bounds);
    for (let i = 3; i < out.data.length; i += 4) expect(out.data[i]).toBe(source.data[i]);
  });

  test('a transparent layer of several tiles: Photoshop is read once per tile window, and no more', async () => {
    const [w, h] = [600, 400];
    const data = new Uint8Array(w * h * 4);
    for (let i = 0; i < w * h; i++) data.set([(i % w) % 200, 90, 60, i % 7 === 0 ? 128 : 255], i * 4);
    for (const [x, y] of [
      [30, 40],
      [500, 350],
    ])
      data.set([255, 255, 255, 255], (y * w + x) * 4);
    sim.addDocument({
      width: 640,
      height: 420,
      layers: [{ name: 'cut-out', pixels: { left: 11, top: 9, width: w, height: h, data } }, { background: true }],
    });
    await configure({});
    const reads: Array<{ left: number; top: number; width: number; height: number }> = [];
    const getPixels = photoshop.imaging.getPixels;
    const spy = jest.spyOn(photoshop.imaging, 'getPixels').mockImplementation((options) => {
      const b = options.sourceBounds as { left: number; top: number; right: number; bottom: number };
      reads.push({ left: b.left - 11, top: b.top - 9, width: b.right - b.left, height: b.bottom - b.top });
      return getPixels(options);
    });
    try {
      expect(await runFromPanel()).toMatch(/^Added/);
    } finally {
      spy.mockRestore();
    }
    const windows = planTiles(w, h).map((t) => sourceRect(t.window, w, h));
    expect(windows.length).toBeGreaterThan(2);
    // The clipping measure's full-width strips first, then each tile's window; the writer's transparency comes
    // from those windows although the pipeline has read one tile ahead when it writes.
    const strips = reads.filter((r) => r.left === 0 && r.width === w && r.height < h);
    expect(reads).toEqual([...strips, ...windows]);
  });

  test('output to a new document: the source stays as it was; the new 32-bit document matches Photoshop’s conversion outside highlights', async () => {
    const img = await photo8();
    const layers = [
      { name: 'photo', pixels: { width: img.width, height: img.height, data: img.data } },
      { background: true },
    ];
    const doc = sim.addDocument({ name: 'photo.psd', width: img.width, height: img.height, layers });
    const before = sim.pixels(doc, doc.layers[0].id);
    await configure({ output: 1 });
    expect(await runFromPanel()).toMatch(/in a new 32-bit document/);
    expect([doc.bitsPerChannel, sim.history(doc), sim.pixels(doc, doc.layers[0].id)]).toEqual([
      C.BitsPerChannelType.EIGHT,
      [],
      before,
    ]);

    const hdr = photoshop.app.activeDocument!;
    expect([hdr.name, hdr.bitsPerChannel, hdr.colorProfileName, hdr.layers.map((l) => l.name)]).toEqual([
      'photo HDR',
      C.BitsPerChannelType.THIRTYTWO,
      'sRGB IEC61966-2.1 (Linear RGB Profile)',
      ['HDR Reconstruct, gamma 1'],
    ]);
    expect(sim.history(hdr.id)).toEqual(['Reconstruct HDR']);
    // What Photoshop makes of the source in 32 bits: convert a copy.
    const copy = sim.addDocument({ width: img.width, height: img.height, layers });
    await photoshop.core.executeAsModal(
      async () => {
        copy.bitsPerChannel = C.BitsPerChannelType.THIRTYTWO;
      },
      { commandName: 'convert copy' },
    );
    const converted = sim.pixels(copy, copy.layers[0].id)!;
    const out = sim.pixels(hdr.id, hdr.layers[0].id)!;
    for (let p = 0; p < img.width * img.height; p++) {
      if (
        pixelAlpha(img.data[p * 3] / 255, img.data[p * 3 + 1] / 255, img.data[p * 3 + 2] / 255, {
          gamma: 1,
          scaling: 1,
        }) > 0
      )
        continue;
      for (let c = 0; c < 4; c++) expect(out.data[p * 4 + c]).toBeCloseTo(converted.data[p * 4 + c], 6);
    }
  });

  test('the menu command runs with the saved settings when the panel was never opened (engine in a dialog)', async () => {
    const img = await photo8();
    const doc = sim.addDocument({
      width: img.width,
      height: img.height,
      layers: [{ background: true, pixels: { width: img.width, height: img.height, data: img.data } }],
    });
    sim.localStorage.setItem('hdr-reconstruct.settings', JSON.stringify({ gamma: 1.25 }));
    await sim.entrypoints.runCommand(COMMAND_ID);
    expect(sim.alerts).toEqual([]);
    expect(doc.layers.map((l) => l.name)).toEqual(['HDR Reconstruct, gamma 1.25', 'Background']);
    expect(sim.document.openDialogs.size).toBe(0);
    expect(sim.document.getElementById('hdr-engine-dialog')).toBeNull();
  });
});
