/**
 * The role catalogue: canonical role labels and the phrases (EN + FR) that name them, kept as data
 * in roles.json so that a user file can add roles or aliases without touching code.
 *
 * Title rules, in order (inferRole):
 *  1. Strong aliases in the title. Overlapping matches keep the longest; the earliest remaining
 *     match names the role, so a hybrid title takes its FIRST-NAMED role ("SRE/DevOps Engineer" →
 *     SRE, "DevOps / SRE" → DevOps Engineer) and lists the others in `alsoRoles`. A role named
 *     right before another one, with no separator between them, is a modifier of it, not a second
 *     role: "Front End Platform Engineer" is a Platform Engineer whose `specialisation` is "front
 *     end" (English puts the head noun last). A role marked `generic` (Engineering Manager) only
 *     wins when no specialty is named: "SRE Manager" is an SRE whose seniority is "manager".
 *     Non-engineering jobs ("Product Manager", "Analyst") are strong aliases of Other, so "Product
 *     Manager - Platform" is not a Platform Engineer.
 *  2. Only ambiguous aliases ("Platform", "Ingénieur Production", "Software Engineer"): when one
 *     of them hints at a role, the text decides if it clearly points at one role, otherwise the
 *     hinted role wins. A title that only says "Engineer" or "Developer" says nothing about the
 *     specialty, so it is "Other" whatever the text says: reading a role off the text of generic
 *     titles sent developer jobs to SRE or DevOps on the corpus.
 *  3. Nothing: "Other" (a sales or design title is not an engineering role, whatever its text says),
 *     except when there is no title at all, where the text alone decides.
 */

import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { FatalError } from '../errors.ts';
import { expects, fileProblems, problemList } from '../schema-messages.ts';
import type { RoleMatch } from '../types.ts';
import builtIn from './roles.json' with { type: 'json' };
import { escapeRegExp, normalizePhrase, phraseSource } from './normalize.ts';

const TEXT_EXPECTED = 'must be a non-empty string';
const PHRASES_EXPECTED = 'must be an array of non-empty strings';

const label = z.string(expects(TEXT_EXPECTED)).trim().min(1, TEXT_EXPECTED);
/** A phrase with nothing left once normalised ("!!") would never match anything. */
const phrase = z.string(expects(TEXT_EXPECTED)).refine((text) => normalizePhrase(text) !== '', TEXT_EXPECTED);
const phrases = z.array(phrase, expects(PHRASES_EXPECTED));
const somePhrases = phrases.min(1, 'must not be empty');

const roleEntrySchema = z.object(
  {
    role: label,
    /** Phrases that name this role on their own ("site reliability", "ingénieur devops"). */
    aliases: phrases,
    /** Phrases that hint at this role but need the text to confirm it ("infrastructure engineer"). */
    ambiguousAliases: somePhrases.optional(),
    /** Words of the offer text that point at this role when the title is ambiguous. */
    textCues: somePhrases.optional(),
    /** Wins only when no other role is named in the title. */
    generic: z.boolean(expects('must be true or false')).optional(),
  },
  expects('must be an object'),
)
  // Strict inside too: a misspelt "textCue" would otherwise be dropped without a word.
  .strict();

const seniorityEntrySchema = z.object({ level: label, aliases: somePhrases }, expects('must be an object')).strict();

/** Strict at the top, so that a misspelt list is a problem rather than silently ignored. */
const roleCatalogSchema = z
  .object(
    {
      roles: z.array(roleEntrySchema, expects('must be an array')),
      seniority: z.array(seniorityEntrySchema, expects('must be an array')),
      roleNouns: somePhrases,
      $comment: z.unknown(),
    },
    expects('must hold a JSON object'),
  )
  .strict();

/** A user's extra catalogue: the same shape, every key optional. */
const extraRoleCatalogSchema = roleCatalogSchema.partial();

export type RoleEntry = z.infer<typeof roleEntrySchema>;
export type SeniorityEntry = z.infer<typeof seniorityEntrySchema>;

