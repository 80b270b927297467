/**
 * The HDR Reconstruct panel: gamma slider, weights / output / linearisation pickers,
 * Reconstruct and Cancel, run progress and status line, the model's state (with Retry
 * and Choose file…), and the engine <webview>. Settings persist in localStorage.
 * Everything Photoshop-side goes through src/host.
 */
import { describeProblem } from '../plugin-core/errors';
import type { GainMapExporter } from '../host/gain-map-exporter';
import type { ModelState, WebviewLeases } from '../host/webview-leases';
import type { Runner } from '../host/runner';
import {
  formatGamma,
  GAMMA_MAX,
  GAMMA_MIN,
  loadSettings,
  saveSettings,
  type KeyValueStore,
  type Settings,
} from '../plugin-core/settings';
import { chooseWeightsFile, userWeightsName } from '../host/weights-file';
import { dropdown, h, selectItem, type Button, type Dropdown, type Progressbar, type Slider } from './dom';
import { createExportControls } from './export-controls';
import { createPreviewView } from './preview-view';
import { engineWebview, progressText } from './webview-surfaces';

export interface PanelDeps {
  readonly runner: Runner;
  readonly engines: WebviewLeases;
  readonly store: KeyValueStore;
  readonly exporter: GainMapExporter;
}

export interface Panel {
  destroy(): Promise<void>;
}

const WEIGHTS = [
  { value: 'clean', label: 'Official weights (clean inputs)' },
  { value: 'jpeg', label: 'Official weights (JPEG-compressed inputs)' },
  { value: 'file', label: 'Chosen file' },
] as const;
const OUTPUTS = [
  { value: 'layer', label: 'New layer, this document (32-bit)' },
  { value: 'document', label: 'New 32-bit document' },
] as const;
const LINEARISE = [
  { value: 'photoshop', label: 'As Photoshop’s 32-bit conversion' },
  { value: 'hdrcnn', label: 'As HDRCNN publishes it (x²)' },
] as const;

const STATE_LABELS: Record<ModelState, string> = {
  bundled: 'Bundled',
  cached: 'Cached',
  downloading: 'Downloading',
  converting: 'Converting',
  loading: 'Loading',
  ready: 'Ready',
  failed: 'Failed',
};

const label = (text: string): HTMLElement => h('sp-label', {}, text);
const gammaText = (g: number): string => `Gamma ${formatGamma(g)}`;
const fileLabel = (name: string | null): string => (name ? `File: ${name}` : 'Chosen file (none yet)');

