import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { backfillLexicalIndex } from '../../src/records/lexical-backfill.ts';
import { prominence } from '../../src/records/lexical-index.ts';
import { SqliteRecordStore } from '../../src/records/sqlite-record-store.ts';
import { MemoryStore } from '../../src/store/memory-store.ts';
import { scratchDir } from '../helpers/cli.ts';
import { alterRecordFile, offerRecord } from '../helpers/offer-record.ts';

describe('LexicalIndex (theme prominence in the record)', () => {
  let scratch: Awaited<ReturnType<typeof scratchDir>>;
  let record: SqliteRecordStore;
  const chunk = (id: string, offerId: string, role: string, text: string, themes = ['terraform'], mentions?: Record<string, number>) => ({
    id,
    offerId,
    role,
    section: 'requirements',
    themes,
    text,
    ...(mentions ? { mentions } : {}),
  });

  before(async () => {
    scratch = await scratchDir();
    record = SqliteRecordStore.open(scratch.dir, 'test');
    record.lexical.insert([
      chunk('a:1', 'a', 'DevOps Engineer', 'Run the on-call rotation and write postmortems after incidents.', ['oncall']),
      chunk('b:1', 'b', 'DevOps Engineer', 'Write Terraform modules for every environment.'),
      chunk('c:1', 'c', 'DevOps Engineer', `${'Our estate is large and reviewed by peers every day of the week. '.repeat(8)}Terraform too.`),
      chunk('d:1', 'd', 'DevOps Engineer', 'Terraform, Terraform and more Terraform: our estate is code.', ['terraform'], { terraform: 4 }),
      chunk('s:1', 's', 'SRE', 'Terraform modules, all day long.'),
    ]);
  });
  after(async () => {
    record.close();
    await scratch.cleanup();
  });

  const top = (theme: string, extra: { offerIds?: string[]; sections?: string[] } = {}) =>
    record.lexical.topForTheme(theme, { role: 'DevOps Engineer', sections: ['requirements'], limit: 10, ...extra });

  it('ranks a theme\'s chunks within the role by prominence: mentioned often and in few words first, in passing last', () => {
    assert.deepEqual(top('terraform'), ['d:1', 'b:1', 'c:1']);
    assert.deepEqual(top('oncall'), ['a:1']);
    assert.deepEqual(top('kubernetes'), []);
  });

  it('filters on sections and on the sampled offers', () => {
    assert.deepEqual(top('terraform', { offerIds: ['c', 'b', 's'] }), ['b:1', 'c:1']);
    assert.deepEqual(top('terraform', { sections: ['missions'] }), []);
    assert.deepEqual(top('terraform', { sections: ['missions', 'requirements'] }), ['d:1', 'b:1', 'c:1']);
    assert.deepEqual(record.lexical.topForTheme('terraform', { role: 'DevOps Engineer', sections: ['requirements'], limit: 2 }), ['d:1', 'b:1']);
  });

  it('scores prominence like BM25\'s term-frequency factor', () => {
    assert.ok(prominence(2, 100) > prominence(1, 100), 'more mentions');
    assert.ok(prominence(1, 100) > prominence(1, 1000), 'fewer words');
    assert.ok(prominence(50, 400) < 2.2, 'saturates below k1 + 1');
  });

  it('breaks ties of templated chunks by a hash of their ids, not by their age', () => {
    const same = 'Write Terraform modules for every environment.';
    const ids = Array.from({ length: 30 }, (_, i) => `t${i}:1`);
    record.lexical.insert(ids.map((id) => chunk(id, id.split(':')[0]!, 'Platform Engineer', same)));
    const ranked = record.lexical.topForTheme('terraform', { role: 'Platform Engineer', sections: ['requirements'], limit: 10 });
    assert.equal(ranked.length, 10);
    assert.notDeepEqual(ranked, ids.slice(0, 10));
    assert.deepEqual(record.lexical.topForTheme('terraform', { role: 'Platform Engineer', sections: ['requirements'], limit: 10 }), ranked, 'and always the same way');
  });

  it('describes chunks from the record, and replaces and removes an offer\'s chunks with the offer', () => {
    assert.deepEqual([...record.lexical.describe(['b:1', 'missing']).values()].map((c) => [c.id, c.text, c.themes]), [['b:1', 'Write Terraform modules for every environment.', ['terraform']]]);
    record.lexical.replaceOffer('b', [chunk('b:2', 'b', 'DevOps Engineer', 'Pulumi programs in TypeScript.', ['pulumi'])]);
    assert.deepEqual(top('pulumi'), ['b:2']);
    assert.ok(!top('terraform').includes('b:1'));
    record.lexical.replaceOffer('b', []);
    assert.deepEqual(top('pulumi'), []);
    assert.equal(record.lexical.describe(['b:2']).size, 0);
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
