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
