/** A weights file is malformed, hostile or not what we expect; the message says what and where. */
export class WeightsFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WeightsFormatError';
  }
}
