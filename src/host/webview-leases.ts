/**
 * Where the engine runs: the engine page in a <webview>. The panel hosts one while
 * it is open and keeps its model loaded between runs; runs the panel's own button
 * starts use it (the user is looking at it, so it is visible). The menu command and
 * Action playback use a small dialog that hosts one for the length of the run:
 * Photoshop does not say whether the panel is visible (PS-57284: `show` fires once,
 * `hide` never), and a hidden panel's page may be suspended.
 * Either way a run gets an EngineClient (the InferenceBackend) and a way to show
 * progress. The model is provisioned here, in the plugin (model-provisioning.ts),
 * and sent to the page in chunks. The surfaces themselves (DOM) come from the panel code.
 */
import { EngineClient, type EngineEvents, type EngineModel } from '../protocol/client';
import { provisionModel, type ProvisionReport } from './model-provisioning';
import { pluginProvisionDeps } from './uxp-provision';
import { webviewEndpoint, whenLoaded, type MessageWindow, type WebviewLike } from './webview-endpoint';
import type { RunFeedback } from './reconstruct-layer';
import { DialogRefusedError } from '../plugin-core/errors';
import type { KeyValueStore, WeightsChoice } from '../plugin-core/settings';
import { modelKey, userWeightsName } from './weights-file';

/** Turns a weights choice into the ONNX model to send; the plugin's is provisionModel on UXP. */
export type Provision = (
  weights: WeightsChoice,
  report: ProvisionReport,
  signal: AbortSignal,
  chosenName?: string,
) => Promise<EngineModel>;

const uxpProvision: Provision = (weights, report, signal, chosenName) =>
  provisionModel(weights, pluginProvisionDeps(), report, signal, chosenName);

/** The model-status and progress events of a surface, as provisioning reports. */
const reportTo = (events: EngineEvents): ProvisionReport => ({
  status: (state, message) => events.onModelStatus?.(state, message),
  progress: (stage, loaded, total) => events.onProgress?.(stage, loaded, total),
});

/** What the panel shows of the engine; it reaches the protocol only through here. */
export type { EngineEvents } from '../protocol/client';
export type { ModelState, ProgressStage } from '../protocol/messages';

export interface EngineSurface {
  readonly webview: HTMLElement & WebviewLike;
  /** Model status and download progress, for whoever shows them. */
  readonly events: EngineEvents;
}

export interface DialogSurface extends EngineSurface {
  readonly feedback: RunFeedback;
  /** Rejects with a DialogRefusedError if Photoshop refuses to show the dialog (never resolves). */
  readonly refused: Promise<never>;
  close(): void;
}

/** Opens the run dialog; `cancel` is called when the user presses Cancel or dismisses it. */
export type OpenDialog = (cancel: () => void) => DialogSurface;

export interface EngineLease {
  readonly client: EngineClient;
  /** The dialog's progress bar and Cancel button, when a dialog hosts the engine. */
  readonly feedback?: RunFeedback;
  release(): Promise<void>;
}

export interface ReadyEngine {
  readonly provider: string;
  readonly reason: string;
  readonly model: string;
}

interface PanelEngine {
  readonly surface: EngineSurface;
  readonly client: EngineClient;
  readonly loaded: Promise<void>;
  /** Aborted when the panel closes: stops its model's download and transfer. */
  readonly closed: AbortController;
  /** The model being loaded or loaded, and the promise of it. */
  current?: { key: string; ready: Promise<ReadyEngine> };
}

export class WebviewLeases {
  private panel?: PanelEngine;

  constructor(
    private readonly pluginWindow: MessageWindow,
    private readonly store: KeyValueStore,
    private readonly openDialog: OpenDialog,
    private readonly provision: Provision = uxpProvision,
  ) {}

  /** Provisions the model in the plugin and loads it into `client`'s page; `signal` stops both. */
  private async load(
    client: EngineClient,
    weights: WeightsChoice,
    events: EngineEvents,
    signal: AbortSignal,
  ): Promise<ReadyEngine> {
    const model = await this.provision(weights, reportTo(events), signal, userWeightsName(this.store) ?? undefined);
    return client.init(model, 'auto', signal);
  }
  /** The panel's webview; call right after putting it in the panel, before it loads. */
  attachPanel(surface: EngineSurface): void {
    void this.detachPanel();
    const loaded = whenLoaded(surface.webview);
    loaded.catch(() => undefined); // reported by prepare()
    const client = new EngineClient(webviewEndpoint(surface.webview, this.pluginWindow), surface.events);
    this.panel = { surface, client, loaded, closed: new AbortController() };
  }

  async detachPanel(): Promise<void> {
    const panel = this.panel;
    this.panel = undefined;
    panel?.closed.abort();
    await panel?.client.dispose();
  }

  /** Loads `weights` into the panel's engine unless it is loaded or loading already (`force`: load again). */
  preparePanel(weights: WeightsChoice, force = false): Promise<ReadyEngine> {
    const panel = this.panel;
    if (!panel) return Promise.reject(new Error('the panel is not open'));
    const key = modelKey(weights, this.store);
    if (panel.current && panel.current.key === key && !force) return panel.current.ready;
    const previous = panel.current?.ready.catch(() => undefined);
    const ready = (async () => {
      await previous; // one init at a time on a page
      await panel.loaded;
      return this.load(panel.client, weights, panel.surface.events, panel.closed.signal);
    })();
    panel.current = { key, ready };
    ready.catch(() => {
      if (panel.current?.ready === ready) panel.current = undefined; // a failed load is retried next time
    });
    return ready;
  }

  /** The panel's engine with `weights` loaded, for the preview (never a dialog). */
  async panelEngine(weights: WeightsChoice): Promise<{ client: EngineClient; ready: ReadyEngine }> {
    const ready = await this.preparePanel(weights);
    if (!this.panel) throw new Error('the panel is not open');
    return { client: this.panel.client, ready };
  }

  /**
   * An engine with `weights` loaded: the panel's (`fromPanel`: its button started the run; shared,
   * so `run` does not stop its loading), or a dialog's for this run only, whose Cancel aborts
   * `run` and whose loading `run` stops.
   */
  async lease(weights: WeightsChoice, fromPanel: boolean, run: AbortController): Promise<EngineLease> {
    if (this.panel && fromPanel) {
      await this.preparePanel(weights);
      return { client: this.panel.client, release: async () => undefined };
    }
    const dialog = this.openDialog(() => run.abort());
    const client = new EngineClient(webviewEndpoint(dialog.webview, this.pluginWindow), dialog.events);
    const release = async (): Promise<void> => {
      await client.dispose();
      dialog.close();
    };
    try {
      const start = async (): Promise<void> => {
        await whenLoaded(dialog.webview);
        await this.load(client, weights, dialog.events, run.signal);
      };
      await Promise.race([start(), dialog.refused]); // a refused dialog's page may never load
    } catch (e) {
      await release();
      if (!(e instanceof DialogRefusedError) || !this.panel) throw e;
      // No dialog allowed (e.g. during playback): the panel's engine, though it may be hidden, is the only one left.
      await this.preparePanel(weights);
      return { client: this.panel.client, release: async () => undefined };
    }
    return { client, feedback: dialog.feedback, release };
  }
}
