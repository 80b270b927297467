/**
 * Runs a reconstruction for each way one starts: the panel's button and the menu
 * command (executeAsModal, then recorded into the Action being recorded), and Action
 * playback (in the modal scope Photoshop gives the step). One run at a time.
 * Outcomes are sentences for the status line, an alert or a failed Action step.
 */
import { core } from 'photoshop';
import type { ExecutionContext } from 'photoshop/dom/CoreModules';
import { CancelledError, throwIfCancelled } from '../core/cancellation';
import { recordRun, type ActionHandler } from './actions';
import type { WebviewLeases, EngineLease } from './webview-leases';
import { describeError, isCancellation, UserError } from '../plugin-core/errors';
import { HISTORY_NAME, reconstructInModal, type RunFeedback, type RunSummary } from './reconstruct-layer';
import { actionInfo, formatGamma, parseSettings, type Settings } from '../plugin-core/settings';
import { findTarget, type Target } from './target';

export interface RunOutcome<T = RunSummary> {
  readonly ok: boolean;
  readonly cancelled: boolean;
  readonly message: string;
  readonly summary?: T;
}

export interface RunListener {
  started(): void;
  progress(fraction: number, text: string): void;
  finished(outcome: RunOutcome<unknown>): void;
}

const BUSY = 'A reconstruction is already running: wait for it, or cancel it.';
const percent = (share: number): string => `${(100 * share).toFixed(2)}%`;

function describeSummary(s: RunSummary, settings: Settings, seconds: number, backend: string): string {
  if (!s.changed)
    return `Nothing is clipped in this layer (${percent(s.saturated)} saturated): no highlight to reconstruct. The document is unchanged.`;
  const where = settings.output === 'layer' ? 'above the source layer' : 'in a new 32-bit document';
  const notices = s.notices.length ? ` ${s.notices.join(' ')}` : '';
  return `Added “${s.layerName}” ${where}: ${percent(s.saturated)} of the layer was clipped; ${s.computedTiles} of ${s.tiles} tiles ran through the network on ${backend} in ${seconds.toFixed(1)} s (gamma ${formatGamma(settings.gamma)}).${notices}`;
}

/** The work of a run, inside the engine lease; `target` was checked before the engine started. */
export type RunBody<T> = (
  lease: EngineLease,
  feedback: RunFeedback,
  run: AbortController,
  target: Target,
) => Promise<T>;
/** The status line of a finished run. */
export type Describe<T> = (result: T, seconds: number, backend: string) => string;

export class Runner {
  /** The run in progress: its one cancellation, handed to the modal step, the dialog and the engine client. */
  private current?: AbortController;
  private readonly listeners = new Set<RunListener>();

  constructor(private readonly engines: WebviewLeases) {}

  listen(listener: RunListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The panel's Cancel: stops at the next await point, and tells the engine to drop its work. */
  cancel(): void {
    this.current?.abort();
  }

  /** The panel button or the menu command; never throws. */
  async runFromUser(settings: Settings, from: 'panel' | 'menu'): Promise<RunOutcome> {
    if (this.current) return { ok: false, cancelled: false, message: BUSY }; // the running one owns the listeners' UI
    let summary: RunSummary | undefined;
    const outcome = await this.guarded(
      settings,
      from === 'panel',
      async (lease, feedback, run, target) => {
        const step = (ctx: ExecutionContext) => reconstructInModal(ctx, target, settings, lease.client, feedback, run);
        summary = await core.executeAsModal(step, { commandName: HISTORY_NAME });
        return summary;
      },
      this.describe(settings),
    );
    if (outcome.ok && summary?.changed) {
      try {
        await recordRun(settings);
      } catch (e) {
        return this.finish({
          ...outcome,
          message: `${outcome.message} (It could not be recorded into the Action: ${(e as Error).message}.)`,
        });
      }
    }
    return this.finish(outcome);
  }

  /** The global Action step handler: reruns with the recorded settings; "Record Again" stores what it returns. */
  readonly playAction: ActionHandler = async (ctx: ExecutionContext, info: unknown) => {
    let settings: Settings;
    try {
      settings = parseSettings(info);
    } catch (e) {
      throw new Error(this.finish({ ok: false, cancelled: false, message: describeError(e) }).message);
    }
    if (this.current) throw new Error(BUSY);
    const outcome = this.finish(
      await this.guarded(
        settings,
        false,
        (lease, feedback, run) => reconstructInModal(ctx, undefined, settings, lease.client, feedback, run),
        this.describe(settings),
      ),
    );
    if (!outcome.ok) throw new Error(outcome.message);
    return actionInfo(settings);
  };

  /**
   * Another kind of run (the gain-map export) under the same rules: one at a time, the same engine,
   * Cancel and listeners. Never throws; the listeners hear the outcome.
   */
  async runOther<T>(
    settings: Settings,
    fromPanel: boolean,
    body: RunBody<T>,
    describe: Describe<T>,
  ): Promise<RunOutcome<T>> {
    if (this.current) return { ok: false, cancelled: false, message: BUSY }; // the running one owns the listeners' UI
    return this.finish(await this.guarded(settings, fromPanel, body, describe));
  }

  private describe =
    (settings: Settings): Describe<RunSummary> =>
    (summary, seconds, backend) =>
      describeSummary(summary, settings, seconds, backend);

  /** Target check, engine lease, the run, release; any failure becomes an outcome. */
  private async guarded<T>(
    settings: Settings,
    fromPanel: boolean,
    body: RunBody<T>,
    describe: Describe<T>,
  ): Promise<RunOutcome<T>> {
    const run = new AbortController();
    this.current = run;
    this.listeners.forEach((l) => l.started());
    const started = Date.now();
    let lease: EngineLease | undefined;
    try {
      const target = findTarget(); // before an engine is started for nothing
      lease = await this.engines.lease(settings.weights, fromPanel, run);
      const feedback: RunFeedback = {
        progress: (fraction, text) => {
          lease?.feedback?.progress(fraction, text);
          this.listeners.forEach((l) => l.progress(fraction, text));
        },
      };
      throwIfCancelled(run.signal);
      const summary = await body(lease, feedback, run, target);
      const message = describe(summary, (Date.now() - started) / 1000, lease.client.name);
      return { ok: true, cancelled: false, summary, message };
    } catch (e) {
      const cancelled = isCancellation(e) || run.signal.aborted;
      // A UserError already says what a cancel left behind (e.g. changes the Actions panel holds).
      const shown = cancelled && !(e instanceof UserError) ? new CancelledError() : e;
      return { ok: false, cancelled, message: describeError(shown) };
    } finally {
      this.current = undefined;
      await lease?.release();
    }
  }

  private finish<T>(outcome: RunOutcome<T>): RunOutcome<T> {
    this.listeners.forEach((l) => l.finished(outcome));
    return outcome;
  }
}

/** Photoshop's alert, for the menu command (no panel to show a status line in). */
export const showAlert = (message: string): Promise<void> => core.showAlert({ message });