/** A parsed catalogue: the built-in one, a user's, or both merged. */
export interface RoleCatalogData {
  roles: RoleEntry[];
  /** Most senior first: when a title names several levels, the first listed wins. */
  seniority: SeniorityEntry[];
  /** Words that turn a one-word ambiguous alias into a role mention in a question ("platform roles"). */
  roleNouns: string[];
}

/**
 * A phrase's regex, with the words a match of it can start with (leadWords): a text holding none
 * of them is not searched, which spares most of the catalogue's few hundred scans per offer.
 */
interface Matcher {
  pattern: RegExp;
  lead: readonly string[];
}

interface PhraseMatcher extends Matcher {
  role: string;
  ambiguous: boolean;
  generic: boolean;
}

interface CueMatcher extends Matcher {
  role: string;
  weight: number;
}

export interface RoleCatalog {
  readonly data: RoleCatalogData;
  readonly titleMatchers: readonly PhraseMatcher[];
  /** What a question may use to name a role (strong aliases, labels, qualified ambiguous aliases). */
  readonly mentionMatchers: readonly PhraseMatcher[];
  readonly cueMatchers: readonly CueMatcher[];
  /** `everywhere`: the same pattern, global, to remove every occurrence. */
  readonly seniorityMatchers: readonly { level: string; pattern: RegExp; everywhere: RegExp }[];
}

export interface RoleInference extends RoleMatch {
  /** Other roles a hybrid title names, in title order ("SRE/DevOps" → role SRE, alsoRoles DevOps). */
  alsoRoles?: string[];
}

export const OTHER_ROLE = 'Other';

/** Text scoring: a role wins from the text only with this many points and a clear lead. */
const TEXT_MIN_SCORE = 4;
const TEXT_LEAD_RATIO = 1.25;
/** One cue repeated all over an offer should not outweigh several different cues. */
const TEXT_CUE_CAP = 3;

// ---------------------------------------------------------------------------------------------
// Loading and validation

/** The built-in catalogue, merged with a user file of the same shape when a path is given. */
export function loadRoleCatalog(extraPath?: string): RoleCatalog {
  const base = parseRoleCatalogData(builtIn, 'built-in roles.json');
  if (!extraPath) return buildRoleCatalog(base);
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(extraPath, 'utf8'));
  } catch (error) {
    throw new FatalError(`Cannot read the role catalogue ${extraPath}`, 'Give a readable JSON file shaped like src/catalog/roles.json.', {
      cause: error,
    });
  }
  return buildRoleCatalog(mergeRoleCatalogData(base, parseRoleCatalogData(raw, extraPath, { partial: true })));
}

/** Checks the shape of a catalogue, reporting every problem at once, one a line. */
export function parseRoleCatalogData(raw: unknown, origin: string, options: { partial?: boolean } = {}): RoleCatalogData {
  const parsed = (options.partial ? extraRoleCatalogSchema : roleCatalogSchema).safeParse(raw);
  if (!parsed.success) {
    throw new FatalError(
      problemList(`Invalid role catalogue ${origin}`, fileProblems(parsed.error)),
      'Each role is { "role": "Label", "aliases": ["lowercase phrase", …] }; see src/catalog/roles.json.',
    );
  }
  const { roles = [], seniority = [], roleNouns = [] } = parsed.data;
  return { roles, seniority, roleNouns };
}

/** New roles are appended; a role or level already known gets its phrase lists extended. */
export function mergeRoleCatalogData(base: RoleCatalogData, extra: RoleCatalogData): RoleCatalogData {
  const roles = base.roles.map((entry) => ({ ...entry }));
  for (const entry of extra.roles) {
    const existing = roles.find((r) => r.role.toLowerCase() === entry.role.toLowerCase());
    if (!existing) {
      roles.push({ ...entry });
      continue;
    }
    existing.aliases = union(existing.aliases, entry.aliases);
    if (entry.ambiguousAliases) existing.ambiguousAliases = union(existing.ambiguousAliases ?? [], entry.ambiguousAliases);
    if (entry.textCues) existing.textCues = union(existing.textCues ?? [], entry.textCues);
    if (entry.generic !== undefined) existing.generic = entry.generic;
  }
  const seniority = base.seniority.map((entry) => ({ ...entry }));
  for (const entry of extra.seniority) {
    const existing = seniority.find((s) => s.level === entry.level);
    if (existing) existing.aliases = union(existing.aliases, entry.aliases);
    else seniority.push({ ...entry });
  }
  return { roles, seniority, roleNouns: union(base.roleNouns, extra.roleNouns) };
}

