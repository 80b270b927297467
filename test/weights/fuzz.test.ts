import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { WeightsFormatError } from '../../src/weights/errors';
import { readNpz } from '../../src/weights/npz';
import { readParamsFile } from '../../src/weights/params-file';
import { unpickle } from '../../src/weights/unpickle';

const fixture = (name: string) => new Uint8Array(readFileSync(join(__dirname, '..', 'fixtures', 'weights', name)));

/** mulberry32: a small seeded PRNG, so every run mutates the same way. */
function prng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), seed | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

function mutate(input: Uint8Array, random: () => number): Uint8Array {
  const int = (n: number) => Math.floor(random() * n);
  const out = input.slice();
  switch (int(4)) {
    case 0: // a few random bytes
      for (let k = 1 + int(4); k > 0; k--) out[int(out.length)] = int(256);
      return out;
    case 1: // a boundary value, where lengths and counts are most sensitive
      out[int(out.length)] = [0, 1, 0x7f, 0x80, 0xff][int(5)];
      return out;
    case 2: // cut
      return out.subarray(0, int(out.length));
    default: { // a chunk copied elsewhere
      const from = int(out.length);
      const chunk = out.slice(from, from + 1 + int(16));
      const to = int(out.length);
      return Uint8Array.from([...out.subarray(0, to), ...chunk, ...out.subarray(to)]);
    }
  }
}

describe('fuzz: mutated files parse or throw WeightsFormatError', () => {
  const files = ['protocol4.npz', 'compressed.npz', 'python2.npz', 'zip64.npz'];
  const targets: [string, Uint8Array, (b: Uint8Array) => unknown][] = [
    ...files.map((name): [string, Uint8Array, (b: Uint8Array) => unknown] => [name, fixture(name), readParamsFile]),
    ...['protocol4.npz', 'python2.npz'].map((name): [string, Uint8Array, (b: Uint8Array) => unknown] => [
      `${name} pickle`,
      readNpz(fixture(name)).get('params')!.subarray(128),
      unpickle,
    ]),
  ];

  it.each(targets)('%s: 350 mutations', (_, input, read) => {
    const random = prng(input.length);
    const failures: string[] = [];
    for (let i = 0; i < 350; i++) {
      const bytes = mutate(input, random);
      try {
        read(bytes);
      } catch (e) {
        if (!(e instanceof WeightsFormatError)) failures.push(`mutation ${i}: ${String(e)}`);
      }
    }
    expect(failures).toEqual([]);
  });
});
