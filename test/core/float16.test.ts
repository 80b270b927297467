import { toHalfArray, toHalfBits } from '../../src/core/float16';

/** IEEE 754 half → number, the textbook way, to check the encoder against. */
function fromHalf(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exp = (bits >>> 10) & 0x1f;
  const mant = bits & 0x3ff;
  if (exp === 0) return sign * mant * 2 ** -24;
  if (exp === 0x1f) return mant ? NaN : sign * Infinity;
  return sign * (1 + mant / 1024) * 2 ** (exp - 15);
}

describe('toHalfBits', () => {
  it('encodes exact values exactly', () => {
    expect([0, 1, -2, 0.5, 65504, 2 ** -24, 2 ** -14].map(toHalfBits)).toEqual([
      0x0000, 0x3c00, 0xc000, 0x3800, 0x7bff, 0x0001, 0x0400,
    ]);
  });

  it('rounds to the nearest half, ties to even, including subnormals', () => {
    expect(toHalfBits(1 + 2 ** -11)).toBe(0x3c00); // tie → even mantissa
    expect(toHalfBits(1 + 3 * 2 ** -11)).toBe(0x3c02);
    expect(toHalfBits(1.5 * 2 ** -24)).toBe(0x0002); // tie between 1 and 2 subnormal steps → even
    for (let i = 0; i < 2000; i++) {
      const v = (Math.sin(i * 12.9898) * 43758.5453) % 70000;
      const h = fromHalf(toHalfBits(v));
      if (Math.abs(v) <= 65504) expect(Math.abs(h - v)).toBeLessThanOrEqual(Math.max(Math.abs(v) * 2 ** -11, 2 ** -25));
    }
  });

  it('saturates finite overflow at ±65504 and keeps Inf and NaN', () => {
    expect(fromHalf(toHalfBits(1e6))).toBe(65504);
    expect(fromHalf(toHalfBits(65519))).toBe(65504); // would round up to 65536
    expect(fromHalf(toHalfBits(-1e6))).toBe(-65504);
    expect(fromHalf(toHalfBits(Infinity))).toBe(Infinity);
    expect(fromHalf(toHalfBits(NaN))).toBeNaN();
    expect(Array.from(toHalfArray(Float32Array.of(1, -0.5)))).toEqual([0x3c00, 0xb800]);
  });
});