/** Compiles every phrase once, so inference over thousands of offers does no regex building. */
export function buildRoleCatalog(data: RoleCatalogData): RoleCatalog {
  const titleMatchers: PhraseMatcher[] = [];
  const mentionMatchers: PhraseMatcher[] = [];
  const cueMatchers: CueMatcher[] = [];
  const nouns = unique(data.roleNouns.map(normalizePhrase).filter(Boolean));

  for (const entry of data.roles) {
    const generic = entry.generic === true;
    const isOther = entry.role === OTHER_ROLE;
    const strong = unique([...(isOther ? [] : [entry.role]), ...entry.aliases].map(normalizePhrase).filter(Boolean));
    const ambiguous = unique((entry.ambiguousAliases ?? []).map(normalizePhrase).filter(Boolean));
    for (const phrase of strong) {
      const matcher = { role: entry.role, ...phraseMatcher(phrase), ambiguous: false, generic };
      titleMatchers.push(matcher);
      mentionMatchers.push(matcher);
    }
    for (const phrase of ambiguous) {
      titleMatchers.push({ role: entry.role, ...phraseMatcher(phrase), ambiguous: true, generic });
      if (isOther) continue;
      // In a question, "infrastructure engineers" names a role but a bare "platform" or "cloud"
      // usually does not ("which cloud do SREs use?"), unless a role noun follows it.
      const source = phrase.includes(' ') ? phraseSource(phrase) : qualifiedSource(phrase, nouns);
      if (source) mentionMatchers.push({ role: entry.role, pattern: new RegExp(source, 'g'), lead: leadWords(phrase), ambiguous: true, generic });
    }
    if (generic || isOther) continue;
    for (const phrase of unique(strong)) cueMatchers.push({ role: entry.role, ...phraseMatcher(phrase), weight: 2 });
    for (const cue of unique((entry.textCues ?? []).map(normalizePhrase).filter(Boolean))) {
      if (!strong.includes(cue)) cueMatchers.push({ role: entry.role, ...phraseMatcher(cue), weight: 1 });
    }
  }
  const seniorityMatchers = data.seniority.flatMap((entry) =>
    unique(entry.aliases.map(normalizePhrase).filter(Boolean)).map((phrase) => ({ level: entry.level, pattern: new RegExp(phraseSource(phrase)), everywhere: new RegExp(phraseSource(phrase), 'g') })),
  );
  return { data, titleMatchers, mentionMatchers, cueMatchers, seniorityMatchers };
}

// ---------------------------------------------------------------------------------------------
// Inference

export function inferRole(input: { title: string; text?: string }, catalog: RoleCatalog): RoleInference {
  const title = normalizeTitle(input.title);
  const seniority = inferSeniority(title, catalog);
  const withDetails = (match: RoleInference, head?: Hit): RoleInference => {
    const specialisation = head && specialisationOf(title, head, catalog);
    return { ...match, ...(seniority ? { seniority } : {}), ...(specialisation ? { specialisation } : {}) };
  };

  const strong = withoutModifiers(nonOverlapping(findHits(title, catalog.titleMatchers.filter((m) => !m.ambiguous))), title);
  if (strong.length > 0) {
    const specialty = strong.filter((hit) => !hit.generic);
    const ordered = [...(specialty.length > 0 ? specialty : strong), ...strong];
    const named = unique(ordered.map((hit) => hit.role));
    const [role, ...alsoRoles] = named as [string, ...string[]];
    return withDetails(alsoRoles.length > 0 ? { role, via: 'title', alsoRoles } : { role, via: 'title' }, ordered[0]);
  }

  const fromText = input.text ? roleFromText(input.text, catalog) : undefined;
  if (!title) return withDetails({ role: fromText ?? OTHER_ROLE, via: 'text' });

  const hint = nonOverlapping(findHits(title, catalog.titleMatchers.filter((m) => m.ambiguous))).find((hit) => hit.role !== OTHER_ROLE);
  if (!hint) return withDetails({ role: OTHER_ROLE, via: 'title' });
  if (fromText) return withDetails({ role: fromText, via: 'title+text' }, hint);
  return withDetails({ role: hint.role, via: 'title' }, hint);
}

