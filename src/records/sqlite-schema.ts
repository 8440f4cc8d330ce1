import type Database from 'better-sqlite3';
import { installFacets } from './facets.ts';
import { installOfferSources } from './offer-sources.ts';
import { installThemeCounts } from './theme-counts.ts';

/**
 * The SQLite record's schema of version 1 (migrations.ts): the tables of sqlite-record-store.ts,
 * then the facet rows, running totals and source listings with their triggers. Idempotent, and
 * it upgrades in place any record written before versions were recorded (their `user_version` is
 * 0): missing tables are created and filled, facet rows of another shape derived again.
 */
export const SQLITE_TABLES = `
CREATE TABLE IF NOT EXISTS offers (
  offer_id TEXT PRIMARY KEY,
  source TEXT NOT NULL,
  role TEXT NOT NULL,
  content_hash TEXT NOT NULL,
  fingerprint TEXT NOT NULL,
  status TEXT NOT NULL,
  canonical_id TEXT,
  chunk_ids TEXT NOT NULL,
  offer TEXT NOT NULL,
  themes TEXT NOT NULL,
  first_seen TEXT NOT NULL,
  last_seen TEXT NOT NULL,
  last_changed TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS offers_by_role ON offers(role, status);
CREATE INDEX IF NOT EXISTS offers_by_source ON offers(source);
-- Reposts are found by band key (offer_bands); an index of the 2 KB fingerprints cost more to
-- keep than any other at 100k offers and served no query.
DROP INDEX IF EXISTS offers_by_fingerprint;
CREATE TABLE IF NOT EXISTS sources (
  source TEXT PRIMARY KEY,
  kind TEXT NOT NULL,
  content_hash TEXT NOT NULL,
  status TEXT NOT NULL,
  error TEXT,
  role TEXT,
  offer_ids TEXT NOT NULL,
  last_seen TEXT NOT NULL,
  last_changed TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS intents (offer_id TEXT PRIMARY KEY, chunk_ids TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS roots (root TEXT PRIMARY KEY, role TEXT, added TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS web_roots (seed TEXT PRIMARY KEY, role TEXT, crawl TEXT NOT NULL, added TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS offer_bands (band_key TEXT NOT NULL, offer_id TEXT NOT NULL, PRIMARY KEY (band_key, offer_id)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS offer_bands_by_offer ON offer_bands(offer_id);
`;

export function installSqliteRecord(db: Database.Database): void {
  db.exec(SQLITE_TABLES);
  installThemeCounts(db);
  installFacets(db);
  installOfferSources(db);
}
