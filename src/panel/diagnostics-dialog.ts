/**
 * The Diagnostics command's dialog: runs the checks (src/host/diagnostics.ts) with the engine page's
 * self-test and an engine page for the bridge in two small webviews, shows each line as it comes,
 * then offers Copy (the clipboard) and Save… (a text file the user picks), ready for a bug report.
 */
import { formatLine, formatReport, runDiagnostics, type DiagnosticsProbes } from '../host/diagnostics';
import {
  dataFolderState,
  displayHeadroom,
  hostVersions,
  imagingRoundTrip,
  modelCacheState,
} from '../host/diagnostics-host';
import { bridgeProbe } from '../host/engine-probe';
import { runEngineSelfTest } from '../host/engine-self-test';
import { saveTextFile } from '../host/text-file';
import type { MessageWindow } from '../host/webview-endpoint';
import type { KeyValueStore } from '../plugin-core/settings';
import { h, type Button } from './dom';
import { engineWebview } from './webview-surfaces';

/** UXP's clipboard (navigator.clipboard; manifest permission "clipboard"). */
export interface Clipboard {
  setContent(data: Record<string, string>): Promise<void>;
}

export interface DiagnosticsDeps {
  readonly pluginWindow: MessageWindow;
  readonly store: KeyValueStore;
  readonly clipboard?: Clipboard;
  /** For when Photoshop will not show the dialog: the report goes into an alert. */
  alert(message: string): Promise<void>;
  now(): number;
  /** The report's date line. */
  when(): string;
}

export const REPORT_FILE = 'hdr-reconstruct-diagnostics.txt';
const RUNNING = 'Running the checks… (a few seconds; three temporary documents open and close)';
const REPORT_STYLE = 'white-space: pre-wrap; font-family: monospace; font-size: 11px';
const BRIDGE_TIMEOUT_MS = 30_000;

/** Opens the dialog and runs the checks; resolves with the report once they are done (the dialog stays until Close). */
export async function openDiagnostics(deps: DiagnosticsDeps): Promise<string> {
  const status = h('sp-body', { id: 'hdr-diagnostics-status' }, RUNNING);
  const lines = h('div', { id: 'hdr-diagnostics-report', style: REPORT_STYLE });
  const button = (id: string, text: string): Button =>
    h('sp-button', { id, variant: 'secondary', disabled: true }, text) as Button;
  const copy = button('hdr-diagnostics-copy', 'Copy');
  const save = button('hdr-diagnostics-save', 'Save…');
  const close = h('sp-button', { id: 'hdr-diagnostics-close', variant: 'cta' }, 'Close');
  const engineView = engineWebview('hdr-diagnostics-engine', '24px');
  const dialog = h('dialog', { id: 'hdr-diagnostics' }, [
    h('sp-heading', { size: 'XS' }, 'HDR Reconstruct diagnostics'),
    status,
    lines,
    h('div', { style: 'display: flex; gap: 8px; justify-content: flex-end' }, [copy, save, close]),
    engineView,
  ]) as HTMLDialogElement;

  // Listening before the webview loads, so its load is not missed.
  const bridge = bridgeProbe(engineView, deps.pluginWindow, BRIDGE_TIMEOUT_MS);
  document.body.appendChild(dialog);
  let shown = true;
  const closeDialog = (): void => {
    dialog.close();
    dialog.remove();
  };
  const showing = dialog.uxpShowModal({
    title: 'HDR Reconstruct diagnostics',
    resize: 'both',
    size: { width: 560, height: 480 },
  });
  showing.catch((e: unknown) => {
    const code = (e as { code?: unknown } | undefined)?.code;
    if (code === dialog.REJECTION_REASON_NOT_ALLOWED || code === dialog.REJECTION_REASON_DETACHED) shown = false;
    else closeDialog(); // dismissed
  });
  close.addEventListener('click', closeDialog);

  const probes: DiagnosticsProbes = {
    versions: hostVersions,
    // The self-test's webview goes into the dialog while it runs, and is removed afterwards.
    selfTest: () =>
      runEngineSelfTest((src) => {
        const webview = engineWebview('hdr-diagnostics-selftest', '24px');
        webview.setAttribute('src', src);
        dialog.appendChild(webview);
        return webview;
      }, deps.pluginWindow),
    bridgeRoundTrip: (bytes) => bridge.roundTrip(bytes),
    imagingRoundTrip,
    displays: displayHeadroom,
    modelCache: () => modelCacheState(deps.store),
    dataFolder: dataFolderState,
    now: deps.now,
  };
  const result = await runDiagnostics(probes, (line) => {
    lines.textContent = `${lines.textContent}${formatLine(line)}\n`;
  });
  await bridge.dispose();
  engineView.remove();
  const report = formatReport(result, deps.when());
  status.textContent = report.split('\n')[0];
  if (!shown) {
    await deps.alert(report);
    closeDialog();
    return report;
  }

  copy.disabled = false;
  save.disabled = false;
  copy.addEventListener('click', () => {
    if (!deps.clipboard) return void (status.textContent = 'Copy is not available here: use Save… instead.');
    deps.clipboard.setContent({ 'text/plain': report }).then(
      () => (status.textContent = 'Copied to the clipboard: paste it into your bug report.'),
      (e: unknown) => (status.textContent = `Could not copy: ${(e as Error).message}. Use Save… instead.`),
    );
  });
  // PS-57264: a file picker opened from a Spectrum button may bring an endless series of clicks.
  let saving = false;
  save.addEventListener('click', () => {
    if (saving) return;
    saving = true;
    saveTextFile(REPORT_FILE, report)
      .then(
        (path) => {
          if (path) status.textContent = `Saved to ${path}: attach it to your bug report.`;
        },
        (e: unknown) => (status.textContent = `Could not save: ${(e as Error).message}.`),
      )
      .finally(() => (saving = false));
  });
  return report;
}
