import { fnv1a } from '../../util/hash.ts';
import { describedChunks, LEXICAL_SCHEMA_VERSION, prominence, topIds, type LexicalChunk, type LexicalIndex, type LexicalQuery } from '../lexical-index.ts';
import type { Statement, SyncPostgres } from './sync-client.ts';

type Row = { chunk_id: string; prominence: number; spread: number };

/**
 * The lexical index in the Postgres record: the tables and orders of sqlite-lexical-index.ts
 * (schema.ts), a chunk's rows written in one round trip with its themes as arrays.
 */
export class PgLexicalIndex implements LexicalIndex {
  constructor(
    private readonly db: SyncPostgres,
    /** The record's all-or-none write (inside its transaction when one is open). */
    private readonly atomically: (statements: Statement[]) => void,
  ) {}

  /** A new record has nothing to backfill: it starts current (called once the schema exists). */
  startCurrentWhenEmpty(): void {
    if (this.isBehind() && this.db.rows("SELECT 1 FROM offers WHERE status = 'active' LIMIT 1").length === 0) this.markCurrent();
  }

  isBehind(): boolean {
    const version = this.db.rows<{ version: number | null }>('SELECT MAX(version) AS version FROM lexical_version')[0]?.version;
    return (version ?? 0) < LEXICAL_SCHEMA_VERSION;
  }

  markCurrent(): void {
    this.atomically([{ text: 'DELETE FROM lexical_version' }, { text: 'INSERT INTO lexical_version (version) VALUES ($1)', values: [LEXICAL_SCHEMA_VERSION] }]);
  }

  activeChunkIds(): string[] {
    return this.db.rows<{ id: string }>("SELECT json_array_elements_text(chunk_ids) AS id FROM offers WHERE status = 'active' ORDER BY seq").map((row) => row.id);
  }

  replaceOffer(offerId: string, chunks: readonly LexicalChunk[]): void {
    this.atomically([
      { text: 'DELETE FROM chunk_themes WHERE chunk_rowid IN (SELECT id FROM chunk_meta WHERE offer_id = $1)', values: [offerId] },
      { text: 'DELETE FROM chunk_meta WHERE offer_id = $1', values: [offerId] },
      ...insertChunks(chunks),
    ]);
  }

  insert(chunks: readonly LexicalChunk[]): void {
    if (chunks.length > 0) this.atomically(insertChunks(chunks));
  }

  topForTheme(theme: string, query: LexicalQuery): string[] {
    if (query.limit <= 0 || query.sections.length === 0) return [];
    const rows: Row[] = query.offerIds
      ? this.db.rows<Row>(
          `SELECT m.chunk_id, t.prominence, t.spread FROM chunk_meta m JOIN chunk_themes t ON t.chunk_rowid = m.id
           WHERE m.offer_id = ANY($1::text[]) AND ($2::text IS NULL OR m.role = $2) AND m.section = ANY($3::text[]) AND t.theme = $4
           ORDER BY t.prominence DESC, t.spread, m.chunk_id LIMIT $5`,
          [query.offerIds, query.role ?? null, query.sections, theme, query.limit],
        )
      : // One indexed range per section, in one round trip.
        (this.db
          .run(
            query.sections.map((section) => ({
              text: `SELECT m.chunk_id, t.prominence, t.spread FROM chunk_themes t JOIN chunk_meta m ON m.id = t.chunk_rowid
                     WHERE t.theme = $1 AND t.role = $2 AND t.section = $3
                     ORDER BY t.prominence DESC, t.spread, t.chunk_rowid LIMIT $4`,
              values: [theme, query.role ?? null, section, query.limit],
            })),
          )
          .flat() as unknown as Row[]);
    return topIds(rows, query.limit);
  }

