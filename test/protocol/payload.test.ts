/** Pixel payloads survive JSON exactly, and a damaged one is refused. */
import { ProtocolError } from '../../src/protocol/errors';
import { highlightAlpha, networkValue } from '../../src/core/hdrcnn';
import { fromByteArray } from 'base64-js';
import {
  decodeBytes,
  decodeFloat32,
  decodeSamples,
  encodeBytes,
  encodeFloat32,
  encodeSamples,
  expandPixels,
  packPixels,
  returnedPixels,
  type EncodedSamples,
} from '../../src/protocol/payload';

const bits = (values: Float32Array): Uint8Array => new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
const viaJson = (e: EncodedSamples): EncodedSamples => JSON.parse(JSON.stringify(e));

describe('float32 payloads', () => {
  it('round-trip every bit through JSON, special values included', () => {
    const values = new Float32Array([0, -0, 1, -1.5, 3.4e38, 1e-45, Infinity, -Infinity, NaN, Math.PI, 0.95, 16207.84]);
    const decoded = decodeFloat32(JSON.parse(JSON.stringify(encodeFloat32(values))));
    expect(new Uint8Array(decoded.buffer, decoded.byteOffset, decoded.byteLength)).toEqual(
      new Uint8Array(values.buffer),
    );
  });

  it('encode only the view, not the whole buffer behind it', () => {
    const buffer = new Float32Array([1, 2, 3, 4, 5]);
    const encoded = encodeFloat32(buffer.subarray(1, 3));
    expect(encoded.length).toBe(2);
    expect(Array.from(decodeFloat32(encoded))).toEqual([2, 3]);
  });

  it('refuse text that is not base64, or of the wrong length', () => {
    expect(() => decodeFloat32({ encoding: 'base64-f32le', length: 1, data: '!!!!' })).toThrow(ProtocolError);
    expect(() =>
      decodeFloat32({ encoding: 'base64-f32le', length: 2, data: encodeFloat32(new Float32Array(1)).data }),
    ).toThrow('pixel payload holds 4 bytes, expected 8');
  });
});

describe('input samples', () => {
  it.each([
    ['8-bit codes, gamma 1.2', 256, 'palette-u8'],
    ['16-bit codes, gamma 1.2', 32769, 'palette-u16'],
    ['float samples', 70000, 'base64-f32le'],
  ])('%s round-trip bit for bit as %s', (_what, levels, encoding) => {
    const settings = { gamma: 1.2, scaling: 1 };
    const values = Float32Array.from({ length: 3 * 80000 }, (_, i) =>
      networkValue(((i * 7919) % levels) / (levels - 1), settings),
    );
    const encoded = encodeSamples(values);
    expect(encoded.encoding).toBe(encoding);
    expect(bits(decodeSamples(viaJson(encoded)))).toEqual(bits(values));
  });

  it('keep values apart by their bits: -0 and +0, NaN, infinities', () => {
    const values = new Float32Array([0, -0, NaN, Infinity, -Infinity, 0, -0, 1e-45]);
    const encoded = encodeSamples(values);
    expect(encoded).toMatchObject({ encoding: 'palette-u8', palette: { length: 6 } });
    expect(bits(decodeSamples(viaJson(encoded)))).toEqual(bits(values));
  });

  it('take 16-bit indices from 257 distinct values on, and a fifth the text of float32 for 8-bit ones', () => {
    const from = (n: number) => Float32Array.from({ length: 3000 }, (_, i) => (i % n) / n);
    expect(encodeSamples(from(256)).encoding).toBe('palette-u8');
    expect(encodeSamples(from(257)).encoding).toBe('palette-u16');
    const u8 = JSON.stringify(encodeSamples(from(256))).length;
    expect(u8 / JSON.stringify(encodeFloat32(from(256))).length).toBeLessThan(0.35);
  });

  it('refuse an index past the palette, a palette longer than its indices reach, indices of the wrong length', () => {
    const palette = encodeFloat32(new Float32Array([0.25, 0.5]));
    const indices = (bytes: number[]) => fromByteArray(Uint8Array.from(bytes));
    const u8 = (idx: number[], length = idx.length) =>
      ({ encoding: 'palette-u8', length, palette, indices: indices(idx) }) as const;
    expect(Array.from(decodeSamples(u8([1, 0, 1])))).toEqual([0.5, 0.25, 0.5]);
    expect(() => decodeSamples(u8([0, 2, 1]))).toThrow(
      new ProtocolError("palette index 2 at sample 1 is past the palette's 2 values"),
    );
    expect(() => decodeSamples(u8([0, 1, 1], 4))).toThrow('palette indices hold 3 bytes, expected 4');
    const long = { ...u8([0, 1, 1]), palette: encodeFloat32(new Float32Array(257)) };
    expect(() => decodeSamples(long)).toThrow('a palette-u8 palette holds 257 values, more than its indices reach');
    const u16 = { encoding: 'palette-u16', length: 2, palette, indices: indices([1, 0, 0, 1]) } as const;
    expect(() => decodeSamples(u16)).toThrow('palette index 256 at sample 1');
    expect(() => decodeSamples({ ...u16, indices: '!!!!' })).toThrow('palette indices is not valid base64');
  });
});

