import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { FatalError } from '../../src/errors.ts';
import type { EmbeddingSpace, VectorRecord, VectorStore, Where } from '../../src/store/vector-store.ts';

/**
 * One behavioural suite for every VectorStore (STYLE 9): the in-memory fake and Chroma must agree,
 * or unit tests of the stages above would prove things the real store does not do.
 */

export interface StoreUnderTest {
  store: VectorStore;
  cleanup(): Promise<void>;
}

/** The space every suite store is opened with; `makeStore` must use it. */
export const SUITE_SPACE: EmbeddingSpace = { embedderId: 'suite/fixed-3d', dimension: 3 };

function record(id: string, embedding: number[], metadata: VectorRecord['metadata']): VectorRecord {
  return { id, embedding, document: `document ${id}`, metadata: { offerId: `offer-${id}`, ...metadata } };
}

/** Five chunks whose cosine distances to [1, 0, 0] are 0, ~0.006, ~0.29, 1 and 1 (d, c tie). */
const RECORDS: VectorRecord[] = [
  record('a', [1, 0, 0], { role: 'SRE', section: 'requirements', t_kubernetes: true, rank: 1 }),
  record('b', [0.9, 0.1, 0], { role: 'SRE', section: 'missions', rank: 2 }),
  record('e', [0.5, 0.5, 0], { role: 'Other', section: 'missions', t_kubernetes: true, rank: 3 }),
  record('c', [0, 1, 0], { role: 'DevOps Engineer', section: 'requirements', t_kubernetes: true, rank: 4 }),
  record('d', [0, 0, 2], { role: 'DevOps Engineer', section: 'benefits', rank: 5 }),
];

const sorted = (ids: string[]): string[] => [...ids].sort();

