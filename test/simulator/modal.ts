/**
 * core.executeAsModal, its ExecutionContext, history suspension and user
 * cancellation, after the "Modal Execution" page of the Photoshop UXP reference
 * (ps-reference/media/executeasmodal.md). The modal scope is tracked per async call
 * chain (AsyncLocalStorage), so a state change from code that is not awaited inside
 * the target function is refused, as is a nested call's escape after its scope ended.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type {
  ExecuteAsModalOptions,
  ExecutionContext,
  HistoryStateInfo,
  HistorySuspension,
  ReportProgressOptions,
  ResumeHistorySuspensionOptions,
} from 'photoshop/dom/CoreModules';
import { simError } from './errors';
import type { DocState } from './store';
import type { World } from './world';

interface Scope {
  readonly commandName: string;
  readonly root: RootScope;
  readonly context: ExecutionContext;
}
interface RootScope {
  ended: boolean;
  readonly contexts: ExecutionContext[];
  readonly autoClose: Set<number>;
}

/** The suspension id of a playback's history suspension, owned by the Actions panel (0xFFFFFFFF). */
export const ACTIONS_SUSPENSION = 4294967295;

export interface ProgressReport {
  commandName: string;
  value?: number;
  message?: string;
}
export type ApiCallHook = (apiName: string, callNumber: number) => void;

export class Modal {
  private readonly als = new AsyncLocalStorage<Scope>();
  /** Who holds Photoshop's modal state: this plugin's root scope, or another plugin. */
  private holder: { pluginId: string; root?: RootScope } | null = null;
  private waiters: (() => void)[] = [];
  private cancelled = false;
  private nextSuspensionId = 1;
  private hooks: ApiCallHook[] = [];
  /** Photoshop API calls made inside modal scopes since the last reset (the await points a user can cancel at). */
  apiCallCount = 0;
  /** Every reportProgress call, in order. */
  readonly progress: ProgressReport[] = [];
  /** Set when sim.modal.cancel() (or a hook) cancelled a scope. */
  cancelTriggered = false;

  constructor(private readonly world: World) {}

  reset(): void {
    this.holder = null;
    this.waiters = [];
    this.cancelled = false;
    this.hooks = [];
    this.apiCallCount = 0;
    this.progress.length = 0;
    this.cancelTriggered = false;
  }

  /** The live modal scope of the calling async chain, if any. */
  private scope(): Scope | undefined {
    const s = this.als.getStore();
    return s && !s.root.ended ? s : undefined;
  }

  /** Runs `fn` (and what it schedules) outside any modal scope, as host events are. */
  runOutside(fn: () => void): void {
    this.als.exit(fn);
  }

  inModal(): boolean {
    return this.scope() !== undefined;
  }

  /** core.isModal(): "true if the plugin is currently in a modal state". */
  isModal(): boolean {
    return this.holder?.root !== undefined && !this.holder.root.ended;
  }

  /** Gate for every state change: "a modal state is required when a plugin wants to make modifications". */
  assertMutable(op: string): void {
    if (!this.scope())
      throw simError('outside-modal', `${op} changes Photoshop state and must run inside core.executeAsModal`);
    // "When the user cancels a modal scope, then JavaScript cannot make any further document changes."
    if (this.cancelled) throw cancelError(op);
  }

  /**
   * Entry of every asynchronous Photoshop API call. Inside a modal scope it counts the
   * call (an await point), lets test hooks cancel there, and rejects once cancelled:
   * "the next call to batchPlay will raise an exception and exit the target function".
   */
  enterApi(op: string, { cleanup = false } = {}): void {
    if (!this.scope()) return;
    if (this.cancelled && !cleanup) throw cancelError(op);
    this.apiCallCount++;
    for (const hook of [...this.hooks]) hook(op, this.apiCallCount);
    if (this.cancelled && !cleanup) throw cancelError(op);
  }

  onApiCall(hook: ApiCallHook): () => void {
    this.hooks.push(hook);
    return () => {
      this.hooks = this.hooks.filter((h) => h !== hook);
    };
  }

  /** Cancels when the n-th API call (counted from now) is made: that call rejects. */
  cancelAtCall(n: number, reason = 'user cancelled'): void {
    const start = this.apiCallCount;
    const off = this.onApiCall((_op, count) => {
      if (count - start === n) {
        off();
        this.cancel(reason);
      }
    });
  }

  /**
   * The user presses Escape / Cancel: sets isCancelled on the shared modal state and
   * calls every live context's onCancel. Returns false when this plugin is not modal.
   */
  cancel(reason = 'user cancelled'): boolean {
    const root = this.holder?.root;
    if (!root || root.ended || this.cancelled) return false;
    this.cancelled = true;
    this.cancelTriggered = true;
    for (const ctx of root.contexts) ctx.onCancel?.({ reason });
    return true;
  }

