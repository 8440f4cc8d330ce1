/**
 * The theme catalogue: what offers talk about (Kubernetes, on-call, years of experience…), as data
 * in catalog/themes.json so a user file can add themes or patterns without touching code.
 *
 * Patterns are regular expressions matched case-insensitively on accent-folded text. Folding keeps
 * every character at its offset, so the spans themeSpans returns cut quotes out of the original.
 * Every pattern is compiled once per catalogue, into one alternation per theme.
 */

import { isRecord } from '../util/guards.ts';
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { FatalError } from '../errors.ts';
import { expects, fileProblems, problemList } from '../schema-messages.ts';
import { SECTION_KINDS } from '../types.ts';
import builtIn from './themes.json' with { type: 'json' };
import { foldAccents } from './normalize.ts';

export const THEME_CATEGORIES = ['tool', 'practice', 'skill', 'soft', 'context'] as const;
export type ThemeCategory = (typeof THEME_CATEGORIES)[number];

interface ThemeMatcher {
  /** For yes/no tagging: no `g` flag, so no lastIndex state between texts. */
  test: RegExp;
  /** For spans, through matchAll (which copies the regex, so this one is never advanced). */
  find: RegExp;
}

export interface ThemeCatalog {
  readonly themes: readonly ThemeEntry[];
  /** One compiled alternation per theme, in catalogue order. */
  readonly matchers: ReadonlyMap<string, ThemeMatcher>;
  /** Pre-check: which themes a word start can trigger, and the themes that must always run. */
  readonly triggers: TriggerIndex;
}

// ---------------------------------------------------------------------------------------------
// Loading and validation

const THEME_ID = /^[a-z0-9][a-z0-9_]*$/;
const ID_EXPECTED = 'must be a lower-case identifier like "on_call"';
const TEXT_EXPECTED = 'must be a non-empty string';
const PATTERNS_EXPECTED = 'must be a non-empty array of strings';
const ASPECTS_EXPECTED = `must list section kinds (${SECTION_KINDS.join(', ')})`;

const pattern = z.string(expects('must be a string')).superRefine((source, context) => {
  try {
    const compiled = new RegExp(foldAccents(source), 'i');
    // An empty match would tag every text and give zero-length quotes.
    if (compiled.test('')) context.addIssue({ code: z.ZodIssueCode.custom, message: `matches the empty string (/${source}/)` });
  } catch (error) {
    context.addIssue({ code: z.ZodIssueCode.custom, message: `is not a valid regular expression (${(error as Error).message})` });
  }
});

const themeEntrySchema = z.object(
  {
    id: z.string(expects(ID_EXPECTED)).regex(THEME_ID, ID_EXPECTED),
    label: z.string(expects(TEXT_EXPECTED)).trim().min(1, TEXT_EXPECTED),
    category: z.enum(THEME_CATEGORIES, expects(`must be one of ${THEME_CATEGORIES.join(', ')}`)),
    // Before aspects: a parsed entry keeps this key order, which the catalogue's version hash
    // (derivationOf, in every offer's content hash) reads: another order would re-embed every offer.
    patterns: z.array(pattern, expects(PATTERNS_EXPECTED)).min(1, PATTERNS_EXPECTED),
    /** The sections where the theme usually matters; a hint for query planning, not a filter. */
    aspects: z
      .array(z.enum(SECTION_KINDS, expects(`must be one of ${SECTION_KINDS.join(', ')}`)), expects(ASPECTS_EXPECTED))
      .min(1, ASPECTS_EXPECTED)
      .optional(),
  },
  expects('must be an object'),
)
  // Strict inside: a misspelt "pattern" would otherwise be dropped without a word.
  .strict();

export type ThemeEntry = z.infer<typeof themeEntrySchema>;

/**
 * A catalogue file, whose entries for one of `knownIds` extend a known theme: they may give only
 * `id` and `patterns`, the label and category being the known theme's (the defaults filled in
 * here are never used, mergeThemeCatalogData keeps the known ones).
 */
function themeCatalogSchema(knownIds: ReadonlySet<string>) {
  const entry = z.preprocess(
    (value) => (isRecord(value) && typeof value.id === 'string' && knownIds.has(value.id) ? { label: value.id, category: 'tool', ...value } : value),
    themeEntrySchema,
  );
  // Before the entries are parsed, so that a repeated id is reported along with their problems.
  const entries = z.preprocess((value, context) => {
    if (!Array.isArray(value)) return value;
    const seen = new Set<string>();
    value.forEach((item, i) => {
      const id = isRecord(item) && typeof item.id === 'string' ? item.id : '';
      if (id && seen.has(id)) context.addIssue({ code: z.ZodIssueCode.custom, path: [i, 'id'], message: `"${id}" appears twice` });
      seen.add(id);
    });
    return value;
  }, z.array(entry, expects('must be an array')));
  return z.object({ themes: entries }, expects('must hold an object with a "themes" array'));
}

