/**
 * Makes one simulator the `photoshop` and `uxp` modules of a test file (jest keeps a
 * module registry per test file, so each file gets its own). Neither module exists in
 * node_modules (only their types do), hence virtual mocks.
 *
 * Either, as the FIRST import of the test file (before anything that requires them):
 *
 *     import { installSimulator } from '../simulator/install';
 *     const { sim, photoshop } = installSimulator();          // also resets before each test
 *     import { readLayer } from '../../src/host/pixels';       // now sees the simulator
 *
 * or, safe against import re-ordering, with hoisted mocks plus the same call for the
 * globals and the per-test reset:
 *
 *     jest.mock('photoshop', () => require('../simulator/install').photoshopModule(), { virtual: true });
 *     jest.mock('uxp', () => require('../simulator/install').uxpModule(), { virtual: true });
 *     const { sim } = installSimulator();
 *
 * installSimulator also sets UXP's globals on globalThis where absent — `localStorage`,
 * `window` (the plugin window that receives webview `message` events) and `document`
 * (the plugin's HTML document) — and removes them after the file's tests.
 */
import type { PhotoshopSimulator, SimulatorOptions } from './index';
import { createPhotoshopSimulator } from './index';

let current: PhotoshopSimulator | undefined;

/** The file's simulator, created on first use (options apply only then). */
export function installedSimulator(options?: SimulatorOptions): PhotoshopSimulator {
  return (current ??= createPhotoshopSimulator(options));
}

/** The module object `require('photoshop')` returns (named exports and a default export). */
export function photoshopModule(): object {
  const { photoshop } = installedSimulator();
  return { __esModule: true, ...photoshop, default: photoshop };
}

/** The module object `require('uxp')` returns. */
export function uxpModule(): object {
  const { uxp } = installedSimulator();
  return { __esModule: true, ...uxp, default: uxp };
}

export interface InstallOptions extends SimulatorOptions {
  /** Call sim.reset() before each test (default true). */
  resetBeforeEach?: boolean;
}

export function installSimulator(options: InstallOptions = {}): PhotoshopSimulator {
  const simulator = installedSimulator(options);
  jest.doMock('photoshop', photoshopModule, { virtual: true });
  jest.doMock('uxp', uxpModule, { virtual: true });

  const g = globalThis as Record<string, unknown>;
  const added: string[] = [];
  for (const [name, value] of [
    ['localStorage', simulator.sim.localStorage],
    ['window', simulator.sim.window],
    ['document', simulator.sim.document],
  ] as const) {
    if (g[name] === undefined) {
      g[name] = value;
      added.push(name);
    }
  }
  // UXP's navigator.clipboard (Node has a navigator without one).
  const nav = g.navigator as Record<string, unknown> | undefined;
  if (nav && nav.clipboard === undefined)
    Object.defineProperty(nav, 'clipboard', { value: simulator.sim.clipboard, configurable: true });
  afterAll(() => {
    for (const name of added) delete g[name];
    if (nav?.clipboard === simulator.sim.clipboard) delete nav.clipboard;
  });
  if (options.resetBeforeEach !== false) beforeEach(() => simulator.sim.reset());
  return simulator;
}
