/** The engine dialog of the menu command and of Action playback without the panel. */
import { installSimulator } from '../simulator/install';
const { sim } = installSimulator();
import { ENGINE_URL, openEngineDialog, progressText } from '../../src/panel/webview-surfaces';
import type { SimDialog, SimProgressbar, WebviewPage } from '../simulator/index';

test('it shows modally with the engine webview, reports progress, and closes', async () => {
  const pages: WebviewPage[] = [];
  sim.servePage(ENGINE_URL, (page) => void pages.push(page));
  const cancels: string[] = [];
  const surface = openEngineDialog(() => cancels.push('cancel'));
  const dialog = sim.document.getElementById('hdr-engine-dialog') as SimDialog;
  expect([dialog.open, dialog.shownWith]).toEqual([
    true,
    { title: 'HDR Reconstruct', resize: 'none', size: { width: 420, height: 200 } },
  ]);
  const loaded = new Promise((r) => surface.webview.addEventListener('loadstop', r));
  await loaded;
  expect(pages.map((p) => p.location.href)).toEqual([
    expect.stringMatching(new RegExp(`^${ENGINE_URL}\\?channel=[\\w-]+$`)),
  ]);
  surface.events.onProgress!('download', 5 * 1048576, 20 * 1048576);
  expect([
    sim.document.getElementById('hdr-dialog-status')!.textContent,
    (sim.document.getElementById('hdr-dialog-progress') as SimProgressbar).value,
  ]).toEqual(['Downloading: 5.0 of 20.0 MB', 25]);
  surface.feedback.progress(0.5, 'Reconstructing highlights (1/2 tiles)');
  expect(sim.document.getElementById('hdr-dialog-status')!.textContent).toBe('Reconstructing highlights (1/2 tiles)');
  surface.close();
  expect([dialog.open, sim.document.getElementById('hdr-engine-dialog'), cancels]).toEqual([false, null, []]);
});

test('Cancel, or dismissing the dialog, cancels', async () => {
  sim.servePage(ENGINE_URL, () => undefined);
  const cancels: string[] = [];
  const a = openEngineDialog(() => cancels.push('a'));
  sim.ui.click(sim.document.getElementById('hdr-dialog-cancel')!);
  expect([cancels, sim.document.getElementById('hdr-dialog-status')!.textContent]).toEqual([['a'], 'Cancelling…']);
  a.feedback.progress(0.5, 'Reconstructing highlights (1/2 tiles)');
  expect(sim.document.getElementById('hdr-dialog-status')!.textContent).toBe('Cancelling…');
  a.close();
  const b = openEngineDialog(() => cancels.push('b'));
  (sim.document.getElementById('hdr-engine-dialog') as SimDialog).dismiss();
  await Promise.resolve(); // uxpShowModal rejects on dismissal
  await Promise.resolve();
  expect(cancels).toEqual(['a', 'b']);
  b.close();
});

test('progressText', () => {
  expect(progressText('download', 1048576, 0)).toBe('Downloading: 1.0 MB');
  expect(progressText('convert', 0, 1)).toBe('Converting the weights');
});
