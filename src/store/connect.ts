import type { ChromaConnectionSettings } from './chroma-connection.ts';
import { startEmbeddedChroma } from './chroma-server.ts';
import { ChromaStore } from './chroma-store.ts';
import type { EmbeddingSpace, VectorStore } from './vector-store.ts';

export interface ConnectStoreOptions {
  dataDir: string;
  /** A running Chroma server to use; when unset, an embedded one is started on `dataDir`. */
  chromaUrl?: string;
  /** How to reach `chromaUrl` beyond its address: API key, gateway headers, tenant, database. */
  chromaConnection?: ChromaConnectionSettings;
  space: EmbeddingSpace;
  /** Collection name prefix (default `offers`); eval uses throw-away ones. */
  collectionPrefix?: string;
  log?: (line: string) => void;
  /** How long to wait for another offers process's embedded server on the same data dir. */
  waitMs?: number;
  /** `read`: share the embedded server with the other commands reading this data dir (chroma-server.ts). Default `write`. */
  mode?: 'read' | 'write';
}

export interface StoreConnection {
  store: VectorStore;
  url: string;
  /** True when this connection started (and `close` stops) its own server. */
  embedded: boolean;
  close(): Promise<void>;
}

/**
 * The one way commands and integration tests reach the store (CONTRACT: CHROMA_URL, else a
 * local server from the chromadb package under the data dir, stopped when the command ends).
 */
export async function connectStore(options: ConnectStoreOptions): Promise<StoreConnection> {
  const { space, collectionPrefix } = options;
  if (options.chromaUrl) {
    const store = await ChromaStore.open({ url: options.chromaUrl, space, collectionPrefix, connection: options.chromaConnection });
    return { store, url: options.chromaUrl, embedded: false, close: async () => {} };
  }
  const server = await startEmbeddedChroma({ dataDir: options.dataDir, log: options.log, waitMs: options.waitMs, mode: options.mode });
  try {
    const store = await ChromaStore.open({
      url: server.url,
      space,
      collectionPrefix,
      unreachableHint: `the embedded Chroma server stopped; see ${server.logPath}`,
    });
    return { store, url: server.url, embedded: true, close: () => server.stop() };
  } catch (error) {
    await server.stop();
    throw error;
  }
}