/** The most senior level the title names ("Senior Staff" → staff), if any. */
export function inferSeniority(normalizedTitle: string, catalog: RoleCatalog): string | undefined {
  return catalog.seniorityMatchers.find((m) => m.pattern.test(normalizedTitle))?.level;
}

/** The role an offer's text clearly points at, or undefined when no role leads clearly. */
export function roleFromText(text: string, catalog: RoleCatalog): string | undefined {
  const normalized = normalizePhrase(text);
  const words = wordsIn(normalized);
  const scores = new Map<string, number>();
  for (const cue of catalog.cueMatchers) {
    if (!mayMatch(cue, words)) continue;
    const count = Math.min(TEXT_CUE_CAP, countMatches(cue.pattern, normalized));
    if (count > 0) scores.set(cue.role, (scores.get(cue.role) ?? 0) + count * cue.weight);
  }
  // Sorting is stable, so equal scores keep catalogue order and the result stays deterministic.
  const ranked = [...scores].sort((a, b) => b[1] - a[1]);
  const [best, second] = ranked;
  if (!best || best[1] < TEXT_MIN_SCORE) return undefined;
  if (second && best[1] < second[1] * TEXT_LEAD_RATIO) return undefined;
  return best[0];
}

/** The roles a question names, in order of first mention ("SRE vs platform engineers"). */
export function findRolesInText(text: string, catalog: RoleCatalog): string[] {
  const hits = nonOverlapping(findHits(normalizePhrase(text), catalog.mentionMatchers));
  return unique(hits.map((hit) => hit.role));
}

/** Resolves a user's label ("devops", "Platform", "site reliability") to a canonical role. */
export function resolveRoleName(name: string, catalog: RoleCatalog): string | undefined {
  const wanted = normalizePhrase(name);
  if (!wanted) return undefined;
  // "Data" or "backend" name a role by its label without the trailing "engineer".
  const exact = catalog.data.roles.find((entry) => {
    const label = normalizePhrase(entry.role);
    return label === wanted || label.replace(/ engineer$/, '') === wanted;
  });
  if (exact) return exact.role;
  const whole = catalog.titleMatchers.find((m) => m.role !== OTHER_ROLE && wholeMatch(m.pattern, wanted));
  if (whole) return whole.role;
  const mentioned = findRolesInText(name, catalog);
  return mentioned.length === 1 ? mentioned[0] : undefined;
}

// ---------------------------------------------------------------------------------------------
// Matching helpers

interface Hit {
  role: string;
  start: number;
  end: number;
  generic: boolean;
}

/**
 * Where a title separates two things (a slash, a comma, brackets, a spaced dash…), as " | ", so
 * that "SRE/DevOps Engineer" (two roles) stays distinct from "Frontend Platform Engineer" (one
 * role with a modifier). French inclusive forms written with a slash ("Administrateur/trice")
 * are not separators.
 */
const TITLE_SEPARATOR = /\s+[-\u2013\u2014]\s+|[/&,|+()[\]:;!?]/;
const INCLUSIVE_SLASH = /(?<=\p{L})\/(?:trice|rice|euse|se|e|ne)(?![\p{L}])/giu;

/** "(dev)Ops" is one word, "principal(e)" an inclusive ending: neither is a separator. */
const BRACKETED_WORD_START = /\((\p{L}+)\)(?=\p{L})/gu;
const INCLUSIVE_BRACKET = /(?<=\p{L})\((?:e|se|euse|ice|ne)\)/giu;

function normalizeTitle(title: string): string {
  return title
    .replace(INCLUSIVE_SLASH, '')
    .replace(INCLUSIVE_BRACKET, '')
    .replace(BRACKETED_WORD_START, '$1')
    .split(TITLE_SEPARATOR)
    .map(normalizePhrase)
    .filter(Boolean)
    .join(' | ');
}

