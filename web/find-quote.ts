import { escapeRegExp } from '../src/catalog/normalize.ts';

/**
 * Where a citation's quote is in its offer's text. The contract compares them after collapsing
 * runs of white space (a quote may join lines of a list item), so the quote's words are looked
 * for with any white space between them; the match is a range of the offer's own text, which the
 * page wraps in a <mark>.
 */
export function findQuote(text: string, quote: string): { start: number; end: number } | undefined {
  const words = quote.trim().split(/\s+/).filter(Boolean);
  if (words.length === 0) return undefined;
  const match = new RegExp(words.map(escapeRegExp).join('\\s+'), 'u').exec(text);
  return match ? { start: match.index, end: match.index + match[0].length } : undefined;
}
