import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { loadRoleCatalog } from '../../src/catalog/roles.ts';
import { UsageError } from '../../src/errors.ts';
import { isResolved, resolveSelection } from '../../src/query/groups.ts';
import { SqliteRecordStore } from '../../src/records/sqlite-record-store.ts';
import type { Offer } from '../../src/types.ts';
import { scratchDir } from '../helpers/cli.ts';
import { offerRecord } from '../helpers/offer-record.ts';

/**
 * Browsing offers (GET /api/offers, the MCP search_offers tool): a selection (role words
 * optional, filters), words searched folded, keyset pages whose cursor stays valid while offers
 * are added.
 */

const SEED = 20260301;

const OFFERS: Array<{ id: string; role: string; title: string; company: string; language: string; datePosted?: string; text: string }> = [
  { id: 'o01', role: 'SRE', title: 'Site Reliability Engineer', company: 'Ferngrove Labs', language: 'en', datePosted: '2024-03-04', text: 'Run Kubernetes clusters and own the SLOs.' },
  { id: 'o02', role: 'SRE', title: 'Ingénieur·e SRE', company: 'Bâtisseurs Réunis', language: 'fr', datePosted: '2024-04-10', text: 'Gérer la fiabilité des services et les astreintes.' },
  { id: 'o03', role: 'DevOps Engineer', title: 'DevOps Engineer', company: 'Ferngrove Labs', language: 'en', datePosted: '2024-03-20', text: 'Build CI/CD pipelines with GitLab.' },
  { id: 'o04', role: 'DevOps Engineer', title: 'DevOps Engineer', company: 'Quietwater', language: 'en', text: 'Terraform modules and kubernetes upgrades.' },
  { id: 'o05', role: 'Other', title: 'Barista', company: 'Ferngrove Café', language: 'en', datePosted: '2024-03-01', text: 'Pull espresso shots.' },
];

function put(records: SqliteRecordStore, o: (typeof OFFERS)[number]): void {
  const record = offerRecord({ offerId: o.id, role: o.role });
  record.offer = { offerId: o.id, role: o.role, title: o.title, company: o.company, language: o.language, text: o.text, sections: [], source: `${o.id}.md`, contentHash: o.id, ...(o.datePosted ? { datePosted: o.datePosted } : {}) } as Offer;
  records.putOffer(record);
}

describe('offer search', () => {
  let scratch: Awaited<ReturnType<typeof scratchDir>>;
  let records: SqliteRecordStore;
  const catalog = loadRoleCatalog();
  const selection = (expression: string) => {
    const group = resolveSelection(expression, catalog, records.listFamilies());
    assert.ok(isResolved(group), expression);
    return group.facets;
  };
  const ids = (filter: ReturnType<typeof selection>, text?: string) => records.searchOffers({ filter, limit: 100, ...(text ? { text } : {}) }).offers.map((o) => o.offerId);

  before(async () => {
    scratch = await scratchDir();
    records = SqliteRecordStore.open(scratch.dir, 'search-test');
    for (const offer of OFFERS) put(records, offer);
  });
  after(async () => {
    records.close();
    await scratch.cleanup();
  });

  it('selects by role words, filters, or filters alone', () => {
    assert.deepEqual(ids(selection('SRE')), ['o01', 'o02']);
    assert.deepEqual(ids(selection('company:ferngrove')), ['o01', 'o03', 'o05']);
    assert.deepEqual(ids(selection('lang:fr')), ['o02']);
    assert.deepEqual(ids(selection('posted:2024-03')), ['o01', 'o03', 'o05']);
    assert.deepEqual(ids(selection('devops engineer company:"ferngrove labs" posted:2024-03')), ['o03']);
    assert.deepEqual(ids(selection('')), ['o01', 'o02', 'o03', 'o04', 'o05']);
    assert.throws(() => resolveSelection('seniority:galactic', catalog, []), UsageError);
  });

  it('finds words in the title, company or text, folded, as word starts', () => {
    assert.deepEqual(ids(selection(''), 'kube'), ['o01', 'o04']);
    assert.deepEqual(ids(selection(''), 'BATISSEURS fiabilite'), ['o02']);
    assert.deepEqual(ids(selection(''), 'ingenieur'), ['o02']);
    assert.deepEqual(ids(selection(''), 'ubernetes'), []);
    assert.deepEqual(ids(selection('DevOps'), 'kubernetes'), ['o04']);
  });

  it('pages in id order with a cursor that skips nothing and repeats nothing, while offers are added', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 4 }), fc.uniqueArray(fc.integer({ min: 10, max: 60 }), { maxLength: 8 }), (limit, added) => {
        const seen: string[] = [];
        let after: string | undefined;
        let first = true;
        const inserted: string[] = [];
        for (;;) {
          const page = records.searchOffers({ filter: {}, limit, ...(after ? { after } : {}) });
          assert.ok(page.offers.length <= limit);
          seen.push(...page.offers.map((o) => o.offerId));
          if (first) {
            // Offers added after the first page, on both sides of the cursor.
            for (const n of added) {
              const id = `o${String(n).padStart(2, '0')}`;
              put(records, { ...OFFERS[0]!, id });
              inserted.push(id);
            }
            first = false;
          }
          if (!page.after) break;
          after = page.after;
        }
        // The first page as it was, then every active offer after its last id, each once, in order.
        const firstPage = seen.slice(0, limit);
        const active = [...new Set([...OFFERS.map((o) => o.id), ...inserted])].sort();
        assert.deepEqual(seen, [...firstPage, ...active.filter((id) => id > firstPage.at(-1)!)]);
        records.transaction(() => inserted.forEach((id) => records.putOffer({ ...offerRecord({ offerId: id, role: 'SRE' }), status: 'removed' })));
      }),
      { seed: SEED, numRuns: 40, verbose: 1 },
    );
  });

  it('counts every match and says what each offer is', () => {
    const page = records.searchOffers({ filter: selection('company:ferngrove'), limit: 2 });
    assert.equal(page.total, 3);
    assert.equal(page.after, 'o03');
    assert.deepEqual(page.offers[0], { offerId: 'o01', role: 'SRE', title: 'Site Reliability Engineer', company: 'Ferngrove Labs', language: 'en', datePosted: '2024-03-04', source: 'o01.md' });
  });
});
