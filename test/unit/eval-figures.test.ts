import assert from 'node:assert/strict';
import { test } from 'node:test';
import { percentile, share } from '../../eval/measure.ts';
import { meanFigures, retrievalFigures, sectionShare } from '../../eval/retrieval-figures.ts';

const sections = [
  { kind: 'company' as const, text: 'Harbourline ships parcels across the coast.' },
  { kind: 'missions' as const, text: '- Run the on-call rotation for the parcel tracker\n- Write postmortems after incidents' },
  { kind: 'requirements' as const, text: '- Five years with Kubernetes in production' },
];

test('percentile takes the nearest rank, and is NaN for no values', () => {
  const values = [5, 1, 4, 2, 3, 10, 9, 8, 7, 6];
  assert.equal(percentile(values, 50), 5);
  assert.equal(percentile(values, 95), 10);
  assert.equal(percentile([7], 95), 7);
  assert.ok(Number.isNaN(percentile([], 50)));
});

test('share is null when there is nothing to measure', () => {
  assert.equal(share(1, 4), 0.25);
  assert.equal(share(0, 0), null);
});

test('retrievalFigures counts role purity over labelled evidence and distinct offers over all', () => {
  const figures = retrievalFigures([
    { offer: 'a', roleOk: true, inSections: 1 },
    { offer: 'a', roleOk: false, inSections: 0.5 },
    { offer: 'b', roleOk: null, inSections: null },
    { offer: 'c', roleOk: true, inSections: 0 },
  ]);
  assert.deepEqual(figures, { evidence: 4, rolePurity: 0.667, sectionPrecision: 0.5, distinctOfferShare: 0.75 });
  assert.deepEqual(retrievalFigures([]), { evidence: 0, rolePurity: null, sectionPrecision: null, distinctOfferShare: null });
});

test('meanFigures weighs each question the same and skips questions without a figure', () => {
  const mean = meanFigures([
    { evidence: 10, rolePurity: 1, sectionPrecision: 1, distinctOfferShare: 0.5 },
    { evidence: 2, rolePurity: 0.5, sectionPrecision: null, distinctOfferShare: 1 },
  ]);
  assert.deepEqual(mean, { evidence: 12, rolePurity: 0.75, sectionPrecision: 1, distinctOfferShare: 0.75 });
});

test('sectionShare locates raw Markdown lines in the segmented sections', () => {
  const wanted = new Set(['missions' as const]);
  // A naive chunk: heading, a mission bullet, a requirement bullet, and a line found nowhere.
  const chunk = '## What you will do\n* Run the **on-call** rotation for the parcel tracker\n- Five years with Kubernetes in production\nApply before Friday please';
  const value = sectionShare(chunk, sections, wanted);
  assert.ok(value !== null && value > 0.5 && value < 1, `got ${value}`);
  assert.equal(sectionShare('- Write postmortems after incidents', sections, wanted), 1);
  assert.equal(sectionShare('Harbourline ships parcels across the coast.', sections, wanted), 0);
  assert.equal(sectionShare('Nothing of this offer at all here', sections, wanted), null);
});
