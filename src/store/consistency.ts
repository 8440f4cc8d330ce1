import { readdirSync } from 'node:fs';
import path from 'node:path';
import { embeddingText, storeMetadata } from './chunk-metadata.ts';
import type { Embedder } from '../embed/embedder.ts';
import type { RecordStore } from '../records/record-store.ts';
import type { Chunk, SectionKind } from '../types.ts';
import type { VectorStore } from './vector-store.ts';

/**
 * The record and the vector store can drift apart without any run failing: the Chroma data
 * deleted or restored from an older backup, a remote collection dropped, a record copied without
 * its store. Queries then answer from the record's lexical index alone, silently. So:
 *
 *  - `inspectStore`, whenever a command opens the store: its count against the record's, and a
 *    few recorded chunk ids looked up (an orphan and a missing chunk could cancel out in counts):
 *    two cheap round trips. It also proves the store is reachable before anything is counted.
 *  - `compareStore` (`offers stats --check`): every recorded chunk id looked up, and every stored
 *    id the record does not know listed.
 *  - `repairStore` (the next ingest or reindex, or `stats --check --repair`): the missing chunks
 *    embedded again from the record, which holds each chunk's text, section, role and offer (and
 *    the offer's title and headings, which the embedded text carries), and the strays deleted.
 *    Chunks that an interrupted run's intents cover are left to its recovery (ingest/index-writer.ts).
 */

/** Recorded chunk ids looked up in the store by the quick check. */
const SAMPLE = 20;
/** Ids per store call, and chunks per embedding batch, in a full check and a repair. */
const BATCH = 500;

export interface StoreInspection {
  /** Chunks the record lists for active offers. */
  recordChunks: number;
  storeChunks: number;
  /** Of the sampled recorded ids, how many the store lacks. */
  sampleMissing: number;
  sampled: number;
  consistent: boolean;
  /** There is no store to compare with (a read-only data dir): why. */
  unavailable?: string;
}

/** The quick check: counts and a sample. Throws the store's error when it is unreachable. */
export async function inspectStore(store: VectorStore, records: RecordStore): Promise<StoreInspection> {
  const recordChunks = activeChunks(records);
  if (store.unavailable) return { recordChunks, storeChunks: 0, sampleMissing: 0, sampled: 0, consistent: false, unavailable: store.unavailable };
  const storeChunks = await store.count();
  const sample = records.sampleChunkIds(SAMPLE);
  const present = sample.length > 0 ? (await store.get({ ids: sample, includeDocuments: false })).length : 0;
  const sampleMissing = sample.length - present;
  return { recordChunks, storeChunks, sampleMissing, sampled: sample.length, consistent: storeChunks === recordChunks && sampleMissing === 0 };
}

/** The warning every answer and `stats` carry while the store and the record disagree. */
export function describeDrift(drift: StoreInspection, storeUrl: string): string {
  if (drift.unavailable) return drift.unavailable;
  const what =
    drift.storeChunks < drift.recordChunks || drift.sampleMissing > 0
      ? `the vector store (${storeUrl}) lacks chunks the record lists: it holds ${drift.storeChunks} chunks, the record ${drift.recordChunks}` +
        `${drift.sampleMissing > 0 ? ` (${drift.sampleMissing} of ${drift.sampled} sampled chunks missing)` : ''}, so quotes may come from the record's lexical index alone`
      : `the vector store (${storeUrl}) holds ${drift.storeChunks - drift.recordChunks} chunks the record does not list (${drift.storeChunks} against ${drift.recordChunks})`;
  return `${what}; the next ingest or reindex repairs it, or run: offers stats --check --repair`;
}

/**
 * The indexes other embedders built in this data dir: one record per collection, named after it
 * (src/records/record-store.ts). Switching OFFERS_EMBEDDINGS or OFFERS_EMBEDDING_MODEL opens
 * another, empty, index; without this the data dir just looks empty.
 */
export function otherEmbedderIndexes(dataDir: string, collection: string): string[] {
  let files: string[];
  try {
    files = readdirSync(path.join(dataDir, 'index'));
  } catch {
    return [];
  }
  return files
    .filter((file) => file.endsWith('.sqlite') && file !== `${collection}.sqlite`)
    .map((file) => file.slice(0, -'.sqlite'.length))
    .sort();
}

/** The warning of a data dir whose offers were all indexed with other embedders. */
export function describeOtherEmbedders(embedder: string, others: readonly string[]): string {
  return (
    `no offers are indexed with ${embedder}, but this data dir holds an index built with another embedder (${others.join(', ')}); ` +
    'set OFFERS_EMBEDDINGS and OFFERS_EMBEDDING_MODEL back to the one it was built with, or ingest the sources again with this one'
  );
}

