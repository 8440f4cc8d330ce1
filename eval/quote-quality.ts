import { isBoilerplate } from '../src/query/boilerplate.ts';
import { MIN_QUOTE_WORDS, normaliseSpace, splitUnits } from '../src/query/quotes.ts';
import type { Answer } from '../src/query/types.ts';

/**
 * What the analyst reads, measured: whether each quote is whole (one or more consecutive whole
 * sentences or list items of its offer, at least MIN_QUOTE_WORDS words), whether it is
 * boilerplate, and whether every distinctive theme that holds in resamples (stability ≥ 0.8) is
 * in the memo, written out or in one line.
 */
export interface QuoteQuality {
  quotes: number;
  whole: number;
  boilerplate: number;
  /** Distinctive themes with stability ≥ 0.8, and how many of them the memo shows. */
  stableDistinctive: number;
  stableShown: number;
}

export const STABLE = 0.8;

export function quoteQuality(answer: Answer, offerText: (offerId: string) => string | undefined): QuoteQuality {
  const result: QuoteQuality = { quotes: 0, whole: 0, boilerplate: 0, stableDistinctive: 0, stableShown: 0 };
  for (const citation of answer.citations) {
    result.quotes++;
    const text = offerText(citation.offerId);
    if (text !== undefined && isWhole(citation.quote, text)) result.whole++;
    if (isBoilerplate(citation.quote)) result.boilerplate++;
  }
  const shown = new Set(
    (answer.memo?.aspects ?? []).flatMap((a) => a.sections.flatMap((s) => [...s.points, ...s.more].map((p) => `${a.aspect}/${p.theme}`))),
  );
  for (const theme of answer.themes) {
    if (!theme.distinctiveFor || (theme.stability ?? 1) < STABLE) continue;
    result.stableDistinctive++;
    if (shown.has(`${theme.aspect}/${theme.theme}`)) result.stableShown++;
  }
  return result;
}

/** One or more consecutive units of the text (sentences, list items), white space aside, of enough words. */
export function isWhole(quote: string, text: string): boolean {
  const wanted = normaliseSpace(quote);
  if (wanted.split(' ').length < MIN_QUOTE_WORDS) return false;
  const units = splitUnits(text).map(([a, b]) => normaliseSpace(text.slice(a, b)));
  for (let i = 0; i < units.length; i++) {
    if (!wanted.startsWith(units[i]!)) continue;
    let joined = units[i]!;
    for (let j = i + 1; joined.length < wanted.length && j < units.length; j++) joined = `${joined} ${units[j]}`;
    if (joined === wanted || units[i] === wanted) return true;
  }
  return false;
}

export function addQuality(a: QuoteQuality, b: QuoteQuality): QuoteQuality {
  return {
    quotes: a.quotes + b.quotes,
    whole: a.whole + b.whole,
    boilerplate: a.boilerplate + b.boilerplate,
    stableDistinctive: a.stableDistinctive + b.stableDistinctive,
    stableShown: a.stableShown + b.stableShown,
  };
}
