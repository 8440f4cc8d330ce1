import type { Chunk, ChunkMetadata } from '../types.ts';

/**
 * What a chunk becomes in the vector store: the text embedded and the metadata kept beside the
 * vector. Here rather than with the chunker (ingest/chunk.ts) because both the index writer and
 * the store's repair (consistency.ts) write vectors, and they must write the same ones.
 */

/** What is embedded: the chunk plus its offer's title and section heading, so a bare bullet keeps its context. */
export function embeddingText(chunk: Chunk): string {
  return `${chunk.title}\n${chunk.heading ? `${chunk.heading}\n` : ''}${chunk.text}`;
}

/**
 * What the vector store holds besides the vector: the filters of retrieval (role, section, and
 * offer for a sampled query), nothing else. The text, the themes and the offer's details live in
 * the record (src/records/), which evidence is read from: documents and a dozen metadata keys per
 * vector made each Chroma write cost about twice as much (its SQLite indexes every key, and its
 * full-text index every document), for data the record already held.
 */
export function storeMetadata(chunk: Chunk): ChunkMetadata {
  return { offerId: chunk.offerId, role: chunk.role, section: chunk.section };
}
