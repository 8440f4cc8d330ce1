import { accessSync, constants } from 'node:fs';
import path from 'node:path';
import { loadRoleCatalog, type RoleCatalog } from './catalog/roles.ts';
import type { OffersConfig } from './config.ts';
import type { Embedder } from './embed/embedder.ts';
import { LocalEmbedder } from './embed/local-embedder.ts';
import { backfillLexicalIndex } from './records/lexical-backfill.ts';
import type { RecordStore } from './records/record-store.ts';
import { describePostgres } from './records/pg/postgres-url.ts';
import { SqliteRecordStore, sqliteRecordFile } from './records/sqlite-record-store.ts';
import { acquireDataDirLock, waitForDataDir, type DataDirLock } from './data-dir-lock.ts';
import { absentStore } from './store/absent-store.ts';
import { lazyStore, type LazyStore } from './store/lazy-store.ts';
import { collectionName, type EmbeddingSpace, type VectorStore } from './store/vector-store.ts';
import { loadThemeCatalog, tagThemes, type ThemeCatalog } from './catalog/themes.ts';

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
  /** Where the store is, for messages. */
  storeUrl: string;
  /** Where the record is, for messages: its SQLite file, or its Postgres database and schema (never a password). */
  recordLocation: string;
  close(): Promise<void>;
}

/** What a caller may hand a command instead of what it would open itself (tests, library use). */
export interface WorkspaceInjection {
  /** A store to use instead of connecting to Chroma; the workspace does not close it (its owner does). */
  store?: VectorStore;
}

/** The injection a command's options carry, as openWorkspace options (nothing when none is given). */
export function injected(options: WorkspaceInjection): WorkspaceInjection {
  return options.store ? { store: options.store } : {};
}

export interface OpenWorkspaceOptions extends WorkspaceInjection {
  log?: (line: string) => void;
  /**
   * How the command uses the data dir (src/data-dir-lock.ts): `write` takes the lock for the
   * workspace's lifetime, `read` waits while a writer holds it. Unset: neither (library use, tests).
   */
  access?: { mode: 'read' | 'write'; command: string; releaseOnSignal?: boolean };
}

export async function openWorkspace(config: OffersConfig, options: OpenWorkspaceOptions = {}): Promise<Workspace> {
  const roles = loadRoleCatalog(config.rolesFile);
  const themes = loadThemeCatalog(config.themesFile);
  const embedder = await createEmbedder(config, themes);
  const space = { embedderId: embedder.id, dimension: embedder.dimension };
  const waitMs = config.waitSeconds * 1000;
  const lock = await takeTurn(config, collectionName(space), waitMs, options);
  // A reader of a data dir it may not write (a read-only mount, a copy it has no write access
  // to) reads the record read-only, and without CHROMA_URL has no vector store (absent-store.ts).
  const readOnly = options.access?.mode === 'read' && !isWritable(config.dataDir);
  // The Chroma client is loaded with the connection: a run that never needs the store skips both.
  const connection: LazyStore = options.store
    ? givenStore(options.store)
    : readOnly && !config.chromaUrl
      ? withoutStore(space, config.dataDir)
      : lazyStore(space, async () =>
          (await import('./store/connect.ts')).connectStore({
            dataDir: config.dataDir,
            space,
            waitMs,
            // Readers share the embedded server; a writer (or library use, without `access`) has it alone.
            mode: options.access?.mode ?? 'write',
            ...(config.chromaUrl ? { chromaUrl: config.chromaUrl } : {}),
            ...(config.chromaConnection ? { chromaConnection: config.chromaConnection } : {}),
            ...(options.log ? { log: options.log } : {}),
          }),
        );
  let records: RecordStore;
  try {
    records = await openRecord(config, collectionName(space), { readOnly, reader: options.access?.mode === 'read', command: options.access?.command ?? 'offers' });
  } catch (error) {
    lock?.release();
    throw error;
  }
  try {
    // Only a data dir written by an older version is behind: it is brought up to date before any
    // command reads or writes the lexical index.
    await backfillLexicalIndex(connection.store, records.lexical);
  } catch (error) {
    records.close();
    await connection.close().finally(() => lock?.release());
    throw error;
  }
  return {
    config,
    embedder,
    store: connection.store,
    records,
    roles,
    themes,
    recordLocation: config.databaseUrl
      ? `${describePostgres(config.databaseUrl)} (schema "${collectionName(space)}")`
      : sqliteRecordFile(config.dataDir, collectionName(space)),
    get storeUrl() {
      return connection.url(config.chromaUrl ?? 'the embedded Chroma server (not started)');
    },
    async close() {
      records.close();
      try {
        await connection.close();
      } finally {
        lock?.release();
      }
    },
  };
}

