import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { SqliteRecordStore } from '../../src/records/sqlite-record-store.ts';
import type { Offer } from '../../src/types.ts';
import { offerRecord } from '../helpers/offer-record.ts';

/** Groups are found in the record's facet rows: each filter, alone and together, on offers we write here. */
describe('SqliteRecordStore.groupOffers and the facet rows', () => {
  let dir: string;
  let records: SqliteRecordStore;
  const put = (offerId: string, offer: Partial<Offer>, extra: { role?: string; status?: 'active' | 'removed'; source?: string } = {}) =>
    records.putOffer({
      ...offerRecord({ offerId, role: extra.role ?? 'Other', ...(extra.status ? { status: extra.status } : {}), ...(extra.source ? { source: extra.source } : {}) }),
      offer: { title: 'Barista', company: 'Acme Roasters', language: 'en', ...offer } as Offer,
    });

  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'offers-facets-'));
    records = SqliteRecordStore.open(dir, 'facets-test');
    put('a', { family: 'barista', seniority: 'junior', datePosted: '2024-01-15', workplace: 'onsite', company: 'Café Étoile SARL' });
    put('b', { family: 'barista', seniority: 'senior', datePosted: '2024-06-30', workplace: 'remote', language: 'fr' }, { source: 'greenhouse:acme#7' });
    put('c', { family: 'barista', datePosted: '2025-02-01', workplace: 'hybrid' });
    put('d', { family: 'sommelier', datePosted: '2024-03-01' });
    put('e', { family: 'barista' }, { status: 'removed' });
    put('f', { family: 'site reliability engineer' }, { role: 'SRE' });
  });
  after(async () => {
    records.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('takes active offers of the families or roles named', () => {
    assert.deepEqual(records.groupOffers({ families: ['barista'] }), ['a', 'b', 'c']);
    assert.deepEqual(records.groupOffers({ roles: ['SRE'] }), ['f']);
  });

  it('filters by posting dates, inclusive, at the precision of each bound', () => {
    assert.deepEqual(records.groupOffers({ families: ['barista'], postedFrom: '2024', postedTo: '2024' }), ['a', 'b']);
    assert.deepEqual(records.groupOffers({ families: ['barista'], postedFrom: '2024-06', postedTo: '2024-06' }), ['b']);
    assert.deepEqual(records.groupOffers({ families: ['barista'], postedFrom: '2024-07' }), ['c']);
    assert.deepEqual(records.groupOffers({ postedTo: '2024-03-01' }), ['a', 'd']);
  });

  it('filters by seniority, workplace, language, source prefix and company words (accents and punctuation folded)', () => {
    assert.deepEqual(records.groupOffers({ seniority: ['senior'] }), ['b']);
    assert.deepEqual(records.groupOffers({ workplace: ['remote', 'hybrid'] }), ['b', 'c']);
    assert.deepEqual(records.groupOffers({ languages: ['fr'] }), ['b']);
    assert.deepEqual(records.groupOffers({ sourcePrefix: 'greenhouse:' }), ['b']);
    assert.deepEqual(records.groupOffers({ companyWords: ['cafe', 'etoile'] }), ['a']);
    assert.deepEqual(records.groupOffers({ companyWords: ['roasters'], families: ['barista'] }), ['b', 'c']);
  });

  it('lists families with their most common label and counts, and months by posting date', () => {
    const families = records.listFamilies();
    assert.deepEqual(families.map((f) => [f.family, f.offers]), [['barista', 3], ['site reliability engineer', 1], ['sommelier', 1]]);
    const months = records.countByMonth();
    assert.deepEqual(months.filter((m) => m.posted).map((m) => [m.month, m.offers]), [['2024-01', 1], ['2024-03', 1], ['2024-06', 1], ['2025-02', 1]]);
  });

  it('follows every change of an offer: a status change takes it out of its groups', () => {
    put('c', { family: 'barista', datePosted: '2025-02-01' }, { status: 'removed' });
    assert.deepEqual(records.groupOffers({ families: ['barista'] }), ['a', 'b']);
  });

  it('counts the families again after any write, of this connection or of another one', () => {
    const count = (family: string) => records.listFamilies().find((f) => f.family === family)?.offers;
    assert.equal(count('sommelier'), 1);
    put('g', { family: 'sommelier' });
    assert.equal(count('sommelier'), 2, 'a write of this connection');
    const other = SqliteRecordStore.open(dir, 'facets-test');
    try {
      other.putOffer({ ...offerRecord({ offerId: 'h', role: 'Other' }), offer: { title: 'Sommelier', company: 'Cave', language: 'en', family: 'sommelier' } as Offer });
    } finally {
      other.close();
    }
    assert.equal(count('sommelier'), 3, "another connection's commit");
  });
});
