/**
 * Where the engine runs: the engine page in a <webview>. The panel hosts one while
 * it is open and keeps its model loaded between runs; without the panel (the menu
 * command, Action playback) a small dialog hosts one for the length of the run.
 * Either way a run gets an EngineClient (the InferenceBackend) and a way to show
 * progress. The surfaces themselves (DOM) come from the panel code.
 */
import { EngineClient, type EngineEvents } from '../protocol/client';
import { webviewEndpoint, whenLoaded, type MessageWindow, type WebviewLike } from './webview-endpoint';
import type { RunFeedback } from './reconstruct-layer';
import type { KeyValueStore, WeightsChoice } from './settings';
import { modelChoice, modelKey } from './weights-file';

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

  constructor(
    private readonly pluginWindow: MessageWindow,
    private readonly store: KeyValueStore,
    private readonly openDialog: () => DialogSurface,
  ) {}

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
      return panel.client.init(await modelChoice(weights, this.store));
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

  /** An engine with `weights` loaded: the panel's, or a dialog's for this run only. */
  async lease(weights: WeightsChoice): Promise<EngineLease> {
    if (this.panel && this.panelVisible) {
      await this.preparePanel(weights);
      return { client: this.panel.client, release: async () => undefined };
    }
    const dialog = this.openDialog();
    const client = new EngineClient(webviewEndpoint(dialog.webview, this.pluginWindow), dialog.events);
    void dialog.cancelled.then(() => client.cancelAll());
    const release = async (): Promise<void> => {
      await client.dispose();
      dialog.close();
    };
    try {
      await whenLoaded(dialog.webview);
      await client.init(await modelChoice(weights, this.store));
    } catch (e) {
      await release();
      throw e;
    }
    return { client, feedback: dialog.feedback, release };
  }
}
