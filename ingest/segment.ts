/**
 * Splits an offer description into sections (missions, requirements, …) at the employer's own
 * headings. Pure: text in, sections out.
 *
 * A heading is either marked (`## Heading`) or an unmarked line that looks like one (short, and
 * ending with ':' or '?', in capitals, wrapped in ** or equal to a known cue). Unmarked lines only
 * count when a cue names their kind, so "Tools we use:" stays in the body it belongs to. The cue
 * tables live in section-cues.json so they can grow without code changes.
 *
 * Text that no heading classifies (the preamble, an unknown `## Heading`) is classified by what it
 * says: an intro about the company, a list of duties, a list of requirements; otherwise "other".
 * Boilerplate prose (equal opportunity, how to apply, pay transparency, privacy) is split off into
 * "other" sections wherever a paragraph ends with it, so it never counts as a requirement.
 *
 * Invariant (relied on by chunking and citations): every section's text is a verbatim substring
 * of renderOfferText(sections), which is the offer's normalised text.
 */

import type { Section, SectionKind } from '../src/types.ts';
import { SECTION_KINDS } from '../src/types.ts';
import { foldAccents, foldText } from '../src/catalog/normalize.ts';
import { LINE_BULLET } from '../src/util/bullets.ts';
import { expects, fileProblems, problemList } from '../src/schema-messages.ts';
import { z } from 'zod';
import cueData from './section-cues.json' with { type: 'json' };
import { stripTrailingRun } from './text-edges.ts';

export interface SegmentOptions {
  /** Sections the source delimits itself (JSON-LD responsibilities, qualifications…), appended. */
  presetSections?: Section[];
}

interface CueTables {
  headings: Array<{ kind: SectionKind; pattern: RegExp; whole: RegExp }>;
  content: Array<{ kind: SectionKind; pattern: RegExp }>;
  boilerplate: RegExp[];
}

/** The cue file's shape: patterns per section kind, in the order they are tried, and boilerplate patterns. */
const PATTERN_EXPECTED = 'must be a non-empty pattern';
const patternList = z.array(z.string(expects(PATTERN_EXPECTED)).min(1, PATTERN_EXPECTED), expects('must be an array of patterns'));
const byKind = z.record(z.enum(SECTION_KINDS, expects(`must be a section kind (${SECTION_KINDS.join(', ')})`)), patternList, expects('must be an object of patterns per section kind'));
const cueFileSchema = z.object({ $comment: z.string().optional(), headings: byKind, content: byKind, boilerplate: patternList }).strict();

const CUES: CueTables = compileCues(cueData);

/** A heading line never has more words than this; longer lines are sentences. */
const MAX_HEADING_WORDS = 10;
const MAX_HEADING_CHARS = 80;
const MAX_LEAD_IN_WORDS = 30;
/** How many content-cue points a body needs to get a kind (and it must lead the runner-up). */
const MIN_CONTENT_SCORE = 2;
/** One pattern repeated in every bullet counts at most this often. */
const CONTENT_CUE_CAP = 4;
const BOILERPLATE_WEIGHT = 3;

