/**
 * Where the engine runs: the engine page in a <webview>. The panel hosts one while
 * it is open and keeps its model loaded between runs; without the panel (the menu
 * command, Action playback) a small dialog hosts one for the length of the run.
 * Either way a run gets an EngineClient (the InferenceBackend) and a way to show
 * progress. The model is provisioned here, in the plugin (model-provisioning.ts),
 * and sent to the page in chunks. The surfaces themselves (DOM) come from the panel code.
 */
import { EngineClient, type EngineEvents, type EngineModel } from '../protocol/client';
import { provisionModel, type ProvisionReport } from './model-provisioning';
import { pluginProvisionDeps } from './uxp-provision';
import { webviewEndpoint, whenLoaded, type MessageWindow, type WebviewLike } from './webview-endpoint';
import type { RunFeedback } from './reconstruct-layer';
import type { KeyValueStore, WeightsChoice } from './settings';
import { modelKey, userWeightsName } from './weights-file';

/** Turns a weights choice into the ONNX model to send; the plugin's is provisionModel on UXP. */
export type Provision = (weights: WeightsChoice, report: ProvisionReport, signal: AbortSignal, chosenName?: string) => Promise<EngineModel>;

const uxpProvision: Provision = (weights, report, signal, chosenName) => provisionModel(weights, pluginProvisionDeps(), report, signal, chosenName);

/** The model-status and progress events of a surface, as provisioning reports. */
const reportTo = (events: EngineEvents): ProvisionReport => ({
  status: (state, message) => events.onModelStatus?.(state, message),
  progress: (stage, loaded, total) => events.onProgress?.(stage, loaded, total),
});

export interface EngineSurface {
  readonly webview: HTMLElement & WebviewLike;
  /** Model status and download progress, for whoever shows them. */
  readonly events: EngineEvents;
}

export interface DialogSurface extends EngineSurface {
  readonly feedback: RunFeedback;
  /** Settles when the user presses Cancel or dismisses the dialog. */
  readonly cancelled: Promise<void>;
  close(): void;
}

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
  /** The model being loaded or loaded, and the promise of it. */
  current?: { key: string; ready: Promise<ReadyEngine> };
}

export class WebviewLeases {
  private panel?: PanelEngine;
  /** A hidden panel's page may be suspended: runs then use a dialog. */
  private panelVisible = false;
  /** Downloads and conversions under way, for cancelProvisioning(). */
  private readonly provisioning = new Set<AbortController>();

  constructor(
    private readonly pluginWindow: MessageWindow,
    private readonly store: KeyValueStore,
    private readonly openDialog: () => DialogSurface,
    private readonly provision: Provision = uxpProvision,
  ) {}

  /** Stops any download under way (the run's Cancel); its init fails as cancelled. */
  cancelProvisioning(): void {
    this.provisioning.forEach((controller) => controller.abort());
  }

  /** Provisions the model in the plugin and loads it into `client`'s page. */
  private async load(client: EngineClient, weights: WeightsChoice, events: EngineEvents): Promise<ReadyEngine> {
    const controller = new AbortController();
    this.provisioning.add(controller);
    try {
      const model = await this.provision(weights, reportTo(events), controller.signal, userWeightsName(this.store) ?? undefined);
      return await client.init(model);
    } finally {
      this.provisioning.delete(controller);
    }
  }

  setPanelVisible(visible: boolean): void {
    this.panelVisible = visible;
  }

  /** The panel's webview; call right after putting it in the panel, before it loads. */
  attachPanel(surface: EngineSurface): void {
    void this.detachPanel();
    const loaded = whenLoaded(surface.webview);
    loaded.catch(() => undefined); // reported by prepare()
    this.panel = { surface, client: new EngineClient(webviewEndpoint(surface.webview, this.pluginWindow), surface.events), loaded };
  }

  async detachPanel(): Promise<void> {
    const panel = this.panel;
    this.panel = undefined;
    this.panelVisible = false;
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
      return this.load(panel.client, weights, panel.surface.events);
    })();
    panel.current = { key, ready };
    ready.catch(() => {
      if (panel.current?.ready === ready) panel.current = undefined; // a failed load is retried next time
    });
    return ready;
  }

  /** An engine with `weights` loaded: the panel's, or a dialog's for this run only. */
  async lease(weights: WeightsChoice): Promise<EngineLease> {
    if (this.panel && this.panelVisible) {
      await this.preparePanel(weights);
      return { client: this.panel.client, release: async () => undefined };
    }
    const dialog = this.openDialog();
    const client = new EngineClient(webviewEndpoint(dialog.webview, this.pluginWindow), dialog.events);
    void dialog.cancelled.then(() => {
      this.cancelProvisioning();
      client.cancelAll();
    });
    const release = async (): Promise<void> => {
      await client.dispose();
      dialog.close();
    };
    try {
      await whenLoaded(dialog.webview);
      await this.load(client, weights, dialog.events);
    } catch (e) {
      await release();
      throw e;
    }
    return { client, feedback: dialog.feedback, release };
  }
}
