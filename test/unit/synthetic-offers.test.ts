import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isSameJob, signOffer, type OfferSignature } from '../../ingest/near-duplicate.ts';
import { normaliseOffer } from '../../ingest/normalise.ts';
import { parseBytes } from '../../ingest/parse/index.ts';
import { loadRoleCatalog } from '../../src/catalog/roles.ts';
import { syntheticOffer } from '../../scripts/synthetic-offers.ts';
import { benchQuestions } from '../../eval/bench.ts';

test('a synthetic offer depends only on its index and seed', () => {
  assert.deepEqual(syntheticOffer(42, 1), syntheticOffer(42, 1));
  assert.notEqual(syntheticOffer(42, 1).text, syntheticOffer(42, 2).text);
  assert.notEqual(syntheticOffer(42, 1).text, syntheticOffer(43, 1).text);
});

test('the pipeline reads the role a synthetic offer was generated for, and no two offers look like reposts', async () => {
  const roles = loadRoleCatalog();
  const signatures: OfferSignature[] = [];
  for (let i = 0; i < 80; i++) {
    const generated = syntheticOffer(i, 7);
    const { offers } = await parseBytes(new TextEncoder().encode(generated.text), `/synthetic/${generated.name}`, { extension: '.md' });
    assert.equal(offers.length, 1);
    const offer = normaliseOffer(offers[0]!, { roles });
    assert.equal(offer.role, generated.role, generated.text.split('\n')[0]);
    assert.ok(offer.sections.some((s) => s.kind === 'missions') && offer.sections.some((s) => s.kind === 'requirements'));
    const signature = signOffer(offer);
    assert.ok(!signatures.some((other) => isSameJob(other, signature)), `offer ${i} looks like a repost`);
    signatures.push(signature);
  }
});

test('the latency questions cycle through role pairs', () => {
  const questions = benchQuestions(25);
  assert.equal(questions.length, 25);
  assert.equal(new Set(questions).size, 20);
});
