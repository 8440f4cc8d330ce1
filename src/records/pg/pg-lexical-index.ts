import { fnv1a } from '../../util/hash.ts';
import { LEXICAL_SCHEMA_VERSION, prominence, type ChunkPlace, type LexicalChunk, type LexicalIndex, type LexicalQuery } from '../lexical-index.ts';
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
      ...chunks.flatMap(insertChunk),
    ]);
  }

  insert(chunks: readonly LexicalChunk[]): void {
    if (chunks.length > 0) this.atomically(chunks.flatMap(insertChunk));
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
    return rows
      .sort((a, b) => b.prominence - a.prominence || a.spread - b.spread || (a.chunk_id < b.chunk_id ? -1 : 1))
      .slice(0, query.limit)
      .map((row) => row.chunk_id);
  }

  describe(chunkIds: readonly string[]): Map<string, LexicalChunk> {
    if (chunkIds.length === 0) return new Map();
    const rows = this.db.rows<{ chunk_id: string; offer_id: string; role: string; section: string; text: string; themes: string }>(
      `SELECT m.chunk_id, m.offer_id, m.role, m.section, m.text,
         (SELECT COALESCE(json_agg(theme), '[]'::json) FROM chunk_themes WHERE chunk_rowid = m.id) AS themes
       FROM chunk_meta m WHERE m.chunk_id = ANY($1::text[])`,
      [chunkIds],
    );
    return new Map(
      rows.map((row) => [
        row.chunk_id,
        { id: row.chunk_id, offerId: row.offer_id, role: row.role, section: row.section, text: row.text, themes: (JSON.parse(row.themes) as string[]).sort() },
      ]),
    );
  }

  locate(chunkIds: readonly string[]): Map<string, ChunkPlace> {
    if (chunkIds.length === 0) return new Map();
    const rows = this.db.rows<{ chunk_id: string; offer_id: string; role: string; section: string }>(
      'SELECT chunk_id, offer_id, role, section FROM chunk_meta WHERE chunk_id = ANY($1::text[])',
      [chunkIds],
    );
    return new Map(rows.map((row) => [row.chunk_id, { offerId: row.offer_id, role: row.role, section: row.section }]));
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

/** A chunk's rows, replacing any of the same id: its text, then its themes with their prominence. */
function insertChunk(chunk: LexicalChunk): Statement[] {
  const themes = [...new Set(chunk.themes)];
  return [
    { text: 'DELETE FROM chunk_themes WHERE chunk_rowid IN (SELECT id FROM chunk_meta WHERE chunk_id = $1)', values: [chunk.id] },
    { text: 'DELETE FROM chunk_meta WHERE chunk_id = $1', values: [chunk.id] },
    {
      text: `WITH m AS (INSERT INTO chunk_meta (chunk_id, offer_id, role, section, text) VALUES ($1, $2, $3, $4, $5) RETURNING id)
             INSERT INTO chunk_themes (theme, role, section, prominence, spread, chunk_rowid)
             SELECT t.theme, $3, $4, t.prominence, $6, m.id FROM m, unnest($7::text[], $8::float8[]) AS t(theme, prominence)
             ON CONFLICT DO NOTHING`,
      values: [chunk.id, chunk.offerId, chunk.role, chunk.section, chunk.text, fnv1a(chunk.id), themes, themes.map((id) => prominence(chunk.mentions?.[id] ?? 1, chunk.text.length))],
    },
  ];
}
