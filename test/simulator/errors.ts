/**
 * Errors the simulator throws where Photoshop would reject a call. Real Photoshop
 * throws plain `Error`s whose messages are mostly undocumented, so product code must
 * not depend on `simKind`; tests may, to tell *why* the simulator refused.
 */
export type SimErrorKind =
  | 'outside-modal' // a state change outside core.executeAsModal
  | 'modal-busy' // executeAsModal while another modal scope holds Photoshop (number 9)
  | 'cancelled' // the user cancelled the modal scope
  | 'invalid-argument'
  | 'not-found' // no such document / layer, or the object was deleted or closed
  | 'no-pixels' // the requested region holds no pixel data
  | 'disposed' // PhotoshopImageData used after dispose()
  | 'not-modelled'; // a legal call whose behaviour the simulator does not model

export class SimError extends Error {
  readonly simKind: SimErrorKind;
  /** Photoshop's error number, where the docs give one (9: modal state held). */
  readonly number?: number;
  constructor(simKind: SimErrorKind, message: string, number?: number) {
    super(message);
    this.name = 'Error';
    this.simKind = simKind;
    if (number !== undefined) this.number = number;
  }
}

export const simError = (kind: SimErrorKind, message: string, number?: number): SimError =>
  new SimError(kind, message, number);

export function isSimError(e: unknown, kind?: SimErrorKind): e is SimError {
  return e instanceof SimError && (kind === undefined || e.simKind === kind);
}