export function createPanel(root: HTMLElement, deps: PanelDeps): Panel {
  const { runner, engines, store } = deps;
  let settings: Settings = loadSettings(store);

  // An integer slider in hundredths of gamma: sp-slider documents min, max and value, not a fractional step.
  const gammaLabel = h('sp-label', { slot: 'label' }, gammaText(settings.gamma));
  const gamma = h(
    'sp-slider',
    {
      id: 'hdr-gamma',
      min: String(GAMMA_MIN * 100),
      max: String(GAMMA_MAX * 100),
      value: String(Math.round(settings.gamma * 100)),
      'show-value': 'false',
      style: 'width: 100%',
    },
    [gammaLabel],
  ) as Slider;
  const weights = dropdown('hdr-weights', WEIGHTS, settings.weights);
  const fileItem = weights.querySelectorAll('sp-menu-item')[2];
  fileItem.textContent = fileLabel(userWeightsName(store));
  const output = dropdown('hdr-output', OUTPUTS, settings.output);
  const linearise = dropdown('hdr-linearise', LINEARISE, settings.linearise);
  const run = h('sp-button', { id: 'hdr-run', variant: 'cta' }, 'Reconstruct') as Button;
  const cancel = h('sp-button', { id: 'hdr-cancel', variant: 'secondary', disabled: true }, 'Cancel') as Button;
  const progress = h('sp-progressbar', {
    id: 'hdr-progress',
    max: '100',
    value: '0',
    style: 'width: 100%',
  }) as Progressbar;
  const status = h('sp-body', { id: 'hdr-status', size: 'S' }, 'Select a pixel layer, then press Reconstruct.');
  const model = h('sp-body', { id: 'hdr-model', size: 'S' }, 'Starting the engine…');
  const modelProgress = h('sp-progressbar', {
    id: 'hdr-model-progress',
    max: '100',
    value: '0',
    style: 'width: 100%',
  }) as Progressbar;
  const showModelProgress = (shown: boolean): void => void (modelProgress.style.display = shown ? 'block' : 'none');
  showModelProgress(false);
  const retry = h('sp-button', { id: 'hdr-retry', variant: 'secondary', quiet: true }, 'Retry');
  const choose = h('sp-button', { id: 'hdr-choose', variant: 'secondary', quiet: true }, 'Choose file…');
  const webview = engineWebview('hdr-engine', '24px');
  const exportControls = createExportControls(
    deps,
    () => settings,
    (message) => (status.textContent = message),
  );
  const preview = createPreviewView({ runner, engines, store, settings: () => settings });

  const row = (children: HTMLElement[]): HTMLElement =>
    h('div', { style: 'display: flex; gap: 8px; align-items: center; margin: 6px 0' }, children);
  const content = h('div', { id: 'hdr-panel', style: 'padding: 8px' }, [
    gamma,
    h('sp-detail', {}, '1.0 as published; 1.1–1.3 brighten reconstructed highlights'),
    label('Weights'),
    weights,
    label('Output'),
    output,
    label('Outside highlights'),
    linearise,
    row([run, cancel]),
    progress,
    status,
    exportControls.element,
    h('sp-divider', { size: 'small' }),
    preview.element,
    h('sp-divider', { size: 'small' }),
    h('sp-detail', {}, 'MODEL'),
    model,
    modelProgress,
    row([retry, choose]),
    webview,
  ]);
  root.appendChild(content);

  const update = (next: Partial<Settings>): void => {
    const before = settings;
    settings = { ...settings, ...next };
    saveSettings(store, settings);
    // What the preview shows depends on these; the output choice does not change the crop.
    if (
      before.gamma !== settings.gamma ||
      before.weights !== settings.weights ||
      before.linearise !== settings.linearise
    )
      preview.refresh();
  };

  const prepare = (force = false): void => {
    model.textContent = 'Loading the model…';
    engines.preparePanel(settings.weights, force).then(
      (ready) => {
        showModelProgress(false);
        model.textContent = `Ready: ${ready.model}, on ${ready.provider} (${ready.reason}).`;
      },
      (e: unknown) => {
        showModelProgress(false);
        model.textContent = `Failed: ${describeProblem(e)}`;
      },
    );
  };

  engines.attachPanel({
    webview,
    events: {
      onModelStatus: (state, message) => {
        showModelProgress(state === 'downloading');
        if (state !== 'ready') model.textContent = `${STATE_LABELS[state]}: ${message}`; // ready: said in full by prepare()
        preview.provisioning(model.textContent);
      },
      onProgress: (stage, loaded, total) => {
        showModelProgress(true);
        modelProgress.value = total > 0 ? (100 * loaded) / total : 0;
        model.textContent = progressText(stage, loaded, total);
        preview.provisioning(model.textContent);
      },
      onNotice: (message) => (status.textContent = message),
    },
  });

  gamma.addEventListener('input', () => (gammaLabel.textContent = gammaText(gamma.value / 100)));
  gamma.addEventListener('change', () => {
    gammaLabel.textContent = gammaText(gamma.value / 100);
    update({ gamma: Math.round(gamma.value) / 100 });
  });
  const picker = <K extends 'weights' | 'output' | 'linearise'>(
    dd: Dropdown,
    key: K,
    options: ReadonlyArray<{ value: Settings[K] }>,
    then?: () => void,
  ): void => {
    dd.addEventListener('change', () => {
      const choice = options[dd.selectedIndex];
      if (!choice) return;
      update({ [key]: choice.value } as Partial<Settings>);
      then?.();
    });
  };
  picker(weights, 'weights', WEIGHTS, () => prepare());
  picker(output, 'output', OUTPUTS);
  picker(linearise, 'linearise', LINEARISE);

  run.addEventListener('click', () => void runner.runFromUser(settings, 'panel'));
  cancel.addEventListener('click', () => runner.cancel());
  retry.addEventListener('click', () => prepare(true));
  // PS-57264: a file picker opened from a Spectrum button may bring an endless series of clicks.
  let choosing = false;
  choose.addEventListener('click', () => {
    if (choosing) return;
    choosing = true;
    chooseWeightsFile(store)
      .then(
        (name) => {
          if (!name) return;
          fileItem.textContent = fileLabel(name);
          selectItem(weights, 2);
          update({ weights: 'file' });
          prepare(true);
        },
        (e: unknown) => (model.textContent = `Could not read the file: ${(e as Error).message}`),
      )
      .finally(() => (choosing = false));
  });

  const unlisten = runner.listen({
    started: () => {
      run.disabled = true;
      cancel.disabled = false;
      progress.value = 0;
    },
    progress: (fraction, text) => {
      progress.value = Math.round(100 * fraction);
      status.textContent = text;
    },
    finished: (outcome) => {
      run.disabled = false;
      cancel.disabled = true;
      progress.value = outcome.ok ? 100 : 0;
      status.textContent = outcome.message;
    },
  });

  prepare();
  return {
    destroy: async () => {
      preview.destroy();
      unlisten();
      exportControls.destroy();
      await engines.detachPanel();
      content.remove();
    },
  };
}
