import type Database from 'better-sqlite3';
import { FatalError } from '../errors.ts';
import { POSTGRES_FACET_INDEXES, POSTGRES_RECORD, POSTGRES_SNAPSHOTS } from './pg/schema.ts';
import type { Statement } from './pg/sync-client.ts';
import { indexFacets } from './facets.ts';
import { installSqliteRecord } from './sqlite-schema.ts';

/**
 * The record's schema versions, for both record stores, in one list. Each version says what it
 * adds to a SQLite record (a function, run in the opening's IMMEDIATE transaction) and to a
 * Postgres one (statements, run under a transaction-scoped advisory lock: pg-record-store.ts).
 * A record notes the version it is at (SQLite's `user_version`, Postgres's `schema_migrations`),
 * is brought up to the newest on opening, and is refused by an older offers, which cannot know
 * what a newer one changed. A change to the schema is a new entry at the end, never an edit of a
 * released one.
 *
 * The lexical index has a version of its own (LEXICAL_SCHEMA_VERSION in lexical-index.ts): its
 * upgrade re-reads chunks from the vector store, which only an opened workspace can do.
 */
export interface RecordMigration {
  version: number;
  name: string;
  /** Absent: nothing to change in SQLite (version 2's snapshots are files in the data dir there). */
  sqlite?: (db: Database.Database) => void;
  postgres: readonly Statement[];
}

export const RECORD_MIGRATIONS: readonly RecordMigration[] = [
  { version: 1, name: 'offers, sources, facets, counts, lexical index, history', sqlite: installSqliteRecord, postgres: POSTGRES_RECORD },
  { version: 2, name: 'snapshots of fetched bodies in the record, for reindex --offline on any machine', postgres: POSTGRES_SNAPSHOTS },
  { version: 3, name: 'facts and families in facet indexes, read from the indexes alone', sqlite: indexFacets, postgres: POSTGRES_FACET_INDEXES },
];

export const RECORD_SCHEMA_VERSION = Math.max(...RECORD_MIGRATIONS.map((migration) => migration.version));

/** The refusal of a record a newer offers wrote. */
export function newerRecord(where: string, version: number): FatalError {
  return new FatalError(
    `the index record ${where} is at schema ${version}, newer than this version of offers knows (${RECORD_SCHEMA_VERSION})`,
    'upgrade offers on this machine to the version that wrote it',
  );
}

/** Brings a SQLite record to the newest version; call inside the opening's transaction. */
export function migrateSqlite(db: Database.Database, where: string): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > RECORD_SCHEMA_VERSION) throw newerRecord(where, current);
  if (current === RECORD_SCHEMA_VERSION) return;
  for (const migration of RECORD_MIGRATIONS) if (migration.version > current) migration.sqlite?.(db);
  db.pragma(`user_version = ${RECORD_SCHEMA_VERSION}`);
}
