/**
 * Record and vector store drifting apart (src/store/consistency.ts): the quick check sees it, the
 * full check lists it chunk by chunk, and the repair embeds the lost chunks again from the record
 * (the very vectors and metadata ingest wrote) and deletes the strays, leaving the chunks an
 * interrupted run's intents cover to its recovery. Over the in-memory store, with a real record.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ingestSources } from '../../ingest/pipeline.ts';
import { compareStore, inspectStore, repairDrift, repairStore } from '../../src/store/consistency.ts';
import type { VectorRecord, VectorStore } from '../../src/store/vector-store.ts';
import { memoryWorkspace } from '../helpers/memory-workspace.ts';
import { wrapStore } from '../helpers/store-wrapper.ts';
import { scratchDir } from '../helpers/cli.ts';
import { writeSyntheticCorpus } from '../helpers/synthetic-corpus.ts';

/** Keeps what was last upserted under each id, to compare a repair's vectors with ingest's. */
function recordingUpserts(): { wrap: (store: VectorStore) => VectorStore; written: Map<string, VectorRecord> } {
  const written = new Map<string, VectorRecord>();
  return {
    written,
    wrap: (inner) =>
      wrapStore(inner, {
        upsert: async (records) => {
          for (const record of records) written.set(record.id, record);
          return inner.upsert(records);
        },
      }),
  };
}

describe('store consistency', () => {
  let corpus: Awaited<ReturnType<typeof scratchDir>>;
  let workspace: Awaited<ReturnType<typeof memoryWorkspace>>;
  const upserts = recordingUpserts();

  before(async () => {
    corpus = await scratchDir('offers-consistency-');
    await writeSyntheticCorpus(corpus.dir, { count: 12 });
    workspace = await memoryWorkspace({ wrapStore: upserts.wrap });
    const result = await ingestSources(workspace.workspace, [corpus.dir]);
    assert.deepEqual(result.failed, []);
  });
  after(async () => {
    await workspace.cleanup();
    await corpus.cleanup();
  });

  it('finds nothing to say about a consistent store', async () => {
    const { store, records } = workspace.workspace;
    const inspection = await inspectStore(store, records);
    assert.equal(inspection.consistent, true);
    assert.ok(inspection.sampled > 0 && inspection.sampled <= 20);
    assert.equal(inspection.storeChunks, inspection.recordChunks);
    const comparison = await compareStore(store, records);
    assert.deepEqual([comparison.missing, comparison.extra], [[], []]);
  });

  it('sees chunks lost by the store, and embeds them again as ingest did', async () => {
    const { store, records, embedder } = workspace.workspace;
    const recorded = records.lexical.activeChunkIds();
    const lost = recorded.filter((_, i) => i % 3 === 0);
    const originals = new Map(lost.map((id) => [id, upserts.written.get(id)!]));
    await workspace.memory.delete({ ids: lost });

    const inspection = await inspectStore(store, records);
    assert.equal(inspection.consistent, false);
    assert.equal(inspection.storeChunks, recorded.length - lost.length);
    const comparison = await compareStore(store, records);
    assert.deepEqual(comparison.missing.sort(), [...lost].sort());
    assert.deepEqual(comparison.extra, []);

    upserts.written.clear();
    const repaired = await repairStore(store, records, embedder, comparison);
    assert.deepEqual(repaired, { reembedded: lost.length, deleted: 0, unrepairable: 0 });
    for (const [id, original] of originals) assert.deepEqual(upserts.written.get(id), original, `${id}: the same vector and metadata as ingest wrote`);
    assert.equal((await inspectStore(store, records)).consistent, true);
  });

  it('deletes strays, but leaves what an unfinished run intends to its recovery', async () => {
    const { store, records, embedder } = workspace.workspace;
    const [template] = await store.get({ limit: 1, includeDocuments: false });
    const vector = (await embedder.embedDocuments(['a stray']))[0]!;
    await workspace.memory.upsert(['stray-1', 'stray-2', 'in-flight'].map((id) => ({ id, embedding: vector, metadata: template!.metadata })));
    records.addIntent(String(template!.metadata.offerId), ['in-flight']);

    const lines: string[] = [];
    await repairDrift(store, records, embedder, (line) => lines.push(line));
    assert.deepEqual(lines, ['repaired the vector store: 2 stray chunks deleted']);
    assert.deepEqual((await store.get({ ids: ['stray-1', 'stray-2', 'in-flight'] })).map((r) => r.id), ['in-flight']);
    records.clearIntent(String(template!.metadata.offerId));
    await workspace.memory.delete({ ids: ['in-flight'] });
    assert.equal((await inspectStore(store, records)).consistent, true);
  });

  it('says nothing when there is nothing to repair', async () => {
    const { store, records, embedder } = workspace.workspace;
    const lines: string[] = [];
    await repairDrift(store, records, embedder, (line) => lines.push(line));
    assert.deepEqual(lines, []);
  });
});
