import { FatalError } from '../errors.ts';
import type { ChunkMetadata } from '../types.ts';
import { cosineDistance } from './cosine.ts';
import type {
  EmbeddingSpace,
  GetOptions,
  QueryHit,
  QueryOptions,
  StoredRecord,
  VectorRecord,
  VectorStore,
  Where,
} from './vector-store.ts';

/**
 * The in-memory VectorStore: exact cosine search over a Map. It is the test fake for every stage
 * above the store, so its filter semantics follow what the Chroma server does (checked by the
 * shared suite in test/helpers/vector-store-suite.ts):
 *  - equality is strict (`1` does not match `true` or `"1"`);
 *  - `$ne` also matches records that lack the key;
 *  - several keys in one object all have to match (Chroma itself needs an explicit `$and`;
 *    ChromaStore rewrites it);
 *  - `$in: []` and `$or: []` match nothing, `$and: []` matches everything.
 */
export class MemoryStore implements VectorStore {
  readonly #records = new Map<string, VectorRecord>();

  constructor(readonly space: EmbeddingSpace) {}

  async upsert(records: VectorRecord[]): Promise<void> {
    checkDimensions(records, this.space);
    for (const record of records) {
      this.#records.set(record.id, { ...record, embedding: [...record.embedding], metadata: { ...record.metadata } });
    }
  }

  async query(embedding: number[], options: QueryOptions): Promise<QueryHit[]> {
    const hits: QueryHit[] = [];
    for (const record of this.#select(undefined, options.where)) {
      hits.push({
        ...stored(record, true),
        distance: cosineDistance(embedding, record.embedding),
      });
    }
    hits.sort((a, b) => a.distance - b.distance);
    return hits.slice(0, Math.max(0, options.k));
  }

  async queryMany(embeddings: number[][], options: QueryOptions): Promise<QueryHit[][]> {
    return Promise.all(embeddings.map((embedding) => this.query(embedding, options)));
  }

  async vectors(ids: string[]): Promise<Map<string, number[]>> {
    return new Map(this.#select(ids, undefined).map((record) => [record.id, [...record.embedding]]));
  }

  async get(options: GetOptions): Promise<StoredRecord[]> {
    const offset = options.offset ?? 0;
    const end = options.limit === undefined ? undefined : offset + options.limit;
    return this.#select(options.ids, options.where)
      .slice(offset, end)
      .map((record) => stored(record, options.includeDocuments ?? true));
  }

  async delete(options: { ids?: string[]; where?: Where }): Promise<void> {
    if (!options.ids && !options.where) throw new Error('delete needs ids or a where filter');
    for (const record of this.#select(options.ids, options.where)) this.#records.delete(record.id);
  }

  async count(): Promise<number> {
    return this.#records.size;
  }

  /** Insertion order, like Chroma's `get`. */
  #select(ids: string[] | undefined, where: Where | undefined): VectorRecord[] {
    const wanted = ids && new Set(ids);
    return [...this.#records.values()].filter(
      (record) => (!wanted || wanted.has(record.id)) && (!where || matchesWhere(record.metadata, where)),
    );
  }
}

/** Whether one record's metadata passes a `where` filter, with the semantics described above. */
export function matchesWhere(metadata: ChunkMetadata, where: Where): boolean {
  if ('$and' in where && Array.isArray(where.$and)) return where.$and.every((part) => matchesWhere(metadata, part));
  if ('$or' in where && Array.isArray(where.$or)) return where.$or.some((part) => matchesWhere(metadata, part));
  return Object.entries(where).every(([key, condition]) => {
    const value = metadata[key];
    if (typeof condition !== 'object' || condition === null) return value === condition;
    if ('$in' in condition) return value !== undefined && condition.$in.includes(value);
    if ('$ne' in condition) return value !== condition.$ne;
    throw new Error(`unsupported where condition on "${key}": ${JSON.stringify(condition)}`);
  });
}

/**
 * Refuses vectors that do not belong to the store's space: a mismatch means two embedders got
 * mixed up, and Chroma would silently accept the first batch of any size into an empty collection.
 */
export function checkDimensions(records: VectorRecord[], space: EmbeddingSpace): void {
  const wrong = records.find((record) => record.embedding.length !== space.dimension);
  if (wrong) {
    throw new FatalError(
      `record ${wrong.id} has a ${wrong.embedding.length}-dimensional embedding, but the store holds ` +
        `${space.dimension}-dimensional vectors from ${space.embedderId}`,
    );
  }
}

function stored(record: VectorRecord, withDocument: boolean): StoredRecord {
  return { id: record.id, document: withDocument ? (record.document ?? '') : '', metadata: { ...record.metadata } };
}
