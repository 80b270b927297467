import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { WeightsFormatError } from '../../src/weights/errors';
import { readNpz } from '../../src/weights/npz';
import { readParamsFile } from '../../src/weights/params-file';
import { unpickle } from '../../src/weights/unpickle';
import {
  type ArraySpec,
  PickleWriter,
  arrayState,
  f4,
  npyFile,
  npzFile,
  objectArrayPickle,
  paramsNpz,
  pickleNpz,
  reconstruct,
  sharedStoragePickle,
  writeArray,
} from './pickle-writer';
import { zipSync } from 'fflate';

const fixture = (name: string) => new Uint8Array(readFileSync(join(__dirname, '..', 'fixtures', 'weights', name)));

function refusal(read: () => unknown): string {
  try {
    read();
  } catch (e) {
    expect(e).toBeInstanceOf(WeightsFormatError);
    return (e as Error).message;
  }
  throw new Error('expected a WeightsFormatError, but the input was accepted');
}
const refuse = (bytes: Uint8Array, message: RegExp) => expect(refusal(() => readParamsFile(bytes))).toMatch(message);
const refusePickle = (w: PickleWriter, message: RegExp) => expect(refusal(() => unpickle(w.finish()))).toMatch(message);
const p3 = () => new PickleWriter().proto(3);

const good: ArraySpec = { shape: [2, 3], data: f4([0, 1, 2, 3, 4, 5]) };
const withGood = (bad: Partial<ArraySpec>) => paramsNpz([good, { ...good, ...bad }]);

describe('globals', () => {
  it('refuses any global but the NumPy reconstruction ones, naming it', () => {
    refusePickle(
      p3().global('os', 'system').unicode('echo pwned').raw('\x85R.'),
      /pickle byte 2: global "os.system" is not allowed/,
    );
    refusePickle(new PickleWriter().proto(2).global('__builtin__', 'eval'), /"__builtin__.eval" is not allowed/);
    const stackGlobal = new PickleWriter().proto(4).raw('\x8c\x08builtins\x94\x8c\x04eval\x94\x93');
    refusePickle(stackGlobal.unicode('1').raw('\x85R.'), /pickle byte 20: global "builtins.eval" is not allowed/);
    refusePickle(p3().global('numpy', 'load'), /"numpy.load"/);
    // Names that exist on every JS object are not looked up either.
    refusePickle(p3().global('__proto__', 'constructor'), /"__proto__.constructor" is not allowed/);
    refusePickle(p3().global('Object', 'prototype'), /"Object.prototype" is not allowed/);
    // Inside an otherwise valid file.
    const file = objectArrayPickle([good]);
    const at = Buffer.from(file).indexOf('cnumpy\ndtype\n', 60);
    const hostile = Buffer.concat([file.subarray(0, at), Buffer.from('cposix\nsystem\n'), file.subarray(at + 13)]);
    refuse(pickleNpz(hostile, 1), /global "posix.system" is not allowed/);
  });

  it('calls only what NumPy pickles call, the way it calls them', () => {
    refusePickle(p3().global('numpy', 'ndarray').raw(')R'), /numpy.ndarray may only be passed to _reconstruct/);
    refusePickle(
      p3().global('numpy.core.multiarray', '_reconstruct').global('numpy', 'dtype').int(0).raw('\x85C\x01b\x87R'),
      /_reconstruct arguments/,
    );
    const encode = () => new PickleWriter().proto(2).global('_codecs', 'encode');
    refusePickle(encode().unicode('\u20ac').unicode('latin1').raw('\x86R'), /not latin-1 encodable/);
    refusePickle(encode().unicode('abc').unicode('utf8').raw('\x86R'), /_codecs.encode arguments/);
    refusePickle(p3().global('numpy', 'dtype').unicode('f4').raw('\x85R'), /numpy.dtype arguments are not/);
    refusePickle(p3().global('numpy', 'dtype').raw('NR'), /REDUCE argument is not a tuple/);
    refusePickle(p3().raw('NNR'), /not an allowed callable/);
    refusePickle(p3().raw('NNb'), /BUILD of an object that is not a dtype or array/);
  });
});

