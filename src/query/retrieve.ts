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
/**
 * Vector hits read per theme, as a multiple of the candidates kept, when one vector query serves
 * several themes: it is not filtered on theme, so each theme keeps only its share of the hits.
 */
const VECTOR_OVERFETCH = 4;
/** Chunks read from the vector store per call when a record predates the lexical index. */
const BACKFILL_BATCH = 1000;

/** One theme to find quotes for, and the text its chunks are ranked against. */
export interface ThemeQuery {
  theme: string;
  text: string;
}

/**
 * Evidence for one role, one list per theme: hybrid retrieval restricted by filters on role,
 * section, theme (and sample). Retrieval is per role by design: a global top-k over a mixed index
 * hands most slots to whichever role has more, or wordier, offers.
 *  1. lexical: per theme, BM25 top candidates from the record's FTS5 index under the role,
 *     section, theme (and sample) filters (src/records/lexical-index.ts): its cost follows the
 *     matches, never a pool read whole; it keeps the recall of themes rare in the vector hits;
 *  2. vector: ONE store query carrying every theme's query embedding (one theme: also filtered on
 *     it), filtered on role, section (and sample), `VECTOR_OVERFETCH` times deeper; each theme
 *     keeps the hits tagged with it. Chroma's cost is mostly the filter, evaluated once per call,
 *     and one call per theme was the bulk of an answer's time at 10k offers;
 *  3. reciprocal-rank fusion of the two rankings, then the per-offer cap (the best chunk of
 *     each offer), then MMR so that templated, near-identical chunks do not fill the list.
 * Lexical-only candidates are read from the store by id (documents and metadata, no vectors:
 * MMR judges them on relevance alone). An empty theme id means no theme filter.
 */
export async function retrieveThemeEvidence(
  store: VectorStore,
  embedder: Embedder,
  lexicalIndex: LexicalIndex,
  queries: readonly ThemeQuery[],
  options: Omit<RetrieveOptions, 'theme'>,
): Promise<Evidence[][]> {
  if (queries.length === 0) return [];
  const perOffer = options.perOffer ?? 1;
  const depth = options.k * CANDIDATES_PER_RESULT * perOffer;
  const themes = queries.map((q) => q.theme);
  const lexical = queries.map((q) => lexicalIndex.search(q.text, { ...options, ...(q.theme ? { theme: q.theme } : {}), limit: depth }));
  const embeddings = await Promise.all(queries.map((q) => embedder.embedQuery(q.text)));
  // Chroma's cost is the metadata filter, and a theme clause ($or over several themes above all)
  // multiplies it: a query for many themes filters on role, section and sample only.
  const shared = new Set(themes).size > 1;
  const vector = await store.queryMany(embeddings, {
    k: shared ? depth * VECTOR_OVERFETCH : depth,
    where: evidenceFilter({ ...options, ...(shared ? {} : { theme: themes[0] }) }),
    includeEmbeddings: true,
  });

  const byId = new Map<string, StoredRecord & { embedding?: number[] }>(vector.flat().map((hit) => [hit.id, hit]));
  const missing = [...new Set(lexical.flat())].filter((id) => !byId.has(id));
  if (missing.length > 0) for (const record of await store.get({ ids: missing })) byId.set(record.id, record);

  return queries.map(({ theme }, i) => {
    const hits = vector[i]!.filter((hit) => !theme || hit.metadata[`t_${theme}`] === true).slice(0, depth);
    return rankCandidates(reciprocalRankFusion([lexical[i]!, hits.map((hit) => hit.id)]), byId, options.k, perOffer);
  });
}

/** The per-offer cap over a fused ranking, then MMR down to `k` pieces of evidence. */
function rankCandidates(
  fused: ReadonlyArray<{ id: string; score: number }>,
  byId: ReadonlyMap<string, StoredRecord & { embedding?: number[] }>,
  k: number,
  perOffer: number,
): Evidence[] {
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
  return maximalMarginalRelevance(candidates, k).map((id) => toEvidence(byId.get(id)!, relevance.get(id) ?? 0));
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
