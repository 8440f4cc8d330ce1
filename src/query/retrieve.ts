import type { Embedder } from '../embed/embedder.ts';
import type { QueryHit, VectorStore, Where } from '../store/vector-store.ts';
import type { SectionKind } from '../types.ts';
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

/**
 * Evidence for one role: a vector query restricted by Chroma `where` filters on role, section
 * (and theme, and sample), then capped per offer. Retrieval is per role by design: a global
 * top-k over a mixed index hands most slots to whichever role has more, or wordier, offers.
 */
export async function retrieveEvidence(store: VectorStore, embedder: Embedder, queryText: string, options: RetrieveOptions): Promise<Evidence[]> {
  const perOffer = options.perOffer ?? 1;
  const embedding = await embedder.embedQuery(queryText);
  // Over-fetch so the per-offer cap still leaves k distinct offers.
  const hits = await store.query(embedding, { k: options.k * Math.max(3, perOffer * 3), where: evidenceFilter(options) });
  const perOfferCount = new Map<string, number>();
  const evidence: Evidence[] = [];
  for (const hit of hits) {
    const offerId = String(hit.metadata.offerId);
    const count = perOfferCount.get(offerId) ?? 0;
    if (count >= perOffer) continue;
    perOfferCount.set(offerId, count + 1);
    evidence.push(toEvidence(hit));
    if (evidence.length >= options.k) break;
  }
  return evidence;
}

export function evidenceFilter(options: Pick<RetrieveOptions, 'role' | 'sections' | 'theme' | 'offerIds'>): Where {
  const clauses: Where[] = [{ role: options.role }];
  clauses.push(options.sections.length === 1 ? { section: options.sections[0]! } : { section: { $in: [...options.sections] } });
  if (options.theme) clauses.push({ [`t_${options.theme}`]: true });
  if (options.offerIds) clauses.push({ offerId: { $in: [...options.offerIds] } });
  return { $and: clauses };
}

function toEvidence(hit: QueryHit): Evidence {
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
    score: 1 - hit.distance,
  };
}
