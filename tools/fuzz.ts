/**
 * `npm run fuzz -- --minutes N [--seed S]`: runs every fuzz target (tools/fuzz-targets.ts) in
 * turn for N minutes and reports, per target, the cases run, inputs accepted, clean refusals,
 * findings (anything else: the first few are printed), the slowest case, and the peak RSS.
 * Exits 1 when there is a finding.
 */
import { parseArgs } from 'node:util';
import { fuzzTargets, mutate, prng } from './fuzz-targets';

interface Tally {
  cases: number;
  accepted: number;
  refused: number;
  findings: string[];
  slowestMs: number;
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: { minutes: { type: 'string', default: '1' }, seed: { type: 'string', default: '1' } },
  });
  const minutes = Number(values.minutes);
  const seed = Number(values.seed);
  if (!(minutes > 0) || !Number.isInteger(seed))
    throw new Error('usage: npm run fuzz -- --minutes N [--seed S] (N > 0, S an integer)');
  const { targets, dispose } = await fuzzTargets(process.cwd());
  const random = prng(seed);
  const tallies = targets.map((): Tally => ({ cases: 0, accepted: 0, refused: 0, findings: [], slowestMs: 0 }));
  const end = Date.now() + minutes * 60_000;
  console.log(`fuzzing ${targets.length} targets for ${minutes} min, seed ${seed}`);
  try {
    for (let round = 0; Date.now() < end; round++) {
      const k = round % targets.length;
      const [target, tally] = [targets[k], tallies[k]];
      const input = mutate(target.seeds[Math.floor(random() * target.seeds.length)], random);
      const started = performance.now();
      try {
        await target.run(input);
        tally.accepted++;
      } catch (e) {
        if (target.clean(e)) tally.refused++;
        else tally.findings.push(`case ${tally.cases}: ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`);
      }
      tally.slowestMs = Math.max(tally.slowestMs, performance.now() - started);
      tally.cases++;
    }
  } finally {
    dispose();
  }
  const rows = targets.map((t, i) => {
    const { cases, accepted, refused, findings, slowestMs } = tallies[i];
    return {
      target: t.name,
      cases,
      accepted,
      'clean errors': refused,
      findings: findings.length,
      'slowest (ms)': Math.round(slowestMs),
    };
  });
  console.table(rows);
  console.log(`peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);
  const findings = tallies.flatMap((t, i) => t.findings.slice(0, 5).map((f) => `${targets[i].name}, ${f}`));
  for (const f of findings) console.log(`finding: ${f.split('\n')[0].slice(0, 300)}`);
  return findings.length ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (e: Error) => {
    console.error(`Error: ${e.message}`);
    process.exit(2);
  },
);
