/**
 * The panel's "Export HDR JPEG…" row: the file-name pattern (kept in localStorage) and the
 * button, which asks for a folder and writes the gain-map JPEG there with the panel's
 * settings. Disabled while any run is going on; the runner's listeners show its progress.
 */
import type { GainMapExporter } from '../host/gain-map-exporter';
import { loadNamePattern, saveNamePattern } from '../plugin-core/export-settings';
import type { Runner } from '../host/runner';
import type { KeyValueStore, Settings } from '../plugin-core/settings';
import { h, type Button } from './dom';

export interface ExportControls {
  readonly element: HTMLElement;
  destroy(): void;
}

export function createExportControls(
  deps: { exporter: GainMapExporter; runner: Runner; store: KeyValueStore },
  settings: () => Settings,
  status: (message: string) => void,
): ExportControls {
  const { exporter, runner, store } = deps;
  const pattern = h('sp-textfield', {
    id: 'hdr-export-name',
    value: loadNamePattern(store),
    style: 'width: 100%',
  }) as HTMLElement & { value: string };
  const button = h('sp-button', { id: 'hdr-export', variant: 'secondary' }, 'Export HDR JPEG…') as Button;
  pattern.addEventListener('change', () => {
    try {
      saveNamePattern(store, pattern.value);
    } catch (e) {
      status(`File name: ${(e as Error).message}.`);
    }
  });
  // PS-57264: the folder dialog opened from a Spectrum button may bring more clicks.
  let exporting = false;
  button.addEventListener('click', () => {
    if (exporting) return;
    exporting = true;
    exporter
      .exportFromPanel(settings(), pattern.value)
      .then((outcome) => {
        status(outcome.message);
      })
      .finally(() => (exporting = false));
  });
  const unlisten = runner.listen({
    started: () => (button.disabled = true),
    progress: () => undefined,
    finished: () => (button.disabled = false),
  });
  const element = h('div', { id: 'hdr-export-row' }, [
    h('sp-label', {}, 'HDR JPEG file name ({document}: the document’s name)'),
    pattern,
    button,
  ]);
  return { element, destroy: unlisten };
}
