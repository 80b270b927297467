/**
 * A fast stand-in for the engine page, for plugin tests about Photoshop's side: it
 * loads any model at once and answers each tile with its input (HDRCNN's maths is
 * tested elsewhere). `loads` counts the pages that started, one per webview.
 */
import type { PageScript } from '../simulator/index';
import { PROTOCOL_VERSION } from '../../src/protocol/messages';

export interface FakeEngine {
  readonly page: PageScript;
  readonly loads: string[];
}

export function fakeEngine(): FakeEngine {
  const loads: string[] = [];
  const page: PageScript = (w) => {
    loads.push(w.location.href);
    w.addEventListener('message', (e) => {
      const m = e.data as { type: string; id: number; input?: unknown; width?: number; height?: number; payload?: string };
      const reply = (body: object): void => w.uxpHost.postMessage({ ...body, id: m.id, version: PROTOCOL_VERSION });
      if (m.type === 'init') reply({ type: 'ready', provider: 'wasm', reason: 'fake engine', model: 'fake model' });
      else if (m.type === 'run-tile') reply({ type: 'result', width: m.width, height: m.height, output: m.input, provider: 'wasm' });
    });
  };
  return { page, loads };
}
