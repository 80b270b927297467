/**
 * The protocol's two error types. ProtocolError: a message that is not a valid
 * message of this protocol (either side). EngineError: a request the engine
 * answered with an error, or that the client gave up on; its code says which.
 */
/** `timeout` is the client's own: the engine went quiet (see client.ts). `busy`: the engine's request queue is full. */
export const ERROR_CODES = [
  'bad-message',
  'version',
  'not-ready',
  'model',
  'download',
  'inference',
  'cancelled',
  'timeout',
  'busy',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export class ProtocolError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ProtocolError';
  }
}

export class EngineError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'EngineError';
  }
}
