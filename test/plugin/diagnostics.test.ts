/**
 * Plugins > HDR Reconstruct > Diagnostics on the simulator: every check with its figure, the
 * report in a dialog with Copy and Save…, no user document changed; and each check failing on
 * its own with a clear line while the others pass.
 */
import { DIAGNOSTICS_ID, MANIFEST, setupPlugin, waitFor } from './harness';
import { fakeEngine, isSelfTest, selfTestPage } from './fake-engine';
import type { PageScript, SimImageData } from '../simulator/index';
const engine = fakeEngine();
/** What `engine.html?…&self-test` runs in this test. */
let selfTest: PageScript = selfTestPage();
const { sim, photoshop, uxp, byId, snapshot } = setupPlugin({
  page: (w) => (isSelfTest(w.location.href) ? selfTest : engine.page)(w),
});
import { REPORT_FILE } from '../../src/panel/diagnostics-dialog';
import { sha256Hex } from '../../src/protocol/checksum';
import { cacheName, USER_MODEL } from '../../src/host/model-sources';

beforeEach(() => {
  selfTest = selfTestPage();
  sim.bridge.maxMessageBytes = 32 * 2 ** 20; // a bridge that takes the 16 MB probe (the simulator's default is 8 MB)
  sim.displays.splice(0, 1, { primary: true, headroom: 4 });
});

/** Runs the command; returns the report's check lines (without the header) as the dialog shows them. */
async function diagnose(): Promise<string[]> {
  await sim.entrypoints.runCommand(DIAGNOSTICS_ID);
  return byId('hdr-diagnostics-report').textContent.trim().split('\n');
}

const ALL_PASS = [
  /^PASS  Versions: Photoshop 26\.0\.0, UXP 8\.0\.0, HDR Reconstruct 0\.1\.0$/,
  /^PASS  Engine page: self-test passed in 120 ms on webgpu$/,
  /^PASS  WebGPU: adapter Test GPU$/,
  /^INFO  WASM: 4 threads, cross-origin isolated$/,
  /^PASS  Bridge 1 MB: round trip in \d+ ms \([\d.]+ MB\/s both ways\)$/,
  /^PASS  Bridge 4 MB: round trip in \d+ ms \([\d.]+ MB\/s both ways\)$/,
  /^PASS  Bridge 16 MB: round trip in \d+ ms \([\d.]+ MB\/s both ways\)$/,
  /^PASS  Imaging 8-bit: 64×64 pixels came back equal \(temporary document closed without saving\)$/,
  /^PASS  Imaging 16-bit: 64×64 pixels came back equal/,
  /^PASS  Imaging 32-bit: 64×64 pixels came back equal/,
  /^INFO  Display: primary display: HDR, headroom 4\.0× SDR white$/,
  /^INFO  Model cache: official weights \(clean inputs\): none$/,
  /^INFO  Model cache: official weights \(JPEG-trained\): none$/,
  /^INFO  Model cache: chosen weights file: none$/,
  /^INFO  Data folder: \/sim\/plugin-data: 0 files, 0\.0 MB; free space not reported by UXP$/,
];

const expectLines = (lines: string[], expected: RegExp[]) => {
  expect(lines).toHaveLength(expected.length);
  lines.forEach((line, i) => expect(line).toMatch(expected[i]));
};

test('the manifest has the command: Plugins > HDR Reconstruct > Diagnostics', () => {
  expect(MANIFEST.entrypoints).toContainEqual({
    type: 'command',
    id: DIAGNOSTICS_ID,
    label: { default: 'Diagnostics' },
  });
});

test('every check passes with its figure; the report can be copied and saved; no user document changes', async () => {
  sim.addDocument({ width: 8, height: 8, layers: [{ name: 'photo', fill: [200, 10, 10] }, { background: true }] });
  const before = snapshot();
  const lines = await diagnose();
  expectLines(lines, ALL_PASS);
  expect(snapshot()).toEqual(before);
  expect(photoshop.app.documents).toHaveLength(1);
  expect(byId('hdr-diagnostics-status').textContent).toMatch(/^HDR Reconstruct diagnostics, .*: all checks passed$/);

  sim.ui.click(byId('hdr-diagnostics-copy'));
  await waitFor(() => sim.clipboard.content, 'the copy');
  const report = sim.clipboard.content!['text/plain'];
  expect(report.split('\n').slice(2, -1)).toEqual(lines);

  sim.files.saveNext(REPORT_FILE); // one answer only: PS-57264's extra clicks must open no second dialog
  sim.ui.click(byId('hdr-diagnostics-save'));
  await waitFor(() => sim.files.saved(REPORT_FILE), 'the saved file');
  expect(sim.files.saved(REPORT_FILE)).toBe(report);
  await waitFor(
    () => /^Saved to \/sim\/saved\/hdr-reconstruct-diagnostics\.txt/.test(byId('hdr-diagnostics-status').textContent),
    'the status',
  );

  sim.ui.click(byId('hdr-diagnostics-close'));
  expect(sim.document.getElementById('hdr-diagnostics')).toBeNull();
});

