import type { Embedder } from '../embed/embedder.ts';
import { tokenize } from '../embed/tokenize.ts';
import type { StoredRecord, VectorStore, Where } from '../store/vector-store.ts';
import type { SectionKind } from '../types.ts';
import { bm25Scores, maximalMarginalRelevance, rankByScore, reciprocalRankFusion, type MmrCandidate } from './rank.ts';
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

/** Chunks read for the lexical ranking, at most: a role's chunks in a section that mention one theme. */
const LEXICAL_POOL = 2000;
/** Candidates taken from each ranking before fusion, per evidence wanted. */
const CANDIDATES_PER_RESULT = 4;

/**
 * Evidence for one role: hybrid retrieval restricted by Chroma `where` filters on role, section
 * (and theme, and sample). Retrieval is per role by design: a global top-k over a mixed index
 * hands most slots to whichever role has more, or wordier, offers.
 *
 *  1. lexical: BM25 over every chunk the filter admits, read with `store.get` (the filter
 *     already narrows them to one role's chunks of a few sections that mention the theme, a
 *     few hundred at most on a large index, so reading them is cheaper than a second index);
 *  2. vector: the store's nearest neighbours under the same filter, with their embeddings;
 *  3. reciprocal-rank fusion of the two rankings, then the per-offer cap (the best chunk of
 *     each offer), then MMR so that templated, near-identical chunks do not fill the list.
 */
export async function retrieveEvidence(store: VectorStore, embedder: Embedder, queryText: string, options: RetrieveOptions): Promise<Evidence[]> {
  const perOffer = options.perOffer ?? 1;
  const where = evidenceFilter(options);
  const depth = options.k * CANDIDATES_PER_RESULT * perOffer;
  const [hits, pool] = await Promise.all([
    embedder.embedQuery(queryText).then((embedding) => store.query(embedding, { k: depth, where, includeEmbeddings: true })),
    store.get({ where, limit: LEXICAL_POOL }),
  ]);
  const byId = new Map<string, StoredRecord & { embedding?: number[] }>(pool.map((record) => [record.id, record]));
  for (const hit of hits) byId.set(hit.id, hit);
  const lexical = rankByScore(
    pool.map((record) => record.id),
    bm25Scores(tokenize(queryText), pool.map((record) => tokenize(record.document))),
  ).slice(0, depth);
  const fused = reciprocalRankFusion([lexical, hits.map((hit) => hit.id)]);

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
    themes: Object.keys(m)
      .filter((key) => key.startsWith('t_') && m[key] === true)
      .map((key) => key.slice(2)),
    score,
  };
}
