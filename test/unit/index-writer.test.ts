import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { IndexWriter } from '../../ingest/index-writer.ts';
import { LocalEmbedder } from '../../src/embed/local-embedder.ts';
import { SqliteRecordStore } from '../../src/records/sqlite-record-store.ts';
import { MemoryStore } from '../../src/store/memory-store.ts';
import type { VectorStore } from '../../src/store/vector-store.ts';
import type { Chunk, Offer } from '../../src/types.ts';
import { wrapStore } from '../helpers/store-wrapper.ts';

const embedder = new LocalEmbedder({ dimension: 64 });
const space = { embedderId: embedder.id, dimension: 64 };

function offer(id: string, version: string): Offer {
  const text = `Missions\nRun the ${version} platform.`;
  return {
    offerId: id,
    role: 'SRE',
    title: 'SRE',
    company: 'Acme',
    source: `/offers/${id}.md`,
    language: 'en',
    sections: [{ kind: 'missions', heading: 'Missions', text: `Run the ${version} platform.` }],
    text,
    contentHash: `${id}-${version}-hash`,
  };
}

function chunksOf(o: Offer, n = 2): Chunk[] {
  return Array.from({ length: n }, (_, i) => ({
    id: `${o.offerId}:${o.contentHash}:0:${i}`,
    offerId: o.offerId,
    role: o.role,
    section: 'missions' as const,
    text: o.sections[0]!.text,
    themes: ['k8s'],
    title: o.title,
  }));
}

/** A store that fails the way a killed process stops: after the upsert, before the delete (and, with `overrides`, elsewhere too). */
function failingOnDelete(inner: VectorStore, overrides: Parameters<typeof wrapStore>[1] = {}): VectorStore {
  return wrapStore(inner, {
    delete: async () => {
      throw new Error('killed');
    },
    ...overrides,
  });
}

