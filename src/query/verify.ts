import { isVerbatim, normaliseSpace } from './quotes.ts';
import type { Answer, Citation, Claim } from './types.ts';

/**
 * The checks that make an answer trustworthy, shared by the tests, the eval and the LLM path:
 * every quote is in its offer, every claim is cited, and a claim about a role is only
 * supported by offers of that role.
 */

/** Text a claim puts in quotation marks ("…", “…”, «…»), split at ellipses into fragments. */
export function quotedPassages(text: string): string[] {
  const passages = [...text.matchAll(/"([^"]+)"|“([^”]+)”|«([^»]+)»/g)].map((m) => m[1] ?? m[2] ?? m[3] ?? '');
  return passages
    .flatMap((p) => p.split(/…|\.\.\./))
    .map((fragment) => fragment.replace(/^[\s,;:]+|[\s.,;:]+$/g, ''))
    .filter((fragment) => fragment.length > 0);
}

/** Typographic apostrophes read as plain ones: models rewrite them freely. */
function comparable(text: string): string {
  return normaliseSpace(text).replace(/[‘’]/g, "'");
}

/** The passages `text` puts in quotation marks that none of `quotes` contains. */
export function unsupportedQuotes(text: string, quotes: readonly string[]): string[] {
  const sources = quotes.map(comparable);
  return quotedPassages(text).filter((passage) => !sources.some((q) => q.includes(comparable(passage))));
}

/** The citation ids of the `[c1]` markers in a text, in order. */
export function citationMarkers(text: string): string[] {
  return [...text.matchAll(/\[(c\d+)\]/g)].map((m) => m[1] as string);
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
  for (const role of claim.roles) {
    if (knownRoles && !knownRoles.has(role)) problems.push(`names unknown role "${role}"`);
  }
  if (claim.citations.length === 0) problems.push('has no citation');
  const cited: Citation[] = [];
  for (const id of claim.citations) {
    const citation = citations.get(id);
    if (!citation) {
      problems.push(`cites unknown ${id}`);
      continue;
    }
    cited.push(citation);
    if (!claim.roles.includes(citation.role)) {
      problems.push(`cites ${id}, a ${citation.role} offer, for ${claim.roles.join(', ') || 'no role'}`);
    }
  }
  for (const id of citationMarkers(claim.text)) {
    if (!claim.citations.includes(id)) problems.push(`mentions [${id}] without citing it`);
  }
  for (const passage of unsupportedQuotes(claim.text, cited.map((c) => c.quote))) {
    problems.push(`quotes "${passage}", which none of its citations says`);
  }
  return problems;
}

/** A claim's name in a message: its position and beginning. */
export function claimName(claim: Claim, index: number): string {
  const text = normaliseSpace(claim.text);
  return `claim ${index + 1} ("${text.length > 60 ? `${text.slice(0, 60)}…` : text}")`;
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
    for (const problem of claimProblems(claim, citations, roles)) problems.push(`${claimName(claim, i)} ${problem}`);
  });
  for (const id of citationMarkers(answer.answer)) {
    if (!citations.has(id)) problems.push(`the answer mentions [${id}], which is not a citation`);
  }
  return [...new Set(problems)];
}
