import { findRolesInText, resolveRoleName, type RoleCatalog } from '../catalog/roles.ts';
import { normalizePhrase } from '../catalog/normalize.ts';
import { UsageError } from '../errors.ts';
import type { FacetFilter } from '../records/facets.ts';
import { titleWords } from '../../ingest/title-family.ts';
import { WORKPLACES, type Workplace } from '../../ingest/workplace.ts';

/**
 * Groups of offers, the unit a comparison is made of: role words (a catalogue role, an alias, or
 * the words of indexed titles) plus optional filters. `--group "SRE seniority:junior"` and the
 * question "junior vs senior SRE" both come here, as GroupSpecs, and are resolved against the
 * catalogue first, then the title families the index holds (ingest/title-family.ts). A group
 * whose words name nothing is never replaced by another one: the query is refused by name.
 */

export interface GroupFilters {
  seniority?: string[];
  /** Posting days, inclusive, as YYYY[-MM[-DD]] prefixes. */
  posted?: { from?: string; to?: string };
  workplace?: Workplace[];
  /** Folded words the company's name holds. */
  company?: string[];
  /** The company as the user wrote it, for the group's name. */
  companyLabel?: string;
  lang?: string[];
  source?: string;
}

/** A group as the user said it, before resolution. */
export interface GroupSpec {
  /** Role words as written ("data analysts", "SRE"). */
  words: string;
  filters: GroupFilters;
}

/** A title family the index holds (RecordStore.listFamilies). */
export interface IndexedFamily {
  family: string;
  label: string;
  offers: number;
  /** The roles the catalogue gave its offers ("Other" for titles it does not know). */
  roles: string[];
}

export interface ResolvedGroup {
  /** Unique among the compared groups: "SRE", "junior SRE", "Barista (posted 2024)". */
  name: string;
  /** As the contract's `roles[].definition`: the role or family, and the filters as `key: value`. */
  definition: { role: string; filters: Record<string, string> };
  /** The catalogue role, when the words named one. */
  role?: string;
  /** The title families, when the words named indexed titles instead. */
  families?: string[];
  /** What the record filters the group's offers with. */
  facets: FacetFilter & { companyWords?: readonly string[] };
  /** A catalogue role with no filter: its statistics come from the record's running totals. */
  wholeRole: boolean;
}

export interface UnresolvedGroup {
  words: string;
  /** The indexed titles closest to the words, most similar first. */
  closest: string[];
}

const FILTER_KEYS = ['seniority', 'posted', 'workplace', 'company', 'lang', 'source'] as const;

/**
 * `--group "<role words> key:value …"` → a GroupSpec. Values may be quoted: `company:"Acme Corp"`.
 * Role words are required unless `wordsOptional` (browsing offers: `company:acme lang:fr`);
 * `name` is what messages call the expression (default `--group`).
 */
export function parseGroupExpression(expression: string, levels: readonly string[], options: { wordsOptional?: boolean; name?: string } = {}): GroupSpec {
  const words: string[] = [];
  const filters: GroupFilters = {};
  const problems: string[] = [];
  for (const match of expression.matchAll(/(\w+):(?:"([^"]*)"|(\S*))|(\S+)/g)) {
    if (match[4] !== undefined) {
      words.push(match[4]);
      continue;
    }
    const key = match[1]!;
    const value = (match[2] ?? match[3] ?? '').trim();
    if (!(FILTER_KEYS as readonly string[]).includes(key)) {
      problems.push(`unknown filter "${key}" (use ${FILTER_KEYS.join(', ')})`);
      continue;
    }
    const problem = setFilter(filters, key as (typeof FILTER_KEYS)[number], value, levels);
    if (problem) problems.push(problem);
  }
  if (words.length === 0 && !options.wordsOptional) problems.push('no role words (e.g. "SRE seniority:junior" or "data analyst lang:fr")');
  if (problems.length > 0) throw new UsageError(`${options.name ?? '--group'} "${expression}": ${problems.join('; ')}`);
  return { words: words.join(' '), filters };
}

function setFilter(filters: GroupFilters, key: (typeof FILTER_KEYS)[number], value: string, levels: readonly string[]): string | undefined {
  if (!value) return `${key}: needs a value`;
  const values = value.split(/[|,]/).map((v) => v.trim()).filter(Boolean);
  switch (key) {
    case 'seniority': {
      const unknown = values.filter((v) => !levels.includes(v.toLowerCase()));
      if (unknown.length > 0) return `seniority: unknown level ${unknown.join(', ')} (use ${levels.join(', ')})`;
      filters.seniority = values.map((v) => v.toLowerCase());
      return undefined;
    }
    case 'posted': {
      const range = parsePostedRange(value);
      if (!range) return `posted: "${value}" is not YYYY[-MM[-DD]], a range A..B, or an open range A.. or ..B`;
      filters.posted = range;
      return undefined;
    }
    case 'workplace': {
      const places = values.map(workplaceOf);
      if (places.some((p) => p === undefined)) return `workplace: use ${WORKPLACES.join(', ')}`;
      filters.workplace = places as Workplace[];
      return undefined;
    }
    case 'company':
      filters.company = normalizePhrase(value).split(' ').filter(Boolean);
      filters.companyLabel = value;
      return filters.company.length > 0 ? undefined : 'company: needs letters or digits';
    case 'lang': {
      const codes = values.map(languageCode);
      if (codes.some((c) => c === undefined)) return `lang: "${value}" is not an ISO 639-1 code such as en or fr`;
      filters.lang = codes as string[];
      return undefined;
    }
    case 'source':
      filters.source = value;
      return undefined;
  }
}