/** Drops every hit directly followed by another (nothing but a space between): it modifies it. */
function withoutModifiers(hits: Hit[], title: string): Hit[] {
  return hits.filter((hit, i) => {
    const next = hits[i + 1];
    // A generic head ("Engineering Manager") never absorbs the specialty before it.
    return !next || next.generic || title.slice(hit.end, next.start).trim() !== '';
  });
}

/** The words the title puts right before its role phrase, seniority aside ("front end", "ml"). */
function specialisationOf(title: string, head: Hit, catalog: RoleCatalog): string | undefined {
  let before = title.slice(title.lastIndexOf('|', head.start) + 1, head.start);
  for (const { everywhere } of catalog.seniorityMatchers) before = before.replace(everywhere, ' ');
  const words = before.split(' ').filter((word) => word && !/^\d+$/.test(word));
  return words.length > 0 && words.length <= 3 ? words.join(' ') : undefined;
}

function findHits(normalized: string, matchers: readonly PhraseMatcher[]): Hit[] {
  const hits: Hit[] = [];
  const words = wordsIn(normalized);
  for (const matcher of matchers) {
    if (!mayMatch(matcher, words)) continue;
    for (const match of normalized.matchAll(matcher.pattern)) {
      hits.push({ role: matcher.role, start: match.index, end: match.index + match[0].length, generic: matcher.generic });
    }
  }
  return hits;
}

/**
 * The words a match of a normalised phrase can start with. Its regex (phraseSource, or
 * qualifiedSource for one word) starts after no letter or digit and reads the phrase, then maybe
 * "s" or "es", then no letter or digit, or a space: so the text's run of letters and digits
 * where a match starts is the phrase's first word, or for a one-word phrase that word with "s"
 * or "es". A text without any of them holds no match, whatever it is.
 */
function phraseMatcher(phrase: string): Matcher {
  return { pattern: new RegExp(phraseSource(phrase), 'g'), lead: leadWords(phrase) };
}

function leadWords(phrase: string): string[] {
  const [first = ''] = phrase.split(' ');
  return phrase.includes(' ') ? [first] : [first, `${first}s`, `${first}es`];
}

/** The runs of letters and digits of `text`, the only words a match can start with (leadWords). */
function wordsIn(text: string): ReadonlySet<string> {
  return new Set(text.split(/[^a-z0-9]+/));
}

function mayMatch(matcher: Matcher, words: ReadonlySet<string>): boolean {
  return matcher.lead.some((word) => words.has(word));
}

/** Earliest first; at the same start the longest (most specific) phrase; overlaps dropped. */
function nonOverlapping(hits: Hit[]): Hit[] {
  const sorted = [...hits].sort((a, b) => a.start - b.start || b.end - a.end);
  const kept: Hit[] = [];
  let reached = 0;
  for (const hit of sorted) {
    // A phrase starting inside a kept one never displaces it: the earliest start wins.
    if (hit.start < reached) continue;
    kept.push(hit);
    reached = hit.end;
  }
  return kept;
}

/** `phrase` followed by one of `nouns` ("platform roles"), or undefined without nouns. */
function qualifiedSource(phrase: string, nouns: readonly string[]): string | undefined {
  if (nouns.length === 0) return undefined;
  const alternatives = nouns.map(escapeRegExp).join('|');
  return `(?<![a-z0-9])${escapeRegExp(phrase)}(?:s|es)? (?:${alternatives})(?:s|es)?(?![a-z0-9])`;
}

function wholeMatch(pattern: RegExp, text: string): boolean {
  pattern.lastIndex = 0;
  const match = pattern.exec(text);
  pattern.lastIndex = 0;
  return match !== null && match.index === 0 && match[0].length === text.length;
}

function countMatches(pattern: RegExp, text: string): number {
  let count = 0;
  for (const _ of text.matchAll(pattern)) count++;
  return count;
}

// ---------------------------------------------------------------------------------------------
// List helpers

function union(a: readonly string[], b: readonly string[]): string[] {
  return unique([...a, ...b]);
}

function unique<T>(items: readonly T[]): T[] {
  return [...new Set(items)];
}
