import { WeightsFormatError } from '../../src/weights/errors';
import { readNpyHeader } from '../../src/weights/npy';
import { npyFile } from './pickle-writer';

const body = Uint8Array.from([1, 2, 3]);
const header = (dict: string) => readNpyHeader(npyFile(dict, body));
const expectBad = (bytes: Uint8Array, message: RegExp) => {
  expect(() => readNpyHeader(bytes)).toThrow(WeightsFormatError);
  expect(() => readNpyHeader(bytes)).toThrow(message);
};

describe('readNpyHeader', () => {
  it('reads the dict NumPy writes, and finds the body', () => {
    const bytes = npyFile("{'descr': '<f4', 'fortran_order': False, 'shape': (3, 3, 3, 8), }", body);
    const h = readNpyHeader(bytes);
    expect(h).toMatchObject({ descr: '<f4', fortranOrder: false, shape: [3, 3, 3, 8], bodyOffset: 128 });
    expect(h.body).toEqual(body);
    expect(header("{'descr': '|O', 'fortran_order': False, 'shape': (80,), }").shape).toEqual([80]);
    expect(header("{'descr':'<f4','fortran_order':True,'shape':()}")).toMatchObject({ fortranOrder: true, shape: [] });
    expect(header('{"shape": (2L, 3L), "descr": "<f4", "fortran_order": False}').shape).toEqual([2, 3]); // Python 2
  });

  it('reads format versions 2.0 and 3.0 (4-byte header length)', () => {
    const dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }\n";
    for (const major of [2, 3]) {
      const bytes = Uint8Array.from([
        0x93,
        ...Buffer.from('NUMPY'),
        major,
        0,
        dict.length,
        0,
        0,
        0,
        ...Buffer.from(dict),
        9,
      ]);
      expect(readNpyHeader(bytes)).toMatchObject({
        shape: [2],
        bodyOffset: 12 + dict.length,
        body: Uint8Array.from([9]),
      });
    }
  });

  it('refuses malformed headers, saying where', () => {
    const good = npyFile("{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }", body);
    expectBad(Uint8Array.from(Buffer.from('PK\x03\x04 not numpy at all')), /byte 0: not a .npy file/);
    expectBad(
      Uint8Array.from([...good.subarray(0, 6), 4, 0, ...good.subarray(8)]),
      /byte 6: unsupported .npy format version 4.0/,
    );
    expectBad(
      Uint8Array.from([...good.subarray(0, 8), 0xff, 0x7f, ...good.subarray(10)]),
      /header length 32767 runs past/,
    );
    expectBad(good.subarray(0, 9), /byte 0: not a .npy file|truncated/);
    const bad: [string, RegExp][] = [
      ["{'descr': '<f4', 'shape': (2,), }", /lacks one of/],
      ["{'descr': '<f4', 'fortran_order': False, 'shape': (2,), 'x': 1}", /byte \d+: unexpected or repeated key 'x'/],
      ["{'descr': '<f4', 'descr': '<f4', 'fortran_order': False, 'shape': (2,)}", /repeated key 'descr'/],
      ["{'descr': '<f4', 'fortran_order': False, 'shape': (2)}", /not a tuple/],
      ["{'descr': '<f4', 'fortran_order': False, 'shape': (-2,)}", /non-negative integer/],
      ["{'descr': '<f4', 'fortran_order': false, 'shape': (2,)}", /expected True or False/],
      ["{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (2,)}", /expected a quoted string/],
      ["{'descr': '<f4', 'fortran_order': False, 'shape': (2,)} junk", /unexpected text after/],
      ["{'descr': '<f\\x34', 'fortran_order': False, 'shape': (2,)}", /escape/],
      ["{'descr': '<f4', 'fortran_order': False, 'shape': (2,)", /expected ',' or '}'/],
      ["{'descr': '<f4', 'fortran_order': False, 'shape': (2 3)}", /expected ',' or '\)'/],
      ["{'descr': '\u00e9', 'fortran_order': False, 'shape': (2,)}", /non-ASCII/],
    ];
    for (const [dict, message] of bad) expectBad(npyFile(dict, body), message);
  });
});
