import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it, type TestContext } from 'node:test';
import fc from 'fast-check';
import type { LexicalChunk } from '../../src/records/lexical-index.ts';
import type { OfferRecord, OfferStatus, RecordStore, SourceRecord } from '../../src/records/record-store.ts';
import { KEPT_RUNS, type ReindexRun } from '../../src/records/reindex-history.ts';
import { SECTION_KINDS, type Offer, type OfferFacts, type SectionKind } from '../../src/types.ts';
import { fnv1a } from '../../src/util/hash.ts';
import { createRandom, randomIndex } from '../../src/util/random.ts';
import { LISTED_OFFERS, listedOfferRecord, offerRecord, type ListedOffer, RANDOM_ROLES, randomOfferRecord, randomStatus, recountThemes } from './offer-record.ts';

/**
 * One behavioural suite for every record store (STYLE 9), as vector-store-suite.ts is for the
 * vector stores: SQLite, the embedded default, and Postgres, the shared one, must answer every
 * question the same way, so each expectation is an exact value (ids, counts, orders).
 *
 * Text is ordered by code point, as SQLite compares it and as JavaScript sorts ids, whatever a
 * server's collation says ("B.md" before "a.md", "o-2" before "o1").
 */

export interface RecordUnderTest {
  records: RecordStore;
  close(): Promise<void>;
}

export interface OpenedRecord extends RecordUnderTest {
  /** A second connection to the same record (another process, another machine): the tests that need one are skipped without it. */
  connect?(): Promise<RecordUnderTest>;
}

/** An offer as the record stores it: only what a test names, the rest filled as in offerRecord. */
function offered(offerId: string, role: string, offer: Partial<Offer>, extra: Partial<OfferRecord> = {}): OfferRecord {
  return { ...offerRecord({ offerId, role }), ...extra, offer: { title: role, company: 'Acme', language: 'en', ...offer } as Offer };
}

function source(name: string, extra: Partial<SourceRecord> = {}): SourceRecord {
  return { source: name, kind: 'file', contentHash: `hash of ${name}`, status: 'ok', offerIds: [], lastSeen: '2026-01-02T00:00:00.000Z', lastChanged: '2026-01-01T00:00:00.000Z', ...extra };
}

function chunk(id: string, offerId: string, role: string, text: string, themes: string[] = ['terraform'], extra: Partial<LexicalChunk> = {}): LexicalChunk {
  return { id, offerId, role, section: 'requirements', themes, text, ...extra };
}

function run(seconds: number, finishedAt = '2026-03-01T06:00:00.000Z'): ReindexRun {
  return {
    finishedAt,
    seconds,
    new: 1,
    changed: 2,
    removed: 0,
    expired: 0,
    unchanged: 40,
    failed: 1,
    failures: [{ source: 'https://jobs.example.org/gone', error: 'HTTP 503' }],
    roles: { SRE: { new: 1, changed: 2, removed: 0, expired: 0, unchanged: 40, duplicates: 0 } },
  };
}

const byKey = <V>(map: ReadonlyMap<string, V>): Array<[string, V]> => [...map].sort(([a], [b]) => (a < b ? -1 : 1));
const ids = (offers: Iterable<OfferRecord>): string[] => Array.from(offers, (o) => o.offerId);

