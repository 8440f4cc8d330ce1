import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadRoleCatalog } from '../../src/catalog/roles.ts';
import { resolveConfig } from '../../src/config.ts';
import { LocalEmbedder } from '../../src/embed/local-embedder.ts';
import { RecordStore } from '../../src/records/record-store.ts';
import { MemoryStore } from '../../src/store/memory-store.ts';
import { collectionName, type VectorStore } from '../../src/store/vector-store.ts';
import { loadThemeCatalog, tagThemes } from '../../src/catalog/themes.ts';
import type { Workspace } from '../../src/workspace.ts';

/**
 * A real workspace (record in SQLite, built-in catalogues, the local embedder) over an in-memory
 * store, in a scratch data dir: the whole ingest pipeline without a Chroma server. `wrapStore`
 * lets a test put a faulty store in front of the memory one.
 */
export async function memoryWorkspace(options: { wrapStore?: (store: VectorStore) => VectorStore } = {}): Promise<{ workspace: Workspace; memory: MemoryStore; cleanup(): Promise<void> }> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'offers-ws-'));
  const themes = loadThemeCatalog();
  const embedder = new LocalEmbedder({ concepts: (text) => tagThemes(text, themes) });
  const space = { embedderId: embedder.id, dimension: embedder.dimension };
  const memory = new MemoryStore(space);
  const records = RecordStore.open(dataDir, collectionName(space));
  const workspace: Workspace = {
    config: resolveConfig({ dataDir }, {}),
    embedder,
    store: options.wrapStore ? options.wrapStore(memory) : memory,
    records,
    roles: loadRoleCatalog(),
    themes,
    derivation: 'test',
    storeUrl: 'memory',
    close: async () => records.close(),
  };
  return {
    workspace,
    memory,
    cleanup: async () => {
      await workspace.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
