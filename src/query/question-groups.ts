import { foldText, normalizePhrase } from '../catalog/normalize.ts';
import type { Workplace } from '../../ingest/workplace.ts';
import type { GroupFilters, GroupSpec } from './groups.ts';
import { ASPECT_WORD_PATTERN } from './question.ts';

/**
 * The groups a question compares, read from its wording in English or French: "the difference
 * between A and B", "A vs B", "how do A differ from B", "compare A with B", "entre A et B",
 * "A par rapport à B". Each side may carry filters in plain words — seniority ("junior vs senior
 * SRE"), a year or month ("SRE offers in 2024 vs 2025"), a workplace ("remote vs on-site DevOps
 * engineers"), a company ("SRE at Acme vs SRE at Globex"), a language ("French vs English data
 * analyst offers") — and a side that names no role takes the other side's ("senior SRE" lends
 * "SRE" to "junior"). Undefined when the question has no such shape: the caller then looks for
 * role and family names anywhere in it.
 */
export function groupsFromQuestion(question: string): GroupSpec[] | undefined {
  const operands = comparisonOperands(withoutAspectPreambles(question.replace(/\s+/g, ' ').trim()));
  if (!operands || operands.length < 2) return undefined;
  const specs = operands.map(readOperand);
  // A side with filters only ("junior", "2024", "remote") compares the role the other side names.
  const named = specs.filter((s) => s.words);
  if (named.length === 0) return undefined;
  return specs.map((spec, i) => (spec.words ? spec : { ...spec, words: nearestWords(specs, i) }));
}

function nearestWords(specs: readonly GroupSpec[], i: number): string {
  for (let d = 1; d < specs.length; d++) {
    const after = specs[i + d];
    if (after?.words) return after.words;
    const before = specs[i - d];
    if (before?.words) return before.words;
  }
  return '';
}

const END = String.raw`(?=\s*(?:[?.!;:]|$|,\s*(?:focusing|en se concentrant|in terms|en termes|regarding|concernant|for|pour|what|which|how|quel|quelle|quels|quelles|comment|qu['’])\b))`;
/** Where the second side starts after "distinguishes A from B" / "distingue A d'un B": "from", or a French "de" with its article (not the "de" inside "contrôleur de gestion"). */
const FROM_SIDE = String.raw`\s+(?:from\s+|(?=d['’]une?\s|de la\s|de l['’]|du\s|des\s))`;
/** The comparison shapes, most specific first; each captures the two sides. */
const SHAPES: RegExp[] = [
  new RegExp(String.raw`\b(?:between|entre)\s+(.+?)\s+(?:and|et)\s+(.+?)${END}`, 'iu'),
  new RegExp(String.raw`\b(?:how|in what ways?|en quoi|is|are)\s+(?:(?:does|do|did|are|is|les|le|la)\s+)?(.+?)\s+(?:differ|different|distinct|diff[eè]rent|se distinguent|se distingue)[\p{L}-]*\s+(?:from|than|to|des|du|de|d')\s*(.+?)${END}`, 'iu'),
  // "How do A and B differ?", "Comment se distinguent A et B ?"
  new RegExp(String.raw`\b(?:how|in what ways?)\s+(?:(?:does|do|did|are|is)\s+)?(.+?)\s+(?:and)\s+(.+?)\s+(?:differ|compare)\b`, 'iu'),
  new RegExp(String.raw`\b(?:comment|en quoi)\s+se\s+(?:distinguent|diff[ée]rencient|comparent)\s+(.+?)\s+(?:et)\s+(.+?)${END}`, 'iu'),
  new RegExp(String.raw`\b(?:distinguish(?:es)?|differentiates?|separates?|distinguent|distingue|diff[ée]rencient|diff[ée]rencie)\s+(.+?)${FROM_SIDE}(.+?)${END}`, 'iu'),
  new RegExp(String.raw`\b(?:compare|comparing|comparer|comparez|compar(?:ons|aison)|contrast(?:ing)?|contraster)\s+(?:de\s+|des\s+|les\s+)?(.+?)\s+(?:and|with|to|against|et|avec|à|aux|au)\s+(.+?)${END}`, 'iu'),
  new RegExp(String.raw`(?:^|[,:;]\s*|\b(?:is|are|what|quel|quelle|quels|quelles)\s+)([^,:;]+?)\s+(?:vs\.?|versus|v\.|compared (?:to|with)|par rapport (?:à|aux?)|contre|face (?:à|aux?))\s+(.+?)${END}`, 'iu'),
];
/**
 * "A or B" compares only in a question that asks for the difference or a choice ("electrician
 * or plumber: which requires more experience?", "boulanger ou pâtissier : quelles différences ?");
 * elsewhere "or" joins words inside a side ("a degree or equivalent experience").
 */
