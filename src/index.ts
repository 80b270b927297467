/**
 * The plugin's entry (dist/index.js, loaded by index.html): wires the manifest's
 * entrypoints — the "hdr-panel" panel and the "reconstruct-hdr" command — and puts
 * the Action step handler on globalThis, where Photoshop looks for it on playback.
 */
import { installActionHandler } from './host/actions';
import { GainMapExporter, installExportHandler } from './host/gain-map-exporter';
import { WebviewLeases } from './host/webview-leases';
import { setupEntrypoints } from './host/entrypoints';
import { Runner, showAlert } from './host/runner';
import { loadSettings } from './plugin-core/settings';
import { openDiagnostics, type Clipboard } from './panel/diagnostics-dialog';
import { openEngineDialog } from './panel/webview-surfaces';
import { createPanel, type Panel } from './panel/panel';

/** Ids shared with manifest.json. */
export const PANEL_ID = 'hdr-panel';
export const COMMAND_ID = 'reconstruct-hdr';
export const DIAGNOSTICS_ID = 'diagnostics';

const store = localStorage;
const engines = new WebviewLeases(window, store, openEngineDialog);
const runner = new Runner(engines);
installActionHandler(runner.playAction);
const exporter = new GainMapExporter(runner);
installExportHandler(exporter.playAction);

let panel: Panel | undefined;

setupEntrypoints({
  panels: {
    [PANEL_ID]: {
      // No show/hide: PS-57284, show fires once and hide never (see WebviewLeases).
      create(rootNode: HTMLElement) {
        panel = createPanel(rootNode, { runner, engines, store, exporter });
      },
      async destroy() {
        await panel?.destroy();
        panel = undefined;
      },
    },
  },
  commands: {
    // The menu command: the panel's saved settings, no UI but the engine dialog; problems as an alert.
    [COMMAND_ID]: async () => {
      const outcome = await runner.runFromUser(loadSettings(store), 'menu');
      if ((!outcome.ok && !outcome.cancelled) || outcome.summary?.changed === false) await showAlert(outcome.message);
    },
    // Plugins > HDR Reconstruct > Diagnostics: checks for a first run or a bug report; changes no document.
    [DIAGNOSTICS_ID]: async () => {
      await openDiagnostics({
        pluginWindow: window,
        store,
        alert: showAlert,
        now: () => Date.now(),
        when: () => new Date().toISOString(),
        clipboard: (navigator as Navigator & { clipboard?: Clipboard }).clipboard,
      });
    },
  },
});
