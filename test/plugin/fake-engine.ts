/**
 * A fast stand-in for the engine page, for plugin tests about Photoshop's side: it
 * loads any model at once, answers each tile with its input (HDRCNN's maths is
 * tested elsewhere) and each echo with its text. `loads` counts the pages that
 * started, one per webview. selfTestPage() stands in for `engine.html?self-test`.
 */
import type { PageScript } from '../simulator/index';
import type { SelfTestReport } from '../../src/host/diagnostics';
import { PROTOCOL_VERSION } from '../../src/protocol/messages';

export interface FakeEngine {
  readonly page: PageScript;
  readonly loads: string[];
}

/** `maxMessageBytes`: an echo larger than this is answered with an error, as a bridge that refuses it. */
export function fakeEngine(options: { maxMessageBytes?: number } = {}): FakeEngine {
  const loads: string[] = [];
  const page: PageScript = (w) => {
    loads.push(w.location.href);
    w.addEventListener('message', (e) => {
      const m = e.data as { type: string; id: number; input?: unknown; width?: number; height?: number; payload?: string };
      const reply = (body: object): void => w.uxpHost.postMessage({ ...body, id: m.id, version: PROTOCOL_VERSION });
      if (m.type === 'init') reply({ type: 'ready', provider: 'wasm', reason: 'fake engine', model: 'fake model' });
      else if (m.type === 'run-tile') reply({ type: 'result', width: m.width, height: m.height, output: m.input, provider: 'wasm' });
      else if (m.type === 'echo' && (m.payload?.length ?? 0) > (options.maxMessageBytes ?? Infinity)) {
        reply({ type: 'error', code: 'bad-message', message: `a ${m.payload!.length}-byte message is more than the bridge takes` });
      } else if (m.type === 'echo') reply({ type: 'echo', payload: m.payload });
    });
  };
  return { page, loads };
}

/** The engine page's `?self-test`: posts `report` (issue 9's message shape) once loaded. */
export function selfTestPage(report: Partial<SelfTestReport> = {}): PageScript {
  return (w) => {
    w.uxpHost.postMessage({ type: 'self-test', ok: true, provider: 'webgpu', adapter: 'Test GPU', wasmThreads: 4, crossOriginIsolated: true, ms: 120, ...report });
  };
}