describe('returned pixels', () => {
  it('hold every pixel whose double input is above the threshold, also where float32 rounds it below 0.95', () => {
    // 0.95 + 1e-8 rounds to fround(0.95) = 0.9499999881: the core's mask is > 0 there, its float32 input is below.
    const justAbove = 0.95 + 1e-8;
    expect(Math.fround(justAbove)).toBeLessThan(0.95);
    const doubles = [0.5, justAbove, 0.9, 0.2, 0.94, 0.1, 0.1, 0.3, 0.2, 0.1, 0.96, 0.3];
    const tile = { width: 4, height: 1, data: Float32Array.from(doubles) };
    expect(highlightAlpha(justAbove, 0.1, 0.1)).toBeGreaterThan(0);
    expect(highlightAlpha(tile.data[1], tile.data[5], tile.data[9])).toBe(0); // on float32 it would be missed
    expect(Array.from(returnedPixels(tile))).toEqual([1, 2]);
  });

  it('pack and expand planar values, zeros where nothing comes back', () => {
    const output = Float32Array.from({ length: 12 }, (_, i) => i + 1);
    const pixels = Uint32Array.from([1, 3]);
    const packed = packPixels(output, pixels, 4);
    expect(Array.from(packed)).toEqual([2, 4, 6, 8, 10, 12]);
    expect(Array.from(expandPixels(packed, pixels, 4))).toEqual([0, 2, 0, 4, 0, 6, 0, 8, 0, 10, 0, 12]);
  });
});

describe('strict base64', () => {
  it('refuses characters outside the alphabet, which base64-js would decode as zero bits', () => {
    const good = encodeFloat32(new Float32Array([1, 2, 3]));
    const bad = { ...good, data: `${good.data.slice(0, 5)}!${good.data.slice(6)}` };
    const refusal = new ProtocolError('pixel payload is not valid base64: character 5 is "!"');
    expect(() => decodeFloat32(bad)).toThrow(refusal);
    const newline = { ...good, data: `${good.data.slice(0, 8)}\n${good.data.slice(9)}` };
    expect(() => decodeFloat32(newline)).toThrow('character 8 is "\\n"');
    expect(() => decodeBytes('AA=A')).toThrow('file payload is not valid base64: character 2 is "="');
    expect(() => decodeBytes('abc')).toThrow('file payload is not valid base64: its length 3 is not a multiple of 4');
    expect(decodeBytes('AAE=')).toEqual(Uint8Array.from([0, 1]));
  });
});

describe('file payloads', () => {
  it('round-trip and refuse what is not base64', () => {
    const bytes = Uint8Array.from({ length: 300 }, (_, i) => (i * 37) & 255);
    expect(decodeBytes(encodeBytes(bytes))).toEqual(bytes);
    expect(() => decodeBytes('a')).toThrow('file payload is not valid base64');
  });
});
