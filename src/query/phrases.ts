import { foldWord } from '../../ingest/title-family.ts';
import { foldText } from '../catalog/normalize.ts';
import type { Section, SectionKind } from '../types.ts';
import { isBoilerplate } from './boilerplate.ts';
import type { ThemeCounts } from './stats.ts';
import type { Evidence } from './types.ts';

/**
 * Themes found in the data: the phrases (one to three words) that the compared groups' own
 * offers use, so that a comparison of job families nobody catalogued still says what sets them
 * apart ("latte art", "allergen training", "permis B").
 *
 * Words are compared in one form (folded, singular, masculine: ingest/title-family.ts
 * `foldWord`), so "Allergens" and "allergen", "infirmières" and "infirmier" count together. A
 * phrase neither starts nor ends with a stopword, never crosses a sentence or punctuation, and
 * boilerplate sentences (src/query/boilerplate.ts) are not read. Counting is per offer, like
 * catalogue themes: an offer says a phrase or does not.
 *
 * Mined at query time from the groups' offers, because groups are arbitrary (a title family in
 * a date window); a group larger than MINING_POOL is mined on a seeded sample of that many
 * offers, which bounds the cost at any index size (and its shares carry that sample's size).
 */

/**
 * Offers read per group; below it, counts are exact over the whole group. At 250 a sampled
 * share is known to within ±6 points (95%), finer than the differences the multiple-testing
 * correction lets through at that size (about 13 points between two groups of 250 for a phrase
 * one offer in seven says). A larger sample mostly reports smaller differences between large
 * groups, and costs in proportion: at 500, mining was a third of what a 100k-offer answer cost
 * beyond a 1k-offer one.
 */
export const MINING_POOL = 250;
/** A phrase must be said by at least this many offers in all to be tested. */
const MIN_SUPPORT = 3;
/** At most this many candidates are tested (the most frequent): the correction below grows with it. */
const MAX_CANDIDATES = 3000;
const MAX_WORDS = 3;

/** Prefix of mined theme ids: catalogue ids never contain a colon. */
export const PHRASE_PREFIX = 'phrase:';

const STOPWORDS = new Set(
  (
    'a about above after again against all also am an and any are as at be been before being below between both but by can could did do does doing down during each ' +
    'either etc even ever every few for from further get gets had has have having he her here hers him his how however i if in into is it its itself just least less ' +
    'let like made make many may me might more most much must my no nor not now of off often on once one only or other our ours out over own per please same shall she ' +
    'should since so some such than that the their theirs them then there these they this those through thus to too under until up upon us very via was we well were ' +
    'what when where whether which while who whom whose why will with within without would yet you your yours ' +
    'au aux avec ce ces cet cette dans de des du elle elles en est et etre eux il ils je la le les leur leurs lui ma mais me meme mes moi mon ne nos notre nous ou par ' +
    'pas pour qu que qui sa se ses son sur ta te tes toi ton tu un une vos votre vous y ainsi afin alors aussi autre autres avoir bien car chez comme dont donc ete ' +
    'fait faire ici leur lors plus peu peut selon sera seront si sont sous tout toute toutes tous tres sans entre ou deja etc l d s n c j m qu'
  ).split(' '),
);

interface Token {
  key: string;
  start: number;
  end: number;
  /** Whether a phrase may start or end with it: not a stopword, a number or a letter. */
  usable: boolean;
}

