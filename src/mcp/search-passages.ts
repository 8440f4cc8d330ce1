import type { Where } from '../store/vector-store.ts';
import { browseOffers, selectionFilter } from '../serve/views.ts';
import type { Workspace } from '../workspace.ts';

/**
 * The `search_offers` tool: offers of a selection (a group expression, role words optional)
 * with the passages that best match a text, ranked by the vector store as quotes are; without a
 * text, the selection's first offers. Passages are chunks of the offers, verbatim.
 */

export interface SearchRequest {
  text?: string;
  group?: string;
  limit: number;
}

export interface FoundOffer {
  offerId: string;
  title: string;
  company: string;
  role: string;
  url?: string;
  source: string;
  /** Best first; verbatim text of the offer. */
  passages: Array<{ section: string; text: string }>;
}

export interface SearchResult {
  offers: FoundOffer[];
  /** Offers in the selection (without a text: all the pages of it). */
  total: number;
}

/** Passages kept per offer: enough to see why it matched, few enough to list many offers. */
const PASSAGES_PER_OFFER = 2;
/** Hits read per offer wanted: several chunks of one offer often come first. */
const OVERFETCH = 6;
/** A longer list of ids goes to Chroma as a role filter, the rest is filtered here. */
const MAX_IDS_IN_FILTER = 2000;

export async function searchPassages(workspace: Workspace, request: SearchRequest): Promise<SearchResult> {
  const filter = selectionFilter(workspace, request.group);
  if (!request.text?.trim()) {
    const page = browseOffers(workspace, { ...(request.group ? { group: request.group } : {}), limit: request.limit });
    return { offers: page.offers.map((o) => ({ offerId: o.offerId, title: o.title, company: o.company, role: o.role, ...(o.url ? { url: o.url } : {}), source: o.source, passages: [] })), total: page.total };
  }
  const selected = Object.keys(filter).length > 0 ? new Set(workspace.records.groupOffers(filter)) : undefined;
  if (selected?.size === 0) return { offers: [], total: 0 };
  const embedding = await workspace.embedder.embedQuery(request.text);
  const hits = await workspace.store.query(embedding, { k: request.limit * OVERFETCH * (selected && selected.size > MAX_IDS_IN_FILTER ? 4 : 1), ...whereFor(selected, filter.roles) });
  const chunks = workspace.records.lexical.describe(hits.map((hit) => hit.id));
  const byOffer = new Map<string, FoundOffer['passages']>();
  const roles = new Map<string, string>();
  for (const hit of hits) {
    const chunk = chunks.get(hit.id);
    if (!chunk || (selected && !selected.has(chunk.offerId))) continue;
    const passages = byOffer.get(chunk.offerId) ?? [];
    if (!byOffer.has(chunk.offerId) && byOffer.size >= request.limit) continue;
    byOffer.set(chunk.offerId, passages);
    roles.set(chunk.offerId, chunk.role);
    if (passages.length < PASSAGES_PER_OFFER) passages.push({ section: String(chunk.section), text: chunk.text });
  }
  const headers = workspace.records.offerHeaders([...byOffer.keys()]);
  const offers = [...byOffer].flatMap(([offerId, passages]) => {
    const header = headers.get(offerId);
    return header ? [{ offerId, title: header.title, company: header.company, role: roles.get(offerId)!, ...(header.url ? { url: header.url } : {}), source: header.source, passages }] : [];
  });
  return { offers, total: selected?.size ?? workspace.records.countByRole().filter((r) => r.status === 'active').reduce((sum, r) => sum + r.offers, 0) };
}

function whereFor(selected: ReadonlySet<string> | undefined, roles: readonly string[] | undefined): { where?: Where } {
  if (!selected) return {};
  if (selected.size <= MAX_IDS_IN_FILTER) return { where: { offerId: { $in: [...selected] } } };
  return roles ? { where: { role: { $in: [...roles] } } } : {};
}