/** The built-in catalogue, merged with a user file of the same shape when a path is given. */
export function loadThemeCatalog(extraPath?: string): ThemeCatalog {
  const base = parseThemeCatalogData(builtIn, 'built-in themes.json');
  if (!extraPath) return buildThemeCatalog(base);
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(extraPath, 'utf8'));
  } catch (error) {
    throw new FatalError(`Cannot read the theme catalogue ${extraPath}`, 'Give a readable JSON file shaped like src/catalog/themes.json.', {
      cause: error,
    });
  }
  const knownIds = new Set(base.map((theme) => theme.id));
  return buildThemeCatalog(mergeThemeCatalogData(base, parseThemeCatalogData(raw, extraPath, { knownIds })));
}

/**
 * Checks a catalogue's shape and every pattern, reporting all problems at once, one a line. In a
 * user's extra file, an entry for one of `knownIds` may give only `id` and `patterns`.
 */
export function parseThemeCatalogData(raw: unknown, origin: string, options: { knownIds?: ReadonlySet<string> } = {}): ThemeEntry[] {
  const parsed = themeCatalogSchema(options.knownIds ?? new Set()).safeParse(raw);
  if (!parsed.success) {
    throw new FatalError(
      problemList(`Invalid theme catalogue ${origin}`, fileProblems(parsed.error)),
      'Each theme is { "id", "label", "category", "patterns": ["regex", …] }; see src/catalog/themes.json.',
    );
  }
  return parsed.data.themes;
}

/** New ids are appended; a known id gets its patterns (and aspects) extended, keeping its label. */
export function mergeThemeCatalogData(base: ThemeEntry[], extra: ThemeEntry[]): ThemeEntry[] {
  const merged = base.map((entry) => ({ ...entry }));
  for (const entry of extra) {
    const existing = merged.find((theme) => theme.id === entry.id);
    if (!existing) {
      merged.push({ ...entry });
      continue;
    }
    existing.patterns = [...new Set([...existing.patterns, ...entry.patterns])];
    if (entry.aspects) existing.aspects = [...new Set([...(existing.aspects ?? []), ...entry.aspects])];
  }
  return merged;
}

export function buildThemeCatalog(themes: ThemeEntry[]): ThemeCatalog {
  const matchers = new Map<string, ThemeMatcher>();
  for (const theme of themes) {
    const source = theme.patterns.map((p) => `(?:${foldAccents(p)})`).join('|');
    matchers.set(theme.id, { test: new RegExp(source, 'i'), find: new RegExp(source, 'gi') });
  }
  return { themes, matchers, triggers: buildTriggerIndex(themes) };
}

// ---------------------------------------------------------------------------------------------
// Matching

/**
 * The ids of every theme the text mentions, sorted. Running ~100 regexes over every chunk is the
 * main cost of indexing, so a theme's regex only runs when the text has a word starting the way
 * one of its patterns starts (most themes are absent from most chunks).
 */
export function tagThemes(text: string, catalog: ThemeCatalog): string[] {
  return tagFolded(foldAccents(text), catalog);
}

/**
 * The themes of tagThemes, each with its number of mentions (the spans themeSpans gives), the
 * text folded once: what indexing a chunk needs (ingest/chunk.ts).
 */
export function themeMentions(text: string, catalog: ThemeCatalog): Map<string, number> {
  const folded = foldAccents(text);
  return new Map(tagFolded(folded, catalog).map((id) => [id, spansInFolded(folded, catalog.matchers.get(id)!).length]));
}

function tagFolded(folded: string, catalog: ThemeCatalog): string[] {
  const ids: string[] = [];
  for (const id of candidateThemes(folded, catalog.triggers)) {
    if (catalog.matchers.get(id)?.test.test(folded)) ids.push(id);
  }
  return ids.sort();
}

/** Where the theme is mentioned: [start, end) offsets into `text`, sorted, overlaps merged. */
export function themeSpans(text: string, themeId: string, catalog: ThemeCatalog): Array<[number, number]> {
  const matcher = catalog.matchers.get(themeId);
  return matcher ? spansInFolded(foldAccents(text), matcher) : [];
}

/** themeSpans over text already folded (offsets are the same: folding keeps every position). */
function spansInFolded(folded: string, matcher: ThemeMatcher): Array<[number, number]> {
  const spans: Array<[number, number]> = [];
  for (const match of folded.matchAll(matcher.find)) {
    const start = match.index;
    const end = start + match[0].length;
    if (end === start) continue;
    const last = spans.at(-1);
    if (last && start <= last[1]) last[1] = Math.max(last[1], end);
    else spans.push([start, end]);
  }
  return spans;
}

