import { parseArgs } from 'node:util';
import { FUZZ_PROPERTIES, FuzzStats } from '../test/helpers/fuzz-properties.ts';

/**
 * The long fuzz run of the parsers and the segmenter (the quick one is part of `npm test`):
 *   node --import tsx scripts/fuzz.ts --runs 20000 [--seed 7] [--only parseGrammarText]
 * PDF mutations go through the worker thread and are slower: they get a tenth of the runs, and the
 * growth measurements (linearTime, a few seconds each) a hundredth.
 * Each property prints its runs, the seed, the slowest time per MB of input and the time taken;
 * the peak RSS of the whole run closes. A failure prints fast-check's counterexample with its
 * seed and path (which replay it), and exits 1.
 */
const { values } = parseArgs({ options: { runs: { type: 'string', default: '5000' }, seed: { type: 'string' }, only: { type: 'string' } } });
const runs = Number(values.runs);
const seed = values.seed === undefined ? Date.now() % 2 ** 31 : Number(values.seed);
if (!Number.isInteger(runs) || runs < 1 || !Number.isInteger(seed)) {
  console.error('usage: node --import tsx scripts/fuzz.ts [--runs N] [--seed S] [--only PROPERTY]');
  process.exit(2);
}
const SHARE: Partial<Record<keyof typeof FUZZ_PROPERTIES, number>> = { parseMutatedPdf: 10, linearTime: 100 };
let failed = false;
for (const [name, property] of Object.entries(FUZZ_PROPERTIES)) {
  if (values.only && values.only !== name) continue;
  const stats = new FuzzStats();
  const budget = { runs: Math.max(1, Math.round(runs / (SHARE[name as keyof typeof FUZZ_PROPERTIES] ?? 1))), seed, stats };
  const started = performance.now();
  try {
    await property(budget);
    console.error(
      `ok   ${name}: ${budget.runs} runs, seed ${seed}, at most ${stats.maxMsPerMB.toFixed(0)} ms per MB of input` +
        `${stats.slowest ? ` (${stats.slowest})` : ''}, ${((performance.now() - started) / 1000).toFixed(1)} s`,
    );
  } catch (error) {
    failed = true;
    console.error(`FAIL ${name} (seed ${seed}): ${(error as Error).message}`);
  }
}
console.error(`peak RSS ${Math.round(process.resourceUsage().maxRSS / 1024)} MB`);
process.exit(failed ? 1 : 0);