/** Whether this process may write the data dir and its record's folder (a missing one will be created). */
function isWritable(dataDir: string): boolean {
  return [dataDir, path.join(dataDir, 'index')].every((dir) => {
    try {
      accessSync(dir, constants.W_OK);
      return true;
    } catch (error) {
      return (error as NodeJS.ErrnoException).code === 'ENOENT';
    }
  });
}

function givenStore(store: VectorStore): LazyStore {
  return { store, url: () => `the given store (${store.constructor.name})`, close: async () => {} };
}

function withoutStore(space: EmbeddingSpace, dataDir: string): LazyStore {
  const why =
    `the data dir ${dataDir} is read-only, and the embedded Chroma server cannot run on it: quotes come from the record's lexical index alone` +
    ' (set CHROMA_URL to a Chroma server holding this index for hybrid retrieval)';
  return { store: absentStore(space, why), url: () => 'no vector store (read-only data dir)', close: async () => {} };
}

/**
 * The record: the data dir's SQLite file, or with OFFERS_DATABASE_URL the team's Postgres
 * database (loaded on demand: a single user never loads the Postgres client).
 */
async function openRecord(config: OffersConfig, collection: string, options: { readOnly: boolean; reader: boolean; command: string }): Promise<RecordStore> {
  if (!config.databaseUrl) return SqliteRecordStore.open(config.dataDir, collection, { readOnly: options.readOnly, reader: options.reader });
  const { PgRecordStore } = await import('./records/pg/pg-record-store.ts');
  return PgRecordStore.open(config.databaseUrl, collection, options.command);
}

/** Takes the writers' lock, or waits for the writer holding it: the data dir's lock file, or the shared record's advisory lock. */
async function takeTurn(config: OffersConfig, collection: string, waitMs: number, options: OpenWorkspaceOptions): Promise<DataDirLock | undefined> {
  if (!options.access) return undefined;
  const wait = { command: options.access.command, waitMs, ...(options.log ? { log: options.log } : {}) };
  const write = options.access.mode === 'write';
  if (config.databaseUrl) {
    const { acquireAdvisoryLock, waitForAdvisoryLock } = await import('./records/pg/advisory-lock.ts');
    if (write) return acquireAdvisoryLock(config.databaseUrl, collection, { ...wait, releaseOnSignal: options.access.releaseOnSignal ?? true });
    await waitForAdvisoryLock(config.databaseUrl, collection, wait);
    return undefined;
  }
  if (write) return acquireDataDirLock(config.dataDir, { ...wait, releaseOnSignal: options.access.releaseOnSignal ?? true });
  await waitForDataDir(config.dataDir, wait);
  return undefined;
}

export async function createEmbedder(config: OffersConfig, themes: ThemeCatalog): Promise<Embedder> {
  if (config.embeddings === 'openai') {
    // Loaded on demand: the OpenAI client is heavy and most runs are offline.
    const { OpenAIEmbedder } = await import('./embed/openai-embedder.ts');
    return OpenAIEmbedder.create({
      model: config.embeddingModel,
      ...(config.openaiApiKey ? { apiKey: config.openaiApiKey } : {}),
      ...(config.openaiBaseUrl ? { baseUrl: config.openaiBaseUrl } : {}),
    });
  }
  return new LocalEmbedder({ concepts: (text) => tagThemes(text, themes) });
}