export function vectorStoreSuite(name: string, makeStore: () => Promise<StoreUnderTest>): void {
  describe(`VectorStore suite: ${name}`, () => {
    let subject: StoreUnderTest;
    let store: VectorStore;

    beforeEach(async () => {
      subject = await makeStore();
      store = subject.store;
    });
    afterEach(async () => {
      await subject.cleanup();
    });

    const filled = async (): Promise<VectorStore> => {
      await store.upsert(RECORDS);
      return store;
    };
    const idsWhere = async (where: Where): Promise<string[]> =>
      sorted((await store.get({ where, includeDocuments: false })).map((hit) => hit.id));

    it('starts empty and answers queries on an empty store with nothing', async () => {
      assert.equal(await store.count(), 0);
      assert.deepEqual(await store.query([1, 0, 0], { k: 3 }), []);
      assert.deepEqual(await store.get({}), []);
    });

    it('upserts idempotently and replaces documents and metadata of an existing id', async () => {
      await filled();
      await store.upsert(RECORDS);
      assert.equal(await store.count(), RECORDS.length);
      await store.upsert([{ ...record('a', [1, 0, 0], { role: 'SRE', section: 'benefits' }), document: 'rewritten' }]);
      assert.equal(await store.count(), RECORDS.length);
      const [a] = await store.get({ ids: ['a'] });
      assert.equal(a?.document, 'rewritten');
      assert.deepEqual(a?.metadata, { offerId: 'offer-a', role: 'SRE', section: 'benefits' }, 'keys are not merged');
      assert.deepEqual(await idsWhere({ t_kubernetes: true }), ['c', 'e']);
    });

    it('stores records without a document (the pipeline keeps text in its record)', async () => {
      const { document: _, ...bare } = record('bare', [0, 0, 1], { role: 'SRE', section: 'missions' });
      await store.upsert([bare]);
      const [hit] = await store.query([0, 0, 1], { k: 1, where: { role: 'SRE' } });
      assert.deepEqual([hit?.id, hit?.document, hit?.metadata.section], ['bare', '', 'missions']);
    });

    it('keeps the last of duplicate ids in one upsert', async () => {
      await store.upsert([record('x', [1, 0, 0], { role: 'SRE' }), record('x', [0, 1, 0], { role: 'Other' })]);
      assert.equal(await store.count(), 1);
      assert.deepEqual(await idsWhere({ role: 'Other' }), ['x']);
    });

    it('splits large upserts into batches the server accepts', async () => {
      const many = Array.from({ length: 6000 }, (_, i) => record(`bulk-${i}`, [1, i, 0], { role: 'SRE' }));
      await store.upsert(many);
      assert.equal(await store.count(), many.length);
    });

    it('refuses embeddings of another dimension than the space', async () => {
      await assert.rejects(store.upsert([record('x', [1, 0], { role: 'SRE' })]), FatalError);
      assert.equal(await store.count(), 0);
    });

    it('orders query hits by cosine distance, nearest first', async () => {
      await filled();
      const hits = await store.query([2, 0, 0], { k: 3 });
      assert.deepEqual(hits.map((hit) => hit.id), ['a', 'b', 'e']);
      const expected = [0, 1 - 0.9 / Math.sqrt(0.82), 1 - Math.SQRT1_2];
      hits.forEach((hit, i) => assert.ok(Math.abs(hit.distance - (expected[i] ?? NaN)) < 1e-4, `${hit.id}: ${hit.distance}`));
      assert.equal(hits[0]?.document, 'document a');
      assert.deepEqual(hits[0]?.metadata, RECORDS[0]?.metadata);
    });

    it('returns every record when k exceeds the collection, and nothing for k = 0', async () => {
      await filled();
      const hits = await store.query([1, 0, 0], { k: 50 });
      assert.deepEqual(hits.slice(0, 3).map((hit) => hit.id), ['a', 'b', 'e']);
      assert.deepEqual(sorted(hits.slice(3).map((hit) => hit.id)), ['c', 'd']);
      assert.deepEqual(await store.query([1, 0, 0], { k: 0 }), []);
    });

    it('answers several embeddings in one call, each list as query would give it', async () => {
      await filled();
      const where: Where = { t_kubernetes: true };
      const [first, second] = await store.queryMany([[1, 0, 0], [0, 1, 0]], { k: 2, where });
      assert.deepEqual(first, await store.query([1, 0, 0], { k: 2, where }));
      assert.deepEqual(second, await store.query([0, 1, 0], { k: 2, where }));
      assert.deepEqual([first, second].map((hits) => hits.map((hit) => hit.id)), [['a', 'e'], ['c', 'e']]);
      assert.deepEqual(await store.queryMany([[1, 0, 0]], { k: 0 }), [[]]);
    });

    it('reads the vectors of the ids it holds, leaving out the others', async () => {
      await filled();
      const vectors = await store.vectors(['c', 'missing', 'a']);
      assert.deepEqual(sorted([...vectors.keys()]), ['a', 'c']);
      vectors.get('c')!.forEach((x, i) => assert.ok(Math.abs(x - [0, 1, 0][i]!) < 1e-6));
      assert.deepEqual(await store.vectors([]), new Map());
    });

    it('filters queries with where', async () => {
      await filled();
      const ids = async (where: Where): Promise<string[]> =>
        (await store.query([1, 0, 0], { k: 10, where })).map((hit) => hit.id);
      assert.deepEqual(await ids({ role: 'SRE' }), ['a', 'b']);
      assert.deepEqual(await ids({ section: { $in: ['missions', 'benefits'] } }), ['b', 'e', 'd']);
      assert.deepEqual(await ids({ $and: [{ role: 'DevOps Engineer' }, { section: { $in: ['requirements'] } }] }), ['c']);
      assert.deepEqual(await ids({ t_kubernetes: true }), ['a', 'e', 'c']);
      assert.deepEqual(await ids({ role: 'Nobody' }), []);
    });

    it('supports the whole Where subset in get, with Chroma semantics', async () => {
      await filled();
      assert.deepEqual(await idsWhere({ role: 'SRE', section: 'missions' }), ['b'], 'several keys: all must match');
      assert.deepEqual(await idsWhere({ $or: [{ role: 'Other' }, { section: 'benefits' }] }), ['d', 'e']);
      assert.deepEqual(await idsWhere({ $and: [{ t_kubernetes: true }] }), ['a', 'c', 'e'], 'single-part $and');
      assert.deepEqual(await idsWhere({ t_kubernetes: { $ne: true } }), ['b', 'd'], '$ne matches a missing key');
      assert.deepEqual(await idsWhere({ rank: { $in: [1, 5] } }), ['a', 'd']);
      assert.deepEqual(await idsWhere({ rank: 1 }), ['a']);
      assert.deepEqual(await idsWhere({ rank: '1' }), [], 'equality is type-strict');
      assert.deepEqual(await idsWhere({ section: { $in: [] } }), [], 'empty $in matches nothing');
      assert.deepEqual(await idsWhere({ $or: [{ section: { $in: [] } }, { role: 'Other' }] }), ['e']);
    });

    it('gets by ids and where, with or without documents, paged', async () => {
      await filled();
      const byIds = await store.get({ ids: ['c', 'a', 'missing'] });
      assert.deepEqual(sorted(byIds.map((hit) => hit.id)), ['a', 'c']);
      assert.equal(byIds.find((hit) => hit.id === 'c')?.document, 'document c');
      const bare = await store.get({ ids: ['c'], includeDocuments: false });
      assert.deepEqual(bare, [{ id: 'c', document: '', metadata: RECORDS[3]?.metadata }]);
      const both = await store.get({ ids: ['a', 'b', 'c'], where: { role: 'SRE' } });
      assert.deepEqual(sorted(both.map((hit) => hit.id)), ['a', 'b']);
      assert.deepEqual(await store.get({ ids: [] }), []);
      const pages = [0, 2, 4].map((offset) => store.get({ limit: 2, offset, includeDocuments: false }));
      const paged = (await Promise.all(pages)).map((page) => page.length);
      assert.deepEqual(paged, [2, 2, 1]);
      const all = await Promise.all(pages);
      assert.deepEqual(sorted(all.flat().map((hit) => hit.id)), ['a', 'b', 'c', 'd', 'e']);
    });

    it('deletes by ids and by where', async () => {
      await filled();
      await store.delete({ ids: ['a', 'missing'] });
      assert.equal(await store.count(), 4);
      assert.deepEqual(await store.get({ ids: ['a'] }), []);
      await store.delete({ where: { role: 'DevOps Engineer' } });
      assert.deepEqual(await idsWhere({ $or: [{ role: 'SRE' }, { role: 'Other' }] }), ['b', 'e']);
      await store.delete({ ids: [] });
      await store.delete({ where: { section: { $in: [] } } });
      assert.equal(await store.count(), 2);
    });

    it('deletes only what matches both ids and where', async () => {
      await filled();
      await store.delete({ ids: ['a', 'c'], where: { role: 'SRE' } });
      assert.deepEqual(sorted((await store.get({})).map((hit) => hit.id)), ['b', 'c', 'd', 'e']);
    });
  });
}
