/**
 * Puts a model announced by `init` back together from its `model-chunk`
 * messages: each chunk once, of the size its number implies, in any order;
 * the whole is checked against the offer's SHA-256 before anyone sees it.
 */
import { sha256Hex } from '../protocol/checksum';
import { EngineError, ProtocolError } from '../protocol/errors';
import { CHUNK_BYTES, type ModelOffer } from '../protocol/messages';
import { decodeBytes } from '../protocol/payload';

export class ModelAssembly {
  private readonly bytes: Uint8Array;
  private readonly arrived: boolean[];
  private received = 0;
  private count = 0;
  private finish!: (bytes: Uint8Array) => void;
  private fail!: (error: Error) => void;
  /** Resolves with the checked model once every chunk arrived; rejects on a damaged model or abort(). */
  readonly whole: Promise<Uint8Array>;

  constructor(readonly offer: ModelOffer) {
    this.bytes = new Uint8Array(offer.bytes);
    this.arrived = new Array<boolean>(offer.chunks).fill(false);
    this.whole = new Promise((resolve, reject) => ((this.finish = resolve), (this.fail = reject)));
    this.whole.catch(() => undefined); // the init that awaits it reports the failure
  }

  /** Adds one chunk; returns the bytes received so far. Throws ProtocolError for a chunk that does not fit. */
  add(index: number, base64: string): number {
    if (index >= this.offer.chunks) throw new ProtocolError(`model chunk ${index} of ${this.offer.chunks}`);
    if (this.arrived[index]) throw new ProtocolError(`model chunk ${index} arrived twice`);
    const data = decodeBytes(base64);
    const expected = Math.min(CHUNK_BYTES, this.offer.bytes - index * CHUNK_BYTES);
    if (data.length !== expected)
      throw new ProtocolError(`model chunk ${index} holds ${data.length} bytes, expected ${expected}`);
    this.bytes.set(data, index * CHUNK_BYTES);
    this.arrived[index] = true;
    this.received += data.length;
    if (++this.count === this.offer.chunks) {
      const sha256 = sha256Hex(this.bytes);
      if (sha256 === this.offer.sha256) this.finish(this.bytes);
      else
        this.fail(
          new EngineError(
            'model',
            `${this.offer.label} arrived damaged: SHA-256 ${sha256}, expected ${this.offer.sha256}`,
          ),
        );
    }
    return this.received;
  }

  abort(error: Error): void {
    this.fail(error);
  }
}
