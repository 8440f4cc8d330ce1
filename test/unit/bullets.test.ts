import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { plainTextToLight } from '../../ingest/parse/light-markdown.ts';
import { pdfTextToMarkdown } from '../../ingest/parse/pdf.ts';
import { splitUnits } from '../../src/query/quotes.ts';
import { BULLET_GLYPHS, LINE_BULLET } from '../../src/util/bullets.ts';

/** One glyph set for every reader of list items: what one reads as an item, the others do too. */
describe('list items: one glyph set', () => {
  for (const glyph of BULLET_GLYPHS) {
    it(`"${glyph} item" is an item to the parsers, the segmenter and the quotes`, () => {
      assert.ok(LINE_BULLET.test(`${glyph} run the clusters`));
      assert.equal(plainTextToLight(`Missions\n${glyph} run the clusters\n${glyph} write the runbooks`), 'Missions\n\n- run the clusters\n- write the runbooks');
      const text = `${glyph} run the clusters\n${glyph} write the runbooks`;
      assert.deepEqual(
        splitUnits(text).map(([a, b]) => text.slice(a, b)),
        ['run the clusters', 'write the runbooks'],
      );
    });
  }

  it('numbered items too, and never a marker across a line break', () => {
    assert.ok(LINE_BULLET.test('1. run the clusters'));
    assert.ok(LINE_BULLET.test('12) run the clusters'));
    assert.equal(LINE_BULLET.test('\n- run the clusters'), false);
    assert.equal(LINE_BULLET.test('-\nrun the clusters'), false);
    assert.equal(LINE_BULLET.test('2024. A year'), false);
  });

  it('in a PDF, a glyph needs no space after it, except "+", which opens phone numbers', () => {
    assert.equal(pdfTextToMarkdown('Missions\n∙run the clusters\n▪write the runbooks'), '\n## Missions\n\n- run the clusters\n- write the runbooks');
    assert.equal(pdfTextToMarkdown('Missions\n+ run the clusters'), '\n## Missions\n\n- run the clusters');
    assert.doesNotMatch(pdfTextToMarkdown('Call us on\n+33 1 23 45 67 89'), /^- /m);
  });
});
