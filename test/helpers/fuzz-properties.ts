import assert from 'node:assert/strict';
import fc from 'fast-check';
import { normaliseOffer } from '../../ingest/normalise.ts';
import { parseBytes, type ParseResult } from '../../ingest/parse/index.ts';
import { MAX_DESCRIPTION_CHARS } from '../../ingest/text-edges.ts';
import { parsePdf } from '../../ingest/parse/pdf.ts';
import { segmentOffer, renderOfferText } from '../../ingest/segment.ts';
import { loadRoleCatalog } from '../../src/catalog/roles.ts';
import { SourceError } from '../../src/errors.ts';
import { assertLinear, type Growth, measureGrowth, repeated } from './growth.ts';
import { handMadePdf, textPage } from './hostile-pdf.ts';

/**
 * The fuzz properties of the parsers and the segmenter, shared by the quick run in `npm test`
 * (test/unit/fuzz.test.ts) and the long one (scripts/fuzz.ts --runs N). What they promise:
 * whatever the bytes, a parse ends with offers or SourceErrors (never another exception, never a
 * parser failure), descriptions stay under their cap, the segmenter keeps its invariant (every
 * section's text is trimmed and verbatim in the offer's text), and parsing time grows linearly
 * with the input, whatever it repeats.
 */

export interface FuzzBudget {
  /** Runs per property. */
  runs: number;
  seed: number;
  /** Collects each run's input size and time, for the long run's report. */
  stats?: FuzzStats;
}

/** The slowest run per byte: inputs count as at least 64 KiB, so the fixed cost of a call does not read as a cost per byte. */
export class FuzzStats {
  maxMsPerMB = 0;
  /** What the slowest run read, when the property says. */
  slowest?: string | undefined;
  record(bytes: number, ms: number, input?: string): void {
    const msPerMB = (ms / Math.max(bytes, 64 * 1024)) * 2 ** 20;
    if (msPerMB <= this.maxMsPerMB) return;
    this.maxMsPerMB = msPerMB;
    this.slowest = input;
  }
}

/** Runs `check` on `input`, timed into the budget's stats. */
async function timed<T>(budget: FuzzBudget, bytes: number, check: () => T | Promise<T>): Promise<T> {
  const started = performance.now();
  try {
    return await check();
  } finally {
    budget.stats?.record(bytes, performance.now() - started);
  }
}

const EXTENSIONS = [undefined, '.md', '.txt', '.html', '.json', '.jsonl', '.csv', '.pdf'] as const;

/** Pieces that reach the interesting branches of every format when glued at random. */
const PIECES = [
  '<html>', '<body>', '<main>', '<div>', '</div>', '<p>', '</p>', '<h2>', '</h2>', '<ul><li>', '</li></ul>', '<script>', '</script>',
  '<script type="application/ld+json">', '{"@type":"JobPosting","title":"SRE","description":"', '"}', '<!--', '-->', '&lt;', '&amp;',
  '{', '}', '[', ']', '"', ',', ':', '\\', '\n', '\r\n', '\t', '---\n', 'title: x\n', '# ', '## ', '- ', '* ', '1. ', '**', '|',
  'title,description\n', '"a ""b""",', 'Missions', 'Requirements', 'Profil recherché', 'Kubernetes', 'on-call', 'é', '\u00a0', '\u200b',
  '\uFEFF', '\uFFFD', '😀', ' ', 'word ', 'Word. ', '%PDF-1.7',
];

const roles = loadRoleCatalog();
const encoder = new TextEncoder();

function checkParse(result: ParseResult): void {
  for (const problem of result.problems) {
    assert.ok(problem instanceof SourceError, String(problem));
    assert.doesNotMatch(problem.message, /unexpected parser failure/);
  }
  for (const offer of result.offers) {
    assert.ok(offer.description.length <= MAX_DESCRIPTION_CHARS);
    const normalised = normaliseOffer(offer, { roles });
    for (const section of normalised.sections) assert.ok(normalised.text.includes(section.text));
  }
}

const grammarText = (maxLength: number) => fc.string({ unit: fc.constantFrom(...PIECES), maxLength });

/** Random bytes, with and without a BOM, under every extension and none. */
export const parseRandomBytes = (budget: FuzzBudget) =>
  fc.assert(
    fc.asyncProperty(
      fc.uint8Array({ maxLength: 600 }),
      fc.constantFrom(new Uint8Array(), new Uint8Array([0xef, 0xbb, 0xbf]), new Uint8Array([0xff, 0xfe])),
      fc.constantFrom(...EXTENSIONS.filter((e) => e !== '.pdf')),
      async (body, bom, extension) => {
        const bytes = new Uint8Array([...bom, ...body]);
        checkParse(await timed(budget, bytes.length, () => parseBytes(bytes, 'fuzz', { extension })));
      },
    ),
    { numRuns: budget.runs, seed: budget.seed },
  );

