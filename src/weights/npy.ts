/**
 * Strict reader of the .npy header (format versions 1.0, 2.0 and 3.0): the magic,
 * the header length and the Python dict literal with exactly the keys `descr`,
 * `fortran_order` and `shape`. Only what NumPy writes is accepted; no eval.
 */
import { WeightsFormatError } from './errors';

export interface NpyHeader {
  /** The dtype descriptor string, e.g. '<f4' or '|O'. */
  descr: string;
  fortranOrder: boolean;
  shape: number[];
  /** The array data (raw values, or a pickle for object arrays). */
  body: Uint8Array;
  /** Byte offset of `body` in the .npy file, for error messages. */
  bodyOffset: number;
}

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // "\x93NUMPY"
/** Larger than any header NumPy writes for a plain dtype; bounds the parsing work. */
const MAX_HEADER_LENGTH = 65536;
const MAX_DIMENSIONS = 32; // NumPy's own limit (NPY_MAXDIMS) before 2.0

export function readNpyHeader(bytes: Uint8Array): NpyHeader {
  const fail = (offset: number, what: string) => new WeightsFormatError(`.npy header byte ${offset}: ${what}`);
  if (bytes.length < 10 || MAGIC.some((b, i) => bytes[i] !== b)) throw fail(0, 'not a .npy file (bad magic)');
  const [major, minor] = [bytes[6], bytes[7]];
  if (minor !== 0 || major < 1 || major > 3) throw fail(6, `unsupported .npy format version ${major}.${minor}`);
  const lengthSize = major === 1 ? 2 : 4;
  const start = 8 + lengthSize;
  if (bytes.length < start) throw fail(8, 'truncated header length');
  let length = 0;
  for (let i = lengthSize - 1; i >= 0; i--) length = length * 256 + bytes[8 + i];
  if (length > MAX_HEADER_LENGTH) throw fail(8, `header length ${length} is absurd`);
  if (start + length > bytes.length)
    throw fail(8, `header length ${length} runs past the end of the file (${bytes.length} bytes)`);

  // The dict is ASCII for every dtype we accept (v3.0 allows UTF-8 only for structured field names).
  let text = '';
  for (let i = start; i < start + length; i++) {
    if (bytes[i] >= 0x80) throw fail(i, 'non-ASCII character in header');
    text += String.fromCharCode(bytes[i]);
  }
  let pos = 0;
  const at = (what: string) => fail(start + pos, what);
  const skipSpace = () => {
    while (pos < text.length && ' \t\n\r'.includes(text[pos])) pos++;
  };
  const expect = (token: string) => {
    skipSpace();
    if (!text.startsWith(token, pos)) throw at(`expected '${token}'`);
    pos += token.length;
  };
  const readString = (): string => {
    skipSpace();
    const quote = text[pos];
    if (quote !== "'" && quote !== '"') throw at('expected a quoted string');
    const end = text.indexOf(quote, pos + 1);
    if (end < 0) throw at('unterminated string');
    const value = text.slice(pos + 1, end);
    if (value.includes('\\')) throw at('escape sequences are not supported');
    pos = end + 1;
    return value;
  };
  const readBool = (): boolean => {
    skipSpace();
    for (const [word, value] of [
      ['True', true],
      ['False', false],
    ] as const) {
      if (text.startsWith(word, pos)) {
        pos += word.length;
        return value;
      }
    }
    throw at('expected True or False');
  };
  const readShape = (): number[] => {
    expect('(');
    const shape: number[] = [];
    let trailingComma = false;
    for (skipSpace(); text[pos] !== ')'; skipSpace()) {
      const digits = /^[0-9]{1,10}L?/.exec(text.slice(pos, pos + 12)); // 'L': Python 2 long
      if (!digits) throw at('expected a non-negative integer dimension');
      shape.push(parseInt(digits[0], 10));
      pos += digits[0].length;
      skipSpace();
      trailingComma = text[pos] === ',';
      if (trailingComma) pos++;
      else if (text[pos] !== ')') throw at("expected ',' or ')' in shape");
    }
    pos++;
    if (shape.length === 1 && !trailingComma) throw at('shape (n) is not a tuple; expected (n,)');
    if (shape.length > MAX_DIMENSIONS) throw at(`shape has more than ${MAX_DIMENSIONS} dimensions`);
    return shape;
  };

  let descr: string | undefined;
  let fortranOrder: boolean | undefined;
  let shape: number[] | undefined;
  expect('{');
  for (skipSpace(); text[pos] !== '}'; skipSpace()) {
    const keyOffset = pos;
    const key = readString();
    expect(':');
    if (key === 'descr' && descr === undefined) descr = readString();
    else if (key === 'fortran_order' && fortranOrder === undefined) fortranOrder = readBool();
    else if (key === 'shape' && shape === undefined) shape = readShape();
    else throw fail(start + keyOffset, `unexpected or repeated key '${key}'`);
    skipSpace();
    if (text[pos] === ',') pos++;
    else if (text[pos] !== '}') throw at("expected ',' or '}'");
  }
  pos++;
  skipSpace();
  if (pos < text.length) throw at('unexpected text after the header dict');
  if (descr === undefined || fortranOrder === undefined || shape === undefined) {
    throw fail(start, "header lacks one of 'descr', 'fortran_order', 'shape'");
  }
  const bodyOffset = start + length;
  return { descr, fortranOrder, shape, body: bytes.subarray(bodyOffset), bodyOffset };
}
