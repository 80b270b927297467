/**
 * action.recordAction and a simulated Actions panel, after "Action Recording"
 * (ps-reference/media/action-recording.md, Photoshop 25.0+). A recorded step stores
 * only the handler's *name* and a copy of `info`; playback looks the name up on
 * `globalThis` and calls it as `(executionContext, info)` inside a modal scope.
 */
/// <reference path="../../src/host/photoshop-types.d.ts" />
import type { action as PsAction } from 'photoshop';
import type { ExecutionContext } from 'photoshop/dom/CoreModules';
import { simError } from './errors';
import type { World } from './world';

export interface PlayOptions {
  /** Play one step only. */
  step?: number;
  /** "Record Again...": the handler's return value replaces the step's info. */
  recordAgain?: boolean;
  /** The plugin's dialogs are refused during playback (REJECTION_REASON_NOT_ALLOWED: "may be"; when is undocumented). */
  refuseDialogs?: boolean;
  /** The user's option to suspend the active document's history during playback (the Actions panel owns it). */
  suspendHistory?: boolean;
}

export interface RecordedStep {
  /** "User visible string. Used by the Actions panel to display the name of the Action step." */
  name: string;
  /** "Name of top level JavaScript function", called on playback. */
  methodName: string;
  info: Record<string, unknown>;
}

/** Actions store descriptor data, not live objects: a JSON round trip models what survives. */
const record = (v: unknown): Record<string, unknown> => JSON.parse(JSON.stringify(v)) as Record<string, unknown>;

export class ActionsPanel {
  private actions = new Map<string, RecordedStep[]>();
  private recording: string | null = null;
  /** Set by index.ts: whether the plugin's dialogs are refused (REJECTION_REASON_NOT_ALLOWED). */
  refuseDialogs: (refuse: boolean) => void = () => undefined;

  constructor(private readonly world: World) {}

  reset(): void {
    this.actions.clear();
    this.recording = null;
  }

  get isRecording(): boolean {
    return this.recording !== null;
  }

  /** The user creates an Action and presses Record. */
  startRecording(actionName: string): void {
    if (this.recording) throw new Error('simulator: already recording');
    this.actions.set(actionName, []);
    this.recording = actionName;
  }

  stopRecording(): RecordedStep[] {
    if (!this.recording) throw new Error('simulator: not recording');
    const steps = this.steps(this.recording);
    this.recording = null;
    return steps;
  }

  /** A copy of the recorded steps of an Action. */
  steps(actionName: string): RecordedStep[] {
    const steps = this.actions.get(actionName);
    if (!steps) throw new Error(`simulator: no Action "${actionName}"`);
    return steps.map((s) => ({ ...s, info: record(s.info) }));
  }

  /**
   * Plays an Action (or one step of it) as the Actions panel does: each step calls
   * `globalThis[methodName](executionContext, info)`, with a fresh copy of `info`, in
   * a modal scope. With `recordAgain` ("Record Again..."), "the value returned by the
   * handler function will replace the existing info object ... If the javascript
   * function returns undefined, then the step is not modified."
   */
  async play(actionName: string, options: PlayOptions = {}): Promise<void> {
    const steps = this.actions.get(actionName);
    if (!steps) throw new Error(`simulator: no Action "${actionName}"`);
    const chosen = options.step === undefined ? steps : [steps[options.step]];
    if (chosen.some((s) => !s)) throw new Error(`simulator: Action "${actionName}" has no step ${options.step}`);
    this.refuseDialogs(options.refuseDialogs ?? false);
    try {
      await this.runSteps(actionName, chosen, options);
    } finally {
      this.refuseDialogs(false);
    }
  }

  private async runSteps(actionName: string, chosen: RecordedStep[], options: PlayOptions): Promise<void> {
    const suspended = options.suspendHistory ? this.world.activeDocId : null;
    await this.world.modal.runScope(actionName, async (ctx) => {
      if (suspended !== null) this.world.modal.suspendForActions(suspended, actionName);
      try {
        await this.callSteps(ctx, chosen, options);
      } finally {
        if (suspended !== null) this.world.modal.resumeForActions(suspended);
      }
    });
  }

  private async callSteps(ctx: ExecutionContext, chosen: RecordedStep[], options: PlayOptions): Promise<void> {
    for (const step of chosen) {
      const handler = (globalThis as Record<string, unknown>)[step.methodName];
      // The docs' failure dialog: "Script action failed." when methodName is not global.
      if (typeof handler !== 'function')
        throw simError('not-found', `Script action failed. (no global function "${step.methodName}")`);
      const result: unknown = await handler(ctx, record(step.info));
      if (options.recordAgain && result !== undefined) step.info = record(result);
    }
  }

  /** action.recordAction({name, methodName}, info). */
  recordAction: (typeof PsAction)['recordAction'] = async (...args: unknown[]) => {
    this.world.modal.enterApi('action.recordAction');
    const [options, info] = args as [{ name?: unknown; methodName?: unknown } | undefined, unknown];
    // Console errors listed in the docs.
    if (typeof options?.methodName !== 'string') throw simError('invalid-argument', 'Unsupported napi type');
    if (args.length < 2 || info === undefined)
      throw simError('invalid-argument', 'Failed Error: Argument 2 is missing');
    if (typeof options.name !== 'string') throw simError('invalid-argument', 'Unsupported napi type');
    if (typeof info !== 'object' || info === null || Array.isArray(info))
      throw simError('invalid-argument', 'recordAction: info must be an object');
    // "adds a step to the Action that is being recorded"; with no recording the simulator records nothing.
    if (this.recording)
      this.actions
        .get(this.recording)!
        .push({ name: options.name, methodName: options.methodName, info: record(info) });
  };
}
