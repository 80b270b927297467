/**
 * The panel's "Export HDR JPEG…" on the simulator, read back by other people's code
 * (bench/gain-map-decode.ts: gainmap-js's reader and sharp; ExifReader for the metadata):
 * the base is the layer, the HDR is what Reconstruct puts in a new 32-bit document, and
 * Photoshop is left exactly as it was. Recorded into an Action, playback writes by the
 * pattern into the recorded folder without a dialog. HDRCNN's numbers through the same tile loop
 * and engine are tested against the CLI in end-to-end.test.ts.
 */
import { fakeEngine } from './fake-engine';
import { setupPlugin, waitFor } from './harness';
// The fake engine answers each window with its input as log HDR: smooth highlights (e ≈ e¹ where clipped), which a
// half-size map carries; the test weights' pixel noise would need a full-size one. Both runs use the same engine.
const { sim, photoshop, byId, openPanel, runFromPanel, snapshot } = setupPlugin({ page: fakeEngine().page });
import ExifReader from 'exifreader';
import { decodeGainMapJpeg, quantile, srgbToLinear } from '../../tools/gain-map-decode';
import { EXPORT_METHOD, EXPORT_STEP_NAME } from '../../src/host/gain-map-exporter';
import { CANCELLED_MESSAGE } from '../../src/plugin-core/errors';
import { pixelAlpha } from '../../src/core/hdrcnn';
import { photo8 } from './reference';

const FOLDER = '/Users/me/Pictures/HDR';
const o = 1 / 64;

async function addPhoto(name: string, data?: Uint8Array) {
  const img = await photo8();
  return sim.addDocument({
    name,
    width: img.width,
    height: img.height,
    layers: [{ background: true, pixels: { width: img.width, height: img.height, data: data ?? img.data } }],
  });
}

/** Clicks "Export HDR JPEG…" (the folder dialog answers `folder`) and waits for the status line. */
async function exportFromPanel(folder: string | null | undefined): Promise<string> {
  if (folder !== undefined) sim.files.folderNext(folder);
  const status = byId('hdr-status');
  status.textContent = '';
  sim.ui.click(byId('hdr-export'));
  const progress = /^(Reconstructing highlights|Encoding the JPEG)/; // the run's progress lines
  return waitFor(
    () => (status.textContent && !progress.test(status.textContent) ? status.textContent : undefined),
    'the export',
  );
}

async function configure(gamma: number) {
  await openPanel();
  sim.ui.slide(byId('hdr-gamma'), Math.round(gamma * 100));
  sim.ui.choose(byId('hdr-output'), 1); // Reconstruct's output, for comparing: a new 32-bit document
}