const DAY = /^\d{4}(?:-(?:0[1-9]|1[0-2])(?:-(?:0[1-9]|[12]\d|3[01]))?)?$/;

/** "2024-01..2024-06", "2024..", "..2024-06-30", or one period "2024" (the whole year). */
export function parsePostedRange(value: string): { from?: string; to?: string } | undefined {
  const [from, to, extra] = value.split('..');
  if (extra !== undefined) return undefined;
  if (to === undefined) return DAY.test(from!) ? { from: from!, to: from! } : undefined;
  if ((from && !DAY.test(from)) || (to && !DAY.test(to)) || (!from && !to)) return undefined;
  if (from && to && from > to) return undefined;
  return { ...(from ? { from } : {}), ...(to ? { to } : {}) };
}

function workplaceOf(value: string): Workplace | undefined {
  const v = normalizePhrase(value).replace(/ /g, '');
  if (v === 'remote' || v === 'teletravail' || v === 'distance') return 'remote';
  if (v === 'hybrid' || v === 'hybride') return 'hybrid';
  if (['onsite', 'office', 'inoffice', 'inperson', 'surplace', 'sursite', 'presentiel'].includes(v)) return 'onsite';
  return undefined;
}

const LANGUAGE_NAMES: Record<string, string> = {
  english: 'en', anglais: 'en', french: 'fr', francais: 'fr', german: 'de', allemand: 'de', spanish: 'es', espagnol: 'es',
  italian: 'it', italien: 'it', dutch: 'nl', neerlandais: 'nl', portuguese: 'pt', portugais: 'pt',
};

function languageCode(value: string): string | undefined {
  const v = normalizePhrase(value);
  if (/^[a-z]{2}$/.test(v)) return v;
  return LANGUAGE_NAMES[v];
}

/** Articles and the nouns people put around a job's name ("the SRE positions", "les offres de"). */
const NOISE_WORDS = new Set([
  'a', 'an', 'the', 'of', 'for', 'our', 'their', 'those', 'these', 'un', 'une', 'le', 'la', 'les', 'l', 'des', 'du', 'd',
  'offer', 'offers', 'position', 'positions', 'role', 'roles', 'job', 'jobs', 'posting', 'postings', 'ad', 'ads', 'opening',
  'openings', 'vacancy', 'vacancies', 'offre', 'offres', 'poste', 'postes', 'annonce', 'annonces', 'emploi', 'emplois', 'metier',
  'metiers', 'profil', 'profils', 'people', 'ones', 'what', 'is', 'are',
]);

/**
 * Resolves a group: catalogue role or alias first; otherwise the title families whose words
 * hold the group's words (case, accents, plurals, gender forms and title decorations aside).
 */
export function resolveGroup(spec: GroupSpec, catalog: RoleCatalog, families: readonly IndexedFamily[]): ResolvedGroup | UnresolvedGroup {
  const words = stripNoise(spec.words);
  const role = words ? resolveRoleName(words, catalog) ?? onlyRole(findRolesInText(words, catalog)) : undefined;
  if (role && role !== 'Other') return withFilters({ base: role, role }, spec.filters);
  const matched = matchFamilies(words, families);
  if (matched.length > 0) {
    const exact = matched.find((f) => f.family === titleWords(words).join(' '));
    const base = (exact ?? matched[0]!).label;
    return withFilters({ base, families: matched.map((f) => f.family) }, spec.filters);
  }
  return { words: words || spec.words, closest: closestFamilies(words, families) };
}

/**
 * The offers an expression selects when browsing them (`offers serve`, `offers mcp`): a group as
 * in a comparison, except that role words may be left out, which selects every role.
 */
export function resolveSelection(expression: string, catalog: RoleCatalog, families: readonly IndexedFamily[]): ResolvedGroup | UnresolvedGroup {
  const spec = parseGroupExpression(expression, catalog.data.seniority.map((s) => s.level), { wordsOptional: true, name: 'group' });
  return spec.words ? resolveGroup(spec, catalog, families) : withFilters({ base: 'offers' }, spec.filters);
}

/**
 * The indexed title families a text names, in order of mention, longest first where two
 * overlap ("staff nurse" rather than "nurse"): for questions with no comparison shape.
 */
