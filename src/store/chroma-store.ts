import {
  type ChromaClient,
  ChromaConnectionError,
  ChromaRateLimitError,
  type Collection,
  type Where as ChromaWhere,
} from 'chromadb';
import { FatalError, RetryableError } from '../errors.ts';
import type { ChunkMetadata } from '../types.ts';
import { chromaAddress, chromaRefusal, openChromaClient, type ChromaConnectionSettings } from './chroma-connection.ts';
import { checkDimensions } from './memory-store.ts';
import {
  collectionName,
  type EmbeddingSpace,
  type GetOptions,
  type QueryHit,
  type QueryOptions,
  type StoredRecord,
  type VectorRecord,
  type VectorStore,
  type Where,
} from './vector-store.ts';

export interface OpenChromaStoreOptions {
  /** Server base URL, e.g. `http://127.0.0.1:8000` (a path after the port is not supported). */
  url: string;
  space: EmbeddingSpace;
  /** Prefix of the collection name (default `offers`); eval uses throw-away prefixes. */
  collectionPrefix?: string | undefined;
  /** The fix-it line attached to "not reachable" errors; depends on who started the server. */
  unreachableHint?: string | undefined;
  /** Headers (API key, gateway), tenant and database: src/store/chroma-connection.ts. */
  connection?: ChromaConnectionSettings | undefined;
}

const DEFAULT_UNREACHABLE_HINT = 'start a Chroma server there, or unset CHROMA_URL to use the embedded one';
/** Used when the server does not announce its limit. */
const FALLBACK_MAX_BATCH = 1000;
const HEARTBEAT_TIMEOUT_MS = 3000;

/**
 * The VectorStore over one Chroma collection per embedding space. Collections are created without
 * an embedding function (we always pass vectors) and record the space in their metadata, so that
 * a collection is never fed vectors from another embedder.
 */
export class ChromaStore implements VectorStore {
  private constructor(
    readonly space: EmbeddingSpace,
    readonly url: string,
    private readonly client: ChromaClient,
    private readonly collection: Collection,
    private readonly maxBatch: number,
    private readonly unreachableHint: string,
  ) {}

  static async open(options: OpenChromaStoreOptions): Promise<ChromaStore> {
    const { url, space } = options;
    const unreachableHint = options.unreachableHint ?? DEFAULT_UNREACHABLE_HINT;
    const address = chromaAddress(url);
    try {
      await heartbeat(url, HEARTBEAT_TIMEOUT_MS, options.connection?.headers);
    } catch (error) {
      throw chromaRefusal(url, error) ?? unreachable(url, unreachableHint, error);
    }
    const name = collectionName(space, options.collectionPrefix);
    const { client, collection, maxBatch } = await mapChromaErrors(url, unreachableHint, 'open', async () => {
      const client = await openChromaClient(address, options.connection);
      const collection = await client.getOrCreateCollection({
        name,
        embeddingFunction: null,
        metadata: { embedderId: space.embedderId, dimension: space.dimension },
        configuration: { hnsw: { space: 'cosine' } },
      });
      return { client, collection, maxBatch: await client.getMaxBatchSize() };
    });
    checkCollectionSpace(collection, space);
    return new ChromaStore(space, url, client, collection, maxBatch > 0 ? maxBatch : FALLBACK_MAX_BATCH, unreachableHint);
  }

