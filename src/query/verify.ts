import { isVerbatim, normaliseSpace } from './quotes.ts';
import type { Answer, Citation, Claim } from './types.ts';

/**
 * The checks that make an answer trustworthy, shared by the tests, the eval and the LLM path:
 * every quote is in its offer, every claim is cited, a claim about a role is only supported by
 * offers of that role, and every role it is about has a quote of its own. Messages about a claim
 * never repeat its text or its quoted words: a claim that fails is unverified, and is not shown.
 */

/**
 * Quoted spans, whatever the convention: straight and typographic double quotes (English “…”,
 * German „…“, Polish „…”, Swedish ”…”), guillemets both ways («…», »…«, ‹…›, ›…‹), single
 * quotes (‘…’, ‚…‘, and straight '…' that open and close outside a word, so "it's" is not one),
 * fullwidth and CJK marks (＂…＂, 「…」, 『…』, 〝…〞) and backticks. A ’ followed by a letter
 * is an apostrophe, not the end of a ‘…’ quote.
 */
const QUOTED = new RegExp(
  [
    '"([^"]+)"',
    '＂([^＂]+)＂',
    '“([^“”]+)”',
    '„([^„“”]+)[“”]',
    '”([^”]+)”',
    '«([^«»]+)»',
    '»([^«»]+)«',
    '‹([^‹›]+)›',
    '›([^‹›]+)‹',
    '‘([\\s\\S]+?)’(?![\\p{L}\\p{N}])',
    '‚([\\s\\S]+?)[‘’](?![\\p{L}\\p{N}])',
    "(?<![\\p{L}\\p{N}])'([\\s\\S]+?)'(?![\\p{L}\\p{N}])",
    '「([^」]+)」',
    '『([^』]+)』',
    '〝([^〞〟]+)[〞〟]',
    '`([^`]+)`',
  ].join('|'),
  'gu',
);

