import type { VectorStore } from '../../src/store/vector-store.ts';

/** A store that hands every call to `inner`, but for the methods given: to inject faults, or record writes. */
export function wrapStore(inner: VectorStore, overrides: Partial<Omit<VectorStore, 'space'>>): VectorStore {
  return {
    space: inner.space,
    query: (embedding, options) => inner.query(embedding, options),
    queryMany: (embeddings, options) => inner.queryMany(embeddings, options),
    vectors: (ids) => inner.vectors(ids),
    get: (options) => inner.get(options),
    count: () => inner.count(),
    delete: (options) => inner.delete(options),
    upsert: (records) => inner.upsert(records),
    ...overrides,
  };
}
