/**
 * Seeded fuzzing of everything that reads untrusted input (tools/fuzz-targets.ts): every
 * mutated input is accepted with a sane result or refused with the target's own clean error.
 * A fixed number of cases per target; `npm run fuzz -- --minutes N` runs longer.
 */
import path from 'node:path';
import { fuzzTargets, mutate, prng, type FuzzTarget } from '../../tools/fuzz-targets';

/** Cases per target, sized to keep the whole file near a minute on two shared cores. */
const CASES: Record<string, number> = {
  'weights (.npz)': 1400,
  'weights (pickle)': 700,
  'ONNX model check': 300,
  'images (PNG, JPEG, TIFF)': 1200,
  'protocol (requests)': 8000,
  'protocol (answers)': 4000,
};

describe('fuzz', () => {
  let targets: FuzzTarget[] = [];
  let dispose = () => undefined as void;
  beforeAll(async () => ({ targets, dispose } = await fuzzTargets(path.join(__dirname, '..', '..'))));
  afterAll(() => dispose());

  it.each(Object.entries(CASES))('%s: %d mutated inputs, only clean outcomes', async (name, cases) => {
    const target = targets.find((t) => t.name === name)!;
    const random = prng(cases);
    const outcomes = { accepted: 0, refused: 0 };
    const findings: string[] = [];
    for (let i = 0; i < cases; i++) {
      const input = mutate(target.seeds[i % target.seeds.length], random);
      try {
        await target.run(input);
        outcomes.accepted++;
      } catch (e) {
        if (target.clean(e)) outcomes.refused++;
        else findings.push(`case ${i}: ${String(e)}`);
      }
    }
    expect(findings).toEqual([]);
    expect(outcomes.refused).toBeGreaterThan(0); // the mutations reach the checks
  });
});
