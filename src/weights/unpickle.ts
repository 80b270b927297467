/**
 * A restricted unpickler for NumPy's pickled arrays (protocols 2-4, Python 2 and 3
 * writers). It can build nothing but float32 C-order arrays and object arrays of
 * them: the few globals NumPy uses are inert tokens that this code interprets;
 * nothing a file names is ever looked up or called. Any other global, opcode or
 * shape of data is a WeightsFormatError saying where in the stream it was.
 */
import { WeightsFormatError } from './errors';
import type { ParamArray } from './param-array';

/** A pickled ndarray: float32 data, or an object array of float32 arrays. */
export type PickledArray = ParamArray | { shape: number[]; data: ParamArray[] };

type Callable = 'reconstruct' | 'ndarray' | 'dtype' | 'encode';
const GLOBALS = new Map<string, Callable>([
  ['numpy.core.multiarray._reconstruct', 'reconstruct'],
  ['numpy._core.multiarray._reconstruct', 'reconstruct'], // NumPy 2
  ['numpy.ndarray', 'ndarray'],
  ['numpy.dtype', 'dtype'],
  ['_codecs.encode', 'encode'], // bytes in protocol 2 under Python 3
]);

type Value =
  | null
  | boolean
  | number
  | { kind: 'str'; utf8: Uint8Array }
  | { kind: 'bytes'; data: Uint8Array }
  | { kind: 'tuple'; items: readonly Value[] }
  | { kind: 'list'; items: Value[] }
  | { kind: 'global'; name: Callable }
  | DType
  | NdArray;
/** `order` is set by BUILD. */
interface DType {
  kind: 'dtype';
  descr: 'f4' | 'O';
  order?: string;
}
/** Made empty by `_reconstruct`; `value` is set by BUILD. */
interface NdArray {
  kind: 'ndarray';
  value?: PickledArray;
}

type Obj = Exclude<Value, null | boolean | number>;
const is = <K extends Obj['kind']>(v: Value | undefined, kind: K): v is Extract<Obj, { kind: K }> =>
  typeof v === 'object' && v !== null && v.kind === kind;

// Far above what the files need (stack < 20, memo < 700, marks < 6); bound hostile streams.
const MAX_STACK = 100_000;
const MAX_MEMO = 100_000;
const MAX_MARKS = 64;
const MAX_ELEMENTS = 2 ** 31;
const MAX_TEXT = 256;
/** Decoded array data we accept in one pickle: far above the official weights (~118 MB). */
export const MAX_ARRAY_BYTES = 512 * 2 ** 20;

