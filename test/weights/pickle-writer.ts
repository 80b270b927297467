/**
 * Test helper: writes pickle opcodes, .npy headers and .npz files, so that the
 * hostile-input tests can build exactly the malformed file they need.
 */
import { zipSync } from 'fflate';

const latin1 = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));

export class PickleWriter {
  private readonly out: number[] = [];

  /** Appends raw bytes; a string is taken char by char (opcodes, latin-1). */
  raw(data: string | Uint8Array | number[]): this {
    for (const b of typeof data === 'string' ? latin1(data) : data) this.out.push(b);
    return this;
  }
  private uint(value: number, size: number): this {
    for (let i = 0; i < size; i++) this.out.push(Math.floor(value / 256 ** i) % 256);
    return this;
  }
  proto(version: number): this {
    return this.raw([0x80, version]);
  }
  global(module: string, name: string): this {
    return this.raw(`c${module}\n${name}\n`);
  }
  int(n: number): this {
    return n >= 0 && n < 256 ? this.raw([0x4b, n]) : this.raw('J').uint(n >>> 0, 4);
  }
  unicode(s: string): this {
    const utf8 = new TextEncoder().encode(s);
    return this.raw('X').uint(utf8.length, 4).raw(utf8);
  }
  /** BINBYTES, or Python 2's BINSTRING with op 'T'. */
  bytes(data: Uint8Array, op: 'B' | 'T' = 'B'): this {
    return this.raw(op).uint(data.length, 4).raw(data);
  }
  /** An opcode with a 4-byte length that need not match what follows. */
  lengthOp(op: string, length: number): this {
    return this.raw(op).uint(length, 4);
  }
  tuple(items: number[]): this {
    this.raw('(');
    for (const n of items) this.int(n);
    return this.raw('t');
  }
  finish(): Uint8Array {
    return Uint8Array.from(this.out);
  }
}

export interface ArraySpec {
  shape: number[];
  data: Uint8Array;
  descr?: string; // dtype code given to numpy.dtype, default 'f4'
  order?: string; // byte order in the dtype state, default '<'
  fortran?: boolean;
  /** Writes the data object instead of BINBYTES of `data` (e.g. Python 2's `_codecs.encode`). */
  writeData?: (w: PickleWriter) => void;
}

export const f4 = (values: number[]) => new Uint8Array(new Float32Array(values).buffer);

/** numpy.dtype(descr) with its BUILD state, as NumPy pickles it. */
export function dtype(w: PickleWriter, descr: string, order: string, flags: number): void {
  w.global('numpy', 'dtype').unicode(descr).raw('\x89\x88\x87R(').int(3).unicode(order);
  w.raw('NNN').int(-1).int(-1).int(flags).raw('tb');
}

/** _reconstruct(ndarray, (0,), b'b'): the empty array that BUILD fills. */
export function reconstruct(w: PickleWriter): PickleWriter {
  return w.global('numpy.core.multiarray', '_reconstruct').global('numpy', 'ndarray').int(0).raw('\x85C\x01b\x87R');
}

/** The state tuple (1, shape, dtype, is_fortran, data) of a float32 array. */
export function arrayState(w: PickleWriter, a: ArraySpec): PickleWriter {
  w.raw('(').int(1).tuple(a.shape);
  dtype(w, a.descr ?? 'f4', a.order ?? '<', 0);
  w.raw(a.fortran ? '\x88' : '\x89');
  if (a.writeData) a.writeData(w);
  else w.bytes(a.data);
  return w.raw('t');
}

export const writeArray = (w: PickleWriter, a: ArraySpec) => arrayState(reconstruct(w), a).raw('b');

/**
 * Pickle (protocol 3) of a 1-D object array holding the given arrays, as in
 * params.npy; `extra` writes further list entries, `length` overrides the shape.
 */
export function objectArrayPickle(
  arrays: ArraySpec[],
  length = arrays.length,
  extra?: (w: PickleWriter) => void,
): Uint8Array {
  const w = reconstruct(new PickleWriter().proto(3)).raw('(').int(1).tuple([length]);
  dtype(w, 'O8', '|', 63);
  w.raw('\x89](');
  for (const a of arrays) writeArray(w, a);
  extra?.(w);
  return w.raw('etb.').finish();
}

/** A version 1.0 .npy file with the given header dict text and body. */
export function npyFile(header: string, body: Uint8Array): Uint8Array {
  const text = header + ' '.repeat(63 - ((10 + header.length) % 64)) + '\n';
  return Uint8Array.from([
    ...latin1('\x93NUMPY\x01\x00'),
    text.length % 256,
    text.length >> 8,
    ...latin1(text),
    ...body,
  ]);
}

export function npzFile(members: Record<string, Uint8Array>): Uint8Array {
  return zipSync(members, { level: 0 });
}

/** A weights file whose params.npy has an object-array header of the given length and this pickle. */
export function pickleNpz(pickle: Uint8Array, length: number): Uint8Array {
  const header = `{'descr': '|O', 'fortran_order': False, 'shape': (${length},), }`;
  return npzFile({ 'params.npy': npyFile(header, pickle) });
}

/** A complete weights file holding the given arrays. */
export const paramsNpz = (arrays: ArraySpec[]) => pickleNpz(objectArrayPickle(arrays), arrays.length);

/**
 * A hostile object-array pickle: `count` arrays whose data is one memoised byte block (and one
 * memoised state tuple), so each extra array costs a few pickle bytes but a full copy if decoded.
 */
export function sharedStoragePickle(count: number, block: ArraySpec): Uint8Array {
  const w = reconstruct(new PickleWriter().proto(3)).raw('(').int(1).tuple([count]);
  dtype(w, 'O8', '|', 63);
  w.raw('\x89](');
  // First array: _reconstruct's global and arguments memoised as 1 and 2, its state as 3.
  w.global('numpy.core.multiarray', '_reconstruct').raw('q\x01');
  w.global('numpy', 'ndarray').int(0).raw('\x85C\x01b\x87q\x02R');
  arrayState(w, block).raw('q\x03b');
  for (let i = 1; i < count; i++) w.raw('h\x01h\x02Rh\x03b');
  return w.raw('etb.').finish();
}
