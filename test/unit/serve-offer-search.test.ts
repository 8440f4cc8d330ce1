import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { loadRoleCatalog } from '../../src/catalog/roles.ts';
import { UsageError } from '../../src/errors.ts';
import { isResolved, resolveSelection } from '../../src/query/groups.ts';
import { SqliteRecordStore } from '../../src/records/sqlite-record-store.ts';
import { scratchDir } from '../helpers/cli.ts';
import { LISTED_OFFERS, listedOfferRecord } from '../helpers/offer-record.ts';

/**
 * Browsing offers (GET /api/offers, the MCP search_offers tool): a selection's expression (role
 * words optional, filters) resolved to the record's facets. How the record searches words and
 * pages is in the record store suite (test/helpers/record-store-suite.ts).
 */
describe('offer search', () => {
  let scratch: Awaited<ReturnType<typeof scratchDir>>;
  let records: SqliteRecordStore;
  const catalog = loadRoleCatalog();
  const selection = (expression: string) => {
    const group = resolveSelection(expression, catalog, records.listFamilies());
    assert.ok(isResolved(group), expression);
    return group.facets;
  };
  const ids = (filter: ReturnType<typeof selection>) => records.searchOffers({ filter, limit: 100 }).offers.map((o) => o.offerId);

  before(async () => {
    scratch = await scratchDir();
    records = SqliteRecordStore.open(scratch.dir, 'search-test');
    for (const offer of LISTED_OFFERS) records.putOffer(listedOfferRecord(offer));
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
});