/** A quotation mark left once the quoted spans are taken out (’ aside: it is also the apostrophe). */
const STRAY_MARK = /["＂„‚「」『』〝〞〟`\p{Pi}]|(?!’)\p{Pf}/u;

/** Ellipses, bare or bracketed, where a quote skips words. */
const ELLIPSIS = /[[(]\s*(?:…|\.\.\.)\s*[\])]|…|\.\.\./;

/** Text a claim puts in quotation marks, split at ellipses into fragments. */
export function quotedPassages(text: string): string[] {
  return [...text.matchAll(QUOTED)]
    .map((m) => m.slice(1).find((group) => group !== undefined) ?? '')
    .flatMap((p) => p.split(ELLIPSIS))
    .map((fragment) => fragment.replace(/^[\s,;:]+|[\s.,;:]+$/g, ''))
    .filter((fragment) => fragment.length > 0);
}

/** Whether a quotation mark opens (or closes) nothing: what it quotes cannot be told, so not checked. */
export function hasStrayQuotationMark(text: string): boolean {
  return STRAY_MARK.test(text.replace(QUOTED, ' '));
}

/** Typographic apostrophes and quotation marks read as plain ones: models rewrite them freely. */
function comparable(text: string): string {
  return normaliseSpace(text).replace(/[‘’‚‛′]/g, "'").replace(/[“”„‟″＂]/g, '"');
}

/** The passages `text` puts in quotation marks that none of `quotes` contains. */
export function unsupportedQuotes(text: string, quotes: readonly string[]): string[] {
  const sources = quotes.map(comparable);
  return quotedPassages(text).filter((passage) => !sources.some((q) => q.includes(comparable(passage))));
}

/** The citation ids of the `[c1]` markers in a text, in order; a backslash-escaped `\[c1\]` is text. */
export function citationMarkers(text: string): string[] {
  return [...text.matchAll(/(?<!\\)\[(c\d+)\]/g)].map((m) => m[1] as string);
}

/** An id as it may appear in a message: ours have this shape, anything else is not repeated. */
function idName(id: string): string {
  return /^c\d{1,6}$/.test(id) ? id : 'an id';
}

/**
 * What is wrong with one claim, given the answer's citations and (when known) its roles; an
 * empty list when nothing is.
 */
export function claimProblems(
  claim: Claim,
  citations: ReadonlyMap<string, Citation>,
  knownRoles?: ReadonlySet<string>,
): string[] {
  const problems: string[] = [];
  if (normaliseSpace(claim.text) === '') problems.push('has no text');
  if (claim.roles.length === 0) problems.push('names no role');
  const known = (role: string) => !knownRoles || knownRoles.has(role);
  claim.roles.forEach((role, i) => {
    if (!known(role)) problems.push(`names a role that is not compared (role ${i + 1})`);
  });
  if (claim.citations.length === 0) problems.push('has no citation');
  const cited: Citation[] = [];
  for (const id of claim.citations) {
    const citation = citations.get(id);
    if (!citation) {
      problems.push(`cites unknown ${idName(id)}`);
      continue;
    }
    cited.push(citation);
    if (!claim.roles.includes(citation.role)) {
      const about = claim.roles.length > 0 && claim.roles.every(known) ? claim.roles.join(', ') : 'the roles it names';
      problems.push(`cites ${id}, a ${citation.role} offer, for ${about}`);
    }
  }
  // A claim about two roles is not backed by the offers of one: each role needs its own quote.
  for (const role of claim.roles) {
    if (known(role) && cited.length > 0 && !cited.some((c) => c.role === role)) problems.push(`is about ${role} but cites no ${role} offer`);
  }
  for (const id of citationMarkers(claim.text)) {
    if (!claim.citations.includes(id)) problems.push(`mentions [${id}] without citing it`);
  }
  const unsupported = unsupportedQuotes(claim.text, cited.map((c) => c.quote)).length;
  if (unsupported > 0) {
    problems.push(`puts in quotation marks ${unsupported === 1 ? 'words' : `${unsupported} passages`} that none of its citations says`);
  }
  if (hasStrayQuotationMark(claim.text)) problems.push('has a quotation mark that opens or closes nothing');
  return problems;
}

/**
 * Every problem of an answer, as messages; empty when it can be shown. `lookup` gives the
 * indexed offer a citation names.
 */
export function verifyAnswer(
  answer: Answer,
  /** The offer's text and the group(s) it belongs to: a citation must name one of them. */
  lookup: (offerId: string) => { role: string | readonly string[]; text: string } | undefined,
): string[] {
  const problems: string[] = [];
  const citations = new Map<string, Citation>();
  for (const citation of answer.citations) {
    if (citations.has(citation.id)) problems.push(`${citation.id}: the id is used twice`);
    citations.set(citation.id, citation);
    const offer = lookup(citation.offerId);
    if (!offer) {
      problems.push(`${citation.id}: offer ${citation.offerId} is not in the index`);
      continue;
    }
    if (!isVerbatim(citation.quote, offer.text)) {
      problems.push(`${citation.id}: the quote is not verbatim in offer ${citation.offerId}`);
    }
    const groups: readonly string[] = typeof offer.role === 'string' ? [offer.role] : offer.role;
    if (!groups.includes(citation.role)) {
      problems.push(`${citation.id}: cited as ${citation.role} but offer ${citation.offerId} is ${groups.join(', ') || 'in no compared group'}`);
    }
  }
  const roles = new Set(answer.roles.map((r) => r.name));
  answer.claims.forEach((claim, i) => {
    for (const problem of claimProblems(claim, citations, roles)) problems.push(`claim ${i + 1} ${problem}`);
  });
  for (const id of citationMarkers(answer.answer)) {
    if (!citations.has(id)) problems.push(`the answer mentions [${id}], which is not a citation`);
  }
  return [...new Set(problems)];
}
