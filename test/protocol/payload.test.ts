/** Pixel payloads survive JSON exactly, and a damaged one is refused. */
import { ProtocolError } from '../../src/protocol/errors';
import { highlightAlpha, networkValue } from '../../src/core/hdrcnn';
import { fromByteArray } from 'base64-js';
import { residualBytes, valuesFromResiduals } from '../../src/protocol/index-prediction';
import { deflateSync } from 'fflate';
import {
  decodeBytes,
  decodeFloat32,
  decodeNetworkOutput,
  decodeSamples,
  encodeBytes,
  encodeFloat32,
  encodeNetworkOutput,
  encodeSamples,
  expandPixels,
  LOG_STEP,
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
    // Indices as differences from the one before, modulo 256, deflated (fflate itself, not our encoder).
    const deflated = (bytes: ArrayLike<number>) => fromByteArray(deflateSync(Uint8Array.from(bytes)));
    const u8 = (differences: number[], length = differences.length) =>
      ({ encoding: 'palette-u8', length, palette, width: length, planes: 1, indices: deflated(differences) }) as const;
    expect(Array.from(decodeSamples(u8([1, 255, 1])))).toEqual([0.5, 0.25, 0.5]);
    expect(() => decodeSamples(u8([0, 2, 255]))).toThrow(
      new ProtocolError("palette index 2 at sample 1 is past the palette's 2 values"),
    );
    expect(() => decodeSamples(u8([1, 255, 1], 4))).toThrow('palette indices: inflates to 3 bytes, not its declared 4');
    expect(() => decodeSamples(u8([1, 255, 1], 2))).toThrow('palette indices: inflates past its declared size of 2');
    const long = { ...u8([1, 255, 1]), palette: encodeFloat32(new Float32Array(257)) };
    expect(() => decodeSamples(long)).toThrow('a palette-u8 palette holds 257 values, more than its indices reach');
    // 16-bit: indices 1 and 256, differences 1 and 255: low bytes [1, 255], high bytes [0, 0].
    const u16 = { ...u8([]), encoding: 'palette-u16', length: 2, width: 2, indices: deflated([1, 255, 0, 0]) } as const;
    expect(() => decodeSamples(u16)).toThrow('palette index 256 at sample 1');
    expect(() => decodeSamples({ ...u16, indices: '!!!!' })).toThrow('palette indices is not valid base64');
    expect(() => decodeSamples({ ...u16, indices: deflated([1, 2, 3]).slice(0, 4) })).toThrow(
      /palette indices: bad deflate data/,
    );
  });

  it('refuse a deflate bomb as soon as it passes the declared size, and text no deflate of it could be', () => {
    const bomb = deflateSync(new Uint8Array(64 * 2 ** 20)); // 64 MiB of zeros in ~64 KB
    const palette = encodeFloat32(new Float32Array([0]));
    const samples = { encoding: 'palette-u8', length: 3, palette, width: 3, planes: 1 } as const;
    expect(() => decodeSamples({ ...samples, indices: fromByteArray(bomb) })).toThrow(
      /more than 3 bytes can deflate to/,
    );
    const length = bomb.length; // a declared size the text fits, and the output still 1000 times past it
    expect(() => decodeSamples({ ...samples, length, width: length, indices: fromByteArray(bomb) })).toThrow(
      `palette indices: inflates past its declared size of ${length} bytes`,
    );
  });
});

