/**
 * The engine page's bootstrap: wires {@link Engine} to the browser. In the
 * plugin's <webview> (UXP 8 / Photoshop 26+, local content) it hears the
 * plugin through window 'message' events and answers through
 * `window.uxpHost.postMessage`, the message bridge. Without uxpHost (a
 * development harness that frames the page) it answers its parent window.
 * Plain web APIs only: no UXP imports.
 */
import type { Response } from '../protocol/messages';
import { createOrtWebBackend } from '../runtime/ort-web';
import { Engine } from './engine';
import { requestGpu, type Gpu } from './gpu';
import { idbModelCache } from './idb-cache';
import { MODEL_SOURCES, type ModelSources } from './model-sources';

/** Set before the page loads by the browser tests and the bench (an init script); never by the plugin. */
interface EngineOverrides {
  readonly sources?: ModelSources;
  readonly threads?: number;
}

interface Bridge {
  postMessage(message: unknown): void;
}

const page = window as unknown as Window & { uxpHost?: Bridge; hdrEngineOverrides?: EngineOverrides };
const overrides = page.hdrEngineOverrides ?? {};
const framed = window.parent !== window;
const bridge: Bridge | undefined = page.uxpHost ?? (framed ? { postMessage: (m) => window.parent.postMessage(m, '*') } : undefined);

const show = (text: string): void => {
  const status = document.getElementById('status');
  if (status) status.textContent = text;
};

// WASM threads need SharedArrayBuffer, i.e. a cross-origin isolated page.
const threads = overrides.threads ?? (crossOriginIsolated ? Math.min(4, navigator.hardwareConcurrency || 1) : 1);
// Relative to the page, as Adobe's docs ask of local webview content (a literal plugin:/ URL does not load there).
const here = (path: string): string => new URL(path, location.href).href;

async function bundledModel(): Promise<Uint8Array | undefined> {
  try {
    const response = await fetch(here('../model/hdrcnn.onnx'));
    return response.ok ? new Uint8Array(await response.arrayBuffer()) : undefined;
  } catch {
    return undefined; // no bundled model: not an error, the official weights are the fallback
  }
}

if (!bridge) {
  show('No plugin bridge: this page runs inside the HDR Reconstruct panel.');
} else {
  const engine = new Engine(
    (message: Response) => {
      if (message.type === 'model-status') show(message.message);
      bridge.postMessage(message);
    },
    {
      requestGpu: (allowSoftware) => requestGpu((navigator as Navigator & { gpu?: Gpu }).gpu, { allowSoftware }),
      createBackend: (model, provider, device) => createOrtWebBackend(model, { provider, threads, wasmPaths: here('./'), device }),
      fetch: (url, init) => fetch(url, init),
      cache: idbModelCache(),
      bundledModel,
      sources: overrides.sources ?? MODEL_SOURCES,
    },
  );
  window.addEventListener('message', (event) => {
    if (!framed || page.uxpHost || event.source === window.parent) engine.handle(event.data);
  });
  show('Engine loaded; waiting for the plugin.');
}