export function unpickle(pickle: Uint8Array): PickledArray {
  const stack: Value[] = [];
  const marks: number[] = []; // stack heights at each MARK
  const memo = new Map<number, Value>();
  let pos = 0;
  let opAt = 0; // offset of the opcode being run, for messages
  // Every decoded byte is charged here before it is allocated. A byte block (or a string) may back one
  // array only: the memo lets a few pickle bytes reuse a block for any number of arrays, each a copy.
  let decoded = 0;
  const consumed = new WeakSet<object>();

  const fail = (what: string) => new WeightsFormatError(`pickle byte ${opAt}: ${what}`);
  const take = (n: number): Uint8Array => {
    if (n > pickle.length - pos)
      throw fail(`needs ${n} bytes, only ${pickle.length - pos} left (truncated or bad length)`);
    pos += n;
    return pickle.subarray(pos - n, pos);
  };
  const uint = (n: number): number => take(n).reduceRight((v, b) => v * 256 + b, 0);
  const fence = () => marks[marks.length - 1] ?? 0;
  const push = (v: Value) => {
    if (stack.length >= MAX_STACK) throw fail(`more than ${MAX_STACK} objects on the stack`);
    stack.push(v);
  };
  const popN = (n: number): Value[] => {
    if (stack.length - fence() < n) throw fail('stack underflow');
    return stack.splice(stack.length - n);
  };
  const pop = () => popN(1)[0];
  const top = () => {
    if (stack.length <= fence()) throw fail('stack underflow');
    return stack[stack.length - 1];
  };
  const popMark = (): Value[] => {
    const mark = marks.pop();
    if (mark === undefined) throw fail('no MARK to pop to');
    return stack.splice(mark);
  };
  const memoPut = (index: number) => {
    if (memo.size >= MAX_MEMO && !memo.has(index)) throw fail(`more than ${MAX_MEMO} memo entries`);
    memo.set(index, top());
  };
  const memoGet = (index: number) => {
    const v = memo.get(index);
    if (v === undefined) throw fail(`memo entry ${index} is not defined`);
    push(v);
  };
  /** A short ASCII string (a name, a dtype code): Python 3 str, or Python 2 str (bytes). */
  const text = (v: Value | Uint8Array, what: string): string => {
    const b = v instanceof Uint8Array ? v : is(v, 'str') ? v.utf8 : is(v, 'bytes') ? v.data : null;
    if (!b || b.length > MAX_TEXT || b.some((c) => c >= 0x80)) throw fail(`${what} is not a short ASCII string`);
    return String.fromCharCode(...b);
  };
  const line = (what: string) => {
    const end = pickle.subarray(pos, pos + MAX_TEXT + 1).indexOf(0x0a);
    if (end < 0) throw fail(`${what} is not a newline-terminated name`);
    return text(take(end + 1).subarray(0, end), what);
  };
  const global = (module: string, name: string): Value => {
    const token = GLOBALS.get(`${module}.${name}`);
    if (!token)
      throw fail(`global ${JSON.stringify(`${module}.${name}`)} is not allowed (only NumPy array reconstruction)`);
    return { kind: 'global', name: token };
  };
  const charge = (n: number) => {
    decoded += n;
    if (decoded > MAX_ARRAY_BYTES) throw fail(`arrays decode to more than ${MAX_ARRAY_BYTES} bytes`);
  };
  const consume = (v: object, what: string) => {
    if (consumed.has(v)) {
      throw fail(`${what} is shared with an earlier array (a memoised block used twice; NumPy never writes that)`);
    }
    consumed.add(v);
  };
  const tupleItems = (v: Value, what: string): readonly Value[] => {
    if (!is(v, 'tuple')) throw fail(`${what} is not a tuple`);
    return v.items;
  };

  /** UTF-8 text of code points < 256 → those bytes (Python's `str.encode('latin1')`). */
  const latin1 = (utf8: Uint8Array): Uint8Array => {
    charge(utf8.length);
    const out = new Uint8Array(utf8.length);
    let n = 0;
    for (let i = 0; i < utf8.length; i++) {
      const b = utf8[i];
      if (b < 0x80) out[n++] = b;
      else if ((b === 0xc2 || b === 0xc3) && utf8[i + 1] >> 6 === 2) out[n++] = ((b & 3) << 6) | (utf8[++i] & 0x3f);
      else throw fail(`string at its byte ${i} is not latin-1 encodable`);
    }
    return out.subarray(0, n);
  };

  const call = (f: Value, args: Value): Value => {
    if (!is(f, 'global')) throw fail('REDUCE of an object that is not an allowed callable');
    const a = tupleItems(args, 'REDUCE argument');
    switch (f.name) {
      case 'reconstruct': {
        // _reconstruct(ndarray, (0,), b'b') makes the empty array that BUILD fills.
        const [cls, , typecode] = a;
        if (
          a.length !== 3 ||
          !is(cls, 'global') ||
          cls.name !== 'ndarray' ||
          !is(typecode, 'bytes') ||
          text(typecode, 'typecode') !== 'b'
        ) {
          throw fail('_reconstruct arguments are not (numpy.ndarray, shape, b"b")');
        }
        return { kind: 'ndarray' };
      }
      case 'dtype': {
        if (a.length !== 3) throw fail('numpy.dtype arguments are not (code, align, copy)');
        const descr = text(a[0], 'dtype code');
        if (descr === 'f4') return { kind: 'dtype', descr };
        if (descr === 'O8' || descr === 'O4') return { kind: 'dtype', descr: 'O' };
        throw fail(`dtype ${JSON.stringify(descr)} is not allowed (only float32 'f4' arrays)`);
      }
      case 'encode': {
        const [s, encoding] = a;
        if (a.length !== 2 || !is(s, 'str') || text(encoding, 'encoding') !== 'latin1') {
          throw fail("_codecs.encode arguments are not (str, 'latin1')");
        }
        consume(s, 'encoded string');
        return { kind: 'bytes', data: latin1(s.utf8) };
      }
      case 'ndarray':
        throw fail('numpy.ndarray may only be passed to _reconstruct');
    }
  };

  // dtype state: (3, byteorder, subarray, names, fields, elsize, alignment, flags).
  const buildDtype = (t: DType, state: Value) => {
    const s = tupleItems(state, 'dtype state');
    if (t.order !== undefined) throw fail('dtype is built twice');
    if (s.length !== 8 || s[0] !== 3 || s[2] !== null || s[3] !== null || s[4] !== null) {
      throw fail('dtype state is not that of a plain (non-structured) dtype');
    }
    const order = text(s[1], 'byte order');
    if (t.descr === 'f4' && order !== '<') throw fail(`float32 with byte order '${order}' is not little-endian '<f4'`);
    if (t.descr === 'O' && order !== '|') throw fail(`object dtype with byte order '${order}'`);
    t.order = order;
  };

  const floats = (raw: Value, shape: number[], count: number): Float32Array => {
    if (!is(raw, 'bytes')) throw fail('float32 array data is not bytes');
    if (raw.data.length !== count * 4) {
      throw fail(`shape [${shape}] needs ${count * 4} bytes of float32 data, got ${raw.data.length}`);
    }
    consume(raw, 'float32 array data');
    charge(count * 4);
    const view = new DataView(raw.data.buffer, raw.data.byteOffset, raw.data.length);
    const out = new Float32Array(count);
    for (let i = 0; i < count; i++) {
      out[i] = view.getFloat32(4 * i, true);
      if (!Number.isFinite(out[i])) throw fail(`array element ${i} is ${out[i]} (weights must be finite)`);
    }
    return out;
  };

  const entries = (raw: Value, count: number): ParamArray[] => {
    if (!is(raw, 'list') || raw.items.length !== count)
      throw fail(`object array data is not a list of ${count} entries`);
    return raw.items.map((v, i) => {
      if (!is(v, 'ndarray') || !(v.value?.data instanceof Float32Array)) {
        throw fail(`object array entry ${i} is not a float32 array`);
      }
      return v.value as ParamArray;
    });
  };

  // ndarray state: (1, shape, dtype, is_fortran, rawdata).
  const buildArray = (t: NdArray, state: Value) => {
    const s = tupleItems(state, 'array state');
    const [version, shapeValue, dtype, fortran, raw] = s;
    if (t.value) throw fail('array is built twice');
    if (s.length !== 5 || version !== 1) throw fail('array state is not (1, shape, dtype, is_fortran, data)');
    if (!is(dtype, 'dtype') || dtype.order === undefined) throw fail('array dtype is missing or was not built');
    if (fortran !== false) throw fail('Fortran-order arrays are not supported');
    const shape = tupleItems(shapeValue, 'array shape').map((d) => {
      if (typeof d !== 'number' || !Number.isInteger(d) || d < 0)
        throw fail('array shape has a dimension that is not a non-negative integer');
      return d;
    });
    const count = shape.reduce((n, d) => Math.min(n * d, MAX_ELEMENTS + 1), 1);
    if (shape.length > 32 || count > MAX_ELEMENTS) throw fail(`array shape [${shape}] is too large`);
    t.value = dtype.descr === 'f4' ? { shape, data: floats(raw, shape, count) } : { shape, data: entries(raw, count) };
  };

  for (;;) {
    opAt = pos;
    if (pos >= pickle.length) throw fail('truncated pickle (no STOP)');
    const code = pickle[pos++];
    switch (code) {
      case 0x80: {
        // PROTO
        const v = uint(1);
        if (v < 2 || v > 4) throw fail(`pickle protocol ${v} is not supported (2 to 4)`);
        break;
      }
      case 0x95: {
        // FRAME: only a read-ahead hint
        const n = uint(8);
        if (n > pickle.length - pos) throw fail(`frame of ${n} bytes runs past the end`);
        break;
      }
      case 0x63: {
        // GLOBAL
        const module = line('module name');
        push(global(module, line('global name')));
        break;
      }
      case 0x93: {
        // STACK_GLOBAL
        const [module, name] = popN(2);
        push(global(text(module, 'module name'), text(name, 'global name')));
        break;
      }
      case 0x8c:
        push({ kind: 'str', utf8: take(uint(1)) });
        break; // SHORT_BINUNICODE
      case 0x58:
        push({ kind: 'str', utf8: take(uint(4)) });
        break; // BINUNICODE
      case 0x43: // SHORT_BINBYTES
      case 0x55:
        push({ kind: 'bytes', data: take(uint(1)) });
        break; // SHORT_BINSTRING (Python 2 str)
      case 0x42:
        push({ kind: 'bytes', data: take(uint(4)) });
        break; // BINBYTES
      case 0x54: {
        // BINSTRING: signed length
        const n = uint(4);
        if (n >= 2 ** 31) throw fail('negative BINSTRING length');
        push({ kind: 'bytes', data: take(n) });
        break;
      }
      case 0x4a:
        push(uint(4) | 0);
        break; // BININT
      case 0x4b:
        push(uint(1));
        break; // BININT1
      case 0x4d:
        push(uint(2));
        break; // BININT2
      case 0x8a: {
        // LONG1: Python 2 longs, e.g. shapes written on Windows
        const n = uint(1);
        if (n > 6) throw fail(`${n}-byte integer is too large`);
        const b = take(n);
        push(b.reduceRight((v, x) => v * 256 + x, 0) - (n && b[n - 1] >= 0x80 ? 2 ** (8 * n) : 0));
        break;
      }
      case 0x88:
        push(true);
        break; // NEWTRUE
      case 0x89:
        push(false);
        break; // NEWFALSE
      case 0x4e:
        push(null);
        break; // NONE
      case 0x28: // MARK
        if (marks.length >= MAX_MARKS) throw fail(`MARKs nested more than ${MAX_MARKS} deep`);
        marks.push(stack.length);
        break;
      case 0x29:
        push({ kind: 'tuple', items: [] });
        break; // EMPTY_TUPLE
      case 0x74:
        push({ kind: 'tuple', items: popMark() });
        break; // TUPLE
      case 0x85: // TUPLE1
      case 0x86: // TUPLE2
      case 0x87:
        push({ kind: 'tuple', items: popN(code - 0x84) });
        break; // TUPLE3
      case 0x5d:
        push({ kind: 'list', items: [] });
        break; // EMPTY_LIST
      case 0x61: // APPEND
      case 0x65: {
        // APPENDS
        const items = code === 0x61 ? [pop()] : popMark();
        const list = top();
        if (!is(list, 'list')) throw fail('APPEND to an object that is not a list');
        for (const v of items) list.items.push(v);
        break;
      }
      case 0x94:
        memoPut(memo.size);
        break; // MEMOIZE
      case 0x71:
        memoPut(uint(1));
        break; // BINPUT
      case 0x72:
        memoPut(uint(4));
        break; // LONG_BINPUT
      case 0x68:
        memoGet(uint(1));
        break; // BINGET
      case 0x6a:
        memoGet(uint(4));
        break; // LONG_BINGET
      case 0x52: {
        // REDUCE
        const [f, args] = popN(2);
        push(call(f, args));
        break;
      }
      case 0x62: {
        // BUILD
        const state = pop();
        const target = top();
        if (is(target, 'dtype')) buildDtype(target, state);
        else if (is(target, 'ndarray')) buildArray(target, state);
        else throw fail('BUILD of an object that is not a dtype or array');
        break;
      }
      case 0x2e: {
        // STOP
        const result = pop();
        if (stack.length > 0 || marks.length > 0) throw fail('objects left on the stack at STOP');
        if (pos !== pickle.length) throw fail(`${pickle.length - pos} bytes after STOP`);
        if (!is(result, 'ndarray') || !result.value) throw fail('the pickle does not hold a NumPy array');
        return result.value;
      }
      default:
        throw fail(`opcode 0x${code.toString(16).padStart(2, '0')} is not supported`);
    }
  }
}
