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
  if (typeof seed === 'number') return mulberry32(Math.trunc(seed));
  let hash = 0x811c9dc5;
  for (let i = 0; i < seed.length; i++) {
    hash ^= seed.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return mulberry32(hash);
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

/** As many items as the input, drawn with replacement: one bootstrap resample. */
export function resample<T>(items: readonly T[], random: Random): T[] {
  return items.map(() => items[randomIndex(random, items.length)] as T);
}
