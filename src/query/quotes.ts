/**
 * Quotes are cut, never written: every function here returns a range of the input text, so a
 * quote is by construction a verbatim substring of the chunk (hence of the offer) it comes
 * from. Marks such as "…" belong to rendering, not to the quote.
 */
import { LINE_BULLET } from '../util/bullets.ts';

export type Span = readonly [number, number];

/** Collapses runs of white space (including no-break spaces) and trims: the contract's comparison. */
export function normaliseSpace(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** Whether a quote can be found in an offer's text, white space aside. */
export function isVerbatim(quote: string, offerText: string): boolean {
  const needle = normaliseSpace(quote);
  return needle.length > 0 && normaliseSpace(offerText).includes(needle);
}

const HEADING = /^[ \t]*#/;
const ENDS_CLAUSE = /[.!?…:;]["'»”’)\]]*\s*$/u;

/**
 * Words after which a full stop does not end a sentence. Single letters with dots ("e.g.",
 * "i.e.", "U.S.", "J.") are recognised by shape; "etc." is left out on purpose, as it more
 * often ends a sentence than not.
 */
const ABBREVIATIONS = new Set([
  'approx', 'cf', 'dept', 'dr', 'eg', 'env', 'esp', 'ex', 'fig', 'ie', 'incl', 'jr', 'mme', 'mr', 'mrs',
  'ms', 'nr', 'resp', 'sr', 'st', 'vs',
]);

function isAbbreviation(word: string): boolean {
  return ABBREVIATIONS.has(word.toLowerCase()) || /^(?:\p{L}\.)*\p{L}$/u.test(word);
}

/**
 * A full stop, question or exclamation mark (with closing quotes or brackets), white space,
 * then what can start a sentence. Version numbers ("3.11") and domains never match: no space
 * follows their dot. French "Prêt ?" has its space before the mark, which is fine.
 */
const SENTENCE_END = /[.!?…]+["'»”’)\]]*(?=\s+[\p{Lu}\p{N}"'«“(\[])/gu;

/** A line that breaks from the next: blank lines, bullets, headings, finished clauses. */
function endsUnit(line: string, next: string): boolean {
  if (line.trim() === '' || next.trim() === '') return true;
  if (LINE_BULLET.test(next) || HEADING.test(next) || HEADING.test(line)) return true;
  if (ENDS_CLAUSE.test(line)) return true;
  // A short unpunctuated line before a capitalised one is a heading ("Your profile"); a short
  // bullet line is more likely wrapped ("- Run and scale\n  Kubernetes clusters").
  return !LINE_BULLET.test(line) && line.trim().split(/\s+/).length <= 6 && /^\s*\p{Lu}/u.test(next);
}

/** Ranges of text the line breaks delimit; wrapped lines of one paragraph stay together. */
function lineBlocks(text: string): Array<[number, number]> {
  const blocks: Array<[number, number]> = [];
  const lines = text.split('\n');
  let start = 0;
  let offset = 0;
  lines.forEach((line, i) => {
    const end = offset + line.length;
    const next = lines[i + 1];
    if (next === undefined || endsUnit(line, next)) {
      blocks.push([start, end]);
      start = end + 1;
    }
    offset = end + 1;
  });
  return blocks;
}

function sentencesOf(text: string, [start, end]: [number, number]): Array<[number, number]> {
  const block = text.slice(start, end);
  const ranges: Array<[number, number]> = [];
  // The marker of "1. Five years…" is not a sentence.
  let from = LINE_BULLET.exec(block)?.[0].length ?? 0;
  for (const match of block.matchAll(SENTENCE_END)) {
    if (match.index < from) continue;
    const before = block.slice(from, match.index);
    const word = before.slice(before.search(/\S*$/)).replace(/^.*[("'«“]/u, '');
    const stops = match[0].startsWith('.') && !match[0].startsWith('..');
    if (stops && isAbbreviation(word)) continue;
    const to = match.index + match[0].length;
    ranges.push([start + from, start + to]);
    from = to;
  }
  ranges.push([start + from, end]);
  return ranges;
}

/** Shrinks a range past white space and a leading bullet marker; undefined when nothing is left. */
function trimRange(text: string, [start, end]: [number, number]): [number, number] | undefined {
  let a = start;
  let b = end;
  while (a < b && /\s/.test(text[a] as string)) a++;
  const bullet = LINE_BULLET.exec(text.slice(a, b));
  if (bullet) a += bullet[0].length;
  // Markdown a page left in its text: "### Heading", "> quoted", and emphasis wrapping the whole unit.
  const marker = /^(?:#{1,6}|>)[ \t]+/.exec(text.slice(a, b));
  if (marker) a += marker[0].length;
  while (b > a && /\s/.test(text[b - 1] as string)) b--;
  for (const wrap of ['**', '__']) {
    if (b - a > 2 * wrap.length && text.startsWith(wrap, a) && text.slice(b - wrap.length, b) === wrap && !text.slice(a + wrap.length, b - wrap.length).includes(wrap)) {
      a += wrap.length;
      b -= wrap.length;
    }
  }
  return a < b ? [a, b] : undefined;
}

/** The sentences and bullet lines of a text, as [start, end) ranges without markers or edges. */
export function splitUnits(text: string): Array<[number, number]> {
  return lineBlocks(text)
    .flatMap((block) => sentencesOf(text, block))
    .map((range) => trimRange(text, range))
    .filter((range) => range !== undefined);
}

/**
 * The range of the quote cutQuote returns: the unit(s) holding the span, narrowed to whole
 * words around the span when longer than `maxLength`.
 */
export function quoteRange(text: string, span: Span, maxLength = 240): [number, number] {
  const [s, e] = span;
  if (!(Number.isInteger(s) && Number.isInteger(e) && 0 <= s && s <= e && e <= text.length)) {
    throw new RangeError(`span [${s}, ${e}] is not inside a text of ${text.length} characters`);
  }
  const units = splitUnits(text);
  const first = units.find((u) => u[1] > s) ?? [s, e];
  const last = units.findLast((u) => u[0] < Math.max(e, s + 1)) ?? [s, e];
  const a = Math.min(first[0], s);
  const b = Math.max(last[1], e);
  if (b - a <= maxLength) return [a, b];
  return clauseRange(text, [a, b], [s, e], maxLength) ?? narrow(text, [a, b], [s, e], maxLength);
}

/**
 * A sentence too long to quote whole: the fewest whole clauses (split after ; : , or a dash)
 * around the span that fit, so that a quote still reads as a unit; undefined when none fit.
 */
function clauseRange(text: string, [a, b]: Span, [s, e]: Span, maxLength: number): [number, number] | undefined {
  const cuts = [a];
  for (const match of text.slice(a, b).matchAll(/[;:,]\s+|\s+[—–-]\s+/g)) cuts.push(a + match.index + match[0].length);
  cuts.push(b);
  let best: [number, number] | undefined;
  for (let i = 0; i < cuts.length - 1; i++) {
    if (cuts[i]! > s) break;
    for (let j = i + 1; j < cuts.length; j++) {
      if (cuts[j]! < e) continue;
      const range = trimRange(text, [cuts[i]!, cuts[j]!]);
      if (range && range[1] - range[0] <= maxLength && range[0] <= s && range[1] >= e && (!best || range[1] - range[0] < best[1] - best[0])) best = range;
      break;
    }
  }
  return best;
}

/** Whole words around the span, added alternately left and right while they fit. */
function narrow(text: string, [a, b]: Span, [s, e]: Span, maxLength: number): [number, number] {
  const words = [...text.slice(a, b).matchAll(/\S+/g)].map((m): Span => [a + m.index, a + m.index + m[0].length]);
  let left = words.findIndex((w) => w[1] > s);
  let right = words.findLastIndex((w) => w[0] < Math.max(e, s + 1));
  const leftWord = words[left];
  const rightWord = words[right];
  if (!leftWord || !rightWord || right < left || rightWord[1] - leftWord[0] > maxLength) {
    return headOf(text, [s, e], maxLength);
  }
  let start = leftWord[0];
  let end = rightWord[1];
  for (let grew = true; grew; ) {
    grew = false;
    const before = words[left - 1];
    if (before && end - before[0] <= maxLength) {
      start = before[0];
      left--;
      grew = true;
    }
    const after = words[right + 1];
    if (after && after[1] - start <= maxLength) {
      end = after[1];
      right++;
      grew = true;
    }
  }
  return [start, end];
}

/** A span too long to quote whole: its beginning, cut at the last word boundary that fits. */
function headOf(text: string, [s, e]: Span, maxLength: number): [number, number] {
  const limit = Math.min(e, s + maxLength);
  if (limit === e) return [s, e];
  const space = text.slice(s, limit + 1).search(/\s\S*$/);
  let end = space > 0 ? s + space : limit;
  while (end > s && /\s/.test(text[end - 1] as string)) end--;
  return [s, end > s ? end : limit];
}

/** Words a quote needs to say something on its own: "Alerts" or "Kubernetes" alone is a fragment, not evidence. */
export const MIN_QUOTE_WORDS = 6;

/** Whether a quote is a readable unit: enough words, not a heading, no leftover markup at its edges. */
export function isReadableQuote(quote: string): boolean {
  return wordsOf(quote) >= MIN_QUOTE_WORDS && !MARKUP_START.test(quote);
}

/** Markup a quote must not start with: a heading, a quoted block, emphasis, a table cell. */
const MARKUP_START = /^\s*(?:#|>|\*|_|\|)/;

function wordsOf(quote: string): number {
  return quote.split(/\s+/).filter((w) => /[\p{L}\p{N}]/u.test(w)).length;
}

/** Words a whole bullet item or sentence needs to be quoted when no longer quote says the theme. */
const MIN_UNIT_QUOTE_WORDS = 3;

/**
 * Whether the unit holding `span` is short but whole: a bullet item, or a sentence ending in a
 * full stop, of at least MIN_UNIT_QUOTE_WORDS words, not a heading. Many offers state what they
 * ask in such items ("- Basic carpentry skills."), and their phrases would otherwise have no
 * quote at all; a fragment such as "Alerts", or a heading line, is still not evidence.
 */
export function isShortWholeUnit(text: string, span: Span): boolean {
  const [start, end] = quoteRange(text, span, Number.MAX_SAFE_INTEGER);
  const quote = text.slice(start, end);
  if (wordsOf(quote) < MIN_UNIT_QUOTE_WORDS || MARKUP_START.test(quote)) return false;
  const line = text.lastIndexOf('\n', start - 1) + 1;
  const bullet = LINE_BULLET.exec(text.slice(line, start + 1));
  return (bullet !== null && line + bullet[0].length === start) || /[.!?…]["'»”’)\]]*$/u.test(quote);
}

/**
 * The sentence (or bullet line) of `text` containing `span`, narrowed to whole words around
 * the span when longer than `maxLength`. Always a verbatim substring of `text`.
 */
export function cutQuote(text: string, span: Span, maxLength = 240): string {
  const [start, end] = quoteRange(text, span, maxLength);
  return text.slice(start, end);
}
