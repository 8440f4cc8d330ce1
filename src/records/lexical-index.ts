import type Database from 'better-sqlite3';
import { tokenize } from '../embed/tokenize.ts';
import type { SectionKind } from '../types.ts';

/**
 * The lexical side of hybrid retrieval: every active chunk's tokens in an SQLite FTS5 table
 * inside the record, written and deleted in the same transactions as the offers (index-writer.ts),
 * so a query ranks by BM25 with `MATCH … ORDER BY bm25() LIMIT n` instead of reading a role's
 * whole chunk pool from the vector store (which grew with the index: 10k offers meant tens of
 * thousands of documents per theme and role).
 *
 * The text stored is our own tokenisation (src/embed/tokenize.ts: folding, stop words, stemmer),
 * joined by spaces, and FTS5 only splits it on spaces, so the query and the chunks meet exactly
 * as the former in-process BM25 had them meet. BM25's idf is now over all indexed chunks rather
 * than the filtered pool: a term rare across the index but common in one role's pool weighs more.
 *
 * Filters live in ordinary tables joined by rowid: `chunk_meta` (role, section, offer, indexed by
 * offer so that replacing an offer's chunks is a lookup) and `chunk_themes` (theme → chunk).
 */

/** Bumped when the tables change shape; a record behind it is re-derived from the vector store (backfill). */
export const LEXICAL_SCHEMA_VERSION = 1;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS chunk_meta (
  rowid INTEGER PRIMARY KEY,
  chunk_id TEXT NOT NULL UNIQUE,
  offer_id TEXT NOT NULL,
  role TEXT NOT NULL,
  section TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS chunk_meta_by_offer ON chunk_meta(offer_id);
CREATE TABLE IF NOT EXISTS chunk_themes (theme TEXT NOT NULL, chunk_rowid INTEGER NOT NULL, PRIMARY KEY (theme, chunk_rowid)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS chunk_themes_by_chunk ON chunk_themes(chunk_rowid);
CREATE VIRTUAL TABLE IF NOT EXISTS chunk_text USING fts5(tokens, tokenize = "unicode61 tokenchars '+#./-'");
CREATE TABLE IF NOT EXISTS lexical_version (version INTEGER NOT NULL);
`;

export interface LexicalChunk {
  id: string;
  offerId: string;
  role: string;
  section: SectionKind | string;
  themes: readonly string[];
  text: string;
}

export interface LexicalQuery {
  role: string;
  sections: readonly string[];
  theme?: string;
  offerIds?: readonly string[];
  limit: number;
}

export class LexicalIndex {
  constructor(private readonly db: Database.Database) {
    db.exec(SCHEMA);
    // A record without offers has nothing to backfill: it starts current (the offers table is the record's).
    if (this.isBehind() && db.prepare("SELECT 1 FROM offers WHERE status = 'active' LIMIT 1").get() === undefined) this.markCurrent();
  }

  /** Whether the tables predate LEXICAL_SCHEMA_VERSION: then the query backfills them (backfillLexicalIndex). */
  isBehind(): boolean {
    const version = this.db.prepare('SELECT MAX(version) FROM lexical_version').pluck().get() as number | null;
    return (version ?? 0) < LEXICAL_SCHEMA_VERSION;
  }

  markCurrent(): void {
    this.db.prepare('DELETE FROM lexical_version').run();
    this.db.prepare('INSERT INTO lexical_version (version) VALUES (?)').run(LEXICAL_SCHEMA_VERSION);
  }

  /** Every chunk id the record lists for an active offer: what a backfill must read. */
  activeChunkIds(): string[] {
    return this.db.prepare("SELECT value FROM offers, json_each(offers.chunk_ids) WHERE offers.status = 'active'").pluck().all() as string[];
  }

  /** Replaces an offer's chunks (none: the offer left the index). Call inside the record's transaction. */
  replaceOffer(offerId: string, chunks: readonly LexicalChunk[]): void {
    const rowids = this.db.prepare('SELECT rowid FROM chunk_meta WHERE offer_id = ?').pluck().all(offerId) as number[];
    this.deleteRows(rowids);
    this.insert(chunks);
  }

  /** Adds chunks whatever offer they belong to, replacing any of the same id (backfill). */
  insert(chunks: readonly LexicalChunk[]): void {
    const existing = this.db.prepare('SELECT rowid FROM chunk_meta WHERE chunk_id = ?').pluck();
    const meta = this.db.prepare('INSERT INTO chunk_meta (chunk_id, offer_id, role, section) VALUES (?, ?, ?, ?)');
    const text = this.db.prepare('INSERT INTO chunk_text (rowid, tokens) VALUES (?, ?)');
    const theme = this.db.prepare('INSERT OR IGNORE INTO chunk_themes (theme, chunk_rowid) VALUES (?, ?)');
    // A savepoint inside the writer's transaction, a transaction of its own for a backfill batch.
    this.db.transaction(() => {
      for (const chunk of chunks) {
        const old = existing.get(chunk.id) as number | undefined;
        if (old !== undefined) this.deleteRows([old]);
        const rowid = meta.run(chunk.id, chunk.offerId, chunk.role, chunk.section).lastInsertRowid;
        text.run(rowid, tokenize(chunk.text).join(' '));
        for (const id of chunk.themes) theme.run(id, rowid);
      }
    })();
  }

  /**
   * Chunk ids admitted by the filters, best BM25 first, at most `limit`. A query without a
   * searchable token (all stop words) ranks nothing.
   */
  search(queryText: string, query: LexicalQuery): string[] {
    const terms = [...new Set(tokenize(queryText))];
    if (terms.length === 0 || query.limit <= 0 || query.sections.length === 0) return [];
    const match = terms.map((term) => `"${term}"`).join(' OR ');
    const rows = this.db
      .prepare(
        `SELECT m.chunk_id FROM chunk_text JOIN chunk_meta m ON m.rowid = chunk_text.rowid
         WHERE chunk_text MATCH @match AND m.role = @role AND m.section IN (SELECT value FROM json_each(@sections))
           AND (@theme IS NULL OR m.rowid IN (SELECT chunk_rowid FROM chunk_themes WHERE theme = @theme))
           AND (@offers IS NULL OR m.offer_id IN (SELECT value FROM json_each(@offers)))
         ORDER BY bm25(chunk_text), m.chunk_id LIMIT @limit`,
      )
      .pluck()
      .all({
        match,
        role: query.role,
        sections: JSON.stringify(query.sections),
        theme: query.theme ?? null,
        offers: query.offerIds ? JSON.stringify(query.offerIds) : null,
        limit: query.limit,
      });
    return rows as string[];
  }

  /** Chunks of a role (optionally of some offers) in these sections: the answer's "chunks read" figure. */
  countChunks(query: Omit<LexicalQuery, 'theme' | 'limit'>): number {
    return this.db
      .prepare(
        `SELECT COUNT(*) FROM chunk_meta WHERE role = @role AND section IN (SELECT value FROM json_each(@sections))
           AND (@offers IS NULL OR offer_id IN (SELECT value FROM json_each(@offers)))`,
      )
      .pluck()
      .get({ role: query.role, sections: JSON.stringify(query.sections), offers: query.offerIds ? JSON.stringify(query.offerIds) : null }) as number;
  }

  private deleteRows(rowids: readonly number[]): void {
    if (rowids.length === 0) return;
    const text = this.db.prepare('DELETE FROM chunk_text WHERE rowid = ?');
    const themes = this.db.prepare('DELETE FROM chunk_themes WHERE chunk_rowid = ?');
    const meta = this.db.prepare('DELETE FROM chunk_meta WHERE rowid = ?');
    for (const rowid of rowids) {
      text.run(rowid);
      themes.run(rowid);
      meta.run(rowid);
    }
  }
}
