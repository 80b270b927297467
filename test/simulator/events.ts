/** A minimal EventTarget for the simulator's UXP objects (elements, the plugin window, webview pages). */
export interface SimEvent {
  readonly type: string;
  readonly [key: string]: unknown;
}
export type Listener = ((event: SimEvent) => void) | { handleEvent(event: SimEvent): void };

/** A minimal EventTarget (addEventListener / removeEventListener / dispatchEvent). */
export class SimEventTarget {
  private listeners = new Map<string, Set<Listener>>();
  addEventListener(type: string, listener: Listener): void {
    if (!this.listeners.has(type)) this.listeners.set(type, new Set());
    this.listeners.get(type)!.add(listener);
  }
  removeEventListener(type: string, listener: Listener): void {
    this.listeners.get(type)?.delete(listener);
  }
  dispatchEvent(event: SimEvent): boolean {
    const errors: unknown[] = [];
    for (const l of [...(this.listeners.get(event.type) ?? [])]) {
      try {
        if (typeof l === 'function') l.call(this, event);
        else l.handleEvent(event);
      } catch (e) {
        errors.push(e); // every listener runs, as in a browser; the first error is rethrown after
      }
    }
    if (errors.length) throw errors[0];
    return true;
  }
  removeAllListeners(): void {
    this.listeners.clear();
  }
}
