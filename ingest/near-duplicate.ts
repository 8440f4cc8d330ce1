/**
 * Near-duplicate detection for reposted offers: MinHash signatures over word shingles of the
 * job's substance (missions + requirements; the whole text when the offer has neither) and of its
 * whole text, with LSH banding so that finding the candidates of one offer costs a few indexed
 * lookups, whatever the size of the index. Pure: text in, signatures and band keys out.
 *
 * Why the whole text as well: a repost that adds one line ("Description") can be segmented
 * differently, which moves its substance a lot and its whole text hardly at all.
 *
 * Why MinHash rather than an exact hash: a repost changes a line or two (a city, a date, a
 * relocation sentence), which changes an exact hash but barely moves the Jaccard similarity of
 * the shingle sets. Why the title too: a company often reuses the same requirements for two
 * different jobs (a backend and a frontend position); sharing most title words is what makes the
 * copy the same job.
 */

import type { Offer } from '../src/types.ts';
import { foldText } from '../src/catalog/normalize.ts';
import { fnv1a, fnv1aJoined } from '../src/util/hash.ts';

/** 20 bands of 6 rows: a pair of Jaccard 0.7 becomes a candidate with probability 0.92, of 0.2 with 0.001. */
export const BANDS = 20;
export const ROWS = 6;
const PERMUTATIONS = BANDS * ROWS;
/** Words per shingle: long enough that two unrelated offers share few, short enough to survive small edits. */
const SHINGLE_WORDS = 4;

export interface NearDuplicateOptions {
  /** Estimated Jaccard similarity of the substance from which two offers are the same job. */
  threshold?: number;
  /** The same for the whole text (either is enough). */
  wholeThreshold?: number;
  /** Share of title words (Jaccard, seniority included) from which two titles name the same job. */
  titleThreshold?: number;
}

export const DEFAULT_THRESHOLD = 0.7;
/** The whole text carries the company's boilerplate, shared by its different jobs: the bar is higher. */
export const DEFAULT_WHOLE_THRESHOLD = 0.85;
export const DEFAULT_TITLE_THRESHOLD = 0.5;

/** What the record keeps of an offer to recognise its reposts. */
export interface OfferSignature {
  /** The substance's then the whole text's MinHash signatures, 8 hex digits per permutation: the record's fingerprint column. */
  fingerprint: string;
  /** One key per band of each signature (`s3:hash`, `w3:hash`): equal keys make two offers candidates. */
  bandKeys: string[];
  /** Folded title words, compared on candidates only. */
  titleWords: string[];
  /** Role and seniority: the same text posted for two roles or two levels is two jobs, counted in each. */
  role: string;
  seniority?: string;
}

/** Seeds of the hash family, fixed so signatures stay comparable across runs and machines. */
const SEEDS: Uint32Array = (() => {
  const seeds = new Uint32Array(PERMUTATIONS);
  let state = 0x9e3779b9;
  for (let i = 0; i < PERMUTATIONS; i++) {
    state = mix32(state + 0x6d2b79f5);
    seeds[i] = state;
  }
  return seeds;
})();

/** The missions and requirements of an offer, or its whole text when it has neither. */
export function substanceText(offer: Pick<Offer, 'sections' | 'text'>): string {
  const core = offer.sections.filter((s) => s.kind === 'missions' || s.kind === 'requirements');
  return core.length > 0 ? core.map((s) => s.text).join('\n') : offer.text;
}

export function signOffer(offer: Pick<Offer, 'sections' | 'text' | 'title' | 'role' | 'seniority'>): OfferSignature {
  const substance = minHash(shingles(substanceText(offer)));
  const whole = minHash(shingles(offer.text));
  return {
    fingerprint: encodeSignature(substance) + encodeSignature(whole),
    bandKeys: [...bandKeys(substance, 's'), ...bandKeys(whole, 'w')],
    titleWords: words(offer.title),
    role: offer.role,
    ...(offer.seniority ? { seniority: offer.seniority } : {}),
  };
}

/**
 * Hashes of the overlapping word n-grams of a text (one shingle for a text shorter than n words):
 * FNV-1a of the n words joined by spaces, hashed where they stand rather than joined first.
 */
export function shingles(text: string): Set<number> {
  const tokens = words(text);
  const result = new Set<number>();
  const last = Math.max(0, tokens.length - SHINGLE_WORDS);
  for (let i = 0; i <= last; i++) result.add(fnv1aJoined(tokens, i, i + SHINGLE_WORDS));
  return result;
}

export function minHash(shingleSet: ReadonlySet<number>): Uint32Array {
  const signature = new Uint32Array(PERMUTATIONS).fill(0xffffffff);
  // Permutation by permutation over a flat array, the minimum kept in a local: the same values
  // as shingle by shingle, at a fraction of the cost (this was most of signing an offer).
  const values = Uint32Array.from(shingleSet);
  for (let i = 0; i < PERMUTATIONS; i++) {
    const seed = SEEDS[i] as number;
    let min = 0xffffffff;
    for (let j = 0; j < values.length; j++) {
      const value = mix32((values[j] as number) ^ seed);
      if (value < min) min = value;
    }
    signature[i] = min;
  }
  return signature;
}

