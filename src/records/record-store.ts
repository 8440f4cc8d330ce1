import type { Offer, OfferFacts, SectionKind } from '../types.ts';
import type { FacetFilter } from './facets.ts';
import type { LexicalIndex } from './lexical-index.ts';
import type { OfferPage, OfferSearch } from './offer-search.ts';
import type { ReindexHistory } from './reindex-history.ts';

/**
 * The record of what is indexed: per source and per offer, the content hash, the chunk ids in
 * the vector store, the status and first / last seen / last changed times, and what queries read
 * without the vector store (facets, running theme counts, the lexical index, history).
 *
 * It is the source of truth for what the vector store should hold. Every change to the vector
 * store is bracketed by an intent (the chunk ids about to be touched) recorded before and cleared
 * after, so a run killed in between leaves a trace that the next run rolls back
 * (see ingest/index-writer.ts).
 *
 * Two implementations: SQLite in the data dir (sqlite-record-store.ts, the default) and Postgres
 * for a team's shared record (pg/pg-record-store.ts, with OFFERS_DATABASE_URL). The interface is
 * synchronous, as better-sqlite3 is: the query's counting and ranking loops read the record
 * between computations, and a transaction is a plain function whose writes all land or none.
 * The Postgres store keeps that contract by waiting on a worker thread (pg/sync-client.ts).
 * `test/helpers/record-store-suite.ts` holds both to the same behaviour.
 */

export type OfferStatus = 'active' | 'duplicate' | 'removed' | 'expired';

export interface OfferRecord {
  offerId: string;
  source: string;
  role: string;
  contentHash: string;
  /** MinHash signature of the job's substance (missions + requirements): see ingest/near-duplicate.ts. */
  fingerprint: string;
  /** LSH band keys of the signature, written to offer_bands (only when given: a status change keeps them). */
  bandKeys?: string[];
  status: OfferStatus;
  /** For a duplicate, the offer it is a copy of. */
  canonicalId?: string;
  chunkIds: string[];
  offer: Offer;
  themesBySection: Partial<Record<SectionKind, string[]>>;
  firstSeen: string;
  lastSeen: string;
  lastChanged: string;
}

export type OfferState = Pick<OfferRecord, 'offerId' | 'role' | 'status' | 'contentHash'>;

/** An indexed offer a new one may be a repost of: what ingest/near-duplicate.ts compares. */
export interface DuplicateCandidate {
  offerId: string;
  fingerprint: string;
  offer: Pick<Offer, 'title' | 'role' | 'seniority'>;
}

export interface SourceRecord {
  source: string;
  kind: string;
  /** Hash of the raw bytes plus everything that changes how they are read (pipeline version, forced role). */
  contentHash: string;
  status: 'ok' | 'failed';
  error?: string;
  /** The `--role` the source was ingested with, so a re-index labels its offers the same way. */
  role?: string;
  offerIds: string[];
  lastSeen: string;
  lastChanged: string;
}

/** A listing page or sitemap given to `ingest` (without credentials), and the limits its crawl ran with. */
export interface WebRootRecord {
  seed: string;
  role?: string;
  /** `--max-pages` of that run. */
  maxPages?: number;
  /** `--follow-hosts` of that run. */
  followHosts?: string[];
  /** `--rate` of that run, when slower than the default: a re-crawl is never faster. */
  rate?: number;
}

/** What a citation names of its offer. */
export interface OfferHeader {
  title: string;
  company: string;
  source: string;
  url?: string;
}

/** What statistics read of one offer: its company and the themes each of its sections mentions. */
export interface OfferThemes {
  offerId: string;
  company: string;
  themesBySection: Partial<Record<SectionKind, string[]>>;
}

/** A title family of the active offers, with its most common label and the roles its offers have. */
export interface TitleFamily {
  family: string;
  label: string;
  offers: number;
  roles: string[];
}

/** Whose facts: a whole catalogue role's active offers, or offers by id. */
export type FactGroup = { role: string } | { offerIds: readonly string[] };

/** A distinct set of stated facts, and how many of a group's offers state exactly it (none: `facts` undefined). */
export interface FactCount {
  facts: OfferFacts | undefined;
  offers: number;
}

export interface RecordStore {
  /** Chunk text and theme prominence for lexical retrieval, written in the same transactions as the offers. */
  readonly lexical: LexicalIndex;
  /** What each re-index did, newest first. */
  readonly history: ReindexHistory;

