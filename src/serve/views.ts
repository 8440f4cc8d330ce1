import { UsageError } from '../errors.ts';
import { isResolved, resolveSelection } from '../query/groups.ts';
import type { FacetFilter } from '../records/facets.ts';
import type { OfferListing } from '../records/offer-search.ts';
import type { OfferStatus } from '../records/record-store.ts';
import type { ReindexRun } from '../records/reindex-history.ts';
import type { OfferFacts, Section } from '../types.ts';
import type { Workspace } from '../workspace.ts';

/**
 * What `offers serve` and `offers mcp` show of the index besides answers, read from the record:
 * pages of offers, one offer whole, the re-index history. Plain data in, plain data out; the
 * HTTP routes and the MCP tools only validate their input and shape their output.
 */

export const DEFAULT_PAGE_SIZE = 25;
export const MAX_PAGE_SIZE = 100;

export interface BrowseRequest {
  /** A group expression whose role words may be left out (`company:acme lang:fr`). */
  group?: string | undefined;
  /** Words the offers must hold (title, company, text). */
  q?: string | undefined;
  /** From the previous page. */
  cursor?: string | undefined;
  limit?: number | undefined;
}

export interface OfferList {
  offers: OfferListing[];
  /** Offers matching, all pages together. */
  total: number;
  /** Pass it back for the next page; absent on the last one. */
  cursor?: string;
}

export function browseOffers(workspace: Workspace, request: BrowseRequest): OfferList {
  const page = workspace.records.searchOffers({
    filter: selectionFilter(workspace, request.group),
    limit: request.limit ?? DEFAULT_PAGE_SIZE,
    ...(request.q ? { text: request.q } : {}),
    ...(request.cursor ? { after: decodeCursor(request.cursor) } : {}),
  });
  return { offers: page.offers, total: page.total, ...(page.after ? { cursor: encodeCursor(page.after) } : {}) };
}

/** The offers a group expression selects (every active offer without one); an expression that names nothing is the caller's mistake. */
export function selectionFilter(workspace: Workspace, expression: string | undefined): FacetFilter & { companyWords?: readonly string[] } {
  if (!expression?.trim()) return {};
  const group = resolveSelection(expression, workspace.roles, workspace.records.listFamilies());
  if (isResolved(group)) return group.facets;
  const closest = group.closest.length > 0 ? ` (closest indexed titles: ${group.closest.join(', ')})` : '';
  throw new UsageError(`group "${expression}": "${group.words}" is neither a known role nor an indexed job title${closest}`);
}

/**
 * A cursor is the page's last offer id, opaque to clients (base64url) and checked on the way
 * back in: the pages are keyset pages, so it stays valid while offers are added or removed.
 */
const CURSOR_PREFIX = 'after:';

export function encodeCursor(offerId: string): string {
  return Buffer.from(`${CURSOR_PREFIX}${offerId}`).toString('base64url');
}

export function decodeCursor(cursor: string): string {
  const text = /^[A-Za-z0-9_-]+$/.test(cursor) ? Buffer.from(cursor, 'base64url').toString() : '';
  if (!text.startsWith(CURSOR_PREFIX) || text.length === CURSOR_PREFIX.length) throw new UsageError(`cursor "${cursor}" is not one this server gave; start again without it`);
  return text.slice(CURSOR_PREFIX.length);
}

/** One offer whole: what a citation opens. */
export interface OfferDetail {
  offerId: string;
  status: OfferStatus;
  role: string;
  seniority?: string;
  title: string;
  company: string;
  location?: string;
  language: string;
  datePosted?: string;
  validThrough?: string;
  family?: string;
  workplace?: string;
  /** The offer's public URL, when its source gives one. */
  url?: string;
  source: string;
  facts?: OfferFacts;
  sections: Section[];
  /** The text quotes are cut from. */
  text: string;
  firstSeen: string;
  lastSeen: string;
}

export function offerDetail(workspace: Workspace, offerId: string): OfferDetail | undefined {
  const record = workspace.records.getOffer(offerId);
  if (!record) return undefined;
  const { offer } = record;
  const optional = {
    seniority: offer.seniority,
    location: offer.location,
    datePosted: offer.datePosted,
    validThrough: offer.validThrough,
    family: offer.familyLabel,
    workplace: offer.workplace,
    url: offer.url,
    facts: offer.facts,
  };
  const detail: OfferDetail = {
    offerId: record.offerId,
    status: record.status,
    role: record.role,
    title: offer.title,
    company: offer.company,
    language: offer.language,
    source: offer.source,
    sections: offer.sections.map((s) => ({ kind: s.kind, ...(s.heading ? { heading: s.heading } : {}), text: s.text })),
    text: offer.text,
    firstSeen: record.firstSeen,
    lastSeen: record.lastSeen,
  };
  for (const [key, value] of Object.entries(optional)) if (value !== undefined && value !== '') Object.assign(detail, { [key]: value });
  return detail;
}

export interface IndexHistory {
  /** The last re-index runs, newest first, each with its per-role change report. */
  runs: ReindexRun[];
  /** Sources whose last read failed: they keep what they had. */
  failedSources: Array<{ source: string; error: string; lastSeen: string }>;
}

export function indexHistory(workspace: Workspace, limit = 20): IndexHistory {
  return {
    runs: workspace.records.history.list(limit),
    failedSources: workspace.records
      .listSources()
      .filter((s) => s.status === 'failed')
      .map((s) => ({ source: s.source, error: s.error ?? 'unknown error', lastSeen: s.lastSeen })),
  };
}