/** The opening of a `## Heading`; its closing `#`s are stripped by hand (see markedHeading). */
const MARKED_HEADING = /^\s{0,3}(#{1,6})[ \t]+/;
/** Read on a trimmed line; `\s*(?::\s*)?$`, not `\s*:?\s*$`, whose two blank runs can split a long run of blanks every way. */
const BOLD_LINE = /^(?:\*\*|__)(.+?)(?:\*\*|__)\s*(?::\s*)?$/;

export function segmentOffer(description: string, options: SegmentOptions = {}): Section[] {
  const blocks = splitAtHeadings(description.replace(/\r\n?/g, '\n').split('\n'));
  const sections: Section[] = [];
  let enclosing: { kind: SectionKind; level: number } | undefined;
  let lastNamed: SectionKind | undefined;

  for (const block of blocks) {
    const body = cleanBody(block.lines);
    const heading = block.heading;
    // Sections one at a time, never push(...): a 100k-character body can cut tens of thousands.
    if (!heading) {
      for (const section of classifyLoose(body)) sections.push(section);
      continue;
    }
    let kind = heading.kind;
    // A sub-heading with no cue ("### Technical" under "## Requirements") belongs to its parent.
    if (!kind && enclosing && heading.level > enclosing.level) kind = enclosing.kind;
    // So does one at the same level when its body says nothing clear: converters often flatten
    // bold sub-headings ("Health and wellbeing" after "What we offer") to the level of the section.
    if (!kind) {
      const fromBody = classifyBody(body);
      kind = fromBody === 'other' && lastNamed && !isBoilerplate(`${heading.text}\n${body}`) ? lastNamed : fromBody;
    }
    if (heading.kind) lastNamed = heading.kind;
    if (heading.kind) enclosing = { kind: heading.kind, level: heading.level };
    else if (!enclosing || heading.level <= enclosing.level) enclosing = undefined;
    for (const section of splitBoilerplate({ kind, heading: heading.text, text: body })) sections.push(section);
  }

  const preset = (options.presetSections ?? []).map((section) => {
    const text = cleanBody(section.text.split('\n'));
    const heading = section.heading ? cleanHeading(section.heading) : undefined;
    return heading ? { kind: section.kind, heading, text } : { kind: section.kind, text };
  });
  // The one exit, so every path keeps the invariant: sections are cut at line and paragraph
  // boundaries, and a piece may start with an indented line (" !" after a boilerplate paragraph).
  return [...sections, ...preset].flatMap((section) => {
    const text = section.text.trim();
    return text ? [{ ...section, text }] : [];
  });
}

/**
 * The offer's normalised text: each section as its heading line then its text, separated by a
 * blank line. Every section's text is therefore a verbatim substring of the result.
 */
export function renderOfferText(sections: Section[]): string {
  return sections.map((section) => (section.heading ? `${section.heading}\n${section.text}` : section.text)).join('\n\n');
}

/** The section kind a heading names, or undefined when no cue matches it. */
export function headingKind(heading: string): SectionKind | undefined {
  return matchHeading(normalizeHeading(heading))?.kind;
}

// ---------------------------------------------------------------------------------------------
// Headings

interface Heading {
  text: string;
  kind: SectionKind | undefined;
  /** 1–6 for `#` headings; unmarked headings sit below every marked level. */
  level: number;
}

interface Block {
  heading?: Heading;
  lines: string[];
}

function splitAtHeadings(lines: string[]): Block[] {
  const blocks: Block[] = [{ lines: [] }];
  for (const line of lines) {
    const heading = readHeading(line);
    if (heading) blocks.push({ heading, lines: [] });
    else (blocks.at(-1) as Block).lines.push(line);
  }
  return blocks;
}

/**
 * `## Heading ##` → its level and text. As one regex (`(.*?)[ \t]*#*[ \t]*$`) a heading line
 * ending in a long run of blanks took cubic time: the closing hashes are stripped by hand.
 */
function markedHeading(line: string): { level: number; text: string } | undefined {
  const marker = MARKED_HEADING.exec(line);
  if (!marker) return undefined;
  return { level: marker[1]!.length, text: stripTrailingRun(line.slice(marker[0].length).trimEnd(), '#') };
}

function readHeading(line: string): Heading | undefined {
  const marked = markedHeading(line);
  if (marked) {
    const text = cleanHeading(marked.text);
    return text ? { text, kind: headingKind(text), level: marked.level } : undefined;
  }
  if (LINE_BULLET.test(line)) return undefined;
  const trimmed = line.trim();
  const bold = BOLD_LINE.exec(trimmed);
  const text = cleanHeading(bold?.[1] ?? trimmed);
  if (!text) return undefined;
  if (text.length > MAX_HEADING_CHARS || text.split(/\s+/).length > MAX_HEADING_WORDS) return readLeadIn(trimmed, text);
  // "Location: Remote" or "Salary: 100k" is a field, not a heading.
  if (/[.;,]$/.test(text) || /:\s*\S/.test(text)) return undefined;

  const normalized = normalizeHeading(text);
  const match = matchHeading(normalized);
  if (!match) return undefined;
  const looksLikeHeading = bold !== null || /[:?]$/.test(trimmed) || isCapitals(text) || match.whole;
  return looksLikeHeading ? { text, kind: match.kind, level: 7 } : undefined;
}

/**
 * A sentence ending with ':' that says the list after it is optional ("The following skills would
 * be an advantage, but are not essential:") opens a nice-to-have section, however long it is.
 */
function readLeadIn(trimmed: string, text: string): Heading | undefined {
  if (!trimmed.endsWith(':') || text.split(/\s+/).length > MAX_LEAD_IN_WORDS) return undefined;
  const match = matchHeading(normalizeHeading(text));
  return match?.kind === 'nice_to_have' ? { text, kind: 'nice_to_have', level: 7 } : undefined;
}

/** The heading as the employer wrote it, without markdown emphasis or a trailing colon. */
function cleanHeading(raw: string): string {
  return stripTrailingRun(raw.replace(/\*\*|__/g, '').trim(), ':').trim();
}

function normalizeHeading(heading: string): string {
  return foldText(heading)
    .replace(/^\s*(?:\d{1,2}|[ivx]{1,4})[.)]\s+/, '')
    .replace(/[^a-z0-9'&]+/g, ' ')
    .trim();
}

/**
 * The earliest cue in the heading wins, and the longest of those starting there: "What experience
 * do you need for this position" is about requirements, "About the role" about missions (not the
 * company), "Preferred qualifications" a nice-to-have.
 *
 * Except that a nice-to-have cue wins over a requirements or missions cue anywhere in the heading:
 * it qualifies them ("Which skills are bonus points?", "These technologies count as a plus").
 * Adjectives that French uses for the required profile itself ("Profil souhaité") don't.
 */
const PROFILE_ADJECTIVE = /^(?:souhaite|apprecie)/;

type HeadingMatch = { kind: SectionKind; whole: boolean } | undefined;

/**
 * Most short lines are asked about again and again across offers ("Requirements", "About us", a
 * city), and each asking runs every heading cue: the answers are kept, up to a bound.
 */
const headingMatches = new Map<string, HeadingMatch>();
const MAX_KEPT_HEADINGS = 20_000;

function matchHeading(normalized: string): HeadingMatch {
  if (headingMatches.has(normalized)) return headingMatches.get(normalized);
  if (headingMatches.size >= MAX_KEPT_HEADINGS) headingMatches.clear();
  const match = matchHeadingCues(normalized);
  headingMatches.set(normalized, match);
  return match;
}

function matchHeadingCues(normalized: string): HeadingMatch {
  let best: { kind: SectionKind; index: number; length: number; whole: boolean } | undefined;
  const niceToHave: Array<{ index: number; end: number }> = [];
  for (const cue of CUES.headings) {
    const match = cue.pattern.exec(normalized);
    if (!match) continue;
    if (cue.kind === 'nice_to_have' && !PROFILE_ADJECTIVE.test(match[0])) niceToHave.push({ index: match.index, end: match.index + match[0].length });
    const better = !best || match.index < best.index || (match.index === best.index && match[0].length > best.length);
    if (better) best = { kind: cue.kind, index: match.index, length: match[0].length, whole: cue.whole.test(normalized) };
  }
  // A nice-to-have word inside the winning cue ("atouts du candidat") is part of it, not a qualifier.
  const qualified = best && niceToHave.some((m) => m.index >= best.index + best.length || m.end <= best.index);
  if (best && qualified && (best.kind === 'requirements' || best.kind === 'missions')) return { kind: 'nice_to_have', whole: best.whole };
  return best && { kind: best.kind, whole: best.whole };
}

function isCapitals(text: string): boolean {
  const letters = text.replace(/[^\p{L}]/gu, '');
  return letters.length >= 3 && letters === letters.toUpperCase() && letters !== letters.toLowerCase();
}

// ---------------------------------------------------------------------------------------------
// Bodies

/** Trailing spaces dropped, runs of blank lines made one, blank edges trimmed. */
function cleanBody(lines: string[]): string {
  return lines
    .map((line) => line.trimEnd())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

function paragraphs(body: string): string[] {
  return body.split(/\n\n/).filter((paragraph) => paragraph.trim().length > 0);
}

interface Piece {
  kind: SectionKind;
  text: string;
  /** What separated this piece from the previous one in the body: a line break or a blank line. */
  separator: string;
}

/** Joins neighbouring pieces of the same kind back together with their original separators. */
function mergeRuns(pieces: Piece[]): Section[] {
  const sections: Section[] = [];
  for (const piece of pieces) {
    const last = sections.at(-1);
    if (last && last.kind === piece.kind) last.text = `${last.text}${piece.separator}${piece.text}`;
    else sections.push({ kind: piece.kind, text: piece.text });
  }
  return sections;
}

/**
 * Text without a heading: split into prose and lists, classify each part, and merge neighbours of
 * the same kind. A prose line ending in ':' travels with the list it introduces.
 */
function classifyLoose(body: string): Section[] {
  const parts: Array<{ lines: string[]; isList: boolean; separator: string }> = [];
  for (const paragraph of paragraphs(body)) {
    let separator = '\n\n';
    for (const line of paragraph.split('\n')) {
      const isList = LINE_BULLET.test(line);
      const last = parts.at(-1);
      const introducesList = isList && last !== undefined && !last.isList && last.lines.length === 1 && /:$/.test(last.lines[0] ?? '');
      if (last && separator === '\n' && (isList === last.isList || introducesList)) {
        last.lines.push(line);
        last.isList = isList;
      } else {
        parts.push({ lines: [line], isList, separator });
      }
      separator = '\n';
    }
  }
  return mergeRuns(
    parts.map((part) => {
      const text = part.lines.join('\n');
      return { kind: classifyBody(text), text, separator: part.separator };
    }),
  );
}

/** The kind a body's wording points at, "other" when nothing leads clearly. */
export function classifyBody(body: string): SectionKind {
  const text = foldText(body);
  const scores = new Map<SectionKind, number>();
  for (const cue of CUES.content) {
    const count = countMatches(cue.pattern, text, CONTENT_CUE_CAP);
    if (count > 0) scores.set(cue.kind, (scores.get(cue.kind) ?? 0) + count);
  }
  const boilerplate = CUES.boilerplate.filter((pattern) => pattern.test(text)).length;
  if (boilerplate > 0) scores.set('other', (scores.get('other') ?? 0) + boilerplate * BOILERPLATE_WEIGHT);

  const ranked = [...scores].sort((a, b) => b[1] - a[1]);
  const [best, second] = ranked;
  if (!best || best[1] < MIN_CONTENT_SCORE || (second && second[1] === best[1])) return 'other';
  return best[0];
}

/**
 * Splits boilerplate off a section: an equal-opportunity statement at the end of the requirements
 * is not a requirement. Within a paragraph, the boilerplate is the prose tail that starts at the
 * first boilerplate line (paragraphs are not always separated by blank lines, e.g. in PDF text).
 * The heading stays with the first part.
 */
function splitBoilerplate(section: Section): Section[] {
  if (section.kind === 'other') return [section];
  const pieces: Piece[] = [];
  let separator = '\n\n';
  for (const paragraph of paragraphs(section.text)) {
    const lines = paragraph.split('\n');
    const tail = boilerplateTail(lines);
    if (tail > 0) pieces.push({ kind: section.kind, text: lines.slice(0, tail).join('\n'), separator });
    if (tail < lines.length) pieces.push({ kind: 'other', text: lines.slice(tail).join('\n'), separator: tail > 0 ? '\n' : separator });
    separator = '\n\n';
  }
  const [first, ...rest] = mergeRuns(pieces);
  if (!first) return [section];
  return [section.heading ? { kind: first.kind, heading: section.heading, text: first.text } : first, ...rest];
}

/** Index of the first line of the paragraph's boilerplate tail, or lines.length when none. */
function boilerplateTail(lines: string[]): number {
  let tail = lines.length;
  for (let i = lines.length - 1; i >= 0; i--) {
    const line = lines[i] as string;
    if (LINE_BULLET.test(line)) break;
    if (isBoilerplate(line)) tail = i;
  }
  return tail;
}

function isBoilerplate(line: string): boolean {
  const text = foldText(line);
  return CUES.boilerplate.some((pattern) => pattern.test(text));
}

/**
 * Matches of a global cue in `text`, counted up to `cap`: the score takes no more. An `exec` loop
 * on the cue itself, not `matchAll`, which copies the RegExp on every call (71 cues per body).
 */
function countMatches(pattern: RegExp, text: string, cap: number): number {
  pattern.lastIndex = 0;
  let count = 0;
  while (count < cap) {
    const match = pattern.exec(text);
    if (match === null) break;
    count++;
    // As matchAll does: an empty match moves on by one, or the loop would not end.
    if (match[0] === '') pattern.lastIndex++;
  }
  return count;
}

// ---------------------------------------------------------------------------------------------
// Cue tables

/** Ships with the code: a problem in it is a bug, reported with every problem at once. */
export function compileCues(raw: unknown): CueTables {
  const parsed = cueFileSchema.safeParse(raw);
  if (!parsed.success) throw new Error(problemList('section-cues.json', fileProblems(parsed.error)));
  const data = parsed.data;
  const entries = (table: Partial<Record<SectionKind, string[]>>) => Object.entries(table) as Array<[SectionKind, string[]]>;
  const headings = entries(data.headings).flatMap(([kind, sources]) =>
    sources.map((source) => {
      const folded = foldAccents(source);
      return {
        kind,
        pattern: new RegExp(`(?<![a-z0-9])(?:${folded})(?![a-z0-9])`, 'i'),
        whole: new RegExp(`^(?:${folded})$`, 'i'),
      };
    }),
  );
  const content = entries(data.content).flatMap(([kind, sources]) => sources.map((source) => ({ kind, pattern: new RegExp(foldAccents(source), 'gim') })));
  const boilerplate = data.boilerplate.map((source) => new RegExp(foldAccents(source), 'i'));
  return { headings, content, boilerplate };
}
