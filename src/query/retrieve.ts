import type { Embedder } from '../embed/embedder.ts';
import type { LexicalChunk } from '../records/lexical-index.ts';
import type { OfferHeader, RecordStore } from '../records/record-store.ts';
import type { VectorStore, Where } from '../store/vector-store.ts';
import type { SectionKind } from '../types.ts';
import { tokenize } from '../embed/tokenize.ts';
import { maximalMarginalRelevance, reciprocalRankFusion, type MmrCandidate } from './rank.ts';
import type { Evidence } from './types.ts';

export interface RetrieveOptions {
  /** Only offers of this catalogue role; a title family's group has none and lists its offers instead. */
  role?: string;
  /** The group the evidence is for, as its `role` (default: `role`). */
  group?: string;
  sections: readonly SectionKind[];
  /** Only these offers (a seeded sample, or the offers of a filtered group). */
  offerIds?: readonly string[];
  /** Evidence wanted after the per-offer cap. */
  k: number;
  /** At most this many chunks of one offer, so no single employer dominates (default 1). */
  perOffer?: number;
}

/** Candidates taken from each ranking before fusion, per evidence wanted. */
const CANDIDATES_PER_RESULT = 4;
/**
 * Vector hits read per theme, as a multiple of the candidates kept: the vector query is not
 * filtered on theme, so each theme keeps only its share of the hits.
 */
const VECTOR_OVERFETCH = 4;

/** One theme to find quotes for, and the text its vector query embeds. */
export interface ThemeQuery {
  theme: string;
  text: string;
}

/**
 * Evidence for one role, one list per theme: hybrid retrieval restricted by filters on role,
 * section, theme (and sample). Retrieval is per role by design: a global top-k over a mixed index
 * hands most slots to whichever role has more, or wordier, offers.
 *  1. lexical: per theme, the chunks of the role and sections (and sample) where the theme is
 *     most prominent, from the record's index (src/records/lexical-index.ts): a few rows read
 *     whatever the size of the index, and every theme gets candidates, however rare it is among
 *     the vector hits;
 *  2. vector: ONE store query carrying every theme's query embedding (the theme's label and the
 *     question), filtered on role, section (and sample), `VECTOR_OVERFETCH` times deeper; each
 *     theme keeps the hits the record tags with it. Chroma's cost is mostly the filter, evaluated
 *     once per call, and one call per theme was the bulk of an answer's time at 10k offers;
 *  3. reciprocal-rank fusion of the two rankings, then the per-offer cap (the best chunk of
 *     each offer), then MMR so that templated, near-identical chunks do not fill the list.
 * What a candidate says (text, themes) and its offer's title, company and source are read from
 * the record: the store holds vectors and filters only.
 */
export async function retrieveThemeEvidence(
  store: VectorStore,
  embedder: Embedder,
  records: RecordStore,
  queries: readonly ThemeQuery[],
  options: RetrieveOptions,
): Promise<Evidence[][]> {
  if (queries.length === 0) return [];
  const perOffer = options.perOffer ?? 1;
  const depth = options.k * CANDIDATES_PER_RESULT * perOffer;
  const lexical = queries.map((q) => records.lexical.topForTheme(q.theme, { sections: options.sections, limit: depth, ...(options.role ? { role: options.role } : {}), ...(options.offerIds ? { offerIds: options.offerIds } : {}) }));
  const embeddings = await Promise.all(queries.map((q) => embedder.embedQuery(q.text)));
  const vector = await store.queryMany(embeddings, { k: depth * VECTOR_OVERFETCH, where: evidenceFilter(options) });
  // Hits the record does not list (a chunk briefly doubled while an ingest replaces it) are left out.
  const described = records.lexical.describe([...new Set([...vector.flat().map((hit) => hit.id), ...lexical.flat()])]);
  const picked = queries.map(({ theme }, i) => {
    const hits = vector[i]!.filter((hit) => described.get(hit.id)?.themes.includes(theme)).slice(0, depth);
    return rankCandidates(reciprocalRankFusion([lexical[i]!, hits.map((hit) => hit.id)]), described, options.k, perOffer);
  });
  const chunks = picked.map((list) => list.map(({ id, score }) => ({ chunk: described.get(id)!, score })));
  const headers = records.offerHeaders([...new Set(chunks.flat().map(({ chunk }) => chunk.offerId))]);
  const group = options.group ?? options.role ?? '';
  return chunks.map((list) => list.map(({ chunk, score }) => ({ ...toEvidence(chunk, headers.get(chunk.offerId), score), role: group })));
}

/** The per-offer cap over a fused ranking, then MMR down to `k` chunks, with their fused scores. */
function rankCandidates(
  fused: ReadonlyArray<{ id: string; score: number }>,
  described: ReadonlyMap<string, LexicalChunk>,
  k: number,
  perOffer: number,
): Array<{ id: string; score: number }> {
  const perOfferCount = new Map<string, number>();
  const candidates: MmrCandidate[] = [];
  for (const { id, score } of fused) {
    const chunk = described.get(id);
    if (!chunk) continue;
    const count = perOfferCount.get(chunk.offerId) ?? 0;
    if (count >= perOffer) continue;
    perOfferCount.set(chunk.offerId, count + 1);
    candidates.push({ id, relevance: score, terms: new Set(tokenize(chunk.text)) });
  }
  const relevance = new Map(candidates.map((c) => [c.id, c.relevance]));
  return maximalMarginalRelevance(candidates, k).map((id) => ({ id, score: relevance.get(id) ?? 0 }));
}

export function evidenceFilter(options: Pick<RetrieveOptions, 'role' | 'sections' | 'offerIds'>): Where {
  const clauses: Where[] = options.role ? [{ role: options.role }] : [];
  clauses.push(options.sections.length === 1 ? { section: options.sections[0]! } : { section: { $in: [...options.sections] } });
  if (options.offerIds) clauses.push({ offerId: { $in: [...options.offerIds] } });
  return { $and: clauses };
}

function toEvidence(chunk: LexicalChunk, offer: OfferHeader | undefined, score: number): Evidence {
  return {
    chunkId: chunk.id,
    offerId: chunk.offerId,
    role: chunk.role,
    section: chunk.section as SectionKind,
    title: offer?.title ?? '',
    company: offer?.company ?? '',
    source: offer?.source ?? '',
    ...(offer?.url ? { url: offer.url } : {}),
    text: chunk.text,
    themes: [...chunk.themes],
    score,
  };
}
