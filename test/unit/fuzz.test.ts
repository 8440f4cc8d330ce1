import { describe, it } from 'node:test';
import { FUZZ_PROPERTIES } from '../helpers/fuzz-properties.ts';

/**
 * The quick fuzz run: a fixed seed and a small budget, so `npm test` is repeatable and fast. The
 * long run is `node --import tsx scripts/fuzz.ts --runs 20000` (same properties, any seed).
 */
const SEED = 8;
const RUNS: Record<keyof typeof FUZZ_PROPERTIES, number> = { parseRandomBytes: 300, parseGrammarText: 300, parseMutatedPdf: 25, segmentAnyDescription: 500, linearTime: 8 };

describe('fuzzing the parsers and the segmenter (fixed seed)', () => {
  for (const [name, property] of Object.entries(FUZZ_PROPERTIES)) {
    it(name, () => property({ runs: RUNS[name as keyof typeof FUZZ_PROPERTIES], seed: SEED }));
  }
});