  /** Another plugin enters a modal scope (test control); executeAsModal then waits, then fails with error 9. */
  holdByOtherPlugin(pluginId = 'com.example.other-plugin'): void {
    if (this.holder) throw new Error('simulator: the modal state is already held');
    this.holder = { pluginId };
  }

  releaseOtherPlugin(): void {
    if (this.holder && !this.holder.root) this.release();
  }

  private release(): void {
    this.holder = null;
    const waiters = this.waiters;
    this.waiters = [];
    waiters.forEach((w) => w());
  }

  /**
   * "Only one plugin can be modal at any given time." Since 25.10 the request retries
   * for `timeOut` seconds (default 1), then fails; the error carries number 9 and
   * names the holder ("Plugin: com.adobe.testPlugin is running a modal command").
   * A second, concurrent call from this plugin gets the same treatment ("If it's your
   * plugin, then you likely didn't use await").
   */
  private async acquire(timeOutSeconds: number | undefined): Promise<RootScope> {
    const waitMs = this.world.options.modalWaitMs ?? (timeOutSeconds ?? 1) * 1000;
    const deadline = Date.now() + waitMs;
    while (this.holder) {
      const left = deadline - Date.now();
      const freed =
        left > 0 &&
        (await new Promise<boolean>((resolve) => {
          const timer = setTimeout(() => resolve(false), left);
          this.waiters.push(() => {
            clearTimeout(timer);
            resolve(true);
          });
        }));
      if (!freed && this.holder) {
        throw simError('modal-busy', `Plugin: ${this.holder.pluginId} is running a modal command`, 9);
      }
    }
    const root: RootScope = { ended: false, contexts: [], autoClose: new Set() };
    this.holder = { pluginId: this.world.options.pluginId, root };
    this.cancelled = false;
    return root;
  }

  /** core.executeAsModal(targetFunction, {commandName, descriptor?, interactive?, timeOut?}). */
  async executeAsModal<T>(
    target: (executionContext: ExecutionContext, descriptor?: object) => Promise<T>,
    options: ExecuteAsModalOptions,
  ): Promise<T> {
    if (typeof options?.commandName !== 'string')
      throw simError('invalid-argument', 'executeAsModal: options.commandName is required');
    // The descriptor "cannot include functions": structuredClone rejects them as Photoshop would.
    const descriptor = options.descriptor === undefined ? undefined : structuredClone(options.descriptor);
    const outer = this.scope();
    if (outer) {
      // "You can have nested modal scopes ... All modal scopes share the same global modal state."
      this.enterApi('core.executeAsModal');
      const scope = this.newScope(options.commandName, outer.root);
      return this.als.run(scope, () => target(scope.context, descriptor));
    }
    const root = await this.acquire(options.timeOut);
    const scope = this.newScope(options.commandName, root);
    let ok = false;
    try {
      const result = await this.als.run(scope, () => target(scope.context, descriptor));
      ok = true;
      return result;
    } finally {
      this.endRoot(root, ok);
    }
  }

  /** Runs `body` as a top-level modal scope (Actions panel playback uses it). */
  runScope<T>(commandName: string, body: (ctx: ExecutionContext) => Promise<T>): Promise<T> {
    return this.executeAsModal((ctx) => body(ctx), { commandName });
  }

  /**
   * "When the modal scope ends, Photoshop will auto-resume history on any document that
   * is still in a suspended state. If the target function ... returns normally, then all
   * unsuspended states are committed. If [it] exits via an exception, then all
   * unsuspended history states are cancelled." Registered documents are then closed.
   */
  private endRoot(root: RootScope, ok: boolean): void {
    for (const doc of this.world.docs) if (doc.suspension && doc.suspension.owner !== 'actions') this.resume(doc, ok);
    for (const id of root.autoClose) this.world.closeDoc(id);
    root.ended = true;
    this.cancelled = false;
    this.release();
  }

