import type { Embedder } from '../embed/embedder.ts';
import type { LexicalIndex } from '../records/lexical-index.ts';
import type { StoredRecord, VectorStore, Where } from '../store/vector-store.ts';
import type { SectionKind } from '../types.ts';
import { maximalMarginalRelevance, reciprocalRankFusion, type MmrCandidate } from './rank.ts';
import type { Evidence } from './types.ts';

export interface RetrieveOptions {
  role: string;
  sections: readonly SectionKind[];
  /** Only chunks tagged with this theme (the `t_<theme>` metadata key). */
  theme?: string;
  /** Only these offers (the seeded sample of `--offers N`). */
  offerIds?: readonly string[];
  /** Evidence wanted after the per-offer cap. */
  k: number;
  /** At most this many chunks of one offer, so no single employer dominates (default 1). */
  perOffer?: number;
}

/** Candidates taken from each ranking before fusion, per evidence wanted. */
const CANDIDATES_PER_RESULT = 4;
/** Chunks read from the vector store per call when a record predates the lexical index. */
const BACKFILL_BATCH = 1000;

/**
 * Evidence for one role: hybrid retrieval restricted by filters on role, section (and theme,
 * and sample). Retrieval is per role by design: a global top-k over a mixed index hands most
 * slots to whichever role has more, or wordier, offers.
 *
 *  1. lexical: BM25 top candidates from the record's FTS5 index under the same filters
 *     (src/records/lexical-index.ts): its cost follows the matches, never a pool read whole;
 *  2. vector: the store's nearest neighbours under the same filter, with their embeddings;
 *  3. reciprocal-rank fusion of the two rankings, then the per-offer cap (the best chunk of
 *     each offer), then MMR so that templated, near-identical chunks do not fill the list.
 * Lexical-only candidates are read from the store by id (documents and metadata, no vectors:
 * MMR judges them on relevance alone).
 */
export async function retrieveEvidence(
  store: VectorStore,
  embedder: Embedder,
  lexicalIndex: LexicalIndex,
  queryText: string,
  options: RetrieveOptions,
): Promise<Evidence[]> {
  const perOffer = options.perOffer ?? 1;
  const depth = options.k * CANDIDATES_PER_RESULT * perOffer;
  const lexical = lexicalIndex.search(queryText, { ...options, limit: depth });
  const hits = await store.query(await embedder.embedQuery(queryText), { k: depth, where: evidenceFilter(options), includeEmbeddings: true });
  const byId = new Map<string, StoredRecord & { embedding?: number[] }>(hits.map((hit) => [hit.id, hit]));
  const fused = reciprocalRankFusion([lexical, hits.map((hit) => hit.id)]);
  const missing = lexical.filter((id) => !byId.has(id));
  if (missing.length > 0) for (const record of await store.get({ ids: missing })) byId.set(record.id, record);

  const perOfferCount = new Map<string, number>();
  const candidates: MmrCandidate[] = [];
  for (const { id, score } of fused) {
    const record = byId.get(id);
    if (!record) continue;
    const offerId = String(record.metadata.offerId);
    const count = perOfferCount.get(offerId) ?? 0;
    if (count >= perOffer) continue;
    perOfferCount.set(offerId, count + 1);
    candidates.push({ id, relevance: score, ...(record.embedding ? { embedding: record.embedding } : {}) });
  }
  const relevance = new Map(candidates.map((c) => [c.id, c.relevance]));
  return maximalMarginalRelevance(candidates, options.k).map((id) => toEvidence(byId.get(id)!, relevance.get(id) ?? 0));
}

/**
 * Fills the lexical index of a record written before it existed (LEXICAL_SCHEMA_VERSION), from
 * the chunks the vector store holds for the record's active offers: once, at the first query,
 * so an upgraded data dir needs no re-ingest.
 */
export async function backfillLexicalIndex(store: VectorStore, lexicalIndex: LexicalIndex): Promise<void> {
  if (!lexicalIndex.isBehind()) return;
  const ids = lexicalIndex.activeChunkIds();
  for (let start = 0; start < ids.length; start += BACKFILL_BATCH) {
    const records = await store.get({ ids: ids.slice(start, start + BACKFILL_BATCH) });
    lexicalIndex.insert(
      records.map((record) => ({
        id: record.id,
        offerId: String(record.metadata.offerId),
        role: String(record.metadata.role),
        section: String(record.metadata.section),
        themes: themesOf(record.metadata),
        text: record.document,
      })),
    );
  }
  lexicalIndex.markCurrent();
}

export function evidenceFilter(options: Pick<RetrieveOptions, 'role' | 'sections' | 'theme' | 'offerIds'>): Where {
  const clauses: Where[] = [{ role: options.role }];
  clauses.push(options.sections.length === 1 ? { section: options.sections[0]! } : { section: { $in: [...options.sections] } });
  if (options.theme) clauses.push({ [`t_${options.theme}`]: true });
  if (options.offerIds) clauses.push({ offerId: { $in: [...options.offerIds] } });
  return { $and: clauses };
}

function toEvidence(hit: StoredRecord, score: number): Evidence {
  const m = hit.metadata;
  return {
    chunkId: hit.id,
    offerId: String(m.offerId),
    role: String(m.role),
    section: String(m.section) as SectionKind,
    title: String(m.title),
    company: String(m.company),
    source: String(m.source),
    text: hit.document,
    themes: themesOf(m),
    score,
  };
}

function themesOf(metadata: StoredRecord['metadata']): string[] {
  return Object.keys(metadata)
    .filter((key) => key.startsWith('t_') && metadata[key] === true)
    .map((key) => key.slice(2));
}
