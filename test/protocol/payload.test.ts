/** Pixel payloads survive JSON exactly, and a damaged one is refused. */
import { ProtocolError } from '../../src/protocol/errors';
import { decodeBytes, decodeFloat32, encodeBytes, encodeFloat32 } from '../../src/protocol/payload';

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