/** Text glued from pieces of every format, under every text extension and none. */
export const parseGrammarText = (budget: FuzzBudget) =>
  fc.assert(
    fc.asyncProperty(grammarText(80), fc.constantFrom(...EXTENSIONS.filter((e) => e !== '.pdf')), async (text, extension) => {
      const bytes = encoder.encode(text);
      checkParse(await timed(budget, bytes.length, () => parseBytes(bytes, 'fuzz', { extension })));
    }),
    { numRuns: budget.runs, seed: budget.seed },
  );

/** A valid PDF with bytes overwritten at random: an offer or a SourceError, through the worker. */
export const parseMutatedPdf = (budget: FuzzBudget) => {
  const pdf = handMadePdf([textPage(['Release Engineer', 'Ship the firmware every fortnight.', 'REQUIREMENTS', '- Patience with hardware.'])]);
  return fc.assert(
    fc.asyncProperty(fc.array(fc.tuple(fc.nat({ max: pdf.length - 1 }), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 8 }), async (edits) => {
      const bytes = pdf.slice();
      for (const [at, value] of edits) bytes[at] = value;
      try {
        checkParse({ offers: [await timed(budget, bytes.length, () => parsePdf(bytes, 'fuzz.pdf', { timeoutMs: 10_000 }))], problems: [] });
      } catch (error) {
        assert.ok(error instanceof SourceError, String(error));
      }
    }),
    { numRuns: budget.runs, seed: budget.seed },
  );
};

/** The segmenter's invariant on arbitrary descriptions, headings and cues included. */
export const segmentAnyDescription = (budget: FuzzBudget) =>
  fc.assert(
    fc.asyncProperty(grammarText(120), async (description) => {
      const sections = await timed(budget, description.length, () => segmentOffer(description));
      const text = renderOfferText(sections);
      for (const section of sections) {
        assert.ok(section.text.length > 0, 'no empty section');
        assert.equal(section.text, section.text.trim(), 'sections are trimmed');
        assert.ok(text.includes(section.text), 'section text verbatim in the offer text');
      }
    }),
    { numRuns: budget.runs, seed: budget.seed },
  );

/** Pieces that open a construct (a link, a span, a tag, a heading) and may never close it. */
const OPENERS = ['[', '![', '](', '`', '**', '__', '*', '_', '<', '<a', '<b ', '<!--', '<script>', '&', '#', '|', ':', ' ', '\t', '\\', '-'];
const PREFIXES = ['', '# ', '## a', '**a**', '- ', '<p>', '[a](', '`', '---\ntitle: a', '| a'];
const TEXT_EXTENSIONS = EXTENSIONS.filter((e) => e !== undefined && e !== '.pdf');

/** What a dataset's description cell or a page holds: `body`, in the format of `extension`. */
function document(extension: string, body: string): string {
  if (extension === '.csv') return `title,description\nSRE,"${body.replaceAll('"', '""')}"\n`;
  if (extension === '.json' || extension === '.jsonl') return JSON.stringify({ title: 'SRE', description: body });
  return body;
}

/** Parse and normalise, the whole text path of one offer. */
async function parseAndNormalise(text: string, extension: string): Promise<void> {
  const result = await parseBytes(encoder.encode(text), 'fuzz', { extension });
  for (const offer of result.offers) normaliseOffer(offer, { roles });
}

/** How the parse of `unit` repeated after `prefix` (and before `suffix`), in `extension`'s format, grows with its length. */
export function textGrowth(extension: string, prefix: string, unit: string, suffix = ''): Promise<Growth> {
  const input = repeated(prefix, unit, suffix);
  return measureGrowth((text) => parseAndNormalise(text, extension), (size) => document(extension, input(size)));
}

/**
 * Parsing time grows linearly with the input, whatever it repeats: a run of one piece (an
 * unclosed bracket, backtick, tag or emphasis) after a prefix, in every text format. Quadratic
 * regexes made 1 MB of `[` run for minutes; see test/helpers/growth.ts for how it is measured.
 */
export const linearTime = (budget: FuzzBudget) =>
  fc.assert(
    fc.asyncProperty(
      fc.constantFrom(...PREFIXES),
      fc.string({ unit: fc.constantFrom(...OPENERS, ...PIECES), minLength: 1, maxLength: 3 }),
      fc.constantFrom('', 'x', '\nx'),
      fc.constantFrom(...TEXT_EXTENSIONS),
      async (prefix, unit, suffix, extension) => {
        const growth = await textGrowth(extension, prefix, unit, suffix);
        budget.stats?.record(2 ** 20, growth.msPerMB, JSON.stringify([extension, prefix, unit, suffix]));
        assertLinear(growth);
      },
    ),
    { numRuns: budget.runs, seed: budget.seed },
  );

export const FUZZ_PROPERTIES = { parseRandomBytes, parseGrammarText, parseMutatedPdf, segmentAnyDescription, linearTime } as const;
