import type Database from 'better-sqlite3';
import { normalizePhrase } from '../catalog/normalize.ts';
import { facetWhere, type FacetFilter } from './facets.ts';

/**
 * Browsing the indexed offers (`offers serve`, `offers mcp`): the active offers of a selection
 * (facets.ts), optionally holding some words in their title, company or text, a page at a time
 * in offer-id order. Pages are keyset pages (after the previous page's last id), so a cursor
 * stays valid and no offer is shown twice or skipped while an ingest adds offers elsewhere.
 *
 * Words are compared folded (case, accents, punctuation: normalizePhrase), which SQLite cannot
 * do, so the comparison is a function registered on the connection; it runs only on the rows
 * the facet filter keeps, and only when there are words.
 */

export interface OfferSearch {
  filter: FacetFilter & { companyWords?: readonly string[] };
  /** Words the title, company or text must all hold (as word starts: "kube" finds Kubernetes). */
  text?: string;
  /** The last offer id of the previous page. */
  after?: string;
  limit: number;
}

/** What a list of offers shows of each. */
export interface OfferListing {
  offerId: string;
  role: string;
  title: string;
  company: string;
  location?: string;
  language?: string;
  datePosted?: string;
  seniority?: string;
  workplace?: string;
  family?: string;
  url?: string;
  source: string;
}

export interface OfferPage {
  offers: OfferListing[];
  /** Offers matching, all pages together. */
  total: number;
  /** The last id of this page, when there are more. */
  after?: string;
}

const MATCH_FUNCTION = 'offers_search_match';

/** Registers the folded comparison on a connection (functions are per connection, not stored). */
export function installOfferSearch(db: Database.Database): void {
  db.function(MATCH_FUNCTION, { deterministic: true }, (wanted, title, company, text) => {
    const { words, companyWords } = JSON.parse(String(wanted)) as { words: string[]; companyWords: string[] };
    const folded = (value: unknown) => ` ${normalizePhrase(typeof value === 'string' ? value : '')} `;
    const companyFolded = folded(company);
    if (!companyWords.every((word) => companyFolded.includes(` ${word} `))) return 0;
    if (words.length === 0) return 1;
    const haystack = `${folded(title)}${companyFolded}${folded(text)}`;
    return words.every((word) => haystack.includes(` ${word}`)) ? 1 : 0;
  });
}

/** A listed offer as both record stores select it. */
export interface ListingRow {
  offer_id: string;
  role: string;
  title: string | null;
  company: string | null;
  location: string | null;
  language: string | null;
  posted: string | null;
  seniority: string | null;
  workplace: string | null;
  family_label: string | null;
  url: string | null;
  source: string;
}

export function searchOffers(sql: (text: string) => Database.Statement, search: OfferSearch): OfferPage {
  const { where, params } = facetWhere(search.filter);
  const { words, companyWords } = searchWords(search);
  const clauses = [where];
  if (words.length > 0 || companyWords.length > 0) {
    clauses.push(`${MATCH_FUNCTION}(?, json_extract(o.offer, '$.title'), f.company, json_extract(o.offer, '$.text'))`);
    params.push(JSON.stringify({ words, companyWords }));
  }
  const from = `FROM offer_facets f JOIN offers o ON o.offer_id = f.offer_id WHERE ${clauses.join(' AND ')}`;
  const total = sql(`SELECT COUNT(*) ${from}`).pluck().get(...params) as number;
  const rows = sql(
    `SELECT f.offer_id, f.role, f.company, f.language, f.posted, f.seniority, f.workplace, f.family_label, f.source,
       json_extract(o.offer, '$.title') AS title, json_extract(o.offer, '$.location') AS location, json_extract(o.offer, '$.url') AS url
     ${from} AND f.offer_id > ? ORDER BY f.offer_id LIMIT ?`,
  ).all(...params, search.after ?? '', search.limit + 1) as ListingRow[];
  return offerPage(rows, total, search.limit);
}

/** The folded words a search asks for: in the title, company or text (word starts), and in the company (whole words). */
export function searchWords(search: OfferSearch): { words: string[]; companyWords: readonly string[] } {
  return { words: normalizePhrase(search.text ?? '').split(' ').filter(Boolean), companyWords: search.filter.companyWords ?? [] };
}

/** A page from up to `limit + 1` rows in id order (one more than shown tells whether there are more). */
export function offerPage(rows: readonly ListingRow[], total: number, limit: number): OfferPage {
  const page = rows.slice(0, limit).map(toListing);
  return { offers: page, total, ...(rows.length > limit ? { after: page[page.length - 1]!.offerId } : {}) };
}

function toListing(row: ListingRow): OfferListing {
  const optional = {
    location: row.location,
    language: row.language,
    datePosted: row.posted,
    seniority: row.seniority,
    workplace: row.workplace,
    family: row.family_label,
    url: row.url,
  };
  const listing: OfferListing = { offerId: row.offer_id, role: row.role, title: row.title ?? '', company: row.company ?? '', source: row.source };
  for (const [key, value] of Object.entries(optional)) if (value) Object.assign(listing, { [key]: value });
  return listing;
}
