import type { StoredRecord, VectorStore } from '../store/vector-store.ts';
import type { LexicalIndex } from './lexical-index.ts';

/** Chunks read from the vector store per call. */
const BACKFILL_BATCH = 1000;

/**
 * Fills the lexical index of a record written before its current schema (LEXICAL_SCHEMA_VERSION)
 * from the chunks the vector store holds for the record's active offers, once, when the
 * workspace opens, so an upgraded data dir needs no re-ingest. Stores written before version 2
 * hold each chunk's document and its themes as `t_<theme>` metadata keys, which is what this
 * reads; from version 2 on, the text lives only in the record.
 */
export async function backfillLexicalIndex(store: VectorStore, lexicalIndex: LexicalIndex): Promise<void> {
  if (!lexicalIndex.isBehind()) return;
  const ids = lexicalIndex.activeChunkIds();
  for (let start = 0; start < ids.length; start += BACKFILL_BATCH) {
    const records = await store.get({ ids: ids.slice(start, start + BACKFILL_BATCH) });
    lexicalIndex.insert(
      records.map((record) => ({
        id: record.id,
        offerId: String(record.metadata.offerId),
        role: String(record.metadata.role),
        section: String(record.metadata.section),
        themes: themesOf(record.metadata),
        text: record.document,
      })),
    );
  }
  lexicalIndex.markCurrent();
}

function themesOf(metadata: StoredRecord['metadata']): string[] {
  return Object.keys(metadata)
    .filter((key) => key.startsWith('t_') && metadata[key] === true)
    .map((key) => key.slice(2));
}
