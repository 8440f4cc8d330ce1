import assert from 'node:assert/strict';
import fc from 'fast-check';
import { normaliseOffer } from '../../ingest/normalise.ts';
import { MAX_DESCRIPTION_CHARS, parseBytes, type ParseResult } from '../../ingest/parse/index.ts';
import { parsePdf } from '../../ingest/parse/pdf.ts';
import { segmentOffer, renderOfferText } from '../../ingest/segment.ts';
import { loadRoleCatalog } from '../../src/catalog/roles.ts';
import { SourceError } from '../../src/errors.ts';
import { handMadePdf, textPage } from './hostile-pdf.ts';

/**
 * The fuzz properties of the parsers and the segmenter, shared by the quick run in `npm test`
 * (test/unit/fuzz.test.ts) and the long one (scripts/fuzz.ts --runs N). What they promise:
 * whatever the bytes, a parse ends with offers or SourceErrors (never another exception, never a
 * parser failure), descriptions stay under their cap, and the segmenter keeps its invariant
 * (every section's text is verbatim in the offer's text).
 */

export interface FuzzBudget {
  /** Runs per property. */
  runs: number;
  seed: number;
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
      async (body, bom, extension) => checkParse(await parseBytes(new Uint8Array([...bom, ...body]), 'fuzz', { extension })),
    ),
    { numRuns: budget.runs, seed: budget.seed },
  );

/** Text glued from pieces of every format, under every text extension and none. */
export const parseGrammarText = (budget: FuzzBudget) =>
  fc.assert(
    fc.asyncProperty(grammarText(80), fc.constantFrom(...EXTENSIONS.filter((e) => e !== '.pdf')), async (text, extension) =>
      checkParse(await parseBytes(encoder.encode(text), 'fuzz', { extension })),
    ),
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
        checkParse({ offers: [await parsePdf(bytes, 'fuzz.pdf', { timeoutMs: 10_000 })], problems: [] });
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
    fc.property(grammarText(120), (description) => {
      const sections = segmentOffer(description);
      const text = renderOfferText(sections);
      for (const section of sections) {
        assert.ok(section.text.trim().length > 0, 'no empty section');
        assert.ok(text.includes(section.text), 'section text verbatim in the offer text');
      }
    }),
    { numRuns: budget.runs, seed: budget.seed },
  );

export const FUZZ_PROPERTIES = { parseRandomBytes, parseGrammarText, parseMutatedPdf, segmentAnyDescription } as const;