describe('arrays', () => {
  it('refuses every dtype but little-endian float32', () => {
    refuse(withGood({ descr: 'f8', data: new Uint8Array(48) }), /dtype "f8" is not allowed/);
    refuse(withGood({ descr: 'i4' }), /dtype "i4" is not allowed/);
    refuse(withGood({ descr: 'f2' }), /dtype "f2" is not allowed/);
    refuse(withGood({ order: '>' }), /float32 with byte order '>' is not little-endian/);
    refuse(withGood({ order: '|' }), /not little-endian/);
  });

  it('refuses Fortran order, data of the wrong size, NaN and Inf', () => {
    refuse(withGood({ fortran: true }), /Fortran-order arrays are not supported/);
    refuse(withGood({ data: f4([1, 2, 3, 4, 5]) }), /shape \[2,3\] needs 24 bytes of float32 data, got 20/);
    refuse(withGood({ data: f4([1, 2, 3, 4, 5, 6, 7]) }), /needs 24 bytes/);
    refuse(withGood({ shape: [2 ** 20, 2 ** 20] }), /shape \[1048576,1048576\] is too large/);
    refuse(withGood({ data: f4([0, NaN, 2, 3, 4, 5]) }), /array element 1 is NaN/);
    refuse(withGood({ data: f4([0, 1, 2, 3, 4, Infinity]) }), /array element 5 is Infinity/);
    refuse(withGood({ data: f4([-Infinity, 1, 2, 3, 4, 5]) }), /array element 0 is -Infinity/);
  });

  it('refuses an object array whose entries are not float32 arrays or do not match its shape', () => {
    refuse(pickleNpz(objectArrayPickle([good], 2), 2), /object array data is not a list of 2 entries/);
    refuse(
      pickleNpz(
        objectArrayPickle([good], 2, (w) => w.int(5)),
        2,
      ),
      /object array entry 1 is not a float32 array/,
    );
    refuse(
      pickleNpz(
        objectArrayPickle([good], 2, (w) => reconstruct(w)),
        2,
      ),
      /entry 1 is not a float32 array/,
    );
    refuse(pickleNpz(objectArrayPickle([good]), 2), /object array of shape \(1\), the header declares .* shape \(2\)/);
    refuse(pickleNpz(writeArray(p3(), good).raw('.').finish(), 1), /holds a float32 array of shape \(2,3\)/);
    const f4Header = npyFile("{'descr': '<f4', 'fortran_order': False, 'shape': (6,), }", good.data);
    refuse(npzFile({ 'params.npy': f4Header }), /holds a '<f4' array of shape \(6\); expected a 1-D object array/);
  });

  it('refuses one byte block backing many arrays (a 1.6 KB file decoded to 3.3 GB)', () => {
    const block: ArraySpec = { shape: [1024], data: f4(new Array(1024).fill(0.5)) };
    const pickle = sharedStoragePickle(1000, block);
    expect(pickle.length).toBeLessThan(20_000); // 1000 arrays of 4 KB each from 20 KB of pickle
    refuse(pickleNpz(pickle, 1000), /pickle byte \d+: float32 array data is shared with an earlier array/);
    // The same values twice, stored twice, are fine.
    expect(unpickle(objectArrayPickle([block, block])).data).toHaveLength(2);
  });

  it("refuses one string encoded into many arrays (Python 2's _codecs.encode route to the same copies)", () => {
    const latin1 = String.fromCharCode(...f4([0.5, 1.5]));
    const encode = (w: PickleWriter, text: (w: PickleWriter) => void) => {
      w.global('_codecs', 'encode');
      text(w);
      w.unicode('latin1').raw('\x86R');
    };
    const first: ArraySpec = {
      shape: [2],
      data: new Uint8Array(0),
      writeData: (w) => encode(w, (x) => x.unicode(latin1).raw('q\x09')),
    };
    const again: ArraySpec = { ...first, writeData: (w) => encode(w, (x) => x.raw('h\x09')) };
    const [decoded] = unpickle(objectArrayPickle([first])).data as { data: Float32Array }[];
    expect(Array.from(decoded.data)).toEqual([0.5, 1.5]);
    refuse(pickleNpz(objectArrayPickle([first, again]), 2), /encoded string is shared with an earlier array/);
  });

  it('refuses objects built twice', () => {
    const dtype = p3().global('numpy', 'dtype').unicode('f4').raw('\x89\x88\x87R');
    const state = (w: PickleWriter) => w.raw('(').int(3).unicode('<').raw('NNN').int(-1).int(-1).int(0).raw('tb');
    refusePickle(state(state(dtype)), /dtype is built twice/);
    refusePickle(arrayState(writeArray(p3(), good), good).raw('b'), /array is built twice/);
  });
});

