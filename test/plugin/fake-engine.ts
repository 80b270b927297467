/**
 * A fast stand-in for the engine page, for plugin tests about Photoshop's side: it
 * loads any model at once (its ready answers the init before the chunks need to come),
 * answers each tile with its input at the pixels the protocol returns (HDRCNN's maths is tested elsewhere) and each echo
 * with its text, every message stamped with the page's channel as the real page does.
 * `loads` counts the pages that started, one per webview. selfTestPage() stands in for
 * `engine.html?self-test`.
 */
import type { PageScript } from '../simulator/index';
import { pageBridge } from '../../src/engine/page-bridge';
import { PROTOCOL_VERSION, type SelfTestReport } from '../../src/protocol/messages';
import {
  decodeSamples,
  encodeFloat32,
  packPixels,
  returnedPixels,
  type EncodedSamples,
} from '../../src/protocol/payload';

/** The result of a fake run: the input itself where the blend reads it. */
function echoTile(width: number, height: number, input: EncodedSamples): object {
  const tile = { width, height, data: decodeSamples(input) };
  const pixels = returnedPixels(tile);
  const output = encodeFloat32(packPixels(tile.data, pixels, width * height));
  return { type: 'result', width, height, pixels: pixels.length, output, networkMs: 1, provider: 'wasm' };
}

export interface FakeEngine {
  readonly page: PageScript;
  readonly loads: string[];
}

export function fakeEngine(): FakeEngine {
  const loads: string[] = [];
  const page: PageScript = (w) => {
    loads.push(w.location.href);
    const bridge = pageBridge(w.uxpHost, w.location.href);
    w.addEventListener('message', (e) => {
      const m = e.data as {
        type: string;
        id: number;
        input?: EncodedSamples;
        width?: number;
        height?: number;
        payload?: string;
      };
      const reply = (body: object): void => bridge.post({ ...body, id: m.id, version: PROTOCOL_VERSION });
      if (m.type === 'init') {
        reply({
          type: 'ready',
          provider: 'wasm',
          reason: 'fake engine',
          model: 'fake model',
          wasmThreads: 1,
          crossOriginIsolated: false,
        });
      } else if (m.type === 'run-tile') reply(echoTile(m.width!, m.height!, m.input!));
      else if (m.type === 'echo') reply({ type: 'echo', payload: m.payload });
    });
  };
  return { page, loads };
}

/** Whether a page URL is the self-test's (`engine.html?channel=…&self-test`). */
export const isSelfTest = (href: string): boolean => new URL(href).searchParams.has('self-test');

/** The engine page's `?self-test`: posts `report` (src/engine/self-test.ts's message) once loaded. */
export function selfTestPage(report: Partial<SelfTestReport> = {}): PageScript {
  return (w) => {
    pageBridge(w.uxpHost, w.location.href).post({
      type: 'self-test',
      version: PROTOCOL_VERSION,
      ok: true,
      provider: 'webgpu',
      adapter: 'Test GPU',
      wasmThreads: 4,
      crossOriginIsolated: true,
      ms: 120,
      ...report,
    });
  };
}
