import { markdownInlineToText } from '../ingest/parse/light-markdown.ts';
import { foldText } from '../src/catalog/normalize.ts';

/**
 * How the eval finds a line of a source file (or of a chunk) inside the sections our segmenter
 * cut: both sides reduced to folded words, so markup, accents and spacing don't matter.
 */

/** Folded words only, separated by single spaces. */
export function foldedWords(text: string): string {
  return foldText(text).replace(/[^a-z0-9]+/g, ' ').trim();
}

/** A raw line (Markdown heading, quote, bullet or numbered item) as folded words. */
export function lineWords(line: string): string {
  return foldedWords(markdownInlineToText(line.replace(/^\s*(?:#{1,6}\s+|>\s*|[-*+\u2022]\s+|\d{1,3}[.)]\s+)/, '')));
}