describe('index prediction', () => {
  /** A seeded photo-like tile: smooth gradients, an edge, a little noise, channels moving together. */
  function tile(width: number, height: number, levels: number): Float32Array {
    let seed = 7;
    const noise = () => ((seed = (seed * 48271) % 2147483647) / 2147483647 - 0.5) * 0.01;
    const data = new Float32Array(3 * width * height);
    for (let c = 0; c < 3; c++) {
      for (let y = 0; y < height; y++) {
        for (let x = 0; x < width; x++) {
          const v = 0.3 + 0.3 * Math.sin(x / 9) * Math.cos(y / 11) + (x > width / 2 ? 0.2 : 0) + 0.05 * c + noise();
          data[(c * height + y) * width + x] = Math.round(Math.min(1, Math.max(0, v)) * levels) / levels;
        }
      }
    }
    return data;
  }

  it.each([
    ['8-bit', 255, 'palette-u8'],
    ['16-bit', 32768, 'palette-u16'],
  ])('gives back every %s sample exactly, in planes or as one row', (_what, levels, encoding) => {
    const values = tile(37, 23, levels);
    for (const layout of [{ width: 37, planes: 3 } as const, undefined]) {
      const encoded = encodeSamples(values, layout);
      expect(encoded.encoding).toBe(encoding);
      expect(bits(decodeSamples(viaJson(encoded)))).toEqual(bits(values));
    }
  });

  it('makes a photo-like tile smaller than left differences alone do', () => {
    const values = tile(320, 320, 255);
    const length = (e: EncodedSamples) => (e as { indices: string }).indices.length;
    const planes = length(encodeSamples(values, { width: 320, planes: 3 }));
    const row = length(encodeSamples(values)); // one row: the prediction is the left neighbour
    expect(planes / row).toBeLessThan(0.95);
  });

  it("predicts as JPEG-LS's median edge detector, the first row from the left and the first column from above", () => {
    // Second rows of 2 × 2 planes: below an edge (upper-left ≤ both: the larger), above one (≥ both: the
    // smaller), between (the gradient left + up − upper-left); the last residual −3 is sent modulo 256.
    const cases: Array<[number[], number[]]> = [
      [
        [10, 12, 14, 11],
        [10, 2, 4, 253],
      ],
      [
        [10, 8, 6, 9],
        [10, 254, 252, 3],
      ],
      [
        [10, 8, 12, 13],
        [10, 254, 2, 3],
      ],
    ];
    for (const [values, residuals] of cases) {
      const bytes = residualBytes(Uint16Array.from(values), { width: 2, planes: 1 }, 8);
      expect([...bytes]).toEqual(residuals);
      expect([...valuesFromResiduals(bytes, 4, { width: 2, planes: 1 }, 8)]).toEqual(values);
    }
  });

  it('refuses a layout the samples do not fill, on either side', () => {
    expect(() => encodeSamples(tile(4, 2, 255), { width: 5, planes: 3 })).toThrow(
      new RangeError('24 samples do not lie in 3 planes of rows 5 long'),
    );
    const encoded = encodeSamples(tile(4, 2, 255), { width: 4, planes: 3 });
    expect(() => decodeSamples({ ...encoded, width: 5 } as EncodedSamples)).toThrow(
      '24 samples do not lie in 3 planes of rows 5 long',
    );
  });
});

describe('network answers on the log grid', () => {
  it('are within LOG_STEP / 2 of the values, survive JSON, and cost far less text than float32', () => {
    const values = Float32Array.from({ length: 30_000 }, (_, i) => Math.log(0.9 + i / 3000) + Math.sin(i) * 1e-3);
    const encoded = encodeNetworkOutput(values);
    expect(encoded.encoding).toBe('log-q24');
    const decoded = decodeNetworkOutput(JSON.parse(JSON.stringify(encoded)));
    const worst = values.reduce((w, v, i) => Math.max(w, Math.abs(decoded[i] - v)), 0);
    expect(worst).toBeLessThanOrEqual(LOG_STEP / 2 + 1e-6);
    expect(worst).toBeGreaterThan(LOG_STEP / 8); // on the grid, not passed through
    expect(JSON.stringify(encoded).length / JSON.stringify(encodeFloat32(values)).length).toBeLessThan(0.5);
  });

  it('go as float32 when the grid cannot hold their range, or a value is not finite', () => {
    expect(encodeNetworkOutput(Float32Array.of(-600, 600)).encoding).toBe('base64-f32le');
    expect(encodeNetworkOutput(Float32Array.of(1, Infinity)).encoding).toBe('base64-f32le');
    expect(Array.from(decodeNetworkOutput(encodeNetworkOutput(Float32Array.of(-500, 500))))).toEqual([-500, 500]);
    expect(decodeNetworkOutput(encodeNetworkOutput(new Float32Array(0)))).toHaveLength(0);
  });

  it('refuse a payload that inflates to the wrong number of steps', () => {
    const encoded = encodeNetworkOutput(Float32Array.of(0.5, 0.75, 1));
    expect(() => decodeNetworkOutput({ ...encoded, length: 4 })).toThrow(
      'log payload: inflates to 9 bytes, not its declared 12',
    );
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
