import { fnv1a } from './hash.ts';

/**
 * Seeded randomness, so that `--offers N --seed S` and the bootstrap give the same result on
 * every run and every machine. Math.random cannot be seeded, hence this small generator.
 */

/** A function returning floats uniformly distributed in [0, 1). */
export type Random = () => number;

/**
 * mulberry32: a 32-bit generator with a full 2^32 period, fast and well enough distributed for
 * sampling and resampling (not for cryptography).
 */
export function mulberry32(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A generator from a numeric or textual seed (strings are hashed with FNV-1a). */
export function createRandom(seed: number | string): Random {
  return mulberry32(typeof seed === 'number' ? Math.trunc(seed) : fnv1a(seed));
}

/** An integer in [0, max). */
export function randomIndex(random: Random, max: number): number {
  return Math.floor(random() * max);
}

/** A shuffled copy (Fisher–Yates); the input is left untouched. */
export function shuffle<T>(items: readonly T[], random: Random): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = randomIndex(random, i + 1);
    [copy[i], copy[j]] = [copy[j] as T, copy[i] as T];
  }
  return copy;
}

/**
 * At most `n` items drawn without replacement, in their original order, so that a sample of 10
 * offers reads like the index it came from.
 */
export function sample<T>(items: readonly T[], n: number, random: Random): T[] {
  if (n >= items.length) return [...items];
  const picked = new Set(shuffle(items.map((_, i) => i), random).slice(0, Math.max(0, n)));
  return items.filter((_, i) => picked.has(i));
}

/**
 * Draws from Binomial(n, p), exactly, in O(√(n·p·(1−p))) steps: inversion of the cumulative
 * distribution walked outwards from the mode (mode, mode+1, mode−1, mode+2, …), each
 * probability derived from its neighbour's. Walking from 0 would cost O(n·p), and a normal
 * approximation would not be exact for the small counts that matter most.
 * `logFactorials[k]` must hold ln(k!) for every k ≤ n (see logFactorials).
 */
export function binomial(random: Random, n: number, p: number, logFactorial: Float64Array): number {
  if (isCertain(n, p)) return n > 0 && p >= 1 ? n : 0;
  const q = 1 - p;
  const mode = Math.min(n, Math.floor((n + 1) * p));
  const atMode = Math.exp(logFactorial[n]! - logFactorial[mode]! - logFactorial[n - mode]! + mode * Math.log(p) + (n - mode) * Math.log(q));
  const u = random();
  let cumulative = atMode;
  if (u < cumulative) return mode;
  let up = mode;
  let down = mode;
  let pUp = atMode;
  let pDown = atMode;
  while (up < n || down > 0) {
    if (up < n) {
      pUp *= ((n - up) / (up + 1)) * (p / q);
      up++;
      cumulative += pUp;
      if (u < cumulative) return up;
    }
    if (down > 0) {
      pDown *= (down / (n - down + 1)) * (q / p);
      down--;
      cumulative += pDown;
      if (u < cumulative) return down;
    }
  }
  // Only rounding can leave u above the summed probabilities (which total 1): the mode is then as good as any.
  return mode;
}

/** No trials, or a share of 0 or 1: the draw's outcome is known, and `binomial` draws no number. */
function isCertain(n: number, p: number): boolean {
  return n <= 0 || p <= 0 || p >= 1;
}

/**
 * Uses up exactly the numbers that `times` calls of `binomial(random, n, p)` would: one each (its
 * single uniform), none when the outcome is certain. Skipping draws this way leaves every later
 * draw of the stream as it would have been.
 */
export function skipBinomials(random: Random, n: number, p: number, times: number): void {
  if (isCertain(n, p)) return;
  for (let i = 0; i < times; i++) random();
}

/** ln(k!) for k = 0 … n. */
export function logFactorials(n: number): Float64Array {
  const table = new Float64Array(Math.max(1, n + 1));
  for (let k = 2; k <= n; k++) table[k] = table[k - 1]! + Math.log(k);
  return table;
}