/** The words of a text with their places (offsets into the text itself). */
function tokens(text: string): Token[] {
  const folded = foldText(text);
  const out: Token[] = [];
  for (const match of folded.matchAll(/[\p{L}\p{N}]+(?:[-+#][\p{L}\p{N}]+)*[+#]*/gu)) {
    const key = foldWord(match[0]);
    out.push({ key, start: match.index, end: match.index + match[0].length, usable: key.length >= 2 && !/^\d+$/.test(key) && !STOPWORDS.has(key) });
  }
  return out;
}

/** Clauses: runs of words not broken by sentence or clause punctuation, bullets or line ends. */
function clauses(text: string): Array<{ text: string; offset: number }> {
  const out: Array<{ text: string; offset: number }> = [];
  for (const match of text.matchAll(/[^.!?;:,()\n•·|]+/g)) if (/\p{L}/u.test(match[0])) out.push({ text: match[0], offset: match.index });
  return out;
}

/**
 * Every occurrence of a phrase in a text, in order: n-grams of up to MAX_WORDS words within a
 * clause, whose first and last words are not stopwords, with its key (the folded words) and
 * [start, end). A callback rather than a generator: mining visits millions of them.
 */
function eachOccurrence(text: string, visit: (key: string, start: number, end: number) => void): void {
  for (const clause of clauses(text)) {
    const words = tokens(clause.text);
    for (let i = 0; i < words.length; i++) {
      const first = words[i]!;
      if (!first.usable) continue;
      let key = '';
      for (let n = 1; n <= MAX_WORDS && i + n <= words.length; n++) {
        const last = words[i + n - 1]!;
        // A word's key may hold a space itself ("hands-on" folds to "hands on").
        key = n === 1 ? last.key : `${key} ${last.key}`;
        if (last.usable) visit(key, clause.offset + first.start, clause.offset + last.end);
      }
    }
  }
}

/** Where a mined phrase stands in a text, as [start, end) ranges: for quotes. */
export function phraseSpans(text: string, key: string): Array<[number, number]> {
  const spans: Array<[number, number]> = [];
  eachOccurrence(text, (found, start, end) => {
    if (found === key) spans.push([start, end]);
  });
  return spans;
}

export interface MinedOffer {
  offerId: string;
  title: string;
  company: string;
  source: string;
  url?: string;
  sections: Section[];
}

export interface MiningInput {
  groups: ReadonlyArray<{ name: string; offers: readonly MinedOffer[] }>;
  sections: readonly SectionKind[];
  /** Phrases a catalogue theme covers (it keeps precedence as label and synonym set). */
  covered: (surface: string) => boolean;
  /** Words that define the groups themselves ("barista"): trivially distinctive, never reported. */
  groupWords: readonly string[];
}

export interface MinedPhrase {
  id: string;
  key: string;
  /**
   * Words of the phrase said far more widely than the phrase itself (a frame such as "take
   * care of" around "rope access"): of two phrases of the same offers, the one with fewer such
   * words names the theme.
   */
  generalWords: number;
  /** The most frequent surface form, as offers write it. */
  label: string;
  /** Offers (by index into all the groups' offers, in order) that say it. */
  offers: number[];
  /** For each of `offers`, the index of its first section that says it: where its quote comes from. */
  sections: number[];
}

export interface MiningResult {
  counts: ThemeCounts;
  phrases: Map<string, MinedPhrase>;
  /** A phrase's evidence: group → the sections that say it. Built on demand: only the few reported phrases of thousands counted need it. */
  evidence(phraseId: string): Map<string, Evidence[]>;
}

/** Counts of every candidate phrase per group, with their labels and where they are said. */
export function minePhrases(input: MiningInput): MiningResult {
  const excluded = input.groupWords.map((w) => foldWord(w)).filter((w) => w.length >= 3 && !STOPWORDS.has(w));
  // A word of the group's own name, or of its stem ("design" in a designers' group), says which group an offer is in, not what sets it apart.
  const named = (word: string) => excluded.some((w) => w === word || (Math.min(w.length, word.length) >= 5 && (w.startsWith(word) || word.startsWith(w))));
  const all = input.groups.flatMap((group, g) => group.offers.map((offer) => ({ offer, g })));
  const byKey = new Map<string, { offers: number[]; sections: number[]; surfaces: Surfaces }>();
  const inSentence = new Set<string>();
  all.forEach(({ offer }, index) => {
    const seen = new Set<string>();
    for (const [sectionIndex, section] of offer.sections.entries()) {
      if (!input.sections.includes(section.kind)) continue;
      for (const sentence of section.text.split(/(?<=[.!?])\s+|\n+/)) {
        if (isBoilerplate(sentence)) continue;
        inSentence.clear();
        // A phrase counts once per sentence, written as it first is there.
        eachOccurrence(sentence, (key, start, end) => {
          if (inSentence.has(key)) return;
          inSentence.add(key);
          const surface = sentence.slice(start, end).toLowerCase();
          let entry = byKey.get(key);
          if (entry) entry.surfaces.add(surface);
          else {
            entry = { offers: [], sections: [], surfaces: new Surfaces(surface) };
            byKey.set(key, entry);
          }
          if (!seen.has(key)) {
            seen.add(key);
            entry.offers.push(index);
            entry.sections.push(sectionIndex);
          }
        });
      }
    }
  });
  const candidates = [...byKey]
    .filter(([key, entry]) => entry.offers.length >= MIN_SUPPORT && !key.split(' ').some(named))
    .sort((a, b) => b[1].offers.length - a[1].offers.length || (a[0] < b[0] ? -1 : 1))
    .slice(0, MAX_CANDIDATES)
    .map(([key, entry]): MinedPhrase => ({
      id: `${PHRASE_PREFIX}${key}`,
      key,
      label: entry.surfaces.mostFrequent(),
      offers: entry.offers,
      sections: entry.sections,
      generalWords: key.split(' ').filter((word) => !STOPWORDS.has(word) && (byKey.get(word)?.offers.length ?? 0) > 1.5 * entry.offers.length).length,
    }))
    .filter((phrase) => !input.covered(phrase.label));

  const phrases = new Map(candidates.map((p) => [p.id, p]));
  const mentions = new Map<string, number[]>();
  for (const phrase of candidates) {
    const ys: number[] = input.groups.map(() => 0);
    for (const index of phrase.offers) ys[all[index]!.g]!++;
    mentions.set(phrase.id, ys);
  }
  return {
    counts: { roles: input.groups.map((g) => g.name), offers: input.groups.map((g) => g.offers.length), mentions },
    phrases,
    evidence: (phraseId) => {
      const phrase = phrases.get(phraseId);
      return phrase ? evidenceOf(phrase, all, input) : new Map();
    },
  };
}

/**
 * A phrase's evidence: the section of the aspect in which each offer first says it, as the count
 * found it (finding it again meant listing every section's phrases once per phrase and offer).
 */
function evidenceOf(phrase: MinedPhrase, all: ReadonlyArray<{ offer: MinedOffer; g: number }>, input: MiningInput): Map<string, Evidence[]> {
  const byGroup = new Map<string, Evidence[]>(input.groups.map((group) => [group.name, []]));
  for (const [i, index] of phrase.offers.entries()) {
    const { offer, g } = all[index]!;
    const section = offer.sections[phrase.sections[i]!]!;
    const name = input.groups[g]!.name;
    byGroup.get(name)!.push({
      chunkId: `${offer.offerId}:${section.kind}:${phrase.key}`,
      offerId: offer.offerId,
      role: name,
      section: section.kind,
      title: offer.title,
      company: offer.company,
      source: offer.source,
      ...(offer.url ? { url: offer.url } : {}),
      text: section.text,
      themes: [phrase.id],
      // Shorter sections first: the phrase is more central to them.
      score: 1 / (1 + section.text.length / 1000),
    });
  }
  for (const [name, list] of byGroup) if (list.length === 0) byGroup.delete(name);
  return byGroup;
}

/**
 * How often each surface form of a phrase is written. Nearly every phrase is written one way,
 * and most are said by one or two offers and dropped, so the first form is kept alone until a
 * second appears: a map per phrase was most of the mining's allocations.
 */
class Surfaces {
  private firstCount = 1;
  private others: Map<string, number> | undefined;

  constructor(private readonly first: string) {}

  add(surface: string): void {
    if (surface === this.first) this.firstCount++;
    else {
      this.others ??= new Map();
      this.others.set(surface, (this.others.get(surface) ?? 0) + 1);
    }
  }

  /** The most written form; between equally written ones, the first in code-unit order. */
  mostFrequent(): string {
    if (!this.others) return this.first;
    return [[this.first, this.firstCount] as const, ...this.others].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0]![0];
  }
}

/**
 * Phrases that say the same thing are reported once, under the most frequent: those said by
 * nearly the same offers (Jaccard ≥ 0.8: "latte" and "latte art" in a family where every offer
 * says both), and a phrase inside another whose offers mostly say the longer one too.
 */
export function mergeRedundant<T extends { theme: string }>(stats: readonly T[], phrases: ReadonlyMap<string, MinedPhrase>): T[] {
  // Most frequent first; between equally frequent ones, the one without frame words, then the
  // longer, which says more ("latte art" over "latte" and over "care of latte").
  const words = (theme: string) => phrases.get(theme)?.key.split(' ').length ?? 0;
  const general = (theme: string) => phrases.get(theme)?.generalWords ?? 0;
  const ordered = [...stats].sort(
    (a, b) =>
      (phrases.get(b.theme)?.offers.length ?? 0) - (phrases.get(a.theme)?.offers.length ?? 0) ||
      general(a.theme) - general(b.theme) ||
      words(b.theme) - words(a.theme) ||
      (a.theme < b.theme ? -1 : 1),
  );
  const kept: T[] = [];
  for (const stat of ordered) {
    const phrase = phrases.get(stat.theme);
    if (!phrase) {
      kept.push(stat);
      continue;
    }
    const redundant = kept.some((other) => {
      const o = phrases.get(other.theme);
      if (!o) return false;
      const shared = intersectionSize(phrase.offers, o.offers);
      const jaccard = shared / (phrase.offers.length + o.offers.length - shared);
      const nested = ` ${o.key} `.includes(` ${phrase.key} `) || ` ${phrase.key} `.includes(` ${o.key} `);
      return jaccard >= 0.8 || (nested && shared >= 0.7 * Math.min(phrase.offers.length, o.offers.length));
    });
    if (!redundant) kept.push(stat);
  }
  const order = new Map(stats.map((s, i) => [s.theme, i]));
  return kept.sort((a, b) => order.get(a.theme)! - order.get(b.theme)!);
}

function intersectionSize(a: readonly number[], b: readonly number[]): number {
  // Both are ascending (offers are visited in order).
  let i = 0;
  let j = 0;
  let n = 0;
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) {
      n++;
      i++;
      j++;
    } else if (a[i]! < b[j]!) i++;
    else j++;
  }
  return n;
}