// ---------------------------------------------------------------------------------------------
// Pre-check: a pattern starting with \b and a literal can only match where a word starts that way.

interface TriggerIndex {
  /** A word start (2 to MAX_TRIGGER letters, lower case) → the themes it may trigger. */
  byStart: ReadonlyMap<string, readonly string[]>;
  /** The distinct lengths of the keys of byStart. */
  lengths: readonly number[];
  /** Themes with a pattern that cannot be pre-checked ("[$€] ?\d…"): their regex always runs. */
  always: readonly string[];
}

const MAX_TRIGGER = 6;

function buildTriggerIndex(themes: readonly ThemeEntry[]): TriggerIndex {
  const byStart = new Map<string, string[]>();
  const always: string[] = [];
  for (const theme of themes) {
    const starts = theme.patterns.map((pattern) => literalStarts(foldAccents(pattern)));
    if (starts.some((list) => list === undefined)) {
      always.push(theme.id);
      continue;
    }
    for (const start of new Set(starts.flat() as string[])) {
      const key = start.slice(0, MAX_TRIGGER);
      const ids = byStart.get(key) ?? [];
      if (!ids.includes(theme.id)) ids.push(theme.id);
      byStart.set(key, ids);
    }
  }
  const lengths = [...new Set([...byStart.keys()].map((key) => key.length))].sort((a, b) => a - b);
  return { byStart, lengths, always };
}

function candidateThemes(folded: string, index: TriggerIndex): Set<string> {
  const candidates = new Set(index.always);
  for (const word of new Set(folded.toLowerCase().match(/\w+/g))) {
    for (const length of index.lengths) {
      if (length > word.length) break;
      const ids = index.byStart.get(word.slice(0, length));
      if (ids) for (const id of ids) candidates.add(id);
    }
  }
  return candidates;
}

/**
 * The literal texts a pattern must start with right after a leading \b: "\bkube…" → ["kube"],
 * "\b(eks|gke)\b" → ["eks", "gke"]. Undefined (no pre-check possible) unless every alternative
 * begins with at least two plain letters or digits: conservative on purpose, a wrong answer here
 * would silently drop a theme.
 */
function literalStarts(pattern: string): string[] | undefined {
  const starts: string[] = [];
  for (const alternative of splitTopLevel(pattern)) {
    const found = alternative.startsWith('\\b') ? alternativeStarts(alternative.slice(2)) : undefined;
    if (!found) return undefined;
    starts.push(...found);
  }
  return starts;
}

function alternativeStarts(source: string): string[] | undefined {
  if (source.startsWith('(')) {
    const close = closingParen(source);
    if (close < 0 || /^[?*{]/.test(source.slice(close + 1))) return undefined;
    const inner = source.slice(source.startsWith('(?:') ? 3 : 1, close);
    if (inner.startsWith('?')) return undefined;
    const starts: string[] = [];
    for (const alternative of splitTopLevel(inner)) {
      const found = alternativeStarts(alternative);
      if (!found) return undefined;
      starts.push(...found);
    }
    return starts;
  }
  // A letter followed by ?, * or { is optional: the literal start stops before it.
  const literal = /^[a-zA-Z0-9]*/.exec(source)?.[0] ?? '';
  const required = /[?*{]/.test(source.charAt(literal.length)) ? literal.slice(0, -1) : literal;
  return required.length >= 2 ? [required.toLowerCase()] : undefined;
}

/** Index of the parenthesis closing the group that opens `source`, or -1. */
function closingParen(source: string): number {
  let depth = 0;
  for (const [i, char] of structuralChars(source)) {
    if (char === '(') depth++;
    else if (char === ')' && --depth === 0) return i;
  }
  return -1;
}

/** The alternatives of a pattern or a group's body, split at its own (depth 0) '|'. */
function splitTopLevel(body: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (const [i, char] of structuralChars(body)) {
    if (char === '(') depth++;
    else if (char === ')') depth--;
    else if (char === '|' && depth === 0) {
      parts.push(body.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(body.slice(start));
  return parts;
}

/** The characters of a regex source that can open, close or split groups: not escaped, not in […]. */
function* structuralChars(source: string): Generator<[number, string]> {
  let inClass = false;
  for (let i = 0; i < source.length; i++) {
    const char = source.charAt(i);
    if (char === '\\') i++;
    else if (inClass) inClass = char !== ']';
    else if (char === '[') inClass = true;
    else yield [i, char];
  }
}

export function themeLabel(id: string, catalog: ThemeCatalog): string {
  return catalog.themes.find((theme) => theme.id === id)?.label ?? id;
}

/** The theme's category, or '' for an id the catalogue does not know. */
export function themeCategory(id: string, catalog: ThemeCatalog): ThemeCategory | '' {
  return catalog.themes.find((theme) => theme.id === id)?.category ?? '';
}