test('export: the base is the layer, the HDR is Reconstruct’s new 32-bit document, Photoshop unchanged', async () => {
  const img = await photo8();
  await configure(1.2);
  await addPhoto('beach.psd');
  const before = snapshot();
  expect(await exportFromPanel(FOLDER)).toMatch(
    /^Exported “beach_hdr\.jpg”, \d+ KB, max boost \d\.\d\d stops: 1 of 1 tiles ran through the network on .+ in [\d.]+ s \(gamma 1\.2\)\.$/,
  );
  expect(snapshot()).toEqual(before); // no conversion, no layer, no history state, same active document
  expect(sim.files.folderNames(FOLDER)).toEqual(['beach_hdr.jpg']); // no temporary file left
  const file = sim.files.diskFile(FOLDER, 'beach_hdr.jpg')!;
  const decoded = await decodeGainMapJpeg(file);

  // (a) the base is the layer's pixels
  const codes = Array.from(img.data, (v, i) => Math.abs(v - decoded.base[i]));
  expect(quantile(codes, 0.5)).toBeLessThanOrEqual(1);

  // (b) the HDR is what Reconstruct writes into a new 32-bit document, in stops
  expect(await runFromPanel()).toMatch(/^Added/);
  const hdrDoc = photoshop.app.activeDocument!;
  const reconstructed = sim.pixels(hdrDoc.id, hdrDoc.layers[0].id)!.data; // RGBA float
  const [highlights, elsewhere]: [number[], number[]] = [[], []];
  for (let p = 0; p < img.width * img.height; p++) {
    const x = [0, 1, 2].map((c) => img.data[p * 3 + c] / 255);
    const list = pixelAlpha(x[0], x[1], x[2], { gamma: 1.2, scaling: 1 }) > 0 ? highlights : elsewhere;
    for (let c = 0; c < 3; c++) {
      list.push(Math.abs(Math.log2((decoded.hdr[p * 3 + c] + o) / (reconstructed[p * 4 + c] + o))));
    }
  }
  expect(highlights.length).toBeGreaterThan(1000);
  expect(quantile(highlights, 0.5)).toBeLessThanOrEqual(0.15);
  expect(quantile(elsewhere, 0.5)).toBeLessThanOrEqual(0.05);

  // (c) the metadata, to ExifReader: Container:Directory, hdrgm, MPF with both images
  const tags = ExifReader.load(file.slice().buffer, { expanded: true }) as ExifReader.ExpandedTags & {
    mpf?: Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  };
  const items = (
    tags.xmp!.Directory.value as unknown as Array<{ Item: { value: Record<string, { value: string }> } }>
  ).map((i) => i.Item.value.Semantic.value);
  expect(items).toEqual(['Primary', 'GainMap']);
  expect(tags.mpf!.NumberOfImages.value).toBe(2);
  expect(tags.icc?.['ICC Description']?.description).toBe('sRGB IEC61966-2.1 (HDR Reconstruct)');
  expect(decoded.metadata.gainMapMax[0]).toBeGreaterThan(0);
  expect([decoded.gainMap.width, decoded.gainMap.height]).toEqual([48, 32]); // half size, the CLI's default
});

test('a layer with nothing clipped: a valid file whose gain map is all ones, the photo as it is', async () => {
  const img = await photo8();
  const dim = Uint8Array.from(img.data, (v) => Math.round(v * 0.8)); // nothing reaches the highlight mask
  await openPanel();
  await addPhoto('dim.tif', dim);
  expect(await exportFromPanel(FOLDER)).toMatch(/^Exported “dim_hdr\.jpg”.*max boost 1\.00 stops: 0 of 1 tiles/);
  const decoded = await decodeGainMapJpeg(sim.files.diskFile(FOLDER, 'dim_hdr.jpg')!);
  expect(decoded.gainMap.data.every((c) => c === 0)).toBe(true);
  expect(Array.from(decoded.hdr).every((v, i) => Math.abs(v - srgbToLinear(decoded.base[i] / 255)) < 1e-6)).toBe(true);
});

test('a 16-bit Grayscale layer with transparency: grey base, transparent pixels black, a notice about the profile', async () => {
  const img = await photo8();
  const count = img.width * img.height;
  // Grey from the green channel at 16 bits (0..32768); the left 10 columns fully transparent.
  const data = new Uint16Array(count * 2);
  for (let p = 0; p < count; p++) {
    data[2 * p] = Math.round((img.data[3 * p + 1] * 32768) / 255);
    data[2 * p + 1] = p % img.width < 10 ? 0 : 32768;
  }
  await openPanel();
  sim.addDocument({
    name: 'grey.psd',
    width: img.width,
    height: img.height,
    depth: 16,
    mode: photoshop.constants.DocumentMode.GRAYSCALE,
    layers: [{ name: 'photo', pixels: { width: img.width, height: img.height, data } }],
  });
  const before = snapshot();
  expect(await exportFromPanel(FOLDER)).toMatch(
    /^Exported “grey_hdr\.jpg”.* “grey\.psd” is in “Gray Gamma 2\.2”; the JPEG is tagged sRGB/,
  );
  expect(snapshot()).toEqual(before);
  const decoded = await decodeGainMapJpeg(sim.files.diskFile(FOLDER, 'grey_hdr.jpg')!);
  const errors: number[] = [];
  let transparent = 0;
  for (let p = 0; p < count; p++) {
    const expected = p % img.width < 10 ? 0 : img.data[3 * p + 1];
    for (let c = 0; c < 3; c++) errors.push(Math.abs(decoded.base[3 * p + c] - expected));
    if (p % img.width < 10) transparent = Math.max(transparent, decoded.base[3 * p], decoded.base[3 * p + 1]);
  }
  expect(quantile(errors, 0.5)).toBeLessThanOrEqual(1);
  expect(transparent).toBeLessThanOrEqual(2);
  // A grey photo's gains are grey too: the network's three channels are averaged, as Reconstruct does.
  const { data: map } = decoded.gainMap;
  expect(map.some((v) => v > 0)).toBe(true);
  expect(Array.from({ length: map.length / 3 }).every((_, i) => Math.abs(map[3 * i] - map[3 * i + 2]) <= 2)).toBe(true);
});