  close(): void;
  /** Runs `fn` in one transaction: all of its writes land, or none (a nested call is a savepoint). */
  transaction<T>(fn: () => T): T;

  getSource(source: string): SourceRecord | undefined;
  /** How many sources are recorded, and how many of them failed: counted, not loaded. */
  countSources(): { sources: number; failed: number };
  listSources(): SourceRecord[];
  putSource(record: SourceRecord): void;
  /** For each of these offers that some source other than `source` lists, one such source. */
  otherSourcesListing(source: string, offerIds: readonly string[]): Map<string, string>;

  getOffer(offerId: string): OfferRecord | undefined;
  /** These offers, by id, in one read (ids the record lacks are absent): a query loads hundreds at a time. */
  getOffers(offerIds: readonly string[]): Map<string, OfferRecord>;
  putOffer(record: OfferRecord): void;
  /** Records the chunk ids about to be written or deleted, before the vector store is touched. */
  addIntent(offerId: string, chunkIds: string[]): void;
  clearIntent(offerId: string): void;
  /** Vector-store changes that a killed run began and did not finish. */
  listIntents(): Array<{ offerId: string; chunkIds: string[] }>;
  /** Remembers a directory or glob given to `ingest`, so that `reindex` finds the files added to it since. */
  putRoot(root: string, role?: string): void;
  listRoots(): Array<{ root: string; role?: string }>;
  /** Remembers a listing page or sitemap given to `ingest`, with the limits of its crawl, for `reindex`. */
  putWebRoot(root: WebRootRecord): void;
  listWebRoots(): WebRootRecord[];

  /** The offers, in id order, one at a time (an export of 100k offers holds one in memory, not all). */
  listOffers(filter?: { status?: OfferStatus[]; role?: string; source?: string }): Generator<OfferRecord>;
  /** Every offer's id, role, status and content hash, without the offer itself: the change report diffs two of these. */
  listOfferStates(): OfferState[];
  /** These offers' companies and themes per section, in the order given. */
  profilesOf(offerIds: readonly string[]): OfferThemes[];
  /** What evidence shows of its offers: title, company and source, without parsing each offer whole. */
  offerHeaders(offerIds: readonly string[]): Map<string, OfferHeader>;
  /** Active offers, other than `offerId`, sharing at least one LSH band key, oldest first. */
  findByBandKeys(bandKeys: readonly string[], offerId: string): DuplicateCandidate[];
  /** How many of these offers are active, with their chunks, without loading the offers. */
  countActive(offerIds: Iterable<string>): { offers: number; chunks: number };
  /** Up to `n` chunk ids of active offers spread evenly over the record (src/store/consistency.ts). */
  sampleChunkIds(n: number): string[];

  /** The active offers of a group (src/query/groups.ts), by id, in id order. Company words match folded names. */
  groupOffers(filter: FacetFilter & { companyWords?: readonly string[] }): string[];
  /** A page of the active offers of a selection holding some words, in id order (offer-search.ts). */
  searchOffers(search: OfferSearch): OfferPage;
  /**
   * The stated facts (ingest/facts.ts) of a group's offers, each distinct set once with the
   * number of offers stating exactly it, in the order of their first offer by id: what a facts
   * table counts, grouped in the database (a role's 30k offers at 100k state a few hundred
   * distinct sets). A whole catalogue role's active offers, or offers by id.
   */
  factCounts(group: FactGroup): FactCount[];
  /**
   * The lines stating a fact in the first offers of a group (id order) whose facts state it: at
   * most `limit`, looked for among the first 4 × `limit` of them.
   */
  factEvidence(group: FactGroup, fact: 'pay' | 'experienceYears', limit: number): Array<{ offerId: string; text: string; section: SectionKind }>;
  /** The title families of the active offers, most offers first. */
  listFamilies(): TitleFamily[];
  /** Active offers per language. */
  countByLanguage(): Array<{ language: string; offers: number }>;
  /** Active offers per posting month (YYYY-MM); offers without a posting date count under their first-seen month, flagged. */
  countByMonth(): Array<{ month: string; offers: number; posted: boolean }>;
  /** Counts per role and status, for stats and the query's "which roles are indexed" message. */
  countByRole(): Array<{ role: string; status: OfferStatus; offers: number; chunks: number }>;
  /** Active offers of a role. */
  countActiveOffers(role: string): number;
  /** For each theme, the active offers of `role` that mention it in at least one of `sections`. */
  countThemeMentions(role: string, sections: readonly SectionKind[]): Map<string, number>;
}