describe('stream structure', () => {
  it('refuses lengths longer than the rest of the stream', () => {
    refusePickle(
      p3()
        .lengthOp('B', 2 ** 31)
        .raw('abc'),
      /pickle byte 2: needs 2147483648 bytes, only 3 left/,
    );
    refusePickle(p3().lengthOp('X', 2 ** 32 - 1), /needs 4294967295 bytes, only 0 left/);
    refusePickle(p3().lengthOp('T', 2 ** 31), /negative BINSTRING length/);
    refusePickle(p3().raw([0x43, 200, 1, 2]), /needs 200 bytes/);
    refusePickle(
      new PickleWriter().proto(4).raw([0x95, 255, 255, 255, 255, 255, 255, 255, 255]),
      /frame of \d+ bytes runs past the end/,
    );
    refusePickle(p3().raw('cnumpy'), /module name is not a newline-terminated name/);
    refusePickle(p3().raw(`c${'x'.repeat(1000)}\n`), /not a newline-terminated name/);
  });

  it('refuses stack underflow, unbalanced marks and leftovers', () => {
    refusePickle(p3().raw('.'), /pickle byte 2: stack underflow/);
    refusePickle(p3().raw('N\x87'), /stack underflow/);
    refusePickle(p3().raw('N(R'), /stack underflow/); // a MARK fences off what is below it
    refusePickle(p3().raw(']Ne'), /no MARK to pop to/);
    refusePickle(p3().raw('N(N'), /truncated pickle \(no STOP\)/);
    refusePickle(p3().raw('Na'), /stack underflow/);
    refusePickle(p3().raw('N]N.'), /objects left on the stack at STOP/);
    refusePickle(writeArray(p3(), good).raw('.junk'), /4 bytes after STOP/);
    refusePickle(p3().raw('K\x05.'), /the pickle does not hold a NumPy array/);
    refusePickle(p3().raw('NNa'), /APPEND to an object that is not a list/);
  });

  it('refuses streams too deep or with too many objects', () => {
    refusePickle(p3().raw('('.repeat(65)), /MARKs nested more than 64 deep/);
    refusePickle(p3().raw('N'.repeat(100_001)), /more than 100000 objects on the stack/);
    refusePickle(p3().raw('N').raw('\x94'.repeat(100_001)), /more than 100000 memo entries/);
    refusePickle(p3().raw('Nh\x05'), /memo entry 5 is not defined/);
    refusePickle(p3().raw('Nj\xff\xff\xff\xff'), /memo entry 4294967295 is not defined/);
  });

  it('refuses other protocols and opcodes', () => {
    refusePickle(new PickleWriter().proto(5), /pickle protocol 5 is not supported/);
    refusePickle(new PickleWriter().proto(0), /pickle protocol 0 is not supported/);
    for (const [op, hex] of [
      ['}', '7d'],
      ['i', '69'],
      ['o', '6f'],
      ['\x81', '81'],
      ['G', '47'],
      ['0', '30'],
      ['2', '32'],
    ]) {
      refusePickle(p3().raw(op), new RegExp(`pickle byte 2: opcode 0x${hex} is not supported`));
    }
  });
});

describe('truncation', () => {
  const params = readNpz(fixture('protocol4.npz')).get('params')!;
  const cases: [string, Uint8Array][] = [
    ['protocol4.npz', fixture('protocol4.npz')],
    ['compressed.npz', fixture('compressed.npz')],
    ['python2.npz', fixture('python2.npz')],
    ['zip64.npz', fixture('zip64.npz')],
  ];

  it.each(cases)('refuses %s cut at every byte offset', (_, file) => {
    for (let n = 0; n < file.length; n++) refusal(() => readParamsFile(file.subarray(0, n)));
  });

  it('refuses params.npy (header and pickle) cut at every byte offset', () => {
    for (let n = 0; n < params.length; n++)
      refusal(() => readParamsFile(npzFile({ 'params.npy': params.subarray(0, n) })));
  });

  it('refuses each small pickle cut at every byte offset', () => {
    for (const name of ['protocol4.npz', 'python2.npz']) {
      const pickle = readNpz(fixture(name)).get('params')!.subarray(128);
      expect(unpickle(pickle).shape).toEqual([3]);
      for (let n = 0; n < pickle.length; n++) refusal(() => unpickle(pickle.subarray(0, n)));
    }
  });
});

