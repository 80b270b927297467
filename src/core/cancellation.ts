/**
 * Cooperative cancellation for long work. Structurally compatible with the
 * web platform's AbortSignal, which the core cannot name (it has no DOM types).
 */
export interface Cancellation {
  readonly aborted: boolean;
}

export class CancelledError extends Error {
  constructor(message = 'cancelled') {
    super(message);
    this.name = 'CancelledError';
  }
}

export function throwIfCancelled(cancel?: Cancellation): void {
  if (cancel?.aborted) throw new CancelledError();
}
