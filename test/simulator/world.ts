/**
 * One simulated Photoshop session: the open documents, which one is active, and the
 * modal controller every state change goes through. The public `photoshop` objects
 * are stable facades over a World, so `reset()` gives a fresh session without
 * re-importing modules that captured `require('photoshop')`.
 */
import type { Modal } from './modal';
import type { DocState } from './store';
import { simError } from './errors';

export interface SimulatorOptions {
  /** Reported as the modal-state holder in "is running a modal command" errors. */
  pluginId?: string;
  /**
   * Whether imaging.getPixels must run inside executeAsModal. The docs do not say;
   * third-party plugin notes report that layer getPixels failed outside a modal scope,
   * and Adobe's imaging sample reads inside one. Default true (the safe reading).
   */
  getPixelsNeedsModal?: boolean;
  /**
   * How long executeAsModal waits for a busy modal state before error 9. The docs
   * (25.10+) retry for `timeOut` seconds, default 1; set this to keep tests fast.
   */
  modalWaitMs?: number;
}

/** action.addNotificationListener's callback: `(eventName, descriptor)`. */
export type NotificationListener = (event: string, descriptor: Record<string, unknown>) => void;

/** What imaging.encodeImageData made: the JPEG's base64 text, and the pixels it encodes. */
export interface EncodedImage {
  readonly width: number;
  readonly height: number;
  /** 8-bit RGB, chunky. */
  readonly rgb: Uint8Array;
}

export class World {
  docs: DocState[] = [];
  activeDocId: number | null = null;
  nextDocId = 101; // distinct from layer ids, so a swapped id is caught
  modal!: Modal;
  readonly options: Required<Omit<SimulatorOptions, 'modalWaitMs'>> & Pick<SimulatorOptions, 'modalWaitMs'>;

  constructor(options: SimulatorOptions = {}) {
    this.options = {
      pluginId: options.pluginId ?? 'sim.plugin',
      getPixelsNeedsModal: options.getPixelsNeedsModal ?? true,
      modalWaitMs: options.modalWaitMs,
    };
  }

  /** Listeners per event name (action.addNotificationListener). */
  readonly listeners = new Map<string, Set<NotificationListener>>();
  /** Every image encoded by imaging.encodeImageData, by its base64 text. */
  readonly encoded = new Map<string, EncodedImage>();

  /**
   * Tells the listeners of `event`, after the current task (Photoshop notifies once the
   * command is done; the docs give no timing). A throwing listener does not stop the others.
   */
  notify(event: string, descriptor: Record<string, unknown>): void {
    const listeners = [...(this.listeners.get(event) ?? [])];
    if (listeners.length === 0) return;
    setTimeout(
      () =>
        listeners.forEach((l) => {
          try {
            l(event, { _obj: event, ...descriptor });
          } catch {
            // Photoshop reports listener errors in the developer console only.
          }
        }),
      0,
    );
  }

  reset(): void {
    this.listeners.clear();
    this.encoded.clear();
    this.docs = [];
    this.activeDocId = null;
    this.nextDocId = 101;
  }

  /** imaging docs: a missing or negative documentID means the active document. */
  requireDoc(documentID?: number): DocState {
    const id = documentID === undefined || documentID < 0 ? this.activeDocId : documentID;
    const doc = this.docs.find((d) => d.id === id);
    if (!doc) throw simError('not-found', id === null ? 'No document is open' : `No open document with id ${id}`);
    return doc;
  }

  findDoc(id: number): DocState | undefined {
    return this.docs.find((d) => d.id === id);
  }

  /**
   * Records a change: bumps the revision; outside a history suspension Photoshop adds
   * one history state per command, inside one it coalesces (executeAsModal docs).
   */
  touch(doc: DocState, historyName: string): void {
    doc.revision++;
    if (!doc.suspension) doc.history.push(historyName);
  }

  closeDoc(id: number): void {
    if (this.findDoc(id)) this.notify('close', { documentID: id });
    this.docs = this.docs.filter((d) => d.id !== id);
    if (this.activeDocId === id) this.activeDocId = this.docs.length ? this.docs[this.docs.length - 1].id : null;
  }
}
