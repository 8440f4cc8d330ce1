import type { SectionKind } from '../types.ts';

/**
 * The lexical side of hybrid retrieval, in the record: every active chunk's text, and for each
 * theme it mentions, how prominent the theme is in it. Written and deleted in the same
 * transactions as the offers (index-writer.ts).
 *
 * A query asks for the chunks of one role, section and theme where the theme is most prominent,
 * read from an index ordered that way (`chunk_themes`): the cost is the few rows returned, at
 * 1k offers as at 100k. Until schema 3 this was BM25 over FTS5 with the question's words, whose
 * cost followed the posting lists of common words: 30 to 120 ms per theme at 60k offers, and a
 * question asks for about thirty themes. The question's wording still ranks the vector side.
 *
 * Prominence is BM25's term-frequency factor for the theme alone (its idf is the same for every
 * chunk of the theme, so it cannot change an order): tf·(k1+1) / (tf + k1·(1 − b + b·len/avglen)),
 * with tf the theme's mentions in the chunk and len its length in characters. A short chunk that
 * names the theme twice is about it; a long one that names it in passing is not. Equal
 * prominences (templated offers) are ordered by a hash of the chunk id, which spreads the
 * evidence over the index instead of always quoting the offers ingested first.
 *
 * Tables: `chunk_meta` (id, offer, role, section, text; indexed by offer, so that replacing an
 * offer's chunks is a lookup, and by role and section for counts) and `chunk_themes`.
 */

/**
 * Bumped when the tables change shape; tables of an older version are dropped and re-derived
 * from the vector store (backfill), which held the chunks' documents until version 2 moved the
 * text here. Version 2: `chunk_meta.text`; version 3: prominence instead of FTS5.
 */
export const LEXICAL_SCHEMA_VERSION = 3;

/** BM25's k1 and b (Robertson & Zaragoza 2009, the usual values). */
const K1 = 1.2;
const B = 0.75;
/** A typical chunk's length in characters (a section of a few bullets): BM25's avglen. */
const AVERAGE_CHUNK_CHARS = 400;

/** How prominent a theme mentioned `mentions` times is in a chunk of `chars` characters, rounded so that near ties are ties. */
export function prominence(mentions: number, chars: number): number {
  const tf = Math.max(1, mentions);
  const score = (tf * (K1 + 1)) / (tf + K1 * (1 - B + (B * chars) / AVERAGE_CHUNK_CHARS));
  return Math.round(score * 1000) / 1000;
}

export interface LexicalChunk {
  id: string;
  offerId: string;
  role: string;
  section: SectionKind | string;
  themes: readonly string[];
  /** Mentions of each theme in the text (1 when absent). */
  mentions?: Readonly<Record<string, number>>;
  text: string;
}

export interface LexicalQuery {
  /** Chunks of this role only; without one, `offerIds` must say which offers. */
  role?: string;
  sections: readonly string[];
  offerIds?: readonly string[];
  limit: number;
}

export interface LexicalIndex {
  /** Whether the tables predate LEXICAL_SCHEMA_VERSION: then opening the workspace backfills them (lexical-backfill.ts). */
  isBehind(): boolean;
  markCurrent(): void;
  /** Every chunk id the record lists for an active offer: what a backfill must read. */
  activeChunkIds(): string[];
  /** Replaces an offer's chunks (none: the offer left the index). Call inside the record's transaction. */
  replaceOffer(offerId: string, chunks: readonly LexicalChunk[]): void;
  /** Adds chunks whatever offer they belong to, replacing any of the same id (backfill). */
  insert(chunks: readonly LexicalChunk[]): void;
  /**
   * Chunk ids of `theme` admitted by the filters, the most prominent first (ties by the chunk id's
   * hash, then the id), at most `limit`.
   */
  topForTheme(theme: string, query: LexicalQuery): string[];
  /** These chunks as the record holds them (text, section, sorted themes); chunks it does not list are absent. */
  describe(chunkIds: readonly string[]): Map<string, LexicalChunk>;
  /** Chunks of a role (optionally of some offers) in these sections: the answer's "chunks read" figure. */
  countChunks(query: Omit<LexicalQuery, 'limit'>): number;
  /** Every active chunk the record lists. */
  totalChunks(): number;
}

/** A chunk as both lexical indexes select it for `describe` (its themes as a JSON array). */
export interface DescribedRow {
  chunk_id: string;
  offer_id: string;
  role: string;
  section: string;
  text: string;
  themes: string;
}

export function describedChunks(rows: readonly DescribedRow[]): Map<string, LexicalChunk> {
  return new Map(
    rows.map((row) => [
      row.chunk_id,
      { id: row.chunk_id, offerId: row.offer_id, role: row.role, section: row.section, text: row.text, themes: (JSON.parse(row.themes) as string[]).sort() },
    ]),
  );
}

/** A theme's candidate rows, most prominent first, ties by the id's hash then the id: the first `limit` ids. */
export function topIds(rows: Array<{ chunk_id: string; prominence: number; spread: number }>, limit: number): string[] {
  return rows
    .sort((a, b) => b.prominence - a.prominence || a.spread - b.spread || (a.chunk_id < b.chunk_id ? -1 : 1))
    .slice(0, limit)
    .map((row) => row.chunk_id);
}