export function recordStoreSuite(name: string, open: () => Promise<OpenedRecord>): void {
  describe(name, () => {
    let subject: OpenedRecord;
    let records: RecordStore;
    beforeEach(async () => {
      subject = await open();
      records = subject.records;
    });
    afterEach(() => subject.close());

    /** Runs `test` with a second connection to the record, closed after it; skips it when the store under test offers none. */
    const withSecondConnection = async (t: TestContext, test: (other: RecordStore) => void) => {
      if (!subject.connect) return t.skip('no second connection to this record');
      const other = await subject.connect();
      try {
        await test(other.records);
      } finally {
        await other.close();
      }
    };

    describe('sources', () => {
      it('keeps sources by name, lists them in code-point order, counts the failed ones', () => {
        assert.equal(records.getSource('/data/a.md'), undefined);
        assert.deepEqual(records.listSources(), []);
        assert.deepEqual(records.countSources(), { sources: 0, failed: 0 });
        const all = {
          b: source('/data/b.md', { offerIds: ['o2', 'o1'], role: 'SRE' }),
          B: source('/data/B.md', { kind: 'web', status: 'failed', error: 'HTTP 503 from jobs.example.org' }),
          ac: source('/data/a-c.md'),
          ab: source('/data/ab.md', { kind: 'ats', offerIds: ['o3'] }),
        };
        for (const record of Object.values(all)) records.putSource(record);
        assert.deepEqual(records.getSource('/data/b.md'), all.b);
        assert.deepEqual(records.getSource('/data/B.md'), all.B);
        assert.deepEqual(records.listSources(), [all.B, all.ac, all.ab, all.b]);
        assert.deepEqual(records.countSources(), { sources: 4, failed: 1 });
      });

      it('replaces a source whole: a failure read again without error, a role no longer given', () => {
        records.putSource(source('/data/b.md', { status: 'failed', error: 'not a PDF', role: 'SRE', offerIds: ['o1'] }));
        const again = source('/data/b.md', { contentHash: 'new', offerIds: ['o4', 'o5'], lastSeen: '2026-02-01T00:00:00.000Z' });
        records.putSource(again);
        assert.deepEqual(records.getSource('/data/b.md'), again);
        assert.deepEqual(records.countSources(), { sources: 1, failed: 0 });
      });

      it('tells, for offers a source writes, which other source lists each (the smallest name)', () => {
        records.putSource(source('/a.md', { offerIds: ['o1', 'o2'] }));
        records.putSource(source('/c.md', { offerIds: ['o2'] }));
        records.putSource(source('/b.md', { offerIds: ['o2'] }));
        assert.deepEqual(byKey(records.otherSourcesListing('/a.md', ['o1', 'o2', 'o3'])), [['o2', '/b.md']]);
        assert.deepEqual(byKey(records.otherSourcesListing('/b.md', ['o2', 'o1'])), [['o1', '/a.md'], ['o2', '/a.md']]);
        assert.deepEqual(byKey(records.otherSourcesListing('/a.md', [])), []);
        records.putSource(source('/b.md', { offerIds: [] }));
        assert.deepEqual(byKey(records.otherSourcesListing('/a.md', ['o2'])), [['o2', '/c.md']]);
        records.putSource(source('/b.md', { offerIds: ['o1'] }));
        assert.deepEqual(byKey(records.otherSourcesListing('/a.md', ['o1', 'o2'])), [['o1', '/b.md'], ['o2', '/c.md']]);
      });
    });

    describe('offers', () => {
      const full: OfferRecord = {
        offerId: 'o1',
        source: '/offers/sre-lyon.md',
        role: 'SRE',
        contentHash: 'c1',
        fingerprint: '3f2a 91bc',
        status: 'active',
        chunkIds: ['o1:c1:0:0', 'o1:c1:1:0'],
        offer: {
          offerId: 'o1',
          role: 'SRE',
          seniority: 'senior',
          title: 'Ingénieur·e SRE senior',
          company: 'Bâtisseurs Réunis',
          location: 'Lyon',
          source: '/offers/sre-lyon.md',
          url: 'https://jobs.example.org/sre-lyon',
          language: 'fr',
          datePosted: '2026-02-03',
          family: 'ingenieur sre',
          familyLabel: 'Ingénieur SRE',
          workplace: 'hybrid',
          facts: { pay: { currency: 'EUR', period: 'year', min: 50000, max: 60000 }, experienceYears: 4, evidence: { pay: { text: '50 000 – 60 000 € par an', section: 'benefits' } } },
          sections: [{ kind: 'missions', heading: 'Vos missions', text: 'Tenir les SLO « à la lettre ».' }],
          text: 'Vos missions\nTenir les SLO « à la lettre ».',
          contentHash: 'c1',
        },
        themesBySection: { missions: ['slo'], requirements: ['kubernetes', 'terraform'] },
        firstSeen: '2026-01-01T08:00:00.000Z',
        lastSeen: '2026-01-02T08:00:00.000Z',
        lastChanged: '2026-01-01T08:00:00.000Z',
      };

      it('reads an offer back as it was written (band keys are not part of it)', () => {
        assert.equal(records.getOffer('o1'), undefined);
        records.putOffer({ ...full, bandKeys: ['b0', 'b1'] });
        assert.deepEqual(records.getOffer('o1'), full);
      });

      it('reads offers by the hundred in one call, as getOffer reads each, leaving out ids it lacks', () => {
        const ids = Array.from({ length: 150 }, (_, i) => `o${String(i).padStart(3, '0')}`);
        for (const [i, offerId] of ids.entries()) records.putOffer({ ...full, offerId, status: i % 3 === 0 ? 'removed' : 'active' });
        const read = records.getOffers([...ids, 'missing', ids[0]!]);
        assert.deepEqual([...read.keys()].sort(), ids);
        for (const offerId of ids) assert.deepEqual(read.get(offerId), records.getOffer(offerId));
        assert.equal(records.getOffers([]).size, 0);
      });

      it('replaces an offer on a second write, keeping the day it was first seen', () => {
        records.putOffer(full);
        const second: OfferRecord = {
          ...full,
          role: 'DevOps Engineer',
          contentHash: 'c2',
          status: 'removed',
          chunkIds: [],
          offer: { ...full.offer, title: 'DevOps', contentHash: 'c2' },
          themesBySection: {},
          firstSeen: '2026-03-01T00:00:00.000Z',
          lastSeen: '2026-03-01T00:00:00.000Z',
          lastChanged: '2026-03-01T00:00:00.000Z',
        };
        records.putOffer(second);
        assert.deepEqual(records.getOffer('o1'), { ...second, firstSeen: full.firstSeen });
      });

      it('keeps a duplicate with the offer it copies, and forgets that when it is written back active', () => {
        records.putOffer(full);
        records.putOffer({ ...full, offerId: 'o2', status: 'duplicate', canonicalId: 'o1' });
        assert.deepEqual([records.getOffer('o2')?.status, records.getOffer('o2')?.canonicalId], ['duplicate', 'o1']);
        records.putOffer({ ...full, offerId: 'o2' });
        assert.deepEqual(records.getOffer('o2'), { ...full, offerId: 'o2' });
      });

      it('finds the active offers sharing a band key, oldest first, with what the repost test compares', () => {
        const put = (offerId: string, bandKeys: string[] | undefined, extra: Partial<OfferRecord>, offer: Partial<Offer> = {}) =>
          records.putOffer({ ...offered(offerId, 'SRE', { title: 'Site Reliability Engineer', ...offer }, { fingerprint: `fp-${offerId}`, ...extra }), ...(bandKeys ? { bandKeys } : {}) });
        put('a', ['k1', 'k2'], { firstSeen: '2026-01-03' }, { seniority: 'senior' });
        put('b', ['k2', 'k3'], { firstSeen: '2026-01-01', role: 'DevOps Engineer' }, { title: 'DevOps Engineer' });
        put('c', ['k4'], { firstSeen: '2026-01-02' });
        put('d', ['k1'], { firstSeen: '2025-12-01', status: 'duplicate', canonicalId: 'a' });
        put('e', ['k1'], { firstSeen: '2026-01-01' });
        const found = (keys: string[], offerId = 'new') => records.findByBandKeys(keys, offerId).map((c) => c.offerId);

        assert.deepEqual(records.findByBandKeys(['k1', 'k2'], 'a'), [
          { offerId: 'b', fingerprint: 'fp-b', offer: { title: 'DevOps Engineer', role: 'DevOps Engineer' } },
          { offerId: 'e', fingerprint: 'fp-e', offer: { title: 'Site Reliability Engineer', role: 'SRE' } },
        ]);
        assert.deepEqual(records.findByBandKeys(['k1'], 'e'), [{ offerId: 'a', fingerprint: 'fp-a', offer: { title: 'Site Reliability Engineer', role: 'SRE', seniority: 'senior' } }]);
        assert.deepEqual(found(['k4', 'k2', 'k1', 'k1']), ['b', 'e', 'c', 'a'], 'each candidate once');
        assert.deepEqual(found([]), []);
        assert.deepEqual(found(['k9']), []);

        put('b', undefined, { status: 'removed' });
        assert.deepEqual(found(['k3']), [], 'an offer that is not active is no candidate');
        put('b', undefined, {});
        assert.deepEqual(found(['k3']), ['b'], 'a write without band keys keeps them');
        put('c', [], {});
        assert.deepEqual(found(['k4']), [], 'no band keys: none left');
        put('e', ['k9', 'k9'], {});
        assert.deepEqual([found(['k1']), found(['k9'])], [['a'], ['e']], 'new band keys replace the old');
      });

      it('lists offers one at a time in id order, filtered by status, role and source', () => {
        const all = [
          offered('o3', 'SRE', {}, { source: '/x.md' }),
          offered('o1', 'DevOps Engineer', {}, { source: '/x.md', status: 'removed' }),
          offered('O2', 'SRE', {}, { status: 'duplicate', canonicalId: 'o3' }),
          offered('o-4', 'SRE', {}, { status: 'expired' }),
        ];
        for (const record of all) records.putOffer(record);
        assert.deepEqual([...records.listOffers()], [all[2], all[3], all[1], all[0]]);
        assert.deepEqual(ids(records.listOffers({ status: ['active', 'duplicate'] })), ['O2', 'o3']);
        assert.deepEqual(ids(records.listOffers({ role: 'SRE' })), ['O2', 'o-4', 'o3']);
        assert.deepEqual(ids(records.listOffers({ source: '/x.md' })), ['o1', 'o3']);
        assert.deepEqual(ids(records.listOffers({ source: '/x.md', role: 'SRE', status: ['active'] })), ['o3']);
        assert.deepEqual(ids(records.listOffers({ role: 'Nobody' })), []);
      });

      it('lists every offer\'s state, and counts the active offers among some with their chunks', () => {
        records.putOffer(offered('a', 'SRE', {}, { chunkIds: ['a:0', 'a:1', 'a:2'], contentHash: 'ha' }));
        records.putOffer(offered('b', 'DevOps Engineer', {}, { chunkIds: [], contentHash: 'hb' }));
        records.putOffer(offered('c', 'SRE', {}, { chunkIds: ['c:0', 'c:1'], status: 'removed', contentHash: 'hc' }));
        const states = records.listOfferStates().sort((x, y) => (x.offerId < y.offerId ? -1 : 1));
        assert.deepEqual(states, [
          { offerId: 'a', role: 'SRE', status: 'active', contentHash: 'ha' },
          { offerId: 'b', role: 'DevOps Engineer', status: 'active', contentHash: 'hb' },
          { offerId: 'c', role: 'SRE', status: 'removed', contentHash: 'hc' },
        ]);
        assert.deepEqual(records.countActive(['a', 'b', 'c', 'missing']), { offers: 2, chunks: 3 });
        assert.deepEqual(records.countActive(new Set(['c'])), { offers: 0, chunks: 0 });
        assert.deepEqual(records.countActive([]), { offers: 0, chunks: 0 });
      });

      it('samples the middle chunk of active offers spread evenly over the record, in the order they were first written', () => {
        assert.deepEqual(records.sampleChunkIds(5), []);
        records.putOffer(offered('e', 'SRE', {}, { chunkIds: ['e:0', 'e:1', 'e:2'] }));
        records.putOffer(offered('b', 'SRE', {}, { chunkIds: ['b:0'], status: 'removed' }));
        records.putOffer(offered('c', 'SRE', {}, { chunkIds: [] }));
        records.putOffer(offered('d', 'SRE', {}, { chunkIds: ['d:0', 'd:1'] }));
        records.putOffer(offered('a', 'SRE', {}, { chunkIds: ['a:0'] }));
        // A later write keeps an offer's place.
        records.putOffer(offered('e', 'SRE', { title: 'edited' }, { chunkIds: ['e:0', 'e:1', 'e:2'] }));
        assert.deepEqual(records.sampleChunkIds(10).sort(), ['a:0', 'd:1', 'e:1']);
        assert.deepEqual(records.sampleChunkIds(2).sort(), ['d:1', 'e:1']);
        assert.deepEqual(records.sampleChunkIds(1), ['e:1']);
        assert.deepEqual(records.sampleChunkIds(0), []);
      });

      it('names offers for citations and profiles them for statistics, whatever their status', () => {
        records.putOffer(offered('a', 'SRE', { title: 'Site Reliability Engineer', company: 'Ferngrove Labs', url: 'https://jobs.example.org/a' }, { source: '/a.md', themesBySection: { missions: ['slo'], benefits: ['remote'] } }));
        records.putOffer({ ...offered('b', 'SRE', {}, { source: 'greenhouse:acme#7', status: 'removed' }), offer: { title: 'Barista' } as Offer });
        assert.deepEqual(byKey(records.offerHeaders(['b', 'missing', 'a'])), [
          ['a', { title: 'Site Reliability Engineer', company: 'Ferngrove Labs', source: '/a.md', url: 'https://jobs.example.org/a' }],
          ['b', { title: 'Barista', company: '', source: 'greenhouse:acme#7' }],
        ]);
        assert.deepEqual(byKey(records.offerHeaders([])), []);
        assert.deepEqual(records.profilesOf(['b', 'missing', 'a']), [
          { offerId: 'b', company: '', themesBySection: {} },
          { offerId: 'a', company: 'Ferngrove Labs', themesBySection: { missions: ['slo'], benefits: ['remote'] } },
        ]);
      });
    });

    describe('intents and roots', () => {
      it('keeps one intent per offer, listed by offer id, until it is cleared', () => {
        assert.deepEqual(records.listIntents(), []);
        records.addIntent('o2', ['o2:a']);
        records.addIntent('o1', ['o1:a', 'o1:b']);
        records.addIntent('o3', []);
        records.addIntent('o2', ['o2:b']);
        assert.deepEqual(records.listIntents(), [
          { offerId: 'o1', chunkIds: ['o1:a', 'o1:b'] },
          { offerId: 'o2', chunkIds: ['o2:b'] },
          { offerId: 'o3', chunkIds: [] },
        ]);
        records.clearIntent('o1');
        records.clearIntent('never');
        assert.deepEqual(records.listIntents(), [{ offerId: 'o2', chunkIds: ['o2:b'] }, { offerId: 'o3', chunkIds: [] }]);
      });

      it('remembers the directories and globs given to ingest, with the role each was given last', () => {
        records.putRoot('/srv/offers/b', 'SRE');
        records.putRoot('exports/**/*.md', 'DevOps Engineer');
        records.putRoot('/srv/offers/a');
        records.putRoot('/srv/offers/B');
        assert.deepEqual(records.listRoots(), [{ root: '/srv/offers/B' }, { root: '/srv/offers/a' }, { root: '/srv/offers/b', role: 'SRE' }, { root: 'exports/**/*.md', role: 'DevOps Engineer' }]);
        records.putRoot('/srv/offers/b');
        records.putRoot('/srv/offers/a', 'Other');
        assert.deepEqual(records.listRoots().slice(1, 3), [{ root: '/srv/offers/a', role: 'Other' }, { root: '/srv/offers/b' }]);
      });

      it('remembers listing pages and sitemaps with the limits of their last crawl', () => {
        const listing = { seed: 'https://jobs.example.org/b/', role: 'SRE', maxPages: 50, followHosts: ['a.example', 'b.example'], rate: 0.5 };
        records.putWebRoot(listing);
        records.putWebRoot({ seed: 'https://jobs.example.org/a/sitemap.xml' });
        assert.deepEqual(records.listWebRoots(), [{ seed: 'https://jobs.example.org/a/sitemap.xml' }, listing]);
        records.putWebRoot({ seed: listing.seed, maxPages: 10 });
        assert.deepEqual(records.listWebRoots()[1], { seed: listing.seed, maxPages: 10 });
      });
    });

    describe('counts', () => {
      it('counts offers and chunks per role and status, dropping a total that falls to zero', () => {
        records.putOffer(offered('a', 'SRE', {}, { chunkIds: ['a:0', 'a:1'] }));
        records.putOffer(offered('b', 'SRE', {}, { chunkIds: ['b:0'] }));
        records.putOffer(offered('c', 'SRE', {}, { chunkIds: ['c:0', 'c:1', 'c:2'], status: 'removed' }));
        records.putOffer(offered('d', 'DevOps Engineer', {}, { status: 'duplicate', canonicalId: 'e' }));
        records.putOffer(offered('e', 'DevOps Engineer', {}, { chunkIds: ['e:0', 'e:1', 'e:2', 'e:3'] }));
        assert.deepEqual(records.countByRole(), [
          { role: 'DevOps Engineer', status: 'active', offers: 1, chunks: 4 },
          { role: 'DevOps Engineer', status: 'duplicate', offers: 1, chunks: 0 },
          { role: 'SRE', status: 'active', offers: 2, chunks: 3 },
          { role: 'SRE', status: 'removed', offers: 1, chunks: 3 },
        ]);
        assert.deepEqual([records.countActiveOffers('SRE'), records.countActiveOffers('DevOps Engineer'), records.countActiveOffers('Nobody')], [2, 1, 0]);
        records.putOffer(offered('d', 'DevOps Engineer', {}, { chunkIds: ['d:0', 'd:1'] }));
        records.putOffer(offered('a', 'Platform Engineer', {}, { chunkIds: ['a:0'] }));
        assert.deepEqual(records.countByRole(), [
          { role: 'DevOps Engineer', status: 'active', offers: 2, chunks: 6 },
          { role: 'Platform Engineer', status: 'active', offers: 1, chunks: 1 },
          { role: 'SRE', status: 'active', offers: 1, chunks: 1 },
          { role: 'SRE', status: 'removed', offers: 1, chunks: 3 },
        ]);
      });

      it('counts the active offers of a role mentioning each theme in some sections, an offer once', () => {
        records.putOffer(offered('a', 'SRE', {}, { themesBySection: { missions: ['k8s', 'slo'], requirements: ['k8s', 'terraform'] } }));
        records.putOffer(offered('b', 'SRE', {}, { themesBySection: { requirements: ['terraform'], benefits: ['remote'] } }));
        records.putOffer(offered('c', 'SRE', {}, { themesBySection: { missions: ['k8s'] }, status: 'removed' }));
        records.putOffer(offered('d', 'DevOps Engineer', {}, { themesBySection: { missions: ['k8s'] } }));
        const mentions = (role: string, sections: SectionKind[]) => byKey(records.countThemeMentions(role, sections));
        assert.deepEqual(mentions('SRE', ['missions']), [['k8s', 1], ['slo', 1]]);
        assert.deepEqual(mentions('SRE', ['requirements']), [['k8s', 1], ['terraform', 2]]);
        assert.deepEqual(mentions('SRE', ['missions', 'requirements']), [['k8s', 1], ['slo', 1], ['terraform', 2]]);
        assert.deepEqual(mentions('SRE', [...SECTION_KINDS]), [['k8s', 1], ['remote', 1], ['slo', 1], ['terraform', 2]]);
        assert.deepEqual(mentions('SRE', []), []);
        assert.deepEqual(mentions('DevOps Engineer', ['missions', 'benefits']), [['k8s', 1]]);
        records.putOffer(offered('a', 'SRE', {}, { themesBySection: { benefits: ['slo'] } }));
        assert.deepEqual(mentions('SRE', ['missions', 'requirements']), [['terraform', 1]]);
      });

      it('keeps the theme and role totals equal to a recount after any sequence of writes', () => {
        const random = createRandom('theme-counts');
        const truth = new Map<string, OfferRecord>();
        for (let step = 0; step < 400; step++) {
          // Mostly edits of offers already there, so that updates (the subtraction) dominate.
          const next = randomOfferRecord(random, randomIndex(random, 60));
          const previous = truth.get(next.offerId);
          // Some steps change the status alone, as a duplicate or a removal does.
          const written = previous && random() < 0.3 ? { ...previous, status: randomStatus(random) } : next;
          records.putOffer(written);
          truth.set(written.offerId, written);
          if (step % 50 === 49) assertTotals(records, [...truth.values()]);
        }
      });

      it('counts the active offers per language and per posting month (first-seen month when undated)', () => {
        assert.deepEqual([records.countByLanguage(), records.countByMonth()], [[], []]);
        records.putOffer(offered('a', 'SRE', { datePosted: '2024-03-04' }, { firstSeen: '2026-01-05T00:00:00.000Z' }));
        records.putOffer(offered('b', 'SRE', { datePosted: '2024-03-20', language: 'fr' }));
        records.putOffer(offered('c', 'SRE', { language: 'fr' }, { firstSeen: '2024-03-09T10:00:00.000Z' }));
        records.putOffer({ ...offered('d', 'SRE', {}, { firstSeen: '2026-01-01T00:00:00.000Z' }), offer: { title: 'SRE', company: 'Acme' } as Offer });
        records.putOffer(offered('e', 'SRE', { datePosted: '2026-01-15' }));
        records.putOffer(offered('f', 'SRE', { datePosted: '2024-03-01', language: 'de' }, { status: 'removed' }));
        assert.deepEqual(records.countByLanguage(), [
          { language: 'en', offers: 2 },
          { language: 'fr', offers: 2 },
          { language: 'unknown', offers: 1 },
        ]);
        assert.deepEqual(records.countByMonth(), [
          { month: '2024-03', offers: 2, posted: true },
          { month: '2024-03', offers: 1, posted: false },
          { month: '2026-01', offers: 1, posted: true },
          { month: '2026-01', offers: 1, posted: false },
        ]);
      });
    });

    describe('groups and facts', () => {
      const put = (offerId: string, offer: Partial<Offer>, extra: Partial<OfferRecord> = {}) =>
        records.putOffer(offered(offerId, extra.role ?? 'Other', { title: 'Barista', company: 'Acme Roasters', ...offer }, extra));
      const barista = () => {
        put('a', { family: 'barista', seniority: 'junior', datePosted: '2024-01-15', workplace: 'onsite', company: 'Café Étoile SARL' });
        put('b', { family: 'barista', seniority: 'senior', datePosted: '2024-06-30', workplace: 'remote', language: 'fr' }, { source: 'greenhouse:acme#7' });
        put('c', { family: 'barista', datePosted: '2025-02-01', workplace: 'hybrid' });
        put('d', { family: 'sommelier', datePosted: '2024-03-01' });
        put('e', { family: 'barista' }, { status: 'removed' });
        put('f', { family: 'site reliability engineer' }, { role: 'SRE' });
      };

      it('takes the active offers of the families or roles named, or all of them', () => {
        barista();
        assert.deepEqual(records.groupOffers({ families: ['barista'] }), ['a', 'b', 'c']);
        assert.deepEqual(records.groupOffers({ families: ['sommelier', 'site reliability engineer'] }), ['d', 'f']);
        assert.deepEqual(records.groupOffers({ roles: ['SRE'] }), ['f']);
        assert.deepEqual(records.groupOffers({}), ['a', 'b', 'c', 'd', 'f']);
        assert.deepEqual(records.groupOffers({ roles: [] }), []);
      });

      it('filters by posting dates, inclusive, at the precision of each bound', () => {
        barista();
        assert.deepEqual(records.groupOffers({ families: ['barista'], postedFrom: '2024', postedTo: '2024' }), ['a', 'b']);
        assert.deepEqual(records.groupOffers({ families: ['barista'], postedFrom: '2024-06', postedTo: '2024-06' }), ['b']);
        assert.deepEqual(records.groupOffers({ families: ['barista'], postedFrom: '2024-07' }), ['c']);
        assert.deepEqual(records.groupOffers({ postedTo: '2024-03-01' }), ['a', 'd']);
        assert.deepEqual(records.groupOffers({ postedFrom: '2024-06-30', postedTo: '2024-06-30' }), ['b']);
      });

      it('filters by seniority, workplace, language, source prefix and company words (accents and punctuation folded)', () => {
        barista();
        assert.deepEqual(records.groupOffers({ seniority: ['senior'] }), ['b']);
        assert.deepEqual(records.groupOffers({ workplace: ['remote', 'hybrid'] }), ['b', 'c']);
        assert.deepEqual(records.groupOffers({ languages: ['fr'] }), ['b']);
        assert.deepEqual(records.groupOffers({ sourcePrefix: 'greenhouse:' }), ['b']);
        assert.deepEqual(records.groupOffers({ companyWords: ['cafe', 'etoile'] }), ['a']);
        assert.deepEqual(records.groupOffers({ companyWords: ['etoile', 'sarl', 'cafe'] }), ['a'], 'in any order');
        assert.deepEqual(records.groupOffers({ companyWords: ['eto'] }), [], 'whole words');
        assert.deepEqual(records.groupOffers({ companyWords: ['roasters'], families: ['barista'] }), ['b', 'c']);
        assert.deepEqual(records.groupOffers({ families: ['barista'], seniority: ['junior', 'senior'], languages: ['en'], workplace: ['onsite'] }), ['a']);
      });

      it('follows every change of an offer: a status change takes it out of its groups', () => {
        barista();
        put('c', { family: 'barista', datePosted: '2025-02-01' }, { status: 'removed' });
        put('e', { family: 'barista' });
        assert.deepEqual(records.groupOffers({ families: ['barista'] }), ['a', 'b', 'e']);
        put('a', { family: 'barista', seniority: 'senior' });
        assert.deepEqual(records.groupOffers({ seniority: ['senior'] }), ['a', 'b']);
      });

      it("counts a group's distinct stated facts without their evidence, by role (active offers) or by ids (any), and finds the lines stating them", () => {
        const stated: OfferFacts = {
          pay: { currency: 'EUR', period: 'year', min: 42000, max: 48000 },
          experienceYears: 3,
          languages: ['fr', 'en'],
          evidence: { pay: { text: 'Salaire : 42 000 – 48 000 € brut par an.', section: 'benefits' }, experienceYears: { text: '3 ans d’expérience minimum.', section: 'requirements' } },
        };
        const { evidence: _, ...withoutEvidence } = stated;
        const usd = { currency: 'USD', period: 'year' as const, min: 120000, max: 120000 };
        put('e', { facts: stated }, { role: 'SRE' });
        put('a', { facts: stated }, { role: 'SRE' });
        put('b', {}, { role: 'SRE' });
        put('c', { facts: { contract: 'permanent', pay: usd, evidence: { pay: { text: 'Pay: $120k a year.', section: 'benefits' } } } }, { role: 'SRE', status: 'removed' });
        put('d', { facts: { workplace: 'remote' } }, { role: 'DevOps Engineer' });
        // Pay stated without its line (a record written before lines were kept): counted, never quoted.
        put('f', { facts: { pay: usd } }, { role: 'SRE' });
        assert.deepEqual(records.factCounts({ role: 'SRE' }), [
          { facts: withoutEvidence, offers: 2 },
          { facts: undefined, offers: 1 },
          { facts: { pay: usd }, offers: 1 },
        ]);
        assert.deepEqual(records.factCounts({ offerIds: ['d', 'c', 'missing'] }), [
          { facts: { contract: 'permanent', pay: usd }, offers: 1 },
          { facts: { workplace: 'remote' }, offers: 1 },
        ]);
        assert.deepEqual(records.factCounts({ offerIds: [] }), []);
        assert.deepEqual(records.factCounts({ role: 'Nobody' }), []);

        const line = { offerId: 'a', text: 'Salaire : 42 000 – 48 000 € brut par an.', section: 'benefits' };
        assert.deepEqual(records.factEvidence({ role: 'SRE' }, 'pay', 10), [line, { ...line, offerId: 'e' }]);
        assert.deepEqual(records.factEvidence({ offerIds: ['d', 'c', 'b', 'a'] }, 'pay', 10), [line, { offerId: 'c', text: 'Pay: $120k a year.', section: 'benefits' }]);
        assert.deepEqual(records.factEvidence({ offerIds: ['d', 'c', 'b', 'a'] }, 'pay', 1).map((e) => e.offerId), ['a']);
        assert.deepEqual(records.factEvidence({ offerIds: ['a', 'c'] }, 'experienceYears', 10), [{ offerId: 'a', text: '3 ans d’expérience minimum.', section: 'requirements' }]);
        assert.deepEqual(records.factEvidence({ offerIds: [] }, 'pay', 10), []);
        assert.deepEqual(records.factEvidence({ role: 'DevOps Engineer' }, 'pay', 10), []);
      });

      it('lists the families of active offers, most offers first, with their most common label and their roles', () => {
        assert.deepEqual(records.listFamilies(), []);
        put('a', { family: 'barista', familyLabel: 'Barista' });
        put('b', { family: 'barista', familyLabel: 'Barista' }, { role: 'Other' });
        put('c', { family: 'barista', familyLabel: 'Head Barista' }, { role: 'Hospitality' });
        put('d', { family: 'barista', familyLabel: 'Zeta Barista' }, { status: 'removed', role: 'Zeta' });
        put('e', { family: 'sommelier', familyLabel: 'Sommelière' });
        put('f', { family: 'sommelier', familyLabel: 'Sommelier' });
        put('g', { family: 'cook' });
        put('h', {});
        assert.deepEqual(records.listFamilies(), [
          { family: 'barista', label: 'Barista', offers: 3, roles: ['Hospitality', 'Other'] },
          { family: 'sommelier', label: 'Sommelier', offers: 2, roles: ['Other'] },
          { family: 'cook', label: 'cook', offers: 1, roles: ['Other'] },
        ]);
      });

      it('counts the families again after a write, and not after a write rolled back', () => {
        barista();
        const count = (family: string) => records.listFamilies().find((f) => f.family === family)?.offers;
        assert.equal(count('sommelier'), 1);
        put('g', { family: 'sommelier' });
        assert.equal(count('sommelier'), 2);
        put('g', { family: 'sommelier' }, { status: 'removed' });
        assert.equal(count('sommelier'), 1);
        assert.throws(() =>
          records.transaction(() => {
            put('h', { family: 'sommelier' });
            // Read inside the transaction: its own write counts there, and must not be remembered past the rollback.
            assert.equal(count('sommelier'), 2);
            throw new Error('rolled back');
          }),
        );
        assert.equal(count('sommelier'), 1);
      });

      it("counts the families again after another connection's commit", (t) =>
        withSecondConnection(t, (other) => {
          barista();
          const count = (store: RecordStore, family: string) => store.listFamilies().find((f) => f.family === family)?.offers;
          assert.equal(count(records, 'sommelier'), 1);
          assert.equal(count(other, 'sommelier'), 1);
          other.putOffer(offered('g', 'Other', { title: 'Sommelier', family: 'sommelier' }));
          assert.equal(count(records, 'sommelier'), 2, "the other connection's commit");
          records.putOffer(offered('h', 'Other', { title: 'Sommelier', family: 'sommelier' }));
          assert.equal(count(other, 'sommelier'), 3, "this connection's commit, seen by the other");
        }));
    });

    describe('offer search', () => {
      const put = (listed: ListedOffer, status: OfferStatus = 'active') => records.putOffer(listedOfferRecord(listed, status));
      const found = (filter: Parameters<RecordStore['groupOffers']>[0], text?: string) => records.searchOffers({ filter, limit: 100, ...(text ? { text } : {}) }).offers.map((o) => o.offerId);
      const fill = () => {
        for (const offer of LISTED_OFFERS) put(offer);
        put({ ...LISTED_OFFERS[0]!, id: 'o00' }, 'removed');
      };

      it('selects the active offers by facets and company words', () => {
        fill();
        assert.deepEqual(found({}), ['o01', 'o02', 'o03', 'o04', 'o05']);
        assert.deepEqual(found({ roles: ['SRE'] }), ['o01', 'o02']);
        assert.deepEqual(found({ companyWords: ['ferngrove'] }), ['o01', 'o03', 'o05']);
        assert.deepEqual(found({ languages: ['fr'] }), ['o02']);
        assert.deepEqual(found({ postedFrom: '2024-03', postedTo: '2024-03' }), ['o01', 'o03', 'o05']);
        assert.deepEqual(found({ roles: ['DevOps Engineer'], companyWords: ['ferngrove', 'labs'], postedFrom: '2024-03', postedTo: '2024-03' }), ['o03']);
      });

      it('finds words in the title, company or text, folded, as word starts', () => {
        fill();
        assert.deepEqual(found({}, 'kube'), ['o01', 'o04']);
        assert.deepEqual(found({}, 'BATISSEURS fiabilite'), ['o02']);
        assert.deepEqual(found({}, 'ingenieur'), ['o02']);
        assert.deepEqual(found({}, 'ubernetes'), []);
        assert.deepEqual(found({}, 'ferngrove espresso'), ['o05'], 'every word, anywhere');
        assert.deepEqual(found({ roles: ['DevOps Engineer'] }, 'kubernetes'), ['o04']);
        assert.deepEqual(found({ companyWords: ['ferngrove'] }, 'labs'), ['o01', 'o03']);
      });

      it('counts every match and says what each offer is', () => {
        fill();
        const page = records.searchOffers({ filter: { companyWords: ['ferngrove'] }, limit: 2 });
        assert.deepEqual(page, {
          offers: [
            { offerId: 'o01', role: 'SRE', title: 'Site Reliability Engineer', company: 'Ferngrove Labs', language: 'en', datePosted: '2024-03-04', source: 'o01.md' },
            { offerId: 'o03', role: 'DevOps Engineer', title: 'DevOps Engineer', company: 'Ferngrove Labs', language: 'en', datePosted: '2024-03-20', source: 'o03.md' },
          ],
          total: 3,
          after: 'o03',
        });
        assert.deepEqual(records.searchOffers({ filter: { companyWords: ['ferngrove'] }, limit: 2, after: 'o03' }), {
          offers: [{ offerId: 'o05', role: 'Other', title: 'Barista', company: 'Ferngrove Café', language: 'en', datePosted: '2024-03-01', source: 'o05.md' }],
          total: 3,
        });
        records.putOffer(offered('o06', 'SRE', { title: 'SRE', company: 'Quietwater', location: 'Porto', url: 'https://jobs.example.org/6', seniority: 'senior', workplace: 'remote', familyLabel: 'Site Reliability Engineer', text: '' }));
        assert.deepEqual(records.searchOffers({ filter: { roles: ['SRE'] }, text: 'quietwater', limit: 5 }).offers, [
          { offerId: 'o06', role: 'SRE', title: 'SRE', company: 'Quietwater', location: 'Porto', language: 'en', seniority: 'senior', workplace: 'remote', family: 'Site Reliability Engineer', url: 'https://jobs.example.org/6', source: 'o06.md' },
        ]);
      });

      it('pages in id order with a cursor that skips nothing and repeats nothing, while offers are added', () => {
        fill();
        fc.assert(
          fc.property(fc.integer({ min: 1, max: 4 }), fc.uniqueArray(fc.integer({ min: 10, max: 60 }), { maxLength: 8 }), (limit, added) => {
            const seen: string[] = [];
            let after: string | undefined;
            const inserted: string[] = [];
            for (;;) {
              const page = records.searchOffers({ filter: {}, limit, ...(after ? { after } : {}) });
              assert.ok(page.offers.length <= limit);
              seen.push(...page.offers.map((o) => o.offerId));
              if (after === undefined) {
                // Offers added after the first page, on both sides of the cursor.
                for (const n of added) {
                  const id = `o${String(n).padStart(2, '0')}`;
                  put({ ...LISTED_OFFERS[0]!, id });
                  inserted.push(id);
                }
              }
              if (!page.after) break;
              after = page.after;
            }
            // The first page as it was, then every active offer after its last id, each once, in order.
            const firstPage = seen.slice(0, limit);
            const active = [...new Set([...LISTED_OFFERS.map((o) => o.id), ...inserted])].sort();
            assert.deepEqual(seen, [...firstPage, ...active.filter((id) => id > firstPage.at(-1)!)]);
            records.transaction(() => inserted.forEach((id) => records.putOffer({ ...offerRecord({ offerId: id, role: 'SRE' }), status: 'removed' })));
          }),
          { seed: 20260301, numRuns: 40, verbose: 1 },
        );
      });
    });

    describe('lexical index', () => {
      const fill = () =>
        records.lexical.insert([
          chunk('a:1', 'a', 'DevOps Engineer', 'Run the on-call rotation and write postmortems after incidents.', ['oncall']),
          chunk('b:1', 'b', 'DevOps Engineer', 'Write Terraform modules for every environment.'),
          chunk('c:1', 'c', 'DevOps Engineer', `${'Our estate is large and reviewed by peers every day of the week. '.repeat(8)}Terraform too.`),
          chunk('d:1', 'd', 'DevOps Engineer', 'Terraform, Terraform and more Terraform: our estate is code.', ['terraform'], { mentions: { terraform: 4 } }),
          chunk('s:1', 's', 'SRE', 'Terraform modules, all day long.'),
        ]);
      const top = (theme: string, extra: { offerIds?: string[]; sections?: string[]; limit?: number } = {}) =>
        records.lexical.topForTheme(theme, { role: 'DevOps Engineer', sections: ['requirements'], limit: 10, ...extra });

      it("ranks a theme's chunks within the role by prominence: mentioned often and in few words first, in passing last", () => {
        fill();
        assert.deepEqual(top('terraform'), ['d:1', 'b:1', 'c:1']);
        assert.deepEqual(top('oncall'), ['a:1']);
        assert.deepEqual(top('kubernetes'), []);
        assert.deepEqual(top('terraform', { limit: 2 }), ['d:1', 'b:1']);
        assert.deepEqual([top('terraform', { limit: 0 }), top('terraform', { sections: [] })], [[], []]);
      });

      it('filters on sections and on the sampled offers, with or without a role', () => {
        fill();
        assert.deepEqual(top('terraform', { offerIds: ['c', 'b', 's'] }), ['b:1', 'c:1']);
        assert.deepEqual(top('terraform', { offerIds: ['c', 'b', 's'], limit: 1 }), ['b:1']);
        assert.deepEqual(top('terraform', { offerIds: [] }), []);
        assert.deepEqual(records.lexical.topForTheme('terraform', { sections: ['requirements'], offerIds: ['b', 's'], limit: 10 }), ['s:1', 'b:1']);
        assert.deepEqual(top('terraform', { sections: ['missions'] }), []);
        assert.deepEqual(records.lexical.topForTheme('terraform', { role: 'SRE', sections: ['requirements'], limit: 10 }), ['s:1']);
      });

      it("merges the sections' rankings", () => {
        fill();
        records.lexical.insert([chunk('m:1', 'm', 'DevOps Engineer', 'Terraform.', ['terraform'], { section: 'missions' })]);
        assert.deepEqual(top('terraform', { sections: ['missions', 'requirements'] }), ['d:1', 'm:1', 'b:1', 'c:1']);
        assert.deepEqual(top('terraform', { sections: ['requirements', 'missions'], limit: 2 }), ['d:1', 'm:1']);
        assert.deepEqual(top('terraform', { sections: ['missions', 'requirements'], offerIds: ['c', 'm'] }), ['m:1', 'c:1']);
      });

      it('breaks ties of templated chunks by a hash of their ids (FNV-1a), not by their age', () => {
        const same = 'Write Terraform modules for every environment.';
        const chunkIds = Array.from({ length: 30 }, (_, i) => `t${i}:1`);
        records.lexical.insert(chunkIds.map((id) => chunk(id, id.split(':')[0]!, 'Platform Engineer', same)));
        const byHash = [...chunkIds].sort((a, b) => fnv1a(a) - fnv1a(b) || (a < b ? -1 : 1));
        const query = { role: 'Platform Engineer', sections: ['requirements'], limit: 10 };
        assert.deepEqual(records.lexical.topForTheme('terraform', query), byHash.slice(0, 10));
        assert.deepEqual(records.lexical.topForTheme('terraform', { ...query, offerIds: chunkIds.map((id) => id.split(':')[0]!) }), byHash.slice(0, 10));
      });

      it('describes chunks from the record, leaving out the ones it does not list', () => {
        fill();
        records.lexical.insert([chunk('e:1', 'e', 'SRE', 'Ansible and Terraform.', ['terraform', 'ansible'], { section: 'nice_to_have', mentions: { ansible: 1 } })]);
        assert.deepEqual(byKey(records.lexical.describe(['e:1', 'missing', 'b:1'])), [
          ['b:1', { id: 'b:1', offerId: 'b', role: 'DevOps Engineer', section: 'requirements', text: 'Write Terraform modules for every environment.', themes: ['terraform'] }],
          ['e:1', { id: 'e:1', offerId: 'e', role: 'SRE', section: 'nice_to_have', text: 'Ansible and Terraform.', themes: ['ansible', 'terraform'] }],
        ]);
        assert.equal(records.lexical.describe([]).size, 0);
      });

      it("replaces a chunk of the same id, and an offer's chunks with the offer", () => {
        fill();
        records.lexical.insert([chunk('b:1', 'b', 'DevOps Engineer', 'Pulumi programs in TypeScript.', ['pulumi'])]);
        assert.deepEqual([top('pulumi'), top('terraform'), records.lexical.totalChunks()], [['b:1'], ['d:1', 'c:1'], 5]);
        records.lexical.replaceOffer('b', [chunk('b:2', 'b', 'DevOps Engineer', 'Pulumi programs.', ['pulumi']), chunk('b:3', 'b', 'DevOps Engineer', 'Terraform.')]);
        assert.deepEqual([top('pulumi'), top('terraform'), records.lexical.totalChunks()], [['b:2'], ['d:1', 'b:3', 'c:1'], 6]);
        assert.equal(records.lexical.describe(['b:1']).size, 0);
        records.lexical.replaceOffer('b', []);
        records.lexical.replaceOffer('never', []);
        assert.deepEqual([top('pulumi'), top('terraform'), records.lexical.totalChunks()], [[], ['d:1', 'c:1'], 4]);
      });

      it('counts the chunks of a role, of some offers, or of all, in some sections', () => {
        assert.equal(records.lexical.totalChunks(), 0);
        fill();
        records.lexical.insert([chunk('m:1', 'm', 'DevOps Engineer', 'Terraform.', ['terraform'], { section: 'missions' })]);
        const count = (query: Parameters<RecordStore['lexical']['countChunks']>[0]) => records.lexical.countChunks(query);
        assert.deepEqual(
          [
            count({ role: 'DevOps Engineer', sections: ['requirements'] }),
            count({ role: 'DevOps Engineer', sections: ['requirements', 'missions'] }),
            count({ sections: ['requirements'] }),
            count({ role: 'DevOps Engineer', sections: ['requirements'], offerIds: ['a', 'm', 's'] }),
            count({ sections: ['requirements', 'missions'], offerIds: ['a', 'm', 's'] }),
            count({ role: 'SRE', sections: ['missions'] }),
            count({ sections: [] }),
            records.lexical.totalChunks(),
          ],
          [4, 5, 5, 1, 3, 0, 0, 6],
        );
      });

      it("lists the chunk ids of the record's active offers, and starts current", () => {
        assert.deepEqual(records.lexical.activeChunkIds(), []);
        records.putOffer(offered('a', 'SRE', {}, { chunkIds: ['a:1', 'a:2'] }));
        records.putOffer(offered('b', 'SRE', {}, { chunkIds: ['b:1'], status: 'removed' }));
        records.putOffer(offered('c', 'SRE', {}, { chunkIds: [] }));
        records.putOffer(offered('d', 'SRE', {}, { chunkIds: ['d:1'] }));
        assert.deepEqual(records.lexical.activeChunkIds().sort(), ['a:1', 'a:2', 'd:1']);
        assert.equal(records.lexical.isBehind(), false);
        records.lexical.markCurrent();
        assert.equal(records.lexical.isBehind(), false);
      });
    });

    describe('reindex history', () => {
      it('lists the runs newest first, as they were recorded', () => {
        assert.deepEqual(records.history.list(5), []);
        const runs = [run(1, '2026-03-01T06:00:00.000Z'), run(2, '2026-03-01T00:00:00.000Z'), { ...run(3, '2026-03-01T12:00:00.000Z'), failures: [], roles: {} }];
        for (const r of runs) records.history.add(r);
        assert.deepEqual(records.history.list(10), [runs[2], runs[1], runs[0]]);
        assert.deepEqual(records.history.list(2), [runs[2], runs[1]]);
      });

      it(`forgets the runs beyond the newest ${KEPT_RUNS}`, () => {
        records.transaction(() => {
          for (let i = 1; i <= KEPT_RUNS + 2; i++) records.history.add(run(i));
        });
        const kept = records.history.list(KEPT_RUNS + 10).map((r) => r.seconds);
        assert.deepEqual([kept.length, kept[0], kept.at(-1)], [KEPT_RUNS, KEPT_RUNS + 2, 3]);
      });
    });

    describe('transactions', () => {
      /** One write of each kind the record has, keyed by `key`. */
      const writeEverything = (key: string) => {
        records.putSource(source(`/${key}.md`, { offerIds: [key] }));
        records.putOffer({ ...offered(key, 'SRE', { family: `family ${key}` }, { chunkIds: [`${key}:1`], themesBySection: { missions: ['slo'] }, source: `/${key}.md` }), bandKeys: [`band ${key}`] });
        records.lexical.replaceOffer(key, [chunk(`${key}:1`, key, 'SRE', 'Own the SLOs.', ['slo'], { section: 'missions' })]);
        records.addIntent(key, [`${key}:1`]);
        records.putRoot(`/roots/${key}`);
        records.putWebRoot({ seed: `https://jobs.example.org/${key}/` });
        records.history.add(run(key.length));
      };
      /** Everything the record answers, to compare before and after. */
      const snapshot = () => ({
        sources: records.listSources(),
        offers: [...records.listOffers()],
        byRole: records.countByRole(),
        themes: byKey(records.countThemeMentions('SRE', ['missions'])),
        group: records.groupOffers({}),
        families: records.listFamilies(),
        bands: records.findByBandKeys(['band a', 'band b', 'band c'], 'none').map((c) => c.offerId),
        owners: byKey(records.otherSourcesListing('/elsewhere.md', ['a', 'b', 'c'])),
        chunks: records.lexical.totalChunks(),
        slo: records.lexical.topForTheme('slo', { role: 'SRE', sections: ['missions'], limit: 10 }),
        intents: records.listIntents(),
        roots: records.listRoots(),
        webRoots: records.listWebRoots(),
        history: records.history.list(10),
      });

      it("lands all of fn's writes and returns its value", () => {
        const empty = snapshot();
        assert.equal(records.transaction(() => (writeEverything('a'), 42)), 42);
        const after = snapshot();
        assert.deepEqual([after.group, after.bands, after.chunks, after.slo, after.intents.length, after.history.length], [['a'], ['a'], 1, ['a:1'], 1, 1]);
        assert.notDeepEqual(after, empty);
      });

      it('lands none of them when fn throws, and rethrows its error', () => {
        writeEverything('a');
        const before = snapshot();
        const failure = new Error('the vector store went away');
        assert.throws(
          () =>
            records.transaction(() => {
              writeEverything('b');
              records.putOffer(offered('a', 'SRE', {}, { status: 'removed' }));
              records.lexical.replaceOffer('a', []);
              records.clearIntent('a');
              throw failure;
            }),
          (error) => error === failure,
        );
        assert.deepEqual(snapshot(), before);
      });

      it('nests: a failed inner transaction caught by the outer one undoes only its own writes', () => {
        records.transaction(() => {
          writeEverything('a');
          assert.throws(() =>
            records.transaction(() => {
              writeEverything('b');
              throw new Error('inner');
            }),
          );
          assert.equal(records.transaction(() => (writeEverything('c'), 'inner value')), 'inner value');
        });
        const after = snapshot();
        assert.deepEqual([after.group, after.bands, after.sources.map((s) => s.source), after.intents.map((i) => i.offerId)], [['a', 'c'], ['a', 'c'], ['/a.md', '/c.md'], ['a', 'c']]);
      });

      it('nests: an outer transaction that fails undoes its inner ones too', () => {
        const empty = snapshot();
        assert.throws(() =>
          records.transaction(() => {
            records.transaction(() => writeEverything('a'));
            throw new Error('outer');
          }),
        );
        assert.deepEqual(snapshot(), empty);
      });

      it('shows another connection only what was committed', (t) =>
        withSecondConnection(t, (other) => {
          records.transaction(() => {
            writeEverything('a');
            assert.equal(other.getOffer('a'), undefined, 'not before the commit');
            assert.deepEqual([other.countByRole(), other.groupOffers({}), other.lexical.totalChunks()], [[], [], 0]);
          });
          assert.deepEqual([other.getOffer('a'), other.groupOffers({}), other.lexical.totalChunks()], [records.getOffer('a'), ['a'], 1]);
        }));
    });
  });
}

const ASPECTS: SectionKind[][] = [['missions'], ['requirements'], ['missions', 'requirements'], ['requirements', 'nice_to_have'], [...SECTION_KINDS]];

/** The running totals against a recount, the slow way, of the offers written. */
function assertTotals(records: RecordStore, written: readonly OfferRecord[]): void {
  for (const role of RANDOM_ROLES) {
    for (const sections of ASPECTS) assert.deepEqual(byKey(records.countThemeMentions(role, sections)), byKey(recountThemes(written, role, sections)), `${role} ${sections.join(',')}`);
    assert.equal(records.countActiveOffers(role), written.filter((r) => r.role === role && r.status === 'active').length);
  }
  const expected = new Map<string, { role: string; status: OfferStatus; offers: number; chunks: number }>();
  for (const r of written) {
    const key = `${r.role}\u0000${r.status}`;
    const sum = expected.get(key) ?? { role: r.role, status: r.status, offers: 0, chunks: 0 };
    expected.set(key, { ...sum, offers: sum.offers + 1, chunks: sum.chunks + r.chunkIds.length });
  }
  assert.deepEqual(records.countByRole(), byKey(expected).map(([, totals]) => totals));
}
