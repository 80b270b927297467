/**
 * The plugin on the Photoshop simulator, for end-to-end tests: the simulator as the
 * `photoshop` / `uxp` modules and UXP globals, the engine page served at the plugin's
 * engine URL (the real Engine on onnxruntime-web WASM in a worker), the tiny fixture
 * model bundled in the plugin folder, and src/index.ts installed as the plugin,
 * loaded as its manifest's loadEvent says (Photoshop starts fresh before each test).
 *
 * Call setupPlugin() once at the top of the test file; imports may come in any order
 * (test/helpers/simulator-modules.ts provides `photoshop` and `uxp` before them).
 */
import { installSimulator } from '../simulator/install';
import type { PageScript, SimElement, WebviewPage } from '../simulator/index';
import type { WorkerEngine, WorkerEngineOptions } from '../helpers/worker-engine';
import { startWorkerEngine } from '../helpers/worker-engine';
import { tinyModelBytes } from '../helpers/fixture';
import { ENGINE_URL } from '../../src/panel/webview-surfaces';
import { pageBridge } from '../../src/engine/page-bridge';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const MANIFEST = JSON.parse(readFileSync(join(__dirname, '../../manifest.json'), 'utf8')) as {
  host: { data: { loadEvent?: string } };
  entrypoints: Array<{ type: string; id: string; label: { default: string } }>;
};

export const PANEL_ID = 'hdr-panel';
export const COMMAND_ID = 'reconstruct-hdr';
export const DIAGNOSTICS_ID = 'diagnostics';

/** The engine page as it runs in the webview: messages in from uxpHost's side, answers out through it. */
export function workerEnginePage(started: WorkerEngine[], options: WorkerEngineOptions = {}): PageScript {
  return (page: WebviewPage) => {
    const engine = startWorkerEngine(options);
    started.push(engine);
    const bridge = pageBridge(page.uxpHost, page.location.href);
    page.addEventListener('message', (e) => engine.endpoint.postMessage(e.data));
    engine.endpoint.addEventListener('message', (e) => bridge.post(e.data as object));
    return () => void engine.close();
  };
}

/**
 * Resolves with `check()` once it holds, looking again every 10 ms: a condition to wait
 * for, never a duration. Gives up (naming `what`) after `polls` looks, not after a time.
 */
export async function waitFor<T>(check: () => T | null | undefined | false, what: string, polls = 6000): Promise<T> {
  for (let i = 0; i < polls; i++) {
    const value = check();
    if (value) return value;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`gave up waiting for ${what}`);
}

/** `bundledModel()` false: the build shipped no model/hdrcnn.onnx for that test (the official weights are downloaded). */
export function setupPlugin(options: { page?: PageScript; bundledModel?: () => boolean } = {}) {
  const simulator = installSimulator({ modalWaitMs: 50 });
  const { sim } = simulator;
  const engines: WorkerEngine[] = [];
  sim.servePage(ENGINE_URL, options.page ?? workerEnginePage(engines));
  // The plugin as Photoshop loads it, after its manifest's loadEvent; each test starts Photoshop afresh.
  sim.plugin.install({ manifest: MANIFEST, load: () => jest.isolateModules(() => require('../../src/index')) });
  beforeEach(() => {
    if (options.bundledModel?.() ?? true) sim.files.addPluginFile('model/hdrcnn.onnx', tinyModelBytes());
    sim.plugin.launch();
  });
  afterAll(async () => {
    // As Photoshop does when a plugin unloads: the panel's destroy() disposes its engine client.
    await sim.entrypoints.destroyPanel(PANEL_ID).catch(() => undefined); // no panel was created: nothing to destroy
    sim.reset();
    await Promise.all(engines.map((e) => e.close()));
  });

  const byId = (id: string): SimElement => {
    const e = sim.document.getElementById(id);
    if (!e) throw new Error(`no #${id} in the plugin document`);
    return e;
  };

  /** Opens the panel and (unless told not to) waits until its engine has loaded the model or failed to. */
  async function openPanel({ waitForModel = true } = {}): Promise<void> {
    await sim.entrypoints.showPanel(PANEL_ID);
    if (waitForModel)
      await waitFor(() => /^(Ready|Failed)/.test(byId('hdr-model').textContent), 'the panel engine to be ready');
  }

  /** Clicks Reconstruct and waits for the run to finish; returns the status line. */
  async function runFromPanel(): Promise<string> {
    const run = byId('hdr-run');
    sim.ui.click(run);
    if (!run.disabled) throw new Error('the run did not start');
    await waitFor(() => !run.disabled, 'the run to finish');
    return byId('hdr-status').textContent;
  }

  /** Everything a run could change in Photoshop: documents, their depth, layers, pixels, history. */
  function snapshot(): unknown {
    const { app } = simulator.photoshop;
    return app.documents.map((doc) => {
      const ids: number[] = [];
      const walk = (nodes: ReturnType<typeof sim.layerTree>) =>
        nodes.forEach((n) => {
          ids.push(n.id);
          if (n.children) walk(n.children);
        });
      walk(sim.layerTree(doc.id));
      return {
        id: doc.id,
        bits: doc.bitsPerChannel,
        profile: doc.colorProfileName,
        tree: sim.layerTree(doc.id),
        history: sim.history(doc.id),
        pixels: ids.map((id) => sim.pixels(doc.id, id)),
        active: app.activeDocument?.id,
      };
    });
  }

  return { ...simulator, engines, byId, openPanel, runFromPanel, snapshot };
}
