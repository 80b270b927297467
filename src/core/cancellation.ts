/**
 * Cooperative cancellation: one AbortSignal per run, passed from whoever started
 * the run down to the backend. The core has no DOM or Node types to name
 * AbortSignal with; this is the part of it the core uses, and every platform's
 * AbortSignal (browser, UXP, Node) is one.
 */
export interface CancelSignal {
  readonly aborted: boolean;
  addEventListener(type: 'abort', listener: () => void): void;
  removeEventListener(type: 'abort', listener: () => void): void;
}

export class CancelledError extends Error {
  constructor(message = 'cancelled') {
    super(message);
    this.name = 'CancelledError';
  }
}

export function throwIfCancelled(signal?: CancelSignal): void {
  if (signal?.aborted) throw new CancelledError();
}

/**
 * A signal of one's own that also follows `parent`'s: a run cancels the work it started ahead
 * (on a failure) without touching the caller's signal. Call dispose() when the run ends, so a
 * long-lived parent keeps no reference to it.
 */
export class LinkedCancelSource {
  readonly signal: CancelSignal;
  private aborted = false;
  private readonly listeners = new Set<() => void>();
  private readonly follow = (): void => this.cancel();

  constructor(private readonly parent?: CancelSignal) {
    const listeners = this.listeners;
    const isAborted = (): boolean => this.aborted;
    this.signal = {
      get aborted() {
        return isAborted();
      },
      addEventListener: (_type, listener) => void listeners.add(listener),
      removeEventListener: (_type, listener) => void listeners.delete(listener),
    };
    if (parent?.aborted) this.cancel();
    else parent?.addEventListener('abort', this.follow);
  }

  /** Aborts the signal once; every listener runs, as an AbortSignal's do, even if one throws. */
  cancel(): void {
    if (this.aborted) return;
    this.aborted = true;
    this.dispose();
    const listeners = [...this.listeners];
    this.listeners.clear();
    for (const listener of listeners) {
      try {
        listener();
      } catch {
        // An AbortSignal reports a throwing listener and goes on; the canceller has nothing to do with it.
      }
    }
  }

  dispose(): void {
    this.parent?.removeEventListener('abort', this.follow);
  }
}
