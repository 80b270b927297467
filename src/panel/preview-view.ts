/**
 * The panel's preview area: the 1:1 crop of the most clipped region as the committed
 * run will write it, and the whole layer with the highlight mask tinted and the crop
 * outlined, both at an exposure the user steps through (0 to −4 EV). Off until the
 * user shows it (the network costs seconds of CPU on WASM); then it follows the gamma
 * slider's release, the weights and linearisation, and the active layer. A newer
 * request aborts the older one, its engine work included; none runs during a run.
 */
import { describeProblem, isCancellation } from '../plugin-core/errors';
import {
  activeLayerKey,
  buildPreview,
  EXPOSURES,
  previewPictures,
  watchActiveLayer,
  type PreviewEngine,
  type ReadyPreview,
} from '../host/preview';
import type { Runner } from '../host/runner';
import { formatGamma, type KeyValueStore, type Settings } from '../plugin-core/settings';
import type { WebviewLeases } from '../host/webview-leases';
import { h, type Button } from './dom';

export interface PreviewViewDeps {
  readonly runner: Runner;
  readonly engines: WebviewLeases;
  readonly store: KeyValueStore;
  readonly settings: () => Settings;
}

export interface PreviewView {
  readonly element: HTMLElement;
  /** The settings changed (gamma released, weights, linearisation): preview again, same region. */
  refresh(): void;
  /** The engine's provisioning line, shown while a preview waits for the model. */
  provisioning(text: string): void;
  destroy(): void;
}

export const PREVIEW_KEY = 'hdr-reconstruct.preview';

const stops = (ev: number): string => (ev === 0 ? '0 EV' : `−${-ev} EV`);
const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

function describe(p: ReadyPreview, ev: number): string {
  const { rect, networkMs } = p.crop;
  const where = `region ${p.region + 1} of ${p.regions}, ${rect.width}×${rect.height} at (${rect.left}, ${rect.top})`;
  return (
    `Preview of ${p.model}, gamma ${formatGamma(p.gamma)}, ${stops(ev)}: ${where}. ` +
    `Network ${seconds(networkMs)}, plugin ${seconds(p.totalMs - networkMs)}.`
  );
}