test('the folder dialog cancelled, or the run cancelled: nothing is written', async () => {
  await openPanel();
  await addPhoto('beach.psd');
  const before = snapshot();
  expect(await exportFromPanel(null)).toBe('Export cancelled: nothing was written.');
  const start = sim.modal.apiCallCount;
  expect(await exportFromPanel('/Users/me/Elsewhere')).toMatch(/^Exported/);
  const calls = sim.modal.apiCallCount - start;
  expect(calls).toBeGreaterThanOrEqual(2); // getPixels and getData for the one window
  for (let k = 1; k <= calls; k++) {
    sim.modal.cancelAtCall(k); // the k-th Photoshop call of the run
    expect([k, await exportFromPanel(FOLDER)]).toEqual([k, CANCELLED_MESSAGE]);
  }
  expect(sim.files.folderNames(FOLDER)).toEqual([]);
  expect(snapshot()).toEqual(before);
});

test('a bad file-name pattern is one line, before any dialog', async () => {
  await openPanel();
  await addPhoto('beach.psd');
  const refusal =
    'File name: the file name pattern “out/{document}.jpg” holds a character that file names cannot (/ \\ : * ? " < > |).';
  sim.ui.type(byId('hdr-export-name'), 'out/{document}.jpg');
  expect(byId('hdr-status').textContent).toBe(refusal);
  // No folder is queued: a dialog would fail the test.
  expect(await exportFromPanel(undefined)).toBe(refusal);
  sim.ui.type(byId('hdr-export-name'), '{name}.jpg');
  expect(await exportFromPanel(undefined)).toBe('File name: the file name pattern may use {document}, not {name}.');
});

test('recorded into an Action: playback on another document writes a second file by the pattern, no dialog', async () => {
  await openPanel();
  sim.ui.slide(byId('hdr-gamma'), 130);
  sim.ui.type(byId('hdr-export-name'), '{document} HDR.jpg');
  await addPhoto('beach.psd');
  sim.actions.startRecording('Export');
  expect(await exportFromPanel(FOLDER)).toMatch(/^Exported “beach HDR\.jpg”/);
  const steps = sim.actions.stopRecording();
  expect(steps).toEqual([
    {
      name: EXPORT_STEP_NAME,
      methodName: EXPORT_METHOD,
      info: {
        gamma: 1.3,
        weights: 'clean',
        output: 'layer',
        linearise: 'photoshop',
        folderToken: expect.any(String),
        pattern: '{document} HDR.jpg',
      },
    },
  ]);

  sim.ui.slide(byId('hdr-gamma'), 70); // the step keeps its own settings
  const street = await addPhoto('street.jpg');
  const before = snapshot();
  await sim.actions.play('Export'); // no folder queued: a dialog would fail the step
  expect(sim.files.folderNames(FOLDER)).toEqual(['beach HDR.jpg', 'street HDR.jpg']);
  expect(snapshot()).toEqual(before);
  expect(photoshop.app.activeDocument!.id).toBe(street.id);
  // The same pixels and settings give the same file.
  expect(sim.files.diskFile(FOLDER, 'street HDR.jpg')).toEqual(sim.files.diskFile(FOLDER, 'beach HDR.jpg'));

  // The folder gone: the step fails with a sentence, and writes nothing anywhere.
  sim.files.removeDiskFolder(FOLDER);
  await expect(sim.actions.play('Export')).rejects.toThrow(
    /output folder cannot be reached any more.*record the step again/,
  );
});
