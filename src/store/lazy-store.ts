import type { StoreConnection } from './connect.ts';
import type { EmbeddingSpace, VectorStore } from './vector-store.ts';

/**
 * A vector store that connects on first use. A re-index that finds every source unchanged, and
 * an export (which reads only the record), never touch the store, so they never pay for starting
 * the embedded Chroma server (or reaching a remote one).
 */
export interface LazyStore {
  store: VectorStore;
  /** The server's URL once connected; `before` until then. */
  url(before: string): string;
  close(): Promise<void>;
}

export function lazyStore(space: EmbeddingSpace, connect: () => Promise<StoreConnection>): LazyStore {
  let connection: Promise<StoreConnection> | undefined;
  let connected: StoreConnection | undefined;
  const open = async (): Promise<VectorStore> => {
    connection ??= connect().then((c) => (connected = c));
    return (await connection).store;
  };
  return {
    store: {
      space,
      upsert: async (records) => (await open()).upsert(records),
      query: async (embedding, options) => (await open()).query(embedding, options),
      queryMany: async (embeddings, options) => (await open()).queryMany(embeddings, options),
      vectors: async (ids) => (await open()).vectors(ids),
      get: async (options) => (await open()).get(options),
      count: async () => (await open()).count(),
      delete: async (filter) => (await open()).delete(filter),
    },
    url: (before) => connected?.url ?? before,
    async close() {
      // A connection still being opened is awaited, so that no server is left running.
      const c = await connection?.catch(() => undefined);
      await c?.close();
    },
  };
}
