import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cosineDistance } from '../../src/store/cosine.ts';
import { matchesWhere, MemoryStore } from '../../src/store/memory-store.ts';
import type { Where } from '../../src/store/vector-store.ts';
import { SUITE_SPACE, vectorStoreSuite } from '../helpers/vector-store-suite.ts';

vectorStoreSuite('MemoryStore', async () => ({ store: new MemoryStore(SUITE_SPACE), cleanup: async () => {} }));

describe('matchesWhere', () => {
  const metadata = { role: 'SRE', section: 'requirements', t_terraform: true, years: 5 };

  it('matches equality strictly, by type', () => {
    assert.equal(matchesWhere(metadata, { role: 'SRE' }), true);
    assert.equal(matchesWhere(metadata, { role: 'sre' }), false);
    assert.equal(matchesWhere(metadata, { years: 5 }), true);
    assert.equal(matchesWhere(metadata, { years: '5' }), false);
    assert.equal(matchesWhere(metadata, { t_terraform: true }), true);
    assert.equal(matchesWhere(metadata, { t_terraform: 1 }), false);
    assert.equal(matchesWhere(metadata, { t_missing: false }), false, 'a missing key equals nothing');
  });

  it('treats several keys of one object as all required', () => {
    assert.equal(matchesWhere(metadata, { role: 'SRE', section: 'requirements' }), true);
    assert.equal(matchesWhere(metadata, { role: 'SRE', section: 'benefits' }), false);
  });

  it('supports $in, with an empty list matching nothing', () => {
    assert.equal(matchesWhere(metadata, { section: { $in: ['missions', 'requirements'] } }), true);
    assert.equal(matchesWhere(metadata, { section: { $in: ['missions'] } }), false);
    assert.equal(matchesWhere(metadata, { section: { $in: [] } }), false);
    assert.equal(matchesWhere(metadata, { t_missing: { $in: [true, false] } }), false);
  });

  it('supports $ne, which a missing key satisfies', () => {
    assert.equal(matchesWhere(metadata, { role: { $ne: 'SRE' } }), false);
    assert.equal(matchesWhere(metadata, { role: { $ne: 'DevOps Engineer' } }), true);
    assert.equal(matchesWhere(metadata, { t_missing: { $ne: true } }), true);
  });

  it('combines with nested $and and $or', () => {
    const sreRequirements: Where = { $and: [{ role: 'SRE' }, { section: { $in: ['requirements'] } }] };
    assert.equal(matchesWhere(metadata, sreRequirements), true);
    assert.equal(matchesWhere(metadata, { $or: [{ role: 'DevOps Engineer' }, sreRequirements] }), true);
    assert.equal(matchesWhere(metadata, { $or: [{ role: 'DevOps Engineer' }, { years: { $in: [1, 2] } }] }), false);
    assert.equal(matchesWhere(metadata, { $and: [] }), true);
    assert.equal(matchesWhere(metadata, { $or: [] }), false);
  });

  it('rejects operators it does not implement instead of ignoring them', () => {
    const where = { years: { $gt: 3 } } as unknown as Where;
    assert.throws(() => matchesWhere(metadata, where), /unsupported where condition on "years"/);
  });
});

describe('cosineDistance', () => {
  it('is 0 for the same direction, 1 for orthogonal and 2 for opposite vectors', () => {
    assert.equal(cosineDistance([1, 2, 3], [2, 4, 6]), 0);
    assert.equal(cosineDistance([1, 0], [0, 5]), 1);
    assert.equal(cosineDistance([1, 1], [-1, -1]), 2);
  });

  it('puts a zero vector at distance 1 instead of NaN', () => {
    assert.equal(cosineDistance([0, 0], [1, 0]), 1);
  });
});