describe('IndexWriter', () => {
  let dir: string;
  let records: SqliteRecordStore;
  let store: MemoryStore;

  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'offers-writer-'));
    records = SqliteRecordStore.open(dir, 'test');
    store = new MemoryStore(space);
  });
  afterEach(async () => {
    records.close();
    await rm(dir, { recursive: true, force: true });
  });

  const lexicalIds = () => records.lexical.topForTheme('k8s', { role: 'SRE', sections: ['missions'], limit: 10 }).sort();
  const storedIds = async () => (await store.get({ includeDocuments: false })).map((r) => r.id).sort();

  it('writes chunks and records together, and replaces a changed offer without leftovers', async () => {
    const writer = new IndexWriter(store, records, embedder);
    const v1 = offer('a', 'v1');
    await writer.write(v1, chunksOf(v1), 'fp-a');
    await writer.flush();
    assert.deepEqual(await storedIds(), chunksOf(v1).map((c) => c.id));
    const v2 = offer('a', 'v2');
    await writer.write(v2, chunksOf(v2, 3), 'fp-a');
    await writer.flush();
    assert.deepEqual(await storedIds(), chunksOf(v2, 3).map((c) => c.id));
    assert.deepEqual(records.getOffer('a')?.chunkIds, chunksOf(v2, 3).map((c) => c.id));
    assert.deepEqual(writer.stats, { written: 2, created: 1, changed: 1, chunksWritten: 5, removed: 0, duplicates: 0 });
    assert.deepEqual(lexicalIds(), chunksOf(v2, 3).map((c) => c.id), 'the lexical index follows the record');
  });

  it('tells which offers a batch committed, once the record holds them', async () => {
    const committed: string[][] = [];
    const writer = new IndexWriter(store, records, embedder, { onCommit: (ids) => committed.push(ids.filter((id) => records.getOffer(id) !== undefined)) });
    const a = offer('a', 'v1');
    const b = offer('b', 'v1');
    await writer.write(a, chunksOf(a), 'fp-a');
    await writer.write(b, chunksOf(b), 'fp-b');
    assert.deepEqual(committed, []);
    await writer.flush();
    assert.deepEqual(committed, [['a', 'b']]);
  });

  it('writes full batches while the caller goes on, in order, and a failed batch surfaces at the next flush', async () => {
    const writer = new IndexWriter(store, records, embedder, { batchChunks: 2 });
    const offers = ['a', 'b', 'c'].map((id) => offer(id, 'v1'));
    for (const o of offers) await writer.write(o, chunksOf(o), `fp-${o.offerId}`);
    await writer.flush();
    assert.deepEqual(await storedIds(), offers.flatMap((o) => chunksOf(o).map((c) => c.id)).sort());
    assert.equal(writer.stats.written, 3);

    const down = failingOnDelete(store, {
      upsert: async () => {
        throw new Error('store down');
      },
    });
    const failing = new IndexWriter(down, records, embedder, { batchChunks: 2 });
    const d = offer('d', 'v1');
    await failing.write(d, chunksOf(d), 'fp-d');
    await assert.rejects(failing.flush(), /store down/);
    assert.equal(records.getOffer('d'), undefined, 'never committed');
  });


  it('gives the batch in flight a turn of the event loop while the caller queues offers that never wait on I/O', async () => {
    const events: string[] = [];
    // A round trip, as Chroma's is: its answer comes in a later turn of the event loop.
    const slow = wrapStore(store, {
      upsert: async (batch) => {
        events.push('upsert sent');
        await new Promise((resolve) => setImmediate(resolve));
        await store.upsert(batch);
        events.push('upsert answered');
      },
    });
    const writer = new IndexWriter(slow, records, embedder, { batchChunks: 4 });
    const offers = ['a', 'b', 'c', 'd'].map((id) => offer(id, 'v1'));
    for (const o of offers) {
      await writer.write(o, chunksOf(o), `fp-${o.offerId}`);
      events.push(`queued ${o.offerId}`);
    }
    await writer.flush();
    // The first batch (a, b) is answered while c is queued, not only once the second batch waits for it.
    assert.ok(events.indexOf('upsert answered') < events.indexOf('queued c'), events.join(', '));
    assert.deepEqual(await storedIds(), offers.flatMap((o) => chunksOf(o).map((c) => c.id)).sort());
  });
  it('gives the batch in flight the same turn while the caller queues reposts and retirements, which add no chunks', async () => {
    const events: string[] = [];
    const slow = wrapStore(store, {
      upsert: async (batch) => {
        await new Promise((resolve) => setImmediate(resolve));
        await store.upsert(batch);
        events.push('upsert answered');
      },
    });
    const a = offer('a', 'v1');
    const b = offer('b', 'v1');
    const writer = new IndexWriter(slow, records, embedder, { batchChunks: 2 });
    await writer.write(a, chunksOf(a), 'fp-a');
    await writer.writeDuplicate(offer('a-copy', 'v1'), 'fp-a', 'a');
    events.push('queued the repost');
    await writer.retire(['b'], 'removed');
    events.push('queued the retirement');
    await writer.write(b, chunksOf(b), 'fp-b');
    await writer.flush();
    assert.ok(events.indexOf('upsert answered') < events.indexOf('queued the retirement'), events.join(', '));
    assert.equal(records.getOffer('a-copy')?.status, 'duplicate');
  });
  it('rolls back a change killed after its upsert, before the record commit: the old version stays whole', async () => {
    const v1 = offer('a', 'v1');
    const first = new IndexWriter(store, records, embedder);
    await first.write(v1, chunksOf(v1), 'fp-a');
    await first.flush();

    // The record commit is synchronous, so "killed before it" means: killed inside the upsert, after it landed.
    const killedAfterUpsert = failingOnDelete(store, { upsert: async (r) => { await store.upsert(r); throw new Error('killed'); } });
    const crashing = new IndexWriter(killedAfterUpsert, records, embedder);
    const v2 = offer('a', 'v2');
    await crashing.write(v2, chunksOf(v2), 'fp-a');
    await assert.rejects(crashing.flush(), /killed/);
    assert.equal(await store.count(), 4, 'both versions are in the store mid-change');

    const next = new IndexWriter(store, records, embedder);
    assert.equal(await next.recover(), 2);
    assert.deepEqual(await storedIds(), chunksOf(v1).map((c) => c.id));
    assert.equal(records.getOffer('a')?.contentHash, v1.contentHash, 'the record still says v1, so the next run writes v2 again');
    assert.deepEqual(records.listIntents(), []);
  });

  it('finishes a change killed after the record commit, before the delete: the new version stays whole', async () => {
    const v1 = offer('a', 'v1');
    const first = new IndexWriter(store, records, embedder);
    await first.write(v1, chunksOf(v1), 'fp-a');
    await first.flush();

    const crashing = new IndexWriter(failingOnDelete(store), records, embedder);
    const v2 = offer('a', 'v2');
    await crashing.write(v2, chunksOf(v2, 3), 'fp-a');
    await assert.rejects(crashing.flush(), /killed/);
    assert.deepEqual(records.getOffer('a')?.chunkIds, chunksOf(v2, 3).map((c) => c.id), 'the record already lists v2, whose chunks are all stored');
    assert.equal(await store.count(), 5);

    assert.equal(await new IndexWriter(store, records, embedder).recover(), 2);
    assert.deepEqual(await storedIds(), chunksOf(v2, 3).map((c) => c.id));
    assert.deepEqual(records.listIntents(), []);
  });

  it('rolls back a new offer whose record was never committed', async () => {
    const crashing = new IndexWriter(failingOnDelete(store), records, embedder);
    const a = offer('a', 'v1');
    const b = offer('b', 'v1');
    await crashing.write(a, chunksOf(a), 'fp-a');
    await crashing.retire(['missing'], 'removed');
    await crashing.write(b, chunksOf(b), 'fp-b');
    // No stale chunks here, so nothing is deleted: the commit happens. Crash instead during upsert.
    await crashing.flush();
    assert.equal(await store.count(), 4);

    const upsertKilled = failingOnDelete(store, { upsert: async (r) => { await store.upsert(r.slice(0, 1)); throw new Error('killed'); } });
    const c = offer('c', 'v1');
    const half = new IndexWriter(upsertKilled, records, embedder);
    await half.write(c, chunksOf(c), 'fp-c');
    await assert.rejects(half.flush(), /killed/);
    assert.equal(await store.count(), 5);
    await new IndexWriter(store, records, embedder).recover();
    assert.equal(await store.count(), 4);
    assert.equal(records.getOffer('c'), undefined);
  });

  it('retires offers: out of the store, history kept in the record', async () => {
    const writer = new IndexWriter(store, records, embedder);
    const a = offer('a', 'v1');
    await writer.write(a, chunksOf(a), 'fp-a');
    await writer.flush();
    await writer.retire(['a'], 'removed');
    await writer.flush();
    assert.equal(await store.count(), 0);
    assert.deepEqual(lexicalIds(), []);
    const record = records.getOffer('a');
    assert.equal(record?.status, 'removed');
    assert.equal(record?.offer.title, 'SRE');
  });

  it('records a duplicate without indexing it, pointing at its canonical offer', async () => {
    const writer = new IndexWriter(store, records, embedder);
    const a = offer('a', 'v1');
    await writer.write(a, chunksOf(a), 'fp', ['0:band', '1:band']);
    await writer.flush();
    assert.deepEqual(records.findByBandKeys(['9:other', '1:band'], 'b').map((r) => r.offerId), ['a']);
    assert.deepEqual(records.findByBandKeys(['1:band'], 'a'), []);
    await writer.writeDuplicate(offer('b', 'v1'), 'fp', 'a');
    await writer.flush();
    assert.equal(await store.count(), 2);
    assert.equal(records.getOffer('b')?.status, 'duplicate');
    assert.equal(records.getOffer('b')?.canonicalId, 'a');
  });
});