export function familiesInText(text: string, families: readonly IndexedFamily[]): string[] {
  const words = titleWords(text);
  const padded = ` ${words.join(' ')} `;
  const hits: Array<{ start: number; end: number; label: string }> = [];
  for (const family of families) {
    const needle = ` ${family.family} `;
    for (let at = padded.indexOf(needle); at >= 0; at = padded.indexOf(needle, at + 1)) hits.push({ start: at, end: at + needle.length - 1, label: family.label });
  }
  hits.sort((a, b) => a.start - b.start || b.end - a.end);
  const kept: typeof hits = [];
  for (const hit of hits) if (!kept.some((k) => hit.start < k.end && k.start < hit.end)) kept.push(hit);
  return [...new Set(kept.sort((a, b) => a.start - b.start).map((k) => k.label))];
}

export function isResolved(group: ResolvedGroup | UnresolvedGroup): group is ResolvedGroup {
  return 'facets' in group;
}

function onlyRole(roles: string[]): string | undefined {
  return roles.length === 1 ? roles[0] : undefined;
}

function stripNoise(text: string): string {
  return text
    .split(/\s+/)
    .filter((word) => word && !NOISE_WORDS.has(normalizePhrase(word)))
    .join(' ')
    .replace(/^[\s,;:'"«»“”]+|[\s,;:'"«»“”?.!]+$/g, '');
}

/**
 * Families holding every word of the group, best first: the family that IS the words, then
 * those holding them as a phrase, then anywhere; larger families first within each.
 */
function matchFamilies(words: string, families: readonly IndexedFamily[]): IndexedFamily[] {
  const wanted = titleWords(words);
  if (wanted.length === 0) return [];
  const phrase = ` ${wanted.join(' ')} `;
  const ranked = families.flatMap((family) => {
    const padded = ` ${family.family} `;
    const tokens = new Set(family.family.split(' '));
    if (padded === phrase) return [{ family, rank: 0 }];
    if (padded.includes(phrase)) return [{ family, rank: 1 }];
    return wanted.every((w) => tokens.has(w)) ? [{ family, rank: 2 }] : [];
  });
  return ranked.sort((a, b) => a.rank - b.rank || b.family.offers - a.family.offers).map((r) => r.family);
}

/**
 * Up to five indexed titles most like the unresolved words: Dice similarity of character
 * trigrams, which sees "beekeeper" in "bee keeper" and "lighthouse keeper" alike, where whole
 * words would not.
 */
function closestFamilies(words: string, families: readonly IndexedFamily[]): string[] {
  const wanted = trigrams(titleWords(words).join(' '));
  return families
    .map((family) => ({ family, score: dice(wanted, trigrams(family.family)) }))
    .filter((f) => f.score >= 0.2)
    .sort((a, b) => b.score - a.score || b.family.offers - a.family.offers)
    .slice(0, 5)
    .map((f) => `${f.family.label} (${f.family.offers})`);
}

function trigrams(text: string): Set<string> {
  const padded = `  ${text} `;
  const grams = new Set<string>();
  for (let i = 0; i + 3 <= padded.length; i++) grams.add(padded.slice(i, i + 3));
  return grams;
}

function dice(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  let shared = 0;
  for (const gram of a) if (b.has(gram)) shared++;
  return a.size + b.size > 0 ? (2 * shared) / (a.size + b.size) : 0;
}

function withFilters(target: { base: string; role?: string; families?: string[] }, filters: GroupFilters): ResolvedGroup {
  const definition: Record<string, string> = {};
  const facets: ResolvedGroup['facets'] = {
    ...(target.role ? { roles: [target.role] } : {}),
    ...(target.families ? { families: target.families } : {}),
  };
  let name = target.base;
  if (filters.seniority) {
    facets.seniority = filters.seniority;
    definition.seniority = filters.seniority.join('|');
    name = `${filters.seniority.join('/')} ${name}`;
  }
  if (filters.workplace) {
    facets.workplace = filters.workplace;
    definition.workplace = filters.workplace.join('|');
    name = `${filters.workplace.join('/')} ${name}`;
  }
  if (filters.company) {
    facets.companyWords = filters.company;
    definition.company = filters.companyLabel ?? filters.company.join(' ');
    name = `${name} at ${definition.company}`;
  }
  if (filters.posted) {
    const { from, to } = filters.posted;
    if (from) facets.postedFrom = from;
    if (to) facets.postedTo = to;
    definition.posted = from === to ? from! : `${from ?? ''}..${to ?? ''}`;
    name = `${name} (posted ${definition.posted})`;
  }
  if (filters.lang) {
    facets.languages = filters.lang;
    definition.lang = filters.lang.join('|');
    name = `${name} (${definition.lang})`;
  }
  if (filters.source) {
    facets.sourcePrefix = filters.source;
    definition.source = filters.source;
    name = `${name} (source ${filters.source})`;
  }
  return {
    name,
    definition: { role: target.base, filters: definition },
    ...(target.role ? { role: target.role } : {}),
    ...(target.families ? { families: target.families } : {}),
    facets,
    wholeRole: Boolean(target.role) && Object.keys(definition).length === 0,
  };
}
