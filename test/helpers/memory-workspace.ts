import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadThemeCatalog } from '../../src/catalog/themes.ts';
import { resolveConfig, type OffersConfig } from '../../src/config.ts';
import { MemoryStore } from '../../src/store/memory-store.ts';
import type { VectorStore } from '../../src/store/vector-store.ts';
import { createEmbedder, openWorkspace, type Workspace } from '../../src/workspace.ts';

/** An empty in-memory store in the embedding space of this configuration's embedder, as openWorkspace creates it. */
export async function memoryStoreFor(config: OffersConfig): Promise<MemoryStore> {
  const embedder = await createEmbedder(config, loadThemeCatalog(config.themesFile));
  return new MemoryStore({ embedderId: embedder.id, dimension: embedder.dimension });
}

/**
 * A real workspace (record in SQLite, built-in catalogues, the local embedder) over an in-memory
 * store, in a scratch data dir: the whole ingest pipeline without a Chroma server. `wrapStore`
 * lets a test put a faulty store in front of the memory one.
 */
export async function memoryWorkspace(options: { wrapStore?: (store: VectorStore) => VectorStore } = {}): Promise<{ workspace: Workspace; memory: MemoryStore; cleanup(): Promise<void> }> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'offers-ws-'));
  const config = resolveConfig({ dataDir }, {});
  const memory = await memoryStoreFor(config);
  const workspace = await openWorkspace(config, { store: options.wrapStore ? options.wrapStore(memory) : memory });
  return {
    workspace,
    memory,
    cleanup: async () => {
      await workspace.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