export function bandKeys(signature: Uint32Array, prefix: string): string[] {
  const keys: string[] = [];
  for (let band = 0; band < BANDS; band++) {
    const rows = Array.from(signature.subarray(band * ROWS, (band + 1) * ROWS), (v) => v.toString(16)).join('.');
    keys.push(`${prefix}${band}:${fnv1a(rows).toString(16)}`);
  }
  return keys;
}

/**
 * The share of permutations on which two signatures agree (an unbiased estimate of Jaccard), for
 * the substance (`part` 0) or the whole text (1). 0 for a fingerprint of another format (an older
 * record), which therefore never matches.
 */
export function estimateJaccard(a: string, b: string, part: 0 | 1 = 0): number {
  const size = PERMUTATIONS * HEX_DIGITS;
  if (a.length !== 2 * size || b.length !== 2 * size) return 0;
  // The encoded values are compared where they stand, without decoding: a repost's candidates
  // are compared by the hundred in a large index of templated offers.
  let same = 0;
  for (let at = part * size; at < (part + 1) * size; at += HEX_DIGITS) {
    let equal = true;
    for (let j = at; j < at + HEX_DIGITS && equal; j++) equal = a.charCodeAt(j) === b.charCodeAt(j);
    if (equal) same++;
  }
  return same / PERMUTATIONS;
}

/** Whether a candidate sharing a band is really the same job: role, level, most title words, and the substance or the whole text. */
export function isSameJob(a: OfferSignature, b: OfferSignature, options: NearDuplicateOptions = {}): boolean {
  return (
    a.role === b.role &&
    a.seniority === b.seniority &&
    jaccard(a.titleWords, b.titleWords) >= (options.titleThreshold ?? DEFAULT_TITLE_THRESHOLD) &&
    (estimateJaccard(a.fingerprint, b.fingerprint, 0) >= (options.threshold ?? DEFAULT_THRESHOLD) ||
      estimateJaccard(a.fingerprint, b.fingerprint, 1) >= (options.wholeThreshold ?? DEFAULT_WHOLE_THRESHOLD))
  );
}

/**
 * The first (oldest) indexed offer among `candidates` (the record's offers sharing a band key)
 * that is the same job as `signature`.
 */
export function firstSameJob(
  signature: OfferSignature,
  candidates: ReadonlyArray<{ offerId: string; fingerprint: string; offer: Pick<Offer, 'title' | 'role' | 'seniority'> }>,
  options: NearDuplicateOptions = {},
): string | undefined {
  const match = candidates.find((c) => {
    const { title, role, seniority } = c.offer;
    return isSameJob(signature, { fingerprint: c.fingerprint, bandKeys: [], titleWords: words(title), role, ...(seniority ? { seniority } : {}) }, options);
  });
  return match?.offerId;
}

/**
 * An in-memory LSH index, for the offers of a run that are not in the record yet, and for the
 * eval's clustering. The first offer added for a job stays its canonical one.
 */
export class NearDuplicateIndex {
  private readonly byBand = new Map<string, string[]>();
  private readonly signatures = new Map<string, { signature: OfferSignature; order: number }>();

  constructor(private readonly options: NearDuplicateOptions = {}) {}

  add(id: string, signature: OfferSignature): void {
    if (!this.signatures.has(id)) this.signatures.set(id, { signature, order: this.signatures.size });
    for (const key of signature.bandKeys) {
      const ids = this.byBand.get(key);
      if (ids) ids.push(id);
      else this.byBand.set(key, [id]);
    }
  }

  /** Forgets an offer (once the record holds it, the record's band keys find it). */
  remove(id: string): void {
    const entry = this.signatures.get(id);
    if (!entry) return;
    this.signatures.delete(id);
    for (const key of entry.signature.bandKeys) {
      const ids = this.byBand.get(key)?.filter((other) => other !== id);
      if (ids && ids.length > 0) this.byBand.set(key, ids);
      else this.byBand.delete(key);
    }
  }

  /** The earliest added offer, other than `id`, that is the same job, if any. */
  find(signature: OfferSignature, id?: string): string | undefined {
    const candidates = new Set<string>();
    for (const key of signature.bandKeys) for (const other of this.byBand.get(key) ?? []) if (other !== id) candidates.add(other);
    let best: { id: string; order: number } | undefined;
    for (const other of candidates) {
      const entry = this.signatures.get(other);
      if (!entry || (best && best.order < entry.order)) continue;
      if (isSameJob(signature, entry.signature, this.options)) best = { id: other, order: entry.order };
    }
    return best?.id;
  }
}

function words(text: string): string[] {
  return foldText(text).match(/[a-z0-9]+/g) ?? [];
}

function jaccard(a: readonly string[], b: readonly string[]): number {
  const left = new Set(a);
  const right = new Set(b);
  if (left.size === 0 && right.size === 0) return 1;
  let shared = 0;
  for (const word of left) if (right.has(word)) shared++;
  return shared / (left.size + right.size - shared);
}

/** Hex digits per permutation in a fingerprint. */
const HEX_DIGITS = 8;

function encodeSignature(signature: Uint32Array): string {
  return Array.from(signature, (v) => v.toString(16).padStart(HEX_DIGITS, '0')).join('');
}

/** A 32-bit avalanche mix (murmur3's finaliser): one seed per permutation gives a hash family. */
function mix32(value: number): number {
  let h = value >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