  describe(chunkIds: readonly string[]): Map<string, LexicalChunk> {
    if (chunkIds.length === 0) return new Map();
    const rows = this.db.rows<{ chunk_id: string; offer_id: string; role: string; section: string; text: string; themes: string }>(
      `SELECT m.chunk_id, m.offer_id, m.role, m.section, m.text,
         (SELECT COALESCE(json_agg(theme), '[]'::json) FROM chunk_themes WHERE chunk_rowid = m.id) AS themes
       FROM chunk_meta m WHERE m.chunk_id = ANY($1::text[])`,
      [chunkIds],
    );
    return describedChunks(rows);
  }

  countChunks(query: Omit<LexicalQuery, 'limit'>): number {
    const count = (text: string, values: unknown[]) => this.db.rows<{ n: number }>(text, values)[0]!.n;
    if (query.offerIds !== undefined) {
      return count('SELECT COUNT(*) AS n FROM chunk_meta WHERE offer_id = ANY($1::text[]) AND ($2::text IS NULL OR role = $2) AND section = ANY($3::text[])', [
        query.offerIds,
        query.role ?? null,
        query.sections,
      ]);
    }
    if (query.role === undefined) return count('SELECT COUNT(*) AS n FROM chunk_meta WHERE section = ANY($1::text[])', [query.sections]);
    return count('SELECT COUNT(*) AS n FROM chunk_meta WHERE role = $1 AND section = ANY($2::text[])', [query.role, query.sections]);
  }

  totalChunks(): number {
    return this.db.rows<{ n: number }>('SELECT COUNT(*) AS n FROM chunk_meta')[0]!.n;
  }
}

/**
 * Chunks' rows, replacing any of the same ids, in three statements whatever their number: the
 * old rows out, then the texts and, from the ids they get, the themes with their prominence.
 */
function insertChunks(given: readonly LexicalChunk[]): Statement[] {
  if (given.length === 0) return [];
  // The last of a repeated id wins, as when SQLite replaces them one after the other.
  const chunks = [...new Map(given.map((chunk) => [chunk.id, chunk])).values()];
  const ids = chunks.map((chunk) => chunk.id);
  const themes = chunks.flatMap((chunk) => [...new Set(chunk.themes)].map((theme) => ({ chunk, theme })));
  return [
    { text: 'DELETE FROM chunk_themes WHERE chunk_rowid IN (SELECT id FROM chunk_meta WHERE chunk_id = ANY($1::text[]))', values: [ids] },
    { text: 'DELETE FROM chunk_meta WHERE chunk_id = ANY($1::text[])', values: [ids] },
    {
      text: `WITH m AS (
               INSERT INTO chunk_meta (chunk_id, offer_id, role, section, text)
               SELECT c.chunk_id, c.offer_id, c.role, c.section, c.text
               FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[]) WITH ORDINALITY AS c(chunk_id, offer_id, role, section, text, n)
               -- In the order given, as SQLite numbers them: ties at a LIMIT fall the same way.
               ORDER BY c.n
               RETURNING id, chunk_id, role, section)
             INSERT INTO chunk_themes (theme, role, section, prominence, spread, chunk_rowid)
             SELECT t.theme, m.role, m.section, t.prominence, t.spread, m.id
             FROM m JOIN unnest($6::text[], $7::text[], $8::float8[], $9::bigint[]) AS t(chunk_id, theme, prominence, spread) ON t.chunk_id = m.chunk_id
             ON CONFLICT DO NOTHING`,
      values: [
        ids,
        chunks.map((chunk) => chunk.offerId),
        chunks.map((chunk) => chunk.role),
        chunks.map((chunk) => chunk.section),
        chunks.map((chunk) => chunk.text),
        themes.map(({ chunk }) => chunk.id),
        themes.map(({ theme }) => theme),
        themes.map(({ chunk, theme }) => prominence(chunk.mentions?.[theme] ?? 1, chunk.text.length)),
        themes.map(({ chunk }) => fnv1a(chunk.id)),
      ],
    },
  ];
}