export function createPreviewView(deps: PreviewViewDeps): PreviewView {
  const { runner, engines, store } = deps;
  const toggle = h('sp-button', { id: 'hdr-preview-toggle', variant: 'secondary' }, 'Show preview') as Button;
  const status = h('sp-body', { id: 'hdr-preview-status', size: 'S' }, 'Preview is off.');
  const crop = h('img', { id: 'hdr-preview-crop', alt: 'Reconstructed crop, 1:1', style: 'max-width: 100%' });
  const view = h('img', {
    id: 'hdr-preview-view',
    alt: 'Whole layer, highlight mask in magenta',
    style: 'max-width: 100%',
  });
  const darker = h('sp-button', { id: 'hdr-preview-darker', variant: 'secondary', quiet: true }, '−1 EV') as Button;
  const exposure = h('sp-body', { id: 'hdr-preview-ev', size: 'S' }, stops(0));
  const brighter = h('sp-button', { id: 'hdr-preview-brighter', variant: 'secondary', quiet: true }, '+1 EV') as Button;
  const next = h('sp-button', { id: 'hdr-preview-next', variant: 'secondary', quiet: true }, 'Next region') as Button;
  const row = (children: HTMLElement[]): HTMLElement =>
    h('div', { style: 'display: flex; gap: 8px; align-items: center; margin: 6px 0' }, children);
  const controls = row([darker, exposure, brighter, next]);
  const pictures = h('div', {}, [crop, view]);
  const element = h('div', { id: 'hdr-preview' }, [
    h('sp-detail', {}, 'PREVIEW'),
    row([toggle]),
    status,
    pictures,
    controls,
  ]);

  let enabled = store.getItem(PREVIEW_KEY) === 'on';
  let evIndex = 0;
  let region = 0;
  let busy = false; // a run holds the engine and Photoshop
  let waitingForEngine = false;
  let current: AbortController | undefined;
  let shown: { preview: ReadyPreview; pictures: Map<number, { crop: string; view: string }> } | undefined;
  let lastKey = '';

  const showPictures = (visible: boolean): void => {
    pictures.style.display = visible ? 'block' : 'none';
    controls.style.display = visible ? 'flex' : 'none';
  };
  const layout = (): void => {
    toggle.textContent = enabled ? 'Hide preview' : 'Show preview';
    showPictures(false); // until a preview is drawn
    if (!enabled) status.textContent = 'Preview is off.';
  };

  /** Shows the current preview at the current exposure (pictures made once per exposure). */
  const render = async (): Promise<void> => {
    const now = shown;
    if (!now) return;
    const ev = EXPOSURES[evIndex];
    darker.disabled = evIndex === EXPOSURES.length - 1;
    brighter.disabled = evIndex === 0;
    exposure.textContent = stops(ev);
    next.disabled = now.preview.regions < 2;
    let made = now.pictures.get(ev);
    if (!made) {
      made = await previewPictures(now.preview, ev);
      now.pictures.set(ev, made);
    }
    if (shown !== now || EXPOSURES[evIndex] !== ev) return; // a newer preview or exposure took over
    crop.setAttribute('src', made.crop);
    view.setAttribute('src', made.view);
    status.textContent = describe(now.preview, ev);
    showPictures(true);
  };

  const engine = async (weights: Settings['weights']): Promise<PreviewEngine> => {
    waitingForEngine = true;
    try {
      const { client, ready } = await engines.panelEngine(weights);
      return { backend: client, model: ready.model, cancel: () => client.cancelAll() };
    } finally {
      waitingForEngine = false;
    }
  };

  const update = (): void => {
    current?.abort();
    current = undefined;
    if (!enabled || busy) return; // a run refreshes the preview when it finishes
    const controller = (current = new AbortController());
    const settings = deps.settings();
    lastKey = activeLayerKey();
    status.textContent = 'Updating the preview…';
    void (async () => {
      try {
        const preview = await buildPreview(settings, region, () => engine(settings.weights), controller.signal);
        if (current !== controller) return;
        current = undefined;
        if (preview.kind === 'empty') {
          shown = undefined;
          showPictures(false);
          status.textContent = `Nothing near clipping in “${preview.layerName}”: nothing to preview.`;
          return;
        }
        region = preview.region;
        shown = { preview, pictures: new Map() };
        await render();
      } catch (e) {
        if (controller.signal.aborted) return; // a newer request or a run owns the area now
        if (current === controller) current = undefined;
        shown = undefined;
        showPictures(false);
        status.textContent = isCancellation(e) ? 'Preview cancelled.' : describeProblem(e);
      }
    })();
  };

  toggle.addEventListener('click', () => {
    enabled = !enabled;
    store.setItem(PREVIEW_KEY, enabled ? 'on' : 'off');
    layout();
    if (enabled) update();
    else current?.abort();
  });
  const step = (by: number): void => {
    evIndex = Math.min(EXPOSURES.length - 1, Math.max(0, evIndex + by));
    void render().catch((e: unknown) => (status.textContent = describeProblem(e)));
  };
  darker.addEventListener('click', () => step(1));
  brighter.addEventListener('click', () => step(-1));
  next.addEventListener('click', () => {
    region++;
    update();
  });

  const unwatch = watchActiveLayer(() => {
    if (!enabled || activeLayerKey() === lastKey) return; // 'set' and friends fire for much else
    region = 0;
    update();
  });
  const unlisten = runner.listen({
    started: () => {
      busy = true;
      current?.abort(); // before the run's first tile: the preview's engine work is dropped
      current = undefined;
    },
    progress: () => undefined,
    finished: () => {
      busy = false;
      region = 0;
      update(); // the run may have added a layer or converted the document
    },
  });

  layout();
  if (enabled) update();
  return {
    element,
    refresh: update,
    provisioning: (text) => {
      if (current && waitingForEngine) status.textContent = `Preview waits for the model. ${text}`;
    },
    destroy: () => {
      current?.abort();
      unwatch();
      unlisten();
    },
  };
}
