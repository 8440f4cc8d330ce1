import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { SqliteRecordStore } from '../../src/records/sqlite-record-store.ts';
import { createRandom } from '../../src/util/random.ts';
import { scratchDir } from '../helpers/cli.ts';
import { alterRecordFile, RANDOM_ROLES, randomOfferRecord, recountThemes } from '../helpers/offer-record.ts';

function sorted(map: Map<string, number>): Array<[string, number]> {
  return [...map].sort(([a], [b]) => (a < b ? -1 : 1));
}

/** How the totals follow every write is in the record store suite (test/helpers/record-store-suite.ts); upgrading a SQLite record, here. */
describe('running theme and role totals (records/theme-counts.ts)', () => {
  let scratch: Awaited<ReturnType<typeof scratchDir>>;
  before(async () => {
    scratch = await scratchDir();
  });
  after(() => scratch.cleanup());

  it('are filled from the offers when a record written before them is opened', () => {
    const record = SqliteRecordStore.open(scratch.dir, 'upgrade');
    const random = createRandom('upgrade');
    const records = Array.from({ length: 40 }, (_, i) => randomOfferRecord(random, i));
    for (const r of records) record.putOffer(r);
    const before = RANDOM_ROLES.map((role) => sorted(record.countThemeMentions(role, ['missions', 'requirements'])));
    record.close();
    // What an older version left behind: the offers, without the totals or their triggers.
    alterRecordFile(scratch.dir, 'upgrade', 'DROP TRIGGER offers_counted_insert; DROP TRIGGER offers_counted_update; DROP TRIGGER offers_counted_delete; DROP TABLE role_counts; DROP TABLE theme_counts; PRAGMA user_version = 0;');
    const reopened = SqliteRecordStore.open(scratch.dir, 'upgrade');
    try {
      assert.deepEqual(RANDOM_ROLES.map((role) => sorted(reopened.countThemeMentions(role, ['missions', 'requirements']))), before);
      assert.deepEqual(before, RANDOM_ROLES.map((role) => sorted(recountThemes(records, role, ['missions', 'requirements']))));
      assert.equal(reopened.countByRole().reduce((sum, r) => sum + r.offers, 0), 40);
    } finally {
      reopened.close();
    }
    // A row deleted by hand (no code path deletes offers) is subtracted too.
    alterRecordFile(scratch.dir, 'upgrade', "DELETE FROM offers WHERE offer_id IN ('o0', 'o1', 'o2')");
    const after = SqliteRecordStore.open(scratch.dir, 'upgrade');
    try {
      const left = records.slice(3);
      assert.deepEqual(RANDOM_ROLES.map((role) => sorted(after.countThemeMentions(role, ['requirements']))), RANDOM_ROLES.map((role) => sorted(recountThemes(left, role, ['requirements']))));
      assert.equal(after.countByRole().reduce((sum, r) => sum + r.offers, 0), 37);
    } finally {
      after.close();
    }
  });
});
