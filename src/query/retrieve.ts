import type { Embedder } from '../embed/embedder.ts';
import type { LexicalChunk } from '../records/lexical-index.ts';
import type { OfferHeader, RecordStore } from '../records/record-store.ts';
import type { VectorStore, Where } from '../store/vector-store.ts';
import type { SectionKind } from '../types.ts';
import { tokenize } from '../embed/tokenize.ts';
import { cosineDistance } from '../store/cosine.ts';
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
  /** The planner's thresholds (default `PLAN_LIMITS`); tests lower them to run every plan on a small index. */
  limits?: PlanLimits;
}

/** Candidates taken from each ranking before fusion, per evidence wanted. */
const CANDIDATES_PER_RESULT = 4;
/**
 * Vector hits read per theme, as a multiple of the candidates kept: the vector search is not
 * restricted to the theme, so each theme keeps only its share of the hits.
 */
const VECTOR_OVERFETCH = 4;
export interface PlanLimits {
  filteredUpToChunks: number;
}

/**
 * Up to this many chunks in the index, a filtered query is the cheapest vector search (about
 * 10 ms per retrieval at 5k chunks). Chroma evaluates a `where` record by record, without a
 * metadata index, so beyond it the filter is most of an answer's time: 1.9 s at 500k chunks.
 */
const FILTERED_UP_TO_CHUNKS = 20_000;
const PLAN_LIMITS: PlanLimits = { filteredUpToChunks: FILTERED_UP_TO_CHUNKS };

/** One theme to find quotes for, and the text its vector query embeds. */
export interface ThemeQuery {
  theme: string;
  text: string;
}

/**
 * How the vector side of one retrieval reads the store, chosen from the record's size so that
 * its cost depends on the evidence wanted and not on the index's size:
 *  - `filtered`: one query filtered on the group and sections (a small index only);
 *  - `candidates`: exact distances to the chunks the record proposes for each theme (its `k`
 *    most prominent chunks of the group and sections), their vectors read by id.
 * A third plan, the nearest chunks of the whole index kept when the record places them in the
 * group, was measured and dropped: for a group of a tenth of a 500k-chunk index it read 800
 * neighbours per theme and looked each one up in the record, 1.4× slower at p95 than the
 * candidates (same themes and counts in 20 of 20 bench answers, 69% of the cited quotes the
 * same, the vector side only ranks chunks that carry the theme either way).
 */
export type VectorPlan = { kind: 'filtered'; k: number } | { kind: 'candidates'; k: number };

export function planVectorSearch(index: { chunks: number }, wanted: number, limits: PlanLimits = PLAN_LIMITS): VectorPlan {
  return index.chunks <= limits.filteredUpToChunks ? { kind: 'filtered', k: wanted } : { kind: 'candidates', k: wanted };
}

