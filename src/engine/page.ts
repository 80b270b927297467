/**
 * The engine page's bootstrap: wires {@link Engine} to the browser. In the
 * plugin's <webview> (UXP 8 / Photoshop 26+, local content) it hears the
 * plugin through window 'message' events and answers through
 * `window.uxpHost.postMessage`, the message bridge, every message stamped with
 * the channel from its URL. Without uxpHost (a development harness that frames
 * the page) it answers its parent window. `?self-test` runs the self-test and
 * posts its report instead.
 *
 * The page is one file (engine.html, see webpack.config.js): this script and
 * onnxruntime's .wasm (base64, in a non-executed script element) are inline, so
 * it loads with no MIME types, no module script and no fetch. It uses no
 * storage: local webview content has no localStorage, and IndexedDB is not
 * documented there. Plain web APIs only: no UXP imports.
 */
import { toByteArray } from 'base64-js';
import { createOrtWebBackend, ortWasmThreads } from '../runtime/ort-web';
import { Engine, type EngineDeps } from './engine';
import { requestGpu, type Gpu } from './gpu';
import { pageBridge, type Bridge } from './page-bridge';
import { runSelfTest } from './self-test';

/** The element webpack's page step fills with the runtime's .wasm. */
const WASM_ELEMENT = 'ort-wasm';

const page = window as unknown as Window & { uxpHost?: Bridge };
const framed = window.parent !== window;
const host: Bridge | undefined =
  page.uxpHost ?? (framed ? { postMessage: (m) => window.parent.postMessage(m, '*') } : undefined);

const show = (text: string): void => {
  const status = document.getElementById('status');
  if (status) status.textContent = text;
};

let wasmBinary: Uint8Array | undefined;
/** Decoded once, on first use; the 36 MB of text go with the element. */
function runtimeWasm(): Uint8Array {
  if (!wasmBinary) {
    const element = document.getElementById(WASM_ELEMENT);
    if (!element?.textContent) throw new Error('this engine page was built without its WASM runtime');
    wasmBinary = toByteArray(element.textContent.trim());
    element.remove();
  }
  return wasmBinary;
}

const deps: EngineDeps = {
  requestGpu: (allowSoftware) => requestGpu((navigator as Navigator & { gpu?: Gpu }).gpu, { allowSoftware }),
  // One WASM thread: threads need a cross-origin isolated page (local content cannot send COOP/COEP)
  // and a worker script file, which a one-file page does not have.
  createBackend: (model, provider, device) =>
    createOrtWebBackend(model, { provider, threads: 1, wasmBinary: runtimeWasm(), device }),
  runtimeInfo: () => ({ wasmThreads: ortWasmThreads(), crossOriginIsolated: self.crossOriginIsolated === true }),
};

if (!host) {
  show('No plugin bridge: this page runs inside the HDR Reconstruct panel.');
} else {
  const bridge = pageBridge(host, location.href);
  if (new URLSearchParams(location.search).has('self-test')) {
    show('Self-test running…');
    void runSelfTest(deps, () => performance.now()).then((report) => {
      show(
        report.ok ? `Self-test passed on ${report.provider} in ${report.ms} ms` : `Self-test failed: ${report.error}`,
      );
      bridge.post(report);
    });
  } else {
    const engine = new Engine((message) => {
      if (message.type === 'model-status') show(message.message);
      bridge.post(message);
    }, deps);
    window.addEventListener('message', (event) => {
      if (!framed || page.uxpHost || event.source === window.parent) engine.handle(event.data);
    });
    show('Engine loaded; waiting for the plugin.');
  }
}
