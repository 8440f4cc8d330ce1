import { FatalError } from '../errors.ts';
import type { EmbeddingSpace, VectorStore } from './vector-store.ts';

/**
 * The store of a reader that cannot run one: the embedded Chroma server on a read-only data dir.
 * `chroma run` writes its SQLite file as it starts (on a read-only bind mount it panics: "attempt
 * to write a readonly database"), and copying `chroma/` somewhere writable on every read would
 * cost as much as the vectors themselves (gigabytes at 100k offers). So the reader holds no
 * vectors: searches find nothing, retrieval is the record's lexical index alone, and
 * `unavailable` is the warning every answer and `stats` carry.
 */
export function absentStore(space: EmbeddingSpace, unavailable: string): VectorStore {
  const refuse = async (): Promise<never> => {
    throw new FatalError(`cannot change the vector store: ${unavailable}`, 'run the command where the data dir is writable');
  };
  return {
    space,
    unavailable,
    upsert: refuse,
    delete: refuse,
    query: async () => [],
    queryMany: async (embeddings) => embeddings.map(() => []),
    vectors: async () => new Map(),
    get: async () => [],
    count: async () => 0,
  };
}