  /**
   * Replaces whole records. Chroma's own upsert merges the new metadata into the stored one, so a
   * key dropped from a chunk (a theme it no longer mentions) would survive it: ids already stored
   * are deleted, then the batch is added. Chunk ids embed the content hash, so nearly every id is
   * new: one `get` of the ids (no documents, no vectors) is cheaper than deleting them all. A
   * later duplicate of an id wins, as in MemoryStore.
   */
  async upsert(records: VectorRecord[]): Promise<void> {
    checkDimensions(records, this.space);
    const unique = [...new Map(records.map((record) => [record.id, record])).values()];
    for (let start = 0; start < unique.length; start += this.maxBatch) {
      const batch = unique.slice(start, start + this.maxBatch);
      const ids = batch.map((record) => record.id);
      await this.#call('upsert', async () => {
        const stored = (await this.collection.get({ ids, include: [] })).ids;
        if (stored.length > 0) await this.collection.delete({ ids: stored });
        await this.collection.add({
          ids,
          embeddings: batch.map((record) => record.embedding),
          // Chroma takes documents for all records of a call or for none.
          ...(batch.every((record) => record.document !== undefined) ? { documents: batch.map((record) => record.document!) } : {}),
          metadatas: batch.map((record) => record.metadata),
        });
      });
    }
  }

  async query(embedding: number[], options: QueryOptions): Promise<QueryHit[]> {
    return (await this.queryMany([embedding], options))[0] ?? [];
  }

  async queryMany(embeddings: number[][], options: QueryOptions): Promise<QueryHit[][]> {
    const filter = toChromaWhere(options.where);
    // nResults 0 makes the 1.0.5 server panic, so an empty answer is decided here.
    if (filter === 'none' || options.k <= 0 || embeddings.length === 0) return embeddings.map(() => []);
    const result = await this.#call('query', () =>
      this.collection.query({
        queryEmbeddings: embeddings,
        nResults: options.k,
        include: ['documents', 'metadatas', 'distances'],
        ...(filter === 'all' ? {} : { where: filter }),
      }),
    );
    const rows = result.rows();
    return embeddings.map((_, i) =>
      (rows[i] ?? []).map((row) => ({
        id: row.id,
        document: row.document ?? '',
        metadata: (row.metadata ?? {}) as ChunkMetadata,
        distance: row.distance ?? Number.NaN,
      })),
    );
  }

  async vectors(ids: string[]): Promise<Map<string, number[]>> {
    const found = new Map<string, number[]>();
    for (let start = 0; start < ids.length; start += this.maxBatch) {
      const batch = ids.slice(start, start + this.maxBatch);
      const result = await this.#call('get', () => this.collection.get({ ids: batch, include: ['embeddings'] }));
      result.ids.forEach((id, i) => {
        const embedding = result.embeddings?.[i];
        if (embedding) found.set(id, Array.from(embedding));
      });
    }
    return found;
  }

  async get(options: GetOptions): Promise<StoredRecord[]> {
    const filter = toChromaWhere(options.where);
    if (filter === 'none' || options.ids?.length === 0) return [];
    const withDocuments = options.includeDocuments ?? true;
    const result = await this.#call('get', () =>
      this.collection.get({
        ...(options.ids ? { ids: options.ids } : {}),
        ...(filter === 'all' ? {} : { where: filter }),
        ...(options.limit === undefined ? {} : { limit: options.limit }),
        ...(options.offset === undefined ? {} : { offset: options.offset }),
        include: withDocuments ? ['documents', 'metadatas'] : ['metadatas'],
      }),
    );
    return result.rows().map((row) => ({
      id: row.id,
      document: withDocuments ? (row.document ?? '') : '',
      metadata: (row.metadata ?? {}) as ChunkMetadata,
    }));
  }

  async delete(options: { ids?: string[]; where?: Where }): Promise<void> {
    if (!options.ids && !options.where) throw new Error('delete needs ids or a where filter');
    const filter = toChromaWhere(options.where);
    if (filter === 'none' || options.ids?.length === 0) return;
    await this.#call('delete', () =>
      this.collection.delete({
        ...(options.ids ? { ids: options.ids } : {}),
        ...(filter === 'all' ? {} : { where: filter }),
      }),
    );
  }

  async count(): Promise<number> {
    return this.#call('count', () => this.collection.count());
  }

  /** Deletes this store's collection and everything in it (eval's temporary collections). */
  async drop(): Promise<void> {
    await this.#call('drop', () => this.client.deleteCollection({ name: this.collection.name }));
  }

  #call<T>(operation: string, run: () => Promise<T>): Promise<T> {
    return mapChromaErrors(this.url, this.unreachableHint, operation, run);
  }
}

/**
 * GET /api/v2/heartbeat, throwing the network error itself (ECONNREFUSED, ENOTFOUND, timeout):
 * the chromadb client replaces it with a generic message.
 */