describe('the zip container', () => {
  /** Patches the first central directory entry: method (+10), sizes (+20 compressed, +24 uncompressed). */
  function patchCentral(zip: Uint8Array, patch: { method?: number; size?: number; originalSize?: number }): Uint8Array {
    const out = zip.slice();
    const at = Buffer.from(out).indexOf(Buffer.from([0x50, 0x4b, 1, 2]));
    const view = new DataView(out.buffer);
    if (patch.method !== undefined) view.setUint16(at + 10, patch.method, true);
    if (patch.size !== undefined) view.setUint32(at + 20, patch.size, true);
    if (patch.originalSize !== undefined) view.setUint32(at + 24, patch.originalSize, true);
    return out;
  }
  const valid = paramsNpz([good]);

  it('refuses what is not a zip, clearly', () => {
    refuse(new Uint8Array(0), /not a valid .npz\/zip file: no zip signature at byte 0/);
    refuse(Uint8Array.from(Buffer.from('<html>not found</html>')), /not a valid .npz\/zip file/);
    refuse(Uint8Array.from(Buffer.from('\x89HDF\r\n\x1a\n')), /not a valid .npz\/zip file/);
    refuse(objectArrayPickle([good]), /not a valid .npz\/zip file/);
    refuse(npyFile("{'descr': '<f4', 'fortran_order': False, 'shape': (6,), }", good.data), /bare .npy file/);
    refuse(valid.subarray(0, 40), /not a valid .npz\/zip file: /); // no end of central directory
  });

  it('refuses a missing or duplicated params member', () => {
    refuse(
      npzFile({ 'weights.npy': new Uint8Array(4), 'other.npy': new Uint8Array(1) }),
      /no 'params' member \(has: weights, other\)/,
    );
    refuse(npzFile({}), /no 'params' member \(has: none\)/);
    refuse(
      npzFile({ 'params.npy': new Uint8Array(4), params: new Uint8Array(4) }),
      /zip member 1 \("params"\): duplicate name/,
    );
  });

  it('refuses zip bombs from the declared sizes, before inflating', () => {
    // Deflate cannot reach a ratio above ~1032, so 1 GB from 2 KB is a lie.
    refuse(
      patchCentral(valid, { method: 8, originalSize: 2 ** 30 }),
      /zip member 0 \("params.npy"\): declared size 1073741824 is impossible/,
    );
    // A plausible ratio, but more than the total limit.
    const big = npzFile({ 'params.npy': new Uint8Array(540_000) });
    refuse(
      patchCentral(big, { method: 8, originalSize: 540_000_000 }),
      /uncompressed contents exceed the 536870912-byte limit/,
    );
    // Stored members cannot be larger than their data; zip64 markers need zip64 records.
    refuse(patchCentral(valid, { originalSize: 1_000_000 }), /declared size 1000000 is impossible/);
    refuse(
      patchCentral(valid, { size: 2 ** 32 - 1, originalSize: 2 ** 32 - 1 }),
      /compressed size 4294967295 exceeds the file size/,
    );
  });

  it('refuses unsupported compression and sizes that do not match the data', () => {
    refuse(patchCentral(valid, { method: 12 }), /unsupported compression method 12/);
    const compressed = fixture('compressed.npz');
    refuse(
      patchCentral(compressed, { originalSize: 900 }),
      /zip member 0 \("params.npy"\): inflates to 791 bytes, not its declared 900/,
    );
    // Sizes smaller than the data: the inflation stops there; a stored member fails its CRC.
    const short = patchCentral(compressed, { originalSize: 700 });
    refuse(short, /zip member 0 \("params.npy"\): inflates past its declared size of 700 bytes/);
    refuse(patchCentral(valid, { size: 100, originalSize: 100 }), /zip member 0 \("params.npy"\): Bad CRC-32/);
  });

  it('stops inflating at the declared size: a valid member padded with 8 MB of zeros is refused', () => {
    const npy = readNpz(valid).get('params')!;
    const padded = new Uint8Array(npy.length + 8 * 2 ** 20);
    padded.set(npy);
    const zip = zipSync({ 'params.npy': padded }, { level: 9 });
    expect(zip.length).toBeLessThan(20_000);
    // Declaring only the valid part used to extract just that part, after inflating all 8 MB.
    refuse(patchCentral(zip, { originalSize: npy.length }), /inflates past its declared size of \d+ bytes/);
  });

  it('checks the CRC-32, as NumPy does', () => {
    const damaged = valid.slice();
    const at = Buffer.from(damaged).lastIndexOf(Buffer.from(good.data.subarray(4, 8))); // float 1.0 of the array data
    damaged[at + 3] ^= 0x01; // still a finite float: only the CRC can tell
    refuse(damaged, /zip member 0 \("params.npy"\): Bad CRC-32 \(header 0x[0-9a-f]{8}, data 0x[0-9a-f]{8}\)/);
    expect(readParamsFile(valid)[0].data[1]).toBe(1);
  });
});
