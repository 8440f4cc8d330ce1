/**
 * Is a function linear in its input? Timed as a ratio within one run, never against a clock
 * budget: the time for an input eight times longer is about 8× the time for the input when the
 * work is linear, 64× when it is quadratic (a factor of 4 left too little room between the two
 * once fixed costs and caches blur them). The two are timed back to back, in pairs, and the
 * smallest ratio of a few pairs counts: a pause of the machine (a garbage collection, another
 * process) that slows one call of a pair cannot make a linear function look quadratic, and a
 * quadratic one is about 64× in every pair.
 */
import assert from 'node:assert/strict';

/** The base input is doubled until one call takes this long (ms), so timer noise is small beside it. */
const MIN_MS = 50;
/**
 * Largest base size tried: an input this fast is fast enough. The grown input (GROWTH× this)
 * stays under the converters' 1M-character cut, which would change what is measured.
 */
const MAX_SIZE = 64 * 1024;

/** How much larger the grown input is than the base one. */
export const GROWTH = 8;
/** The time ratio allowed for the grown input: 8 is linear, 64 quadratic; the margin covers n log n, caches and noise. */
export const MAX_GROWTH_RATIO = 24;
const PAIRS = 5;

export interface Growth {
  /** Base size measured (the grown input is GROWTH× larger). */
  size: number;
  /** Time of the grown input over the time of the base one; 0 when the base never took MIN_MS. */
  ratio: number;
  /** Milliseconds per MB (of input units) of the grown input. */
  msPerMB: number;
}

async function time(run: () => unknown): Promise<number> {
  const started = performance.now();
  await run();
  return performance.now() - started;
}

/** Measures how `run(input(size))` grows from `size` to `GROWTH × size` (see the module comment). */
export async function measureGrowth(run: (input: string) => unknown, input: (size: number) => string): Promise<Growth> {
  let size = 4096;
  // A first call pays for warming up (JIT, lazy loading): it would pick too small a base.
  await run(input(size));
  let baseMs = await time(() => run(input(size)));
  while (baseMs < MIN_MS && size * 2 <= MAX_SIZE) {
    size *= 2;
    baseMs = await time(() => run(input(size)));
  }
  const base = input(size);
  const grown = input(size * GROWTH);
  const perMB = (ms: number) => (ms / grown.length) * 2 ** 20;
  if (baseMs < MIN_MS) return { size, ratio: 0, msPerMB: perMB(await time(() => run(grown))) };
  let ratio = Infinity;
  let grownMs = Infinity;
  for (let pair = 0; pair < PAIRS; pair += 1) {
    const pairBase = await time(() => run(base));
    const pairGrown = await time(() => run(grown));
    ratio = Math.min(ratio, pairGrown / pairBase);
    grownMs = Math.min(grownMs, pairGrown);
  }
  return { size, ratio, msPerMB: perMB(grownMs) };
}

/** Fails unless the growth is linear (within MAX_GROWTH_RATIO). */
export function assertLinear(growth: Growth): void {
  assert.ok(growth.ratio <= MAX_GROWTH_RATIO, `${GROWTH}× the input took ${growth.ratio.toFixed(1)}× the time (base size ${growth.size})`);
}

/** `unit` repeated to `size` characters, between a prefix and a suffix. */
export const repeated = (prefix: string, unit: string, suffix = '') => (size: number) =>
  prefix + unit.repeat(Math.max(1, Math.ceil(size / unit.length))) + suffix;