/**
 * Evidence for one role, one list per theme: hybrid retrieval restricted to the group's offers,
 * the sections and the theme. Retrieval is per role by design: a global top-k over a mixed index
 * hands most slots to whichever role has more, or wordier, offers.
 *  1. lexical: per theme, the chunks of the group and sections where the theme is most
 *     prominent, from the record's index (src/records/lexical-index.ts): a few rows read
 *     whatever the size of the index, and every theme gets candidates, however rare it is among
 *     the vector hits;
 *  2. vector: every theme's query embedding (the theme's label and the question) in ONE store
 *     call, read as `planVectorSearch` says, `VECTOR_OVERFETCH` times deeper than the fusion
 *     needs; each theme keeps the hits the record tags with it;
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
  const scope = { sections: options.sections, ...(options.role ? { role: options.role } : {}), ...(options.offerIds ? { offerIds: options.offerIds } : {}) };
  const plan = planVectorSearch({ chunks: records.lexical.totalChunks() }, depth * VECTOR_OVERFETCH, options.limits);
  // In the `candidates` plan the record's lists are the vector side's candidates too, so they are read deeper.
  const proposed = queries.map((q) => records.lexical.topForTheme(q.theme, { ...scope, limit: plan.kind === 'candidates' ? plan.k : depth }));
  const lexical = proposed.map((ids) => ids.slice(0, depth));
  const embeddings = await Promise.all(queries.map((q) => embedder.embedQuery(q.text)));
  const vector = await vectorRankings(store, embeddings, plan, { ...options, proposed });
  const described = new ChunkReader(records);
  // A filtered search's hits are mostly of other themes, so its lists are read whole; the
  // candidates all carry their theme, so only the first `depth` are read, and the next only for
  // hits the record does not list (a chunk briefly doubled while an ingest replaces it).
  described.read([...vector.flatMap((ids) => (plan.kind === 'candidates' ? ids.slice(0, depth) : ids)), ...lexical.flat()]);
  // A chunk is a candidate of most of the themes it carries: its words are read once.
  const terms = new Map<string, ReadonlySet<string>>();
  const termsOf = (chunk: LexicalChunk) => terms.get(chunk.id) ?? terms.set(chunk.id, new Set(tokenize(chunk.text))).get(chunk.id)!;
  const picked = queries.map(({ theme }, i) => {
    const hits = described.firstCarrying(vector[i]!, theme, depth);
    return rankCandidates(reciprocalRankFusion([lexical[i]!, hits]), described.chunks, termsOf, { k: options.k, perOffer });
  });
  const chunks = picked.map((list) => list.map(({ id, score }) => ({ chunk: described.chunks.get(id)!, score })));
  const headers = records.offerHeaders([...new Set(chunks.flat().map(({ chunk }) => chunk.offerId))]);
  const group = options.group ?? options.role ?? '';
  return chunks.map((list) => list.map(({ chunk, score }) => ({ ...toEvidence(chunk, headers.get(chunk.offerId), score), role: group })));
}

/** Chunk ids per embedding, nearest first, restricted to the group and sections (not yet to the theme). */
async function vectorRankings(
  store: VectorStore,
  embeddings: number[][],
  plan: VectorPlan,
  options: RetrieveOptions & { proposed: readonly string[][] },
): Promise<string[][]> {
  if (plan.kind === 'filtered') {
    const hits = await store.queryMany(embeddings, { k: plan.k, where: evidenceFilter(options) });
    return hits.map((list) => list.map((hit) => hit.id));
  }
  const vectors = await store.vectors([...new Set(options.proposed.flat())]);
  return embeddings.map((embedding, i) =>
    options.proposed[i]!.flatMap((id) => {
      const vector = vectors.get(id);
      return vector ? [{ id, distance: cosineDistance(embedding, vector) }] : [];
    })
      .sort((a, b) => a.distance - b.distance || (a.id < b.id ? -1 : 1))
      .map((hit) => hit.id),
  );
}

/** What the record says of candidate chunks, read as they are needed; a chunk it does not list is left out. */
class ChunkReader {
  readonly chunks = new Map<string, LexicalChunk>();
  private readonly asked = new Set<string>();

  constructor(private readonly records: RecordStore) {}

  read(ids: readonly string[]): void {
    const fresh = [...new Set(ids)].filter((id) => !this.asked.has(id));
    if (fresh.length === 0) return;
    for (const id of fresh) this.asked.add(id);
    for (const [id, chunk] of this.records.lexical.describe(fresh)) this.chunks.set(id, chunk);
  }

  /** The first `n` chunks of a ranking that the record lists with this theme. */
  firstCarrying(ranking: readonly string[], theme: string, n: number): string[] {
    const hits: string[] = [];
    for (let at = 0; at < ranking.length && hits.length < n; at++) {
      const id = ranking[at]!;
      if (!this.asked.has(id)) this.read(ranking.slice(at, at + n - hits.length));
      if (this.chunks.get(id)?.themes.includes(theme)) hits.push(id);
    }
    return hits;
  }
}

/** The per-offer cap over a fused ranking, then MMR down to `k` chunks, with their fused scores. */
function rankCandidates(
  fused: ReadonlyArray<{ id: string; score: number }>,
  described: ReadonlyMap<string, LexicalChunk>,
  termsOf: (chunk: LexicalChunk) => ReadonlySet<string>,
  { k, perOffer }: { k: number; perOffer: number },
): Array<{ id: string; score: number }> {
  const perOfferCount = new Map<string, number>();
  const candidates: MmrCandidate[] = [];
  for (const { id, score } of fused) {
    const chunk = described.get(id);
    if (!chunk) continue;
    const count = perOfferCount.get(chunk.offerId) ?? 0;
    if (count >= perOffer) continue;
    perOfferCount.set(chunk.offerId, count + 1);
    candidates.push({ id, relevance: score, terms: termsOf(chunk) });
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