const EITHER = new RegExp(String.raw`(?:^|[,:;]\s*)([^,:;?]+?)\s+(?:or|ou)\s+([^,:;?]+?)(?=\s*(?:[:?]|$|,\s*(?:which|what|who|how|quel|quelle|quels|quelles|lequel|laquelle|qui|comment)\b))`, 'iu');
const MAX_EITHER_WORDS = 5;
const QUESTION_WORD = /^(?:which|what|who|how|quel|quelle|quels|quelles|lequel|laquelle|qui|comment)\b/iu;
const CHOICE = /\b(?:which|who|lequel|laquelle|lesquels|differences?|differ|diff[ée]rences?)\b/iu;

/**
 * What the question asks about, said before a side: "the missions and requirements of A and B",
 * "les compétences des A et des B", "the pay of A vs B", "celles d'un B" (those of). It names no
 * job, and its "and" is not the one between the sides. Taken out only where a side can start
 * (after the comparison's words, a side's joint, or at the start): "5 years of experience"
 * inside a side stays as written.
 */
const ARTICLE = String.raw`(?:the|their|les?|la|l['’]|leurs?)\s*`;
const ASPECT_RUN = String.raw`(?:${ARTICLE})?(?:${ASPECT_WORD_PATTERN})(?:\s*(?:,|and|et|&|or|ou)\s*(?:${ARTICLE})?(?:${ASPECT_WORD_PATTERN}))*`;
const PREAMBLE = new RegExp(
  String.raw`(?<=(?:^|\b(?:between|entre|compare|comparing|comparer|comparez|contrast|are|is|do|does|did|what|quels?|quelles?|vs\.?|versus|and|et|with|avec|to|than|from|a|aux?|contre)\s+))(?:${ASPECT_RUN}|those|that|celles?|ceux|celui)\s+(?:(?:of|for|in|des|du|de|pour|chez)\s+|d['’]\s*)`,
  'gu',
);
/** An aspect said after a side: "B in terms of requirements", "B on benefits", "B - missions and requirements", "B au niveau des compétences". */
const TRAILING_ASPECT = new RegExp(
  String.raw`(?:\s*[-–—]\s*|\s+(?:in terms of|on|regarding|about|with respect to|en termes de|au niveau d(?:es|u|e la|e l['’])|concernant|sur|cote)\s+)${ASPECT_RUN}\s*$`,
  'u',
);
/** An aspect and the question's verb said before a side's job: "(what) skills do welders need". */
const LEADING_ASPECT = new RegExp(String.raw`^\s*(?:(?:what|which|quels?|quelles?)\s+)?${ASPECT_RUN}\s+(?:(?:do|does|did|are|is)\s+)?`, 'u');

/** `text` without what `pattern` matches on its fold; positions carry over, the fold keeping the original's length. */
function cutFolded(text: string, pattern: RegExp): string {
  const folded = foldText(text);
  const global = pattern.global ? pattern : new RegExp(pattern.source, `${pattern.flags}g`);
  let result = '';
  let at = 0;
  for (const match of folded.matchAll(global)) {
    result += text.slice(at, match.index);
    at = match.index + match[0].length;
  }
  return `${result}${text.slice(at)}`.replace(/\s+/g, ' ');
}

function withoutAspectPreambles(question: string): string {
  return cutFolded(question, PREAMBLE);
}

/** The sides of the comparison ("A, B and C" gives three), or undefined. */
function comparisonOperands(question: string): string[] | undefined {
  for (const shape of SHAPES) {
    const match = shape.exec(question);
    if (!match) continue;
    const [first, second] = [match[1]!, match[2]!];
    // "between A, B and C": the first side lists all but the last.
    return [...first.split(/\s*,\s*/), second].map(sideWords).filter(Boolean);
  }
  const either = CHOICE.test(foldText(question)) ? EITHER.exec(question) : null;
  const sides = either ? [either[1]!, either[2]!] : [];
  // Two job names, not a clause: "Which offers mention Kubernetes or Terraform?" asks no choice between jobs.
  if (sides.length === 0 || sides.some((side) => side.split(' ').length > MAX_EITHER_WORDS || QUESTION_WORD.test(side))) return undefined;
  return sides.map(sideWords).filter(Boolean);
}

