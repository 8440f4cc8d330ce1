import { setImmediate as nextTurn } from 'node:timers/promises';
import type { Embedder } from '../src/embed/embedder.ts';
import type { OfferRecord, OfferStatus, RecordStore, SourceRecord } from '../src/records/record-store.ts';
import type { VectorStore } from '../src/store/vector-store.ts';
import type { Chunk, Offer, SectionKind } from '../src/types.ts';
import { embeddingText, storeMetadata } from '../src/store/chunk-metadata.ts';

/**
 * Applies offer changes to the vector store and the record together, in batches, so that a
 * crash at any point leaves nothing a later run cannot repair:
 *
 *   1. record an intent: every chunk id the batch will add or delete (one SQLite transaction);
 *   2. upsert the new chunks (their ids embed the content hash, so they never overwrite old ones);
 *   3. commit the offer records and source records, the intents shrinking to the chunks now
 *      stale (one transaction): the record switches from the old chunks to the new ones at once;
 *   4. delete the stale chunks and clear the intents. An offer is never missing, only briefly
 *      doubled in the store, and queries count offers from the record, never from the store.
 *
 * `recover()` finishes or rolls back an interrupted batch with one rule: it deletes every intended
 * chunk id that the record does not list as committed. Killed before step 3, the new chunks go
 * and the record still holds the old content hashes, so the next run writes those offers again;
 * killed after it, the stale chunks go. Old chunks are never deleted while the record lists them.
 */

/**
 * Chunks per batch: large enough that Chroma round trips don't dominate, small enough that a
 * killed run loses little work and commits often (the record is what the next run resumes from).
 */
const DEFAULT_BATCH_CHUNKS = 500;

export interface WriterStats {
  /** Offers written: `created` were not in the index before, `changed` replaced an older version. */
  written: number;
  created: number;
  changed: number;
  chunksWritten: number;
  removed: number;
  duplicates: number;
}

interface PendingWrite {
  record: OfferRecord;
  /** Whether the offer was active in the index before this write. */
  wasIndexed: boolean;
  chunks: Chunk[];
  /** Chunk ids the record listed before this change, deleted once the new ones are in. */
  previous: string[];
}

export class IndexWriter {
  private writes: PendingWrite[] = [];
  private bufferedChunks = 0;
  private sources: SourceRecord[] = [];
  /** The batch being written while the next one is parsed (at most one: batches land in order). */
  private inFlight: Promise<void> = Promise.resolve();
  private batchPending = false;
  readonly stats: WriterStats = { written: 0, created: 0, changed: 0, chunksWritten: 0, removed: 0, duplicates: 0 };

  constructor(
    private readonly store: VectorStore,
    private readonly records: RecordStore,
    private readonly embedder: Embedder,
    private readonly options: {
      batchChunks?: number;
      now?: () => string;
      /** Called with a batch's offer ids once the record holds them. */
      onCommit?: (offerIds: string[]) => void;
    } = {},
  ) {}

  private now(): string {
    return this.options.now?.() ?? new Date().toISOString();
  }

  /** Rolls back vector-store changes left half-done by a killed run; returns how many chunk ids it deleted. */
  async recover(): Promise<number> {
    let deleted = 0;
    for (const intent of this.records.listIntents()) {
      const committed = new Set(this.records.getOffer(intent.offerId)?.chunkIds ?? []);
      const orphans = intent.chunkIds.filter((id) => !committed.has(id));
      if (orphans.length > 0) await this.store.delete({ ids: orphans });
      this.records.clearIntent(intent.offerId);
      deleted += orphans.length;
    }
    return deleted;
  }

  /** Queues a new or changed offer with its chunks; `bandKeys` let later reposts find it (near-duplicate.ts). */
  async write(offer: Offer, chunks: Chunk[], fingerprint: string, bandKeys: string[] = []): Promise<void> {
    const existing = this.records.getOffer(offer.offerId);
    const themesBySection: Partial<Record<SectionKind, string[]>> = {};
    for (const chunk of chunks) {
      const set = new Set([...(themesBySection[chunk.section] ?? []), ...chunk.themes]);
      themesBySection[chunk.section] = [...set].sort();
    }
    const record = this.recordFor(offer, existing, { status: 'active', fingerprint, bandKeys, chunkIds: chunks.map((c) => c.id), themesBySection });
    this.writes.push({ record, chunks, previous: existing?.chunkIds ?? [], wasIndexed: existing?.status === 'active' });
    this.bufferedChunks += chunks.length;
    await this.queued();
  }

  /** Records a reposted copy of `canonicalId`: kept as an alternate source, never indexed or counted. */
  async writeDuplicate(offer: Offer, fingerprint: string, canonicalId: string): Promise<void> {
    const existing = this.records.getOffer(offer.offerId);
    const record = this.recordFor(offer, existing, { status: 'duplicate', fingerprint, chunkIds: [], themesBySection: {}, canonicalId });
    this.writes.push({ record, chunks: [], previous: existing?.chunkIds ?? [], wasIndexed: existing?.status === 'active' });
    this.stats.duplicates++;
    await this.queued();
  }

