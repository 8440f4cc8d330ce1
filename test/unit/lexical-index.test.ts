import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { backfillLexicalIndex } from '../../src/records/lexical-backfill.ts';
import { prominence } from '../../src/records/lexical-index.ts';
import { SqliteRecordStore } from '../../src/records/sqlite-record-store.ts';
import { MemoryStore } from '../../src/store/memory-store.ts';
import { scratchDir } from '../helpers/cli.ts';
import { alterRecordFile, offerRecord } from '../helpers/offer-record.ts';

/** The lexical index's behaviour is in the record store suite (test/helpers/record-store-suite.ts); its scoring, here. */
describe('prominence (the lexical index\'s ranking score)', () => {
  it('scores prominence like BM25\'s term-frequency factor', () => {
    assert.ok(prominence(2, 100) > prominence(1, 100), 'more mentions');
    assert.ok(prominence(1, 100) > prominence(1, 1000), 'fewer words');
    assert.ok(prominence(50, 400) < 2.2, 'saturates below k1 + 1');
  });
});

describe('backfillLexicalIndex (a record written before lexical schema 2)', () => {
  it('re-derives the tables from the documents and theme keys older stores held, once', async () => {
    const scratch = await scratchDir();
    try {
      const store = new MemoryStore({ embedderId: 'test', dimension: 2 });
      await store.upsert([
        { id: 'o1:1', embedding: [1, 0], document: 'Write Terraform modules.', metadata: { offerId: 'o1', role: 'SRE', section: 'requirements', t_terraform: true } },
        { id: 'gone:1', embedding: [0, 1], document: 'An offer the record no longer lists.', metadata: { offerId: 'gone', role: 'SRE', section: 'requirements' } },
      ]);
      const first = SqliteRecordStore.open(scratch.dir, 'old');
      first.putOffer(offerRecord({ offerId: 'o1', role: 'SRE', chunkIds: ['o1:1'], themesBySection: { requirements: ['terraform'] } }));
      first.close();
      // What version 1 left: its own tables (no text column) and its version number.
      alterRecordFile(
        scratch.dir,
        'old',
        'DROP TABLE chunk_meta; CREATE TABLE chunk_meta (rowid INTEGER PRIMARY KEY, chunk_id TEXT, offer_id TEXT, role TEXT, section TEXT); DELETE FROM lexical_version; INSERT INTO lexical_version VALUES (1);',
      );

      const record = SqliteRecordStore.open(scratch.dir, 'old');
      try {
        assert.equal(record.lexical.isBehind(), true);
        await backfillLexicalIndex(store, record.lexical);
        assert.equal(record.lexical.isBehind(), false);
        const query = { role: 'SRE', sections: ['requirements'], limit: 5 };
        assert.deepEqual(record.lexical.topForTheme('terraform', query), ['o1:1']);
        assert.deepEqual([...record.lexical.describe(['o1:1', 'gone:1']).values()].map((c) => [c.text, c.themes]), [['Write Terraform modules.', ['terraform']]]);
      } finally {
        record.close();
      }
    } finally {
      await scratch.cleanup();
    }
  });
});