export interface StoreComparison {
  recordChunks: number;
  storeChunks: number;
  /** Recorded chunk ids the store lacks. */
  missing: string[];
  /** Stored ids neither the record nor an unfinished run's intents list. */
  extra: string[];
}

/** Record and store, chunk by chunk. */
export async function compareStore(store: VectorStore, records: RecordStore): Promise<StoreComparison> {
  const recorded = records.lexical.activeChunkIds();
  const present = new Set<string>();
  for (let start = 0; start < recorded.length; start += BATCH) {
    for (const found of await store.get({ ids: recorded.slice(start, start + BATCH), includeDocuments: false })) present.add(found.id);
  }
  const storeChunks = await store.count();
  const extra: string[] = [];
  if (storeChunks > present.size) {
    const known = new Set([...recorded, ...records.listIntents().flatMap((intent) => intent.chunkIds)]);
    for (let offset = 0; offset < storeChunks; offset += BATCH) {
      const page = await store.get({ limit: BATCH, offset, includeDocuments: false });
      extra.push(...page.map((found) => found.id).filter((id) => !known.has(id)));
      if (page.length < BATCH) break;
    }
  }
  return { recordChunks: recorded.length, storeChunks, missing: recorded.filter((id) => !present.has(id)), extra };
}

export interface RepairResult {
  reembedded: number;
  deleted: number;
  /** Missing chunks whose text the record lacks too: only a re-ingest of their offers brings them back. */
  unrepairable: number;
}

/** Embeds the missing chunks again from the record, and deletes the strays. */
export async function repairStore(store: VectorStore, records: RecordStore, embedder: Embedder, comparison: StoreComparison): Promise<RepairResult> {
  let reembedded = 0;
  let unrepairable = 0;
  for (let start = 0; start < comparison.missing.length; start += BATCH) {
    const ids = comparison.missing.slice(start, start + BATCH);
    const chunks = chunksFromRecord(records, ids);
    unrepairable += ids.length - chunks.length;
    if (chunks.length === 0) continue;
    const embeddings = await embedder.embedDocuments(chunks.map(embeddingText));
    await store.upsert(chunks.map((chunk, i) => ({ id: chunk.id, embedding: embeddings[i]!, metadata: storeMetadata(chunk) })));
    reembedded += chunks.length;
  }
  for (let start = 0; start < comparison.extra.length; start += BATCH) await store.delete({ ids: comparison.extra.slice(start, start + BATCH) });
  return { reembedded, deleted: comparison.extra.length, unrepairable };
}

/**
 * For a command that writes (ingest, reindex): checks the store first and repairs a drift before
 * the run, which skips what the record says is indexed and would otherwise never write it again.
 */
export async function repairDrift(store: VectorStore, records: RecordStore, embedder: Embedder, log: (line: string) => void): Promise<void> {
  if ((await inspectStore(store, records)).consistent) return;
  const repaired = await repairStore(store, records, embedder, await compareStore(store, records));
  const done = [
    repaired.reembedded && `${repaired.reembedded} chunks the store had lost embedded again from the record`,
    repaired.deleted && `${repaired.deleted} stray chunks deleted`,
    repaired.unrepairable && `${repaired.unrepairable} chunks lost with their text (ingest their sources again)`,
  ].filter(Boolean);
  if (done.length > 0) log(`repaired the vector store: ${done.join(', ')}`);
}

/** The chunks as they were embedded (ingest/chunk.ts), rebuilt from the record: the text from the lexical index, the title and heading from the offer. */
function chunksFromRecord(records: RecordStore, ids: readonly string[]): Chunk[] {
  const described = records.lexical.describe(ids);
  const offers = new Map<string, ReturnType<RecordStore['getOffer']>>();
  const chunks: Chunk[] = [];
  for (const id of ids) {
    const chunk = described.get(id);
    if (!chunk) continue;
    if (!offers.has(chunk.offerId)) offers.set(chunk.offerId, records.getOffer(chunk.offerId));
    const offer = offers.get(chunk.offerId)?.offer;
    if (!offer) continue;
    // Chunk ids are `${offerId}:${contentHash}:${sectionIndex}:${chunkIndex}` (ingest/chunk.ts).
    const heading = offer.sections[Number(id.split(':').at(-2))]?.heading;
    chunks.push({
      id,
      offerId: chunk.offerId,
      role: chunk.role,
      section: chunk.section as SectionKind,
      text: chunk.text,
      themes: [...chunk.themes],
      title: offer.title,
      ...(heading ? { heading } : {}),
    });
  }
  return chunks;
}

function activeChunks(records: RecordStore): number {
  return records
    .countByRole()
    .filter((row) => row.status === 'active')
    .reduce((sum, row) => sum + row.chunks, 0);
}