  /** Takes offers out of the index (gone from their source, or expired); their history stays in the record. */
  async retire(offerIds: string[], status: Extract<OfferStatus, 'removed' | 'expired'>): Promise<void> {
    for (const offerId of offerIds) {
      const existing = this.records.getOffer(offerId);
      if (!existing || existing.status === status) continue;
      const record: OfferRecord = { ...existing, status, chunkIds: [], lastChanged: this.now() };
      this.writes.push({ record, chunks: [], previous: existing.chunkIds, wasIndexed: existing.status === 'active' });
      this.stats.removed++;
    }
    await this.queued();
  }

  /** A source's record is committed with (never before) the offers it produced. */
  recordSource(source: SourceRecord): void {
    this.sources.push(source);
  }

  /** Writes everything queued, and waits for the batch in flight. */
  async flush(): Promise<void> {
    await this.startBatch();
    await this.inFlight;
  }

  /**
   * After each queued change: starts a batch once enough chunks wait, or else gives the batch in
   * flight a turn of the event loop for its round trips. Offers from memory or from a buffer (a
   * dataset already read) arrive through promises that are already settled, which never give it
   * one: the store then waited for the next batch boundary and the two alternated instead of
   * overlapping (a 20k-offer build ran at 1.1 of the 2 cores). A run of reposts or retirements
   * queues no chunks, and must not hold the batch in flight back either.
   */
  private async queued(): Promise<void> {
    if (this.bufferedChunks >= (this.options.batchChunks ?? DEFAULT_BATCH_CHUNKS)) await this.startBatch();
    else if (this.batchPending) await nextTurn();
  }

  /**
   * Hands the queued writes to a batch that runs while the caller goes on parsing and chunking
   * (the store's round trips used to leave the CPU idle half the time), after waiting for the
   * previous batch: the store and the record see the batches one after the other, in order, so
   * the crash-safety protocol above holds per batch as before. A failure surfaces at the next
   * startBatch or flush.
   */
  private async startBatch(): Promise<void> {
    await this.inFlight;
    const writes = this.writes;
    const sources = this.sources;
    this.writes = [];
    this.sources = [];
    this.bufferedChunks = 0;
    if (writes.length === 0 && sources.length === 0) return;
    this.batchPending = true;
    this.inFlight = this.applyBatch(writes, sources).finally(() => {
      this.batchPending = false;
    });
    // Awaited later; marked handled so a failure does not crash the process before then.
    this.inFlight.catch(() => undefined);
  }

  private async applyBatch(writes: PendingWrite[], sources: SourceRecord[]): Promise<void> {

    this.records.transaction(() => {
      for (const w of writes) this.records.addIntent(w.record.offerId, [...w.chunks.map((c) => c.id), ...w.previous]);
    });
    const chunks = writes.flatMap((w) => w.chunks);
    if (chunks.length > 0) {
      const embeddings = await this.embedder.embedDocuments(chunks.map(embeddingText));
      await this.store.upsert(chunks.map((chunk, i) => ({ id: chunk.id, embedding: embeddings[i]!, metadata: storeMetadata(chunk) })));
    }
    const staleOf = (w: PendingWrite) => {
      const kept = new Set(w.record.chunkIds);
      return w.previous.filter((id) => !kept.has(id));
    };
    this.records.transaction(() => {
      for (const w of writes) {
        this.records.putOffer(w.record);
        // Lexical search follows the record: the new chunks (none for a duplicate or a retired offer).
        this.records.lexical.replaceOffer(w.record.offerId, w.chunks);
        const stale = staleOf(w);
        if (stale.length > 0) this.records.addIntent(w.record.offerId, stale);
        else this.records.clearIntent(w.record.offerId);
      }
      for (const source of sources) this.records.putSource(source);
    });
    this.options.onCommit?.(writes.map((w) => w.record.offerId));
    const stale = writes.flatMap(staleOf);
    if (stale.length > 0) {
      await this.store.delete({ ids: stale });
      this.records.transaction(() => {
        for (const w of writes) this.records.clearIntent(w.record.offerId);
      });
    }
    for (const w of writes) {
      if (w.record.status !== 'active') continue;
      this.stats.written++;
      this.stats[w.wasIndexed ? 'changed' : 'created']++;
      this.stats.chunksWritten += w.chunks.length;
    }
  }

  private recordFor(
    offer: Offer,
    existing: OfferRecord | undefined,
    fields: Pick<OfferRecord, 'status' | 'fingerprint' | 'chunkIds' | 'themesBySection'> & { canonicalId?: string; bandKeys?: string[] },
  ): OfferRecord {
    const now = this.now();
    const changed = !existing || existing.contentHash !== offer.contentHash || existing.status !== fields.status;
    return {
      offerId: offer.offerId,
      source: offer.source,
      role: offer.role,
      contentHash: offer.contentHash,
      offer,
      firstSeen: existing?.firstSeen ?? now,
      lastSeen: now,
      lastChanged: changed ? now : (existing?.lastChanged ?? now),
      ...fields,
    };
  }
}
