import { parseArgs } from 'node:util';
import { FUZZ_PROPERTIES } from '../test/helpers/fuzz-properties.ts';

/**
 * The long fuzz run of the parsers and the segmenter (the quick one is part of `npm test`):
 *   node --import tsx scripts/fuzz.ts --runs 20000 [--seed 7] [--only parseGrammarText]
 * PDF mutations go through the worker thread and are slower: they get a tenth of the runs.
 * A failure prints fast-check's counterexample and its seed/path, and exits 1.
 */
const { values } = parseArgs({ options: { runs: { type: 'string', default: '5000' }, seed: { type: 'string' }, only: { type: 'string' } } });
const runs = Number(values.runs);
const seed = values.seed === undefined ? Date.now() % 2 ** 31 : Number(values.seed);
if (!Number.isInteger(runs) || runs < 1 || !Number.isInteger(seed)) {
  console.error('usage: node --import tsx scripts/fuzz.ts [--runs N] [--seed S] [--only PROPERTY]');
  process.exit(2);
}
let failed = false;
for (const [name, property] of Object.entries(FUZZ_PROPERTIES)) {
  if (values.only && values.only !== name) continue;
  const budget = { runs: name === 'parseMutatedPdf' ? Math.max(1, Math.round(runs / 10)) : runs, seed };
  const started = performance.now();
  try {
    await property(budget);
    console.error(`ok   ${name}: ${budget.runs} runs, seed ${seed}, ${((performance.now() - started) / 1000).toFixed(1)} s`);
  } catch (error) {
    failed = true;
    console.error(`FAIL ${name}: ${(error as Error).message}`);
  }
}
process.exit(failed ? 1 : 0);