/**
 * The critical z for mined phrases: Bonferroni over the candidates tested, two-sided 5%. A
 * thousand candidates tested at 1.96 would call ~25 of them distinctive by chance alone; the
 * family-wise bound keeps the chance of even one false distinctive phrase under 5%.
 */
export function minedCriticalZ(candidates: number): number {
  return normalQuantile(1 - 0.05 / (2 * Math.max(1, candidates)));
}

/** Φ⁻¹(p), Acklam's rational approximation (relative error < 1.2e-9). */
export function normalQuantile(p: number): number {
  const a = [-39.69683028665376, 220.9460984245205, -275.928510446969, 138.357751867269, -30.66479806614716, 2.506628277459239];
  const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
  const c = [-0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const low = 0.02425;
  const poly = (coef: number[], x: number) => coef.reduce((acc, k) => acc * x + k, 0);
  if (p < low) {
    const q = Math.sqrt(-2 * Math.log(p));
    return poly(c, q) / (poly(d, q) * q + 1);
  }
  if (p > 1 - low) {
    const q = Math.sqrt(-2 * Math.log(1 - p));
    return -poly(c, q) / (poly(d, q) * q + 1);
  }
  const q = p - 0.5;
  const r = q * q;
  return (poly(a, r) * q) / (poly(b, r) * r + 1);
}
