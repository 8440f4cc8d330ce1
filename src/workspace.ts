import { loadRoleCatalog, type RoleCatalog } from './catalog/roles.ts';
import type { OffersConfig } from './config.ts';
import type { Embedder } from './embed/embedder.ts';
import { LocalEmbedder } from './embed/local-embedder.ts';
import { OpenAIEmbedder } from './embed/openai-embedder.ts';
import { RecordStore } from './records/record-store.ts';
import { connectStore } from './store/connect.ts';
import { collectionName, type VectorStore } from './store/vector-store.ts';
import { PIPELINE_VERSION } from '../ingest/pipeline-version.ts';
import { sha1 } from './util/hash.ts';
import { loadThemeCatalog, tagThemes, type ThemeCatalog } from './themes.ts';

/**
 * Everything a command works with, opened once at the edge and closed once: the configured
 * embedder, the vector store (starting the embedded Chroma server when no CHROMA_URL is set),
 * the index record and the role and theme catalogues.
 */
export interface Workspace {
  config: OffersConfig;
  embedder: Embedder;
  store: VectorStore;
  records: RecordStore;
  roles: RoleCatalog;
  themes: ThemeCatalog;
  /**
   * Identifies how offers are derived from sources (pipeline version and catalogues): part of
   * every content hash, so extending a catalogue re-derives offers instead of skipping them.
   */
  derivation: string;
  /** Where the store is, for messages. */
  storeUrl: string;
  close(): Promise<void>;
}

export interface OpenWorkspaceOptions {
  log?: (line: string) => void;
}

export async function openWorkspace(config: OffersConfig, options: OpenWorkspaceOptions = {}): Promise<Workspace> {
  const roles = loadRoleCatalog(config.rolesFile);
  const themes = loadThemeCatalog(config.themesFile);
  const embedder = await createEmbedder(config, themes);
  const space = { embedderId: embedder.id, dimension: embedder.dimension };
  const connection = await connectStore({
    dataDir: config.dataDir,
    space,
    ...(config.chromaUrl ? { chromaUrl: config.chromaUrl } : {}),
    ...(options.log ? { log: options.log } : {}),
  });
  let records: RecordStore;
  try {
    records = RecordStore.open(config.dataDir, collectionName(space));
  } catch (error) {
    await connection.close();
    throw error;
  }
  return {
    config,
    embedder,
    store: connection.store,
    records,
    roles,
    themes,
    derivation: sha1(`${PIPELINE_VERSION}\n${JSON.stringify(roles.data)}\n${JSON.stringify(themes.themes)}`),
    storeUrl: connection.url,
    async close() {
      records.close();
      await connection.close();
    },
  };
}

export async function createEmbedder(config: OffersConfig, themes: ThemeCatalog): Promise<Embedder> {
  if (config.embeddings === 'openai') {
    return OpenAIEmbedder.create({
      model: config.embeddingModel,
      ...(config.openaiApiKey ? { apiKey: config.openaiApiKey } : {}),
      ...(config.openaiBaseUrl ? { baseUrl: config.openaiBaseUrl } : {}),
    });
  }
  return new LocalEmbedder({ concepts: (text) => tagThemes(text, themes) });
}