const SENIORITY_WORDS: ReadonlyArray<readonly [RegExp, string]> = [
  [/\b(?:junior|jr|entry[- ]level|debutants?|debutantes?|graduates?)\b/, 'junior'],
  [/\b(?:mid[- ]level|mid|intermediate|intermediaires?)\b/, 'mid'],
  [/\b(?:senior|sr|seniors|confirmes?|confirmees?|experimentes?|experimentees?)\b/, 'senior'],
  [/\b(?:lead|leads)\b/, 'lead'],
  [/\b(?:principal|principaux)\b/, 'principal'],
];
const WORKPLACE_WORDS: ReadonlyArray<readonly [RegExp, Workplace]> = [
  [/\b(?:fully remote|remote|teletravail|a distance|distanciel)\b/, 'remote'],
  [/\b(?:hybrid|hybride)\b/, 'hybrid'],
  [/\b(?:on[- ]?site|in[- ]office|office[- ]based|in[- ]person|sur site|sur place|en presentiel|presentiel)\b/, 'onsite'],
];
const LANGUAGE_WORDS: ReadonlyArray<readonly [RegExp, string]> = [
  [/\b(?:in english|english[- ]language|english|en anglais|anglophones?|anglais(?:es)?)\b/, 'en'],
  [/\b(?:in french|french[- ]language|french|en francais|francophones?|francais(?:es)?)\b/, 'fr'],
];
/** "in 2024", "posted in 2024-03", "en 2025", "de 2024", or a bare year. */
const PERIOD = /\b(?:(?:posted|published|publiees?|publies?)\s+)?(?:in|en|from|de|during|pendant)?\s*((?:19|20)\d{2})(?:[-/](0[1-9]|1[0-2]))?\b/;
/** A company: capitalised words after "at", "chez", "from": "SRE at Acme Corp". */
const COMPANY = /\s(?:at|chez|with|from)\s+((?:\p{Lu}[\p{L}\p{N}&.'-]*)(?:\s+\p{Lu}[\p{L}\p{N}&.'-]*)*)/u;

/** A side without the aspects said around it. */
function sideWords(side: string): string {
  return cutFolded(cutFolded(side, TRAILING_ASPECT), LEADING_ASPECT).trim();
}

/** One side: its filters, taken out of the text, and the words left, which name the role. */
function readOperand(operand: string): GroupSpec {
  const filters: GroupFilters = {};
  let text = ` ${operand} `;
  const company = COMPANY.exec(text);
  if (company) {
    filters.company = normalizePhrase(company[1]!).split(' ').filter(Boolean);
    filters.companyLabel = company[1]!;
    text = text.replace(company[0], ' ');
  }
  // Matching is on folded lower case; the words left are cut from the same positions of the original.
  const take = (pattern: RegExp): RegExpExecArray | undefined => {
    const folded = foldText(text);
    const match = new RegExp(pattern.source, pattern.flags.replace('g', '')).exec(folded);
    if (!match) return undefined;
    text = `${text.slice(0, match.index)} ${text.slice(match.index + match[0].length)}`;
    return match;
  };
  const period = take(PERIOD);
  if (period) {
    const value = period[2] ? `${period[1]}-${period[2]}` : period[1]!;
    filters.posted = { from: value, to: value };
  }
  for (const [pattern, level] of SENIORITY_WORDS) if (take(pattern)) (filters.seniority ??= []).push(level);
  for (const [pattern, place] of WORKPLACE_WORDS) if (take(pattern)) (filters.workplace ??= []).push(place);
  for (const [pattern, code] of LANGUAGE_WORDS) if (take(pattern)) (filters.lang ??= []).push(code);
  const words = text
    .replace(/\b(?:offers?|postings?|positions?|roles?|jobs?|offres?|postes?|annonces?)\s+(?:of|for|de|d'|pour)\b/giu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return { words: meaningfulWords(words), filters };
}

/** A question's own words before its first side ("What are nurses vs …", "What do arborists earn compared to …"). */
const QUESTION_VERB = /^(?:what|which|are|is|do|does|did|quels?|quelles?)$/iu;
/** What a side does rather than what it is: "what do arborists earn compared to …", "skills do welders need". */
const SIDE_VERB = /^(?:earn|earns|make|makes|paid|gagnent|gagne|touchent|touche|need|needs|require|requires|do|does|get|gets)$/iu;

/**
 * The words left once articles and "offers of" are gone; empty when nothing names a job. French
 * elides its articles into the noun, with either apostrophe: "l’élagueur", "d'un jardinier".
 */
function meaningfulWords(words: string): string {
  const noise = (word: string | undefined) => word !== undefined && /^(?:the|a|an|les?|la|l['’]|des?|du|d['’]|un|une|d['’]une?|offers?|offres?|positions?|postes?|jobs?|roles?)$/iu.test(word);
  const kept = words.split(' ');
  while (noise(kept[0]) || QUESTION_VERB.test(kept[0] ?? '')) kept.shift();
  while (noise(kept.at(-1)) || SIDE_VERB.test(kept.at(-1) ?? '')) kept.pop();
  if (kept[0]) kept[0] = kept[0].replace(/^[ld]['’](?=\p{L})/iu, '');
  // "a pastry chef's job differ from a line cook's": the possessive is not the job's name.
  const last = kept.length - 1;
  if (last >= 0) kept[last] = kept[last]!.replace(/['’]s$/iu, '');
  return kept.join(' ').replace(/^[\s'"«»“”]+|[\s'"«»“”?.!,]+$/g, '');
}
