/**
 * Text folding shared by the catalogues (roles, themes) and the segmenter, so that a phrase
 * written once in a JSON catalogue matches "Ingénieur·e", "ingenieure" and "INGÉNIEUR" alike.
 */

const TYPOGRAPHIC: Record<string, string> = {
  '\u2018': "'",
  '\u2019': "'",
  '\u02bc': "'",
  '\u2010': '-',
  '\u2011': '-',
  '\u2012': '-',
  '\u2013': '-',
  '\u2014': '-',
  '\u00a0': ' ',
  '\u202f': ' ',
};

const foldedChars = new Map<string, string>();

function foldChar(char: string): string {
  let folded = foldedChars.get(char);
  if (folded === undefined) {
    const stripped = TYPOGRAPHIC[char] ?? char.normalize('NFD').replace(/\p{M}+/gu, '');
    // Keep one code unit for one code unit: callers turn match offsets back into quotes.
    folded = stripped.length === char.length ? stripped : char;
    foldedChars.set(char, folded);
  }
  return folded;
}

/**
 * Removes diacritics and maps typographic quotes and dashes to ASCII, keeping the length
 * unchanged (character i of the result comes from character i of the input), so that offsets
 * found in the folded text are offsets in the original.
 */
export function foldAccents(text: string): string {
  return text.replace(/[^\x00-\x7f]/g, foldChar);
}

/**
 * The one lower-case fold: foldAccents, then lower case, in that order because it keeps the
 * length ("İ" folds to "I", then "i"; lower-casing first makes two code units of it), so offsets
 * in the folded text are still offsets in the original.
 */
export function foldText(text: string): string {
  return foldAccents(text).toLowerCase();
}

/** French inclusive endings ("ingénieur·e", "développeur.se", "ingénieur(e)") fold to the base word. */
const INCLUSIVE_SUFFIX = /(?<=[a-z])(?:[·•.](?:e|se|euse|ice|rice|ne|le)(?:[·•.]s)?|\((?:e|se|euse|ice|ne)\))(?![a-z])/g;

/**
 * The form phrases are compared in: lower case, no accents, no inclusive endings, every run of
 * punctuation or space turned into one space. "Back-End Ingénieur·e" → "back end ingenieur".
 */
export function normalizePhrase(text: string): string {
  return foldText(text)
    .replace(INCLUSIVE_SUFFIX, '')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A regex source matching `phrase` (already normalised) as whole words, plural "s" allowed. */
export function phraseSource(phrase: string): string {
  return `(?<![a-z0-9])${escapeRegExp(phrase)}(?:s|es)?(?![a-z0-9])`;
}
