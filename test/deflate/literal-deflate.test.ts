/** Huffman-only deflate: read back by fflate and by zlib, never past the stored bound, and as small as level 1 on answers. */
import { deflateSync, inflateSync } from 'fflate';
import { inflateRawSync } from 'node:zlib';
import { deflateBound } from '../../src/deflate/deflate';
import { codeLengths, deflateLiterals } from '../../src/deflate/literal-deflate';

function seeded(seed: number): () => number {
  return () => (seed = (seed * 48271) % 2147483647) / 2147483647;
}

/** Byte planes of the differences of noisy log values on a 2^-14 grid, as `encodeNetworkOutput` sends them. */
function answerLike(n: number): Uint8Array {
  const random = seeded(11);
  const out = new Uint8Array(3 * n);
  let previous = 0;
  for (let i = 0; i < n; i++) {
    const q = Math.round((1.5 + Math.sin(i / 500) + (random() - 0.5) * 0.02) * 2 ** 14);
    const d = q - previous;
    previous = q;
    [out[i], out[n + i], out[2 * n + i]] = [d, d >> 8, d >> 16];
  }
  return out;
}

const random = seeded(5);
const cases: Array<[string, Uint8Array]> = [
  ['nothing', new Uint8Array(0)],
  ['one byte', Uint8Array.of(7)],
  ['100 KB of one value', new Uint8Array(100_000).fill(3)],
  ['every value once', Uint8Array.from({ length: 256 }, (_, i) => i)],
  ['70 KB of noise (stored blocks)', Uint8Array.from({ length: 70_000 }, () => random() * 256)],
  ['an answer-like payload', answerLike(60_000)],
];

describe('deflateLiterals', () => {
  it.each(cases)('%s: fflate and zlib both inflate it to the bytes, within the stored bound', (_what, bytes) => {
    const deflated = deflateLiterals(bytes);
    expect(Buffer.from(inflateSync(deflated)).equals(Buffer.from(bytes))).toBe(true);
    expect(inflateRawSync(deflated).equals(Buffer.from(bytes))).toBe(true);
    expect(deflated.length).toBeLessThanOrEqual(deflateBound(bytes.length));
  });

  it('makes an answer no larger than fflate level 1 does, a run of one value an eighth of it', () => {
    const answer = answerLike(60_000);
    expect(deflateLiterals(answer).length).toBeLessThanOrEqual(deflateSync(answer, { level: 1 }).length);
    expect(deflateLiterals(answer).length).toBeLessThan(0.6 * answer.length);
    // No string matching: one bit a byte is its floor, where level 1 finds the run.
    const run = new Uint8Array(100_000);
    expect(deflateLiterals(run).length).toBeGreaterThanOrEqual(100_000 / 8);
    expect(deflateLiterals(run).length).toBeLessThan(1.01 * (100_000 / 8)); // and a small table a block
  });
});

describe('codeLengths', () => {
  it('keeps to the limit where the counts would make a deeper tree, and makes a complete code', () => {
    const fibonacci = [1, 1];
    while (fibonacci.length < 30) fibonacci.push(fibonacci.at(-1)! + fibonacci.at(-2)!);
    const unlimited = codeLengths(fibonacci, 64);
    expect(Math.max(...unlimited)).toBe(29); // each symbol a level deeper than the next
    const lengths = codeLengths(fibonacci, 15);
    expect(Math.max(...lengths)).toBeLessThanOrEqual(15);
    expect([...lengths].reduce((kraft, l) => kraft + 2 ** -l, 0)).toBe(1);
  });

  it('gives a lone symbol one bit and unused ones none', () => {
    expect([...codeLengths([0, 5, 0], 15)]).toEqual([0, 1, 0]);
  });
});