test('no WebGPU adapter: that line fails, the rest pass', async () => {
  selfTest = selfTestPage({
    provider: 'wasm',
    adapter: 'no WebGPU adapter',
    wasmThreads: 1,
    crossOriginIsolated: false,
    ms: 80,
  });
  const lines = await diagnose();
  expectLines(lines, [
    ALL_PASS[0],
    /^PASS  Engine page: self-test passed in 80 ms on wasm$/,
    /^FAIL  WebGPU: no WebGPU adapter: the engine runs on WASM, much slower$/,
    /^INFO  WASM: 1 thread, not cross-origin isolated \(so no WASM threads\)$/,
    ...ALL_PASS.slice(4),
  ]);
  expect(byId('hdr-diagnostics-status').textContent).toMatch(/: 1 check failed$/);
});

test('a bridge that refuses 16 MB: that line says so, 1 and 4 MB pass', async () => {
  sim.bridge.maxMessageBytes = 8 * 2 ** 20;
  const lines = await diagnose();
  expectLines(lines, [
    ...ALL_PASS.slice(0, 6),
    /^FAIL  Bridge 16 MB: failed after \d+ ms: the engine page cannot be reached: postMessage: a \d+-byte message is over the bridge limit of 8388608 bytes$/,
    ...ALL_PASS.slice(7),
  ]);
});

test('an imaging round trip that comes back different: that depth fails with the count, the others pass', async () => {
  const getPixels = photoshop.imaging.getPixels;
  const spy = jest.spyOn(photoshop.imaging, 'getPixels').mockImplementation(async (options) => {
    const got = await getPixels(options);
    const data = got.imageData as SimImageData;
    if (data.componentSize === 16) {
      const getData = data.getData;
      data.getData = async (o) => {
        const d = await getData(o);
        d[0] += 1;
        return d;
      };
    }
    return got;
  });
  const lines = await diagnose();
  spy.mockRestore();
  expectLines(lines, [
    ...ALL_PASS.slice(0, 8),
    /^FAIL  Imaging 16-bit: 64×64 pixels came back different: after putPixels, 1 of 16384 samples differ \(largest difference 1\)$/,
    ...ALL_PASS.slice(9),
  ]);
  expect(photoshop.app.documents).toHaveLength(0); // the temporary documents are gone
});

test('no self-test page, an older Photoshop, no headroom field, a damaged chosen model, a cached one: each says so', async () => {
  selfTest = () => {
    throw new Error('no such page');
  };
  sim.versions.photoshop = '25.9.1';
  sim.displays.splice(0, 1, { primary: true });
  sim.localStorage.setItem('hdr-reconstruct.weights-file', 'mine.onnx');
  const folder = await uxp.storage.localFileSystem.getDataFolder();
  const write = async (name: string, data: Uint8Array | string) => {
    const format = typeof data === 'string' ? uxp.storage.formats.utf8 : uxp.storage.formats.binary;
    await (
      await folder.createFile(name)
    ).write(typeof data === 'string' ? data : (data.buffer as ArrayBuffer), { format });
  };
  const model = new Uint8Array(1024 * 1024).fill(7);
  const sha256 = sha256Hex(model);
  await write(cacheName('clean'), model);
  await write(`${cacheName('clean')}.sha256`, JSON.stringify({ bytes: model.length, sha256 }));
  await write(USER_MODEL, model.slice(1)); // a byte short of what was recorded
  await write(`${USER_MODEL}.sha256`, JSON.stringify({ bytes: model.length, sha256 }));
  const lines = await diagnose();
  expectLines(lines, [
    /^FAIL  Versions: Photoshop 25\.9\.1, UXP 8\.0\.0, HDR Reconstruct 0\.1\.0; HDR Reconstruct needs Photoshop 26\.0 or later$/,
    /^FAIL  Engine page: the engine page did not load \(plugin:\/engine\/engine\.html\?channel=[\w-]+&self-test: Error: no such page -1\)$/,
    ...ALL_PASS.slice(4, 10),
    /^INFO  Display: primary display: HDR headroom not reported \(Photoshop 26\.5\+ reports it\)$/,
    new RegExp(
      `^PASS  Model cache: official weights \\(clean inputs\\): 1\\.0 MB, SHA-256 ${sha256.slice(0, 16)}… as recorded$`,
    ),
    /^INFO  Model cache: official weights \(JPEG-trained\): none$/,
    /^FAIL  Model cache: chosen weights file “mine\.onnx”: 1\.0 MB, size or SHA-256 not as recorded: choose the file again$/,
    /^INFO  Data folder: \/sim\/plugin-data: 4 files, 2\.0 MB; free space not reported by UXP$/,
  ]);
  // Diagnostics only reads: the damaged entry is still there for the plugin to deal with.
  expect((await folder.getEntry(USER_MODEL)).isFile).toBe(true);
});

test('when Photoshop will not show the dialog, the report comes as an alert', async () => {
  sim.document.refuseDialogs = true;
  await sim.entrypoints.runCommand(DIAGNOSTICS_ID);
  expect(sim.alerts).toHaveLength(1);
  expect(sim.alerts[0]).toMatch(/^HDR Reconstruct diagnostics, .*: all checks passed\n\nPASS  Versions: /);
  expect(sim.document.getElementById('hdr-diagnostics')).toBeNull();
});
