import type { ChunkMetadata } from '../types.ts';

/**
 * The vector store behind one small interface (STYLE 5): a Chroma implementation for real
 * runs and an in-memory one for unit tests; one shared suite (test/unit/vector-store-suite.ts)
 * runs against both so they cannot drift apart.
 */

/** Chroma's `where` syntax, the subset we use: equality, $in, $and, $or. */
export type Where =
  | { [key: string]: string | number | boolean | { $in: (string | number | boolean)[] } | { $ne: string | number | boolean } }
  | { $and: Where[] }
  | { $or: Where[] };

export interface VectorRecord {
  id: string;
  embedding: number[];
  /** Optional: our own chunks keep their text in the record, not in the store (chunk-metadata.ts storeMetadata). */
  document?: string;
  metadata: ChunkMetadata;
}

export interface StoredRecord {
  id: string;
  document: string;
  metadata: ChunkMetadata;
}

export interface QueryHit extends StoredRecord {
  /** Cosine distance (0 = same direction). */
  distance: number;
}

export interface QueryOptions {
  k: number;
  where?: Where;
}

export interface GetOptions {
  ids?: string[];
  where?: Where;
  limit?: number;
  offset?: number;
  /** Skip documents when only ids and metadata are needed (cheaper). */
  includeDocuments?: boolean;
}

/** Identifies the embedding space a collection holds; mixing two is refused. */
export interface EmbeddingSpace {
  embedderId: string;
  dimension: number;
}

export interface VectorStore {
  readonly space: EmbeddingSpace;
  /** Set when there is no store to reach (src/store/absent-store.ts): why, for every answer's warnings. */
  readonly unavailable?: string;
  upsert(records: VectorRecord[]): Promise<void>;
  query(embedding: number[], options: QueryOptions): Promise<QueryHit[]>;
  /** One hit list per embedding, all under the same options: one round trip, the filter evaluated once. */
  queryMany(embeddings: number[][], options: QueryOptions): Promise<QueryHit[][]>;
  /** The stored vectors of these ids (ids it does not hold are left out): a lookup by id, its cost follows the ids asked for. */
  vectors(ids: string[]): Promise<Map<string, number[]>>;
  get(options: GetOptions): Promise<StoredRecord[]>;
  delete(options: { ids?: string[]; where?: Where }): Promise<void>;
  count(): Promise<number>;
}

/** Collection names record the space, so each embedder gets its own collection. */
export function collectionName(space: EmbeddingSpace, prefix = 'offers'): string {
  const safe = space.embedderId.replace(/[^a-zA-Z0-9._-]+/g, '-');
  return `${prefix}-${safe}-${space.dimension}`.slice(0, 512);
}