  private newScope(commandName: string, root: RootScope): Scope {
    const modal = this;
    const live = (op: string) => {
      if (root.ended) throw simError('outside-modal', `${op}: the modal scope has ended`);
    };
    const context: ExecutionContext = {
      get isCancelled() {
        return modal.cancelled && !root.ended;
      },
      onCancel: undefined,
      reportProgress(params: ReportProgressOptions) {
        live('reportProgress');
        // "a value between 0 and 1"; the simulator refuses others so that bugs show.
        if (params.value !== undefined && !(params.value >= 0 && params.value <= 1)) {
          throw simError('invalid-argument', `reportProgress: value ${params.value} is outside [0, 1]`);
        }
        modal.progress.push({ commandName, value: params.value, message: params.commandName });
      },
      hostControl: {
        async suspendHistory(params: HistoryStateInfo): Promise<HistorySuspension> {
          live('suspendHistory');
          modal.enterApi('hostControl.suspendHistory');
          return modal.suspend(params);
        },
        async resumeHistory(params: ResumeHistorySuspensionOptions, commit = true): Promise<void> {
          live('resumeHistory');
          modal.enterApi('hostControl.resumeHistory');
          // "If a plugin invokes resumeHistory with a commit value of true and suspension ID of 4294967295, then an
          // exception will be raised. A plugin cannot roll back changes for a suspension state that is owned by the
          // Actions panel." Both are refused.
          const id = typeof params === 'number' ? params : params?.historySuspensionID;
          if (id === ACTIONS_SUSPENSION)
            throw simError('invalid-argument', `resumeHistory: suspension ${id} is owned by the Actions panel`);
          const doc = modal.world.docs.find((d) => d.suspension?.id === params?.historySuspensionID);
          if (!doc)
            throw simError('invalid-argument', `resumeHistory: no active suspension ${params?.historySuspensionID}`);
          modal.resume(doc, commit, params.finalName);
        },
        /**
         * Auto-close is the docs' clean-up path for cancelled scopes ("close the document if
         * the user cancels while the script is running"), and their example registers right
         * after creating the document, an await point a cancel can land on. So (un)registering
         * is an await point that still works after cancellation (undocumented; decided here).
         */
        async registerAutoCloseDocument(documentID: number): Promise<void> {
          live('registerAutoCloseDocument');
          modal.enterApi('hostControl.registerAutoCloseDocument', { cleanup: true });
          modal.world.requireDoc(documentID);
          root.autoClose.add(documentID);
        },
        async unregisterAutoCloseDocument(documentID: number): Promise<void> {
          live('unregisterAutoCloseDocument');
          modal.enterApi('hostControl.unregisterAutoCloseDocument', { cleanup: true });
          root.autoClose.delete(documentID);
        },
      },
    };
    root.contexts.push(context);
    return { commandName, root, context };
  }

  /** "While a history state is suspended, Photoshop will coalesce all document changes into a single history state." */
  private suspend(params: HistoryStateInfo): HistorySuspension {
    const doc = this.world.requireDoc(params?.documentID);
    if (typeof params.name !== 'string') throw simError('invalid-argument', 'suspendHistory: name is required');
    // executeasmodal.md (a note still commented out as prerelease): when the user plays an Action with history
    // suspended, "the call to suspendHistory is ignored, and the following value is returned: 4294967295 (0xFFFFFFFF)".
    // The docs give the bare number (the typings an object); the simulator returns the number.
    if (doc.suspension?.owner === 'actions') return ACTIONS_SUSPENSION as unknown as HistorySuspension;
    // Undocumented: a second suspension of one document; the simulator refuses it.
    if (doc.suspension) throw simError('invalid-argument', `suspendHistory: document ${doc.id} is already suspended`);
    const handle = { historySuspensionID: this.nextSuspensionId++ };
    doc.suspension = {
      id: handle.historySuspensionID,
      name: params.name,
      snapshot: structuredClone({ ...doc, suspension: null }),
      revisionAtSuspend: doc.revision,
      handle,
    };
    return handle;
  }

  /** The Actions panel suspends `doc`'s history for a playback (the user's "suspend history" option). */
  suspendForActions(documentID: number, name: string): void {
    const doc = this.world.requireDoc(documentID);
    const handle = { historySuspensionID: ACTIONS_SUSPENSION };
    doc.suspension = {
      id: ACTIONS_SUSPENSION,
      name,
      snapshot: structuredClone({ ...doc, suspension: null }),
      revisionAtSuspend: doc.revision,
      handle,
      owner: 'actions',
    };
  }

  /**
   * The playback ends: the Actions panel commits its suspension, also when a step failed (undocumented:
   * the simulator keeps what the steps did, in one state named after the Action; a plugin cannot roll it back).
   */
  resumeForActions(documentID: number): void {
    const doc = this.world.findDoc(documentID);
    if (doc?.suspension?.owner === 'actions') this.resume(doc, true);
  }

  /**
   * commit: "Either commit current document state with a history state, or roll back the
   * document state to the point at which it was suspended." A state is only created
   * "if the document was modified"; `finalName` on the suspension object renames it.
   */
  private resume(doc: DocState, commit: boolean, finalName?: string): void {
    const s = doc.suspension!;
    if (commit) {
      // finalName: on the options passed in (typed ResumeHistorySuspensionOptions) or set on the returned object (docs).
      if (doc.revision !== s.revisionAtSuspend) doc.history.push(finalName ?? s.handle.finalName ?? s.name);
      doc.suspension = null;
    } else {
      const history = doc.history;
      Object.assign(doc, structuredClone(s.snapshot), { history, suspension: null });
    }
  }
}

/** The docs name no message or number for a cancelled call; detect cancellation via isCancelled. */
export function cancelError(op: string) {
  return simError('cancelled', `User cancelled (${op})`);
}