export async function heartbeat(url: string, timeoutMs: number, headers?: Record<string, string>): Promise<void> {
  const response = await fetch(new URL('/api/v2/heartbeat', url), { signal: AbortSignal.timeout(timeoutMs), ...(headers ? { headers } : {}) });
  await response.body?.cancel();
  if (!response.ok) throw Object.assign(new Error(`GET /api/v2/heartbeat answered ${response.status} ${response.statusText}`), { status: response.status });
}

/**
 * Rewrites our `Where` into what the Chroma server accepts, or into a verdict when Chroma cannot
 * express it: the server wants exactly one key per object, at least two parts in `$and`/`$or`,
 * and a non-empty `$in`. Semantics match `matchesWhere` in memory-store.ts.
 */
function toChromaWhere(where: Where | undefined): ChromaWhere | 'all' | 'none' {
  if (!where) return 'all';
  if ('$and' in where && Array.isArray(where.$and)) return combine('$and', where.$and.map(toChromaWhere));
  if ('$or' in where && Array.isArray(where.$or)) return combine('$or', where.$or.map(toChromaWhere));
  const parts = Object.entries(where).map(([key, condition]): ChromaWhere | 'none' =>
    typeof condition === 'object' && '$in' in condition && condition.$in.length === 0
      ? 'none'
      : ({ [key]: condition } as ChromaWhere),
  );
  return combine('$and', parts);
}

function combine(operator: '$and' | '$or', parts: (ChromaWhere | 'all' | 'none')[]): ChromaWhere | 'all' | 'none' {
  const [absorbing, neutral] = operator === '$and' ? (['none', 'all'] as const) : (['all', 'none'] as const);
  if (parts.includes(absorbing)) return absorbing;
  const kept = parts.filter((part): part is ChromaWhere => part !== neutral);
  if (kept.length === 0) return neutral;
  if (kept.length === 1) return kept[0] as ChromaWhere;
  return operator === '$and' ? { $and: kept } : { $or: kept };
}

function checkCollectionSpace(collection: Collection, space: EmbeddingSpace): void {
  const recorded = collection.metadata ?? {};
  const recordedSpace = `${String(recorded.embedderId ?? 'no embedder')} (${String(recorded.dimension ?? '?')}-d)`;
  if (recorded.embedderId !== space.embedderId || recorded.dimension !== space.dimension) {
    throw new FatalError(
      `collection ${collection.name} holds vectors from ${recordedSpace}, not from ${space.embedderId} ` +
        `(${space.dimension}-d); mixing embedders is refused`,
      'use the embedder this collection was built with, or another data dir / CHROMA_URL for the new one',
    );
  }
  const distance = collection.configuration.hnsw?.space;
  if (distance && distance !== 'cosine') {
    throw new FatalError(`collection ${collection.name} uses ${distance} distance, not cosine`, 'drop the collection and re-ingest');
  }
}

async function mapChromaErrors<T>(url: string, hint: string, operation: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof ChromaConnectionError) throw unreachable(url, hint, error);
    const refusal = chromaRefusal(url, error);
    if (refusal) throw refusal;
    if (error instanceof ChromaRateLimitError) {
      throw new RetryableError(`Chroma at ${url} is rate limiting (${operation})`, undefined, { cause: error });
    }
    const message = error instanceof Error ? error.message : String(error);
    // The server's own disk filled up (SQLite code 13): the user's to fix, and it says how.
    const full = /disk is full|no space left/i.test(message) ? 'free disk space where the Chroma data lives (the data dir\'s chroma/ for the embedded server), then run the command again' : undefined;
    throw new FatalError(`Chroma ${operation} failed at ${url}: ${message}`, full, { cause: error });
  }
}

function unreachable(url: string, hint: string, error: unknown): FatalError {
  // fetch wraps the useful part ("connect ECONNREFUSED 127.0.0.1:8000") in a bare "fetch failed".
  const cause = error instanceof TypeError && error.cause !== undefined ? error.cause : error;
  return new FatalError(`Chroma is not reachable at ${url}`, hint, { cause });
}
