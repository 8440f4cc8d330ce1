import { hostname } from 'node:os';
import { normalizePhrase } from '../../catalog/normalize.ts';
import { FatalError } from '../../errors.ts';
import type { Offer, OfferFacts, SectionKind } from '../../types.ts';
import { facetWhere, POSTGRES_FACETS, type FacetFilter } from '../facets.ts';
import type { OfferPage, OfferSearch } from '../offer-search.ts';
import type {
  DuplicateCandidate,
  FactCount,
  FactGroup,
  OfferHeader,
  OfferRecord,
  OfferState,
  OfferStatus,
  OfferThemes,
  RecordStore,
  SourceRecord,
  TitleFamily,
  WebRootRecord,
} from '../record-store.ts';
import { fromOfferRow, fromSourceRow, toOfferRow, withCompanyWords, groupOfferColumns, type OfferRow, type SourceRow } from '../rows.ts';
import { newerRecord, RECORD_MIGRATIONS, RECORD_SCHEMA_VERSION } from '../migrations.ts';
import { sectionMask } from '../theme-counts.ts';
import { countFamilies, type FamilyRow } from '../title-families.ts';
import { PgLexicalIndex } from './pg-lexical-index.ts';
import { searchOffersPg } from './pg-offer-search.ts';
import { PgReindexHistory } from './pg-reindex-history.ts';
import { describePostgres, postgresFailure, quoteIdentifier } from './postgres-url.ts';
import { TRIGRAM_EXTENSION, TRIGRAM_SCHEMA, trigramIndex } from './schema.ts';
import { PostgresError, SyncPostgres, type Statement } from './sync-client.ts';

/** Offers read per page by listOffers: one round trip per page, a page in memory at a time. */
const LIST_PAGE = 200;

/**
 * The record in Postgres (OFFERS_DATABASE_URL), for a team: every machine that names the same
 * database and collection reads and writes one record. One schema per collection (as SQLite has
 * one file per collection), the tables of schema.ts at the versions of migrations.ts, and the same answers as the SQLite record to
 * every call (test/helpers/record-store-suite.ts runs on both).
 *
 * Writers take turns through an advisory lock (advisory-lock.ts), as they take the data-dir lock
 * with SQLite; readers read committed data, statement by statement, as SQLite's WAL readers do.
 */
export class PgRecordStore implements RecordStore {
  readonly lexical: PgLexicalIndex;
  readonly history: PgReindexHistory;
  private depth = 0;

  private constructor(private readonly db: SyncPostgres) {
    this.lexical = new PgLexicalIndex(db, (statements) => this.atomically(statements));
    this.history = new PgReindexHistory(db);
  }

  /** Opens (creating its schema and tables on first use) the record of `collection` in the database at `url`. */
  static open(url: string, collection: string, command = 'offers'): PgRecordStore {
    const schema = quoteIdentifier(collection);
    const db = new SyncPostgres(url, schema, `offers ${command} (pid ${process.pid} on ${hostname()})`);
    try {
      migrate(db, collection);
      const store = new PgRecordStore(db);
      store.lexical.startCurrentWhenEmpty();
      return store;
    } catch (error) {
      db.close();
      throw openFailure(url, error);
    }
  }

  close(): void {
    this.db.close();
  }

  transaction<T>(fn: () => T): T {
    const savepoint = `offers_${this.depth}`;
    this.db.run([{ text: this.depth === 0 ? 'BEGIN' : `SAVEPOINT ${savepoint}` }]);
    this.depth++;
    try {
      const result = fn();
      this.depth--;
      this.db.run([{ text: this.depth === 0 ? 'COMMIT' : `RELEASE SAVEPOINT ${savepoint}` }]);
      return result;
    } catch (error) {
      this.depth--;
      rollback(this.db, this.depth === 0 ? 'ROLLBACK' : `ROLLBACK TO SAVEPOINT ${savepoint}`);
      throw error;
    }
  }

  getSource(source: string): SourceRecord | undefined {
    const row = this.db.rows<SourceRow>(`SELECT ${SOURCE_COLUMNS} FROM sources WHERE source = $1`, [source])[0];
    return row && fromSourceRow(row);
  }

  countSources(): { sources: number; failed: number } {
    return this.db.rows<{ sources: number; failed: number }>("SELECT COUNT(*) AS sources, COUNT(*) FILTER (WHERE status = 'failed') AS failed FROM sources")[0]!;
  }

  listSources(): SourceRecord[] {
    return this.db.rows<SourceRow>(`SELECT ${SOURCE_COLUMNS} FROM sources ORDER BY source`).map(fromSourceRow);
  }

  putSource(record: SourceRecord): void {
    this.db.rows(
      `INSERT INTO sources (source, kind, content_hash, status, error, role, offer_ids, last_seen, last_changed)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
       ON CONFLICT (source) DO UPDATE SET kind = excluded.kind, content_hash = excluded.content_hash, status = excluded.status,
         error = excluded.error, role = excluded.role, offer_ids = excluded.offer_ids, last_seen = excluded.last_seen, last_changed = excluded.last_changed`,
      [
        record.source,
        record.kind,
        record.contentHash,
        record.status,
        record.error ?? null,
        record.role ?? null,
        JSON.stringify(record.offerIds),
        record.lastSeen,
        record.lastChanged,
      ],
    );
  }

  otherSourcesListing(source: string, offerIds: readonly string[]): Map<string, string> {
    const rows = this.db.rows<{ offer_id: string; source: string }>(
      'SELECT offer_id, MIN(source) AS source FROM offer_sources WHERE offer_id = ANY($1::text[]) AND source <> $2 GROUP BY offer_id',
      [offerIds, source],
    );
    return new Map(rows.map((row) => [row.offer_id, row.source]));
  }

  getOffer(offerId: string): OfferRecord | undefined {
    const row = this.db.rows<OfferRow>(`SELECT ${OFFER_COLUMNS} FROM offers WHERE offer_id = $1`, [offerId])[0];
    return row && fromOfferRow(row);
  }

  getOffers(offerIds: readonly string[]): Map<string, OfferRecord> {
    const rows = this.db.rows<OfferRow>(`SELECT ${OFFER_COLUMNS} FROM offers WHERE offer_id = ANY($1::text[])`, [offerIds]);
    return new Map(rows.map((row) => [row.offer_id, fromOfferRow(row)]));
  }

  putOffer(record: OfferRecord): void {
    const row = toOfferRow(record);
    const statements: Statement[] = [
      {
        text: `INSERT INTO offers (offer_id, source, role, content_hash, fingerprint, status, canonical_id, chunk_ids, offer, themes, first_seen, last_seen, last_changed)
               VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
               ON CONFLICT (offer_id) DO UPDATE SET source = excluded.source, role = excluded.role, content_hash = excluded.content_hash,
                 fingerprint = excluded.fingerprint, status = excluded.status, canonical_id = excluded.canonical_id, chunk_ids = excluded.chunk_ids,
                 offer = excluded.offer, themes = excluded.themes, last_seen = excluded.last_seen, last_changed = excluded.last_changed`,
        values: [
          row.offer_id,
          row.source,
          row.role,
          row.content_hash,
          row.fingerprint,
          row.status,
          row.canonical_id,
          row.chunk_ids,
          row.offer,
          row.themes,
          row.first_seen,
          row.last_seen,
          row.last_changed,
        ],
      },
      // The folded text searchOffers compares words with (schema.ts): written after the trigger made the facet row.
      { text: 'UPDATE offer_facets SET folded_company = $2, folded = $3 WHERE offer_id = $1', values: [record.offerId, ...foldedSearchText(record.offer)] },
    ];
    if (record.bandKeys) {
      statements.push(
        { text: 'DELETE FROM offer_bands WHERE offer_id = $1', values: [record.offerId] },
        {
          text: 'INSERT INTO offer_bands (band_key, offer_id) SELECT DISTINCT k, $2 FROM unnest($1::text[]) k ON CONFLICT DO NOTHING',
          values: [record.bandKeys, record.offerId],
        },
      );
    }
    this.atomically(statements);
  }

  /** Runs statements all or none, in one round trip: inside the caller's transaction when there is one, else in their own. */
  private atomically(statements: Statement[]): void {
    if (this.depth > 0) {
      this.db.run(statements);
      return;
    }
    try {
      this.db.run([{ text: 'BEGIN' }, ...statements, { text: 'COMMIT' }]);
    } catch (error) {
      rollback(this.db, 'ROLLBACK');
      throw error;
    }
  }

  addIntent(offerId: string, chunkIds: string[]): void {
    this.db.rows('INSERT INTO intents (offer_id, chunk_ids) VALUES ($1, $2) ON CONFLICT (offer_id) DO UPDATE SET chunk_ids = excluded.chunk_ids', [
      offerId,
      JSON.stringify(chunkIds),
    ]);
  }

  clearIntent(offerId: string): void {
    this.db.rows('DELETE FROM intents WHERE offer_id = $1', [offerId]);
  }

  listIntents(): Array<{ offerId: string; chunkIds: string[] }> {
    const rows = this.db.rows<{ offer_id: string; chunk_ids: string }>('SELECT offer_id, chunk_ids FROM intents ORDER BY offer_id');
    return rows.map((row) => ({ offerId: row.offer_id, chunkIds: JSON.parse(row.chunk_ids) as string[] }));
  }

  putRoot(root: string, role?: string): void {
    this.db.rows('INSERT INTO roots (root, role, added) VALUES ($1, $2, $3) ON CONFLICT (root) DO UPDATE SET role = excluded.role', [root, role ?? null, new Date().toISOString()]);
  }

  listRoots(): Array<{ root: string; role?: string }> {
    const rows = this.db.rows<{ root: string; role: string | null }>('SELECT root, role FROM roots ORDER BY root');
    return rows.map((row) => (row.role ? { root: row.root, role: row.role } : { root: row.root }));
  }

  putWebRoot(root: WebRootRecord): void {
    const { seed, role, ...crawl } = root;
    this.db.rows('INSERT INTO web_roots (seed, role, crawl, added) VALUES ($1, $2, $3, $4) ON CONFLICT (seed) DO UPDATE SET role = excluded.role, crawl = excluded.crawl', [
      seed,
      role ?? null,
      JSON.stringify(crawl),
      new Date().toISOString(),
    ]);
  }

  listWebRoots(): WebRootRecord[] {
    const rows = this.db.rows<{ seed: string; role: string | null; crawl: string }>('SELECT seed, role, crawl FROM web_roots ORDER BY seed');
    return rows.map((row) => ({ seed: row.seed, ...(row.role ? { role: row.role } : {}), ...(JSON.parse(row.crawl) as Omit<WebRootRecord, 'seed' | 'role'>) }));
  }

  /**
   * Keyset pages in id order. Unlike SQLite's single statement, the pages are separate reads: an
   * offer written during the iteration may or may not be in it, none is listed twice.
   */
  *listOffers(filter: { status?: OfferStatus[]; role?: string; source?: string } = {}): Generator<OfferRecord> {
    let after = '';
    for (;;) {
      const rows = this.db.rows<OfferRow>(
        `SELECT ${OFFER_COLUMNS} FROM offers
         WHERE offer_id > $1 AND ($2::text[] IS NULL OR status = ANY($2)) AND ($3::text IS NULL OR role = $3) AND ($4::text IS NULL OR source = $4)
         ORDER BY offer_id LIMIT ${LIST_PAGE}`,
        [after, filter.status ?? null, filter.role ?? null, filter.source ?? null],
      );
      for (const row of rows) yield fromOfferRow(row);
      if (rows.length < LIST_PAGE) return;
      after = rows[rows.length - 1]!.offer_id;
    }
  }

  listOfferStates(): OfferState[] {
    return this.db
      .rows<Pick<OfferRow, 'offer_id' | 'role' | 'status' | 'content_hash'>>('SELECT offer_id, role, status, content_hash FROM offers ORDER BY seq')
      .map((row) => ({ offerId: row.offer_id, role: row.role, status: row.status, contentHash: row.content_hash }));
  }

  profilesOf(offerIds: readonly string[]): OfferThemes[] {
    const rows = this.db.rows<{ offer_id: string; company: string | null; themes: string }>(
      "SELECT offer_id, offer->>'company' AS company, themes FROM offers WHERE offer_id = ANY($1::text[])",
      [offerIds],
    );
    const byId = new Map(rows.map((row) => [row.offer_id, row]));
    return offerIds.flatMap((id) => {
      const row = byId.get(id);
      return row ? [{ offerId: row.offer_id, company: row.company ?? '', themesBySection: JSON.parse(row.themes) as Partial<Record<SectionKind, string[]>> }] : [];
    });
  }

  offerHeaders(offerIds: readonly string[]): Map<string, OfferHeader> {
    const rows = this.db.rows<{ offer_id: string; source: string; title: string | null; company: string | null; url: string | null }>(
      "SELECT offer_id, source, offer->>'title' AS title, offer->>'company' AS company, offer->>'url' AS url FROM offers WHERE offer_id = ANY($1::text[])",
      [offerIds],
    );
    return new Map(rows.map((row) => [row.offer_id, { title: row.title ?? '', company: row.company ?? '', source: row.source, ...(row.url ? { url: row.url } : {}) }]));
  }

  findByBandKeys(bandKeys: readonly string[], offerId: string): DuplicateCandidate[] {
    if (bandKeys.length === 0) return [];
    const rows = this.db.rows<{ offer_id: string; fingerprint: string; role: string; title: string | null; seniority: Offer['seniority'] | null }>(
      `SELECT o.offer_id, o.fingerprint, o.role, f.title, f.seniority FROM offers o JOIN offer_facets f ON f.offer_id = o.offer_id
       WHERE o.offer_id IN (SELECT offer_id FROM offer_bands WHERE band_key = ANY($1::text[]))
       AND o.offer_id <> $2 AND o.status = 'active' ORDER BY o.first_seen, o.offer_id`,
      [bandKeys, offerId],
    );
    return rows.map((row) => ({
      offerId: row.offer_id,
      fingerprint: row.fingerprint,
      offer: { title: row.title ?? '', role: row.role, ...(row.seniority ? { seniority: row.seniority } : {}) },
    }));
  }

  countActive(offerIds: Iterable<string>): { offers: number; chunks: number } {
    const row = this.db.rows<{ offers: number; chunks: number | null }>(
      "SELECT COUNT(*) AS offers, SUM(json_array_length(chunk_ids)) AS chunks FROM offers WHERE offer_id = ANY($1::text[]) AND status = 'active'",
      [[...new Set(offerIds)]],
    )[0]!;
    return { offers: row.offers, chunks: row.chunks ?? 0 };
  }

  /** As SQLite's, by insertion sequence instead of rowid: n indexed lookups, in one round trip. */
  sampleChunkIds(n: number): string[] {
    const range = this.db.rows<{ low: number | null; high: number | null }>('SELECT MIN(seq) AS low, MAX(seq) AS high FROM offers')[0]!;
    if (range.low === null || range.high === null || n <= 0) return [];
    const { low, high } = range;
    const starts = Array.from({ length: n }, (_, i) => low + Math.floor(((high - low + 1) * i) / n));
    const rows = this.db.rows<{ i: number; chunk_ids: string | null }>(
      `SELECT s.i, (SELECT chunk_ids::text FROM offers WHERE seq >= s.start AND status = 'active' AND json_array_length(chunk_ids) > 0 ORDER BY seq LIMIT 1) AS chunk_ids
       FROM unnest($1::bigint[]) WITH ORDINALITY AS s(start, i) ORDER BY s.i`,
      [starts],
    );
    const ids = new Set<string>();
    for (const row of rows) {
      const chunkIds = row.chunk_ids ? (JSON.parse(row.chunk_ids) as string[]) : [];
      const id = chunkIds[Math.floor(chunkIds.length / 2)];
      if (id) ids.add(id);
    }
    return [...ids];
  }

  groupOffers(filter: FacetFilter & { companyWords?: readonly string[] }): string[] {
    const { where, params } = facetWhere(filter, POSTGRES_FACETS);
    const rows = this.db.rows<{ offer_id: string; company?: string | null }>(`SELECT ${groupOfferColumns(filter)} FROM offer_facets f WHERE ${where} ORDER BY f.offer_id`, params);
    return withCompanyWords(rows, filter.companyWords);
  }

  searchOffers(search: OfferSearch): OfferPage {
    return searchOffersPg(this.db, search);
  }

  factCounts(group: FactGroup): FactCount[] {
    const { where, param } = pgFactGroupWhere(group, 1);
    // Grouped by their text: jsonb's, the same for the same set whatever the order the offer listed its keys in.
    const rows = this.db.rows<{ facts: string | null; offers: number }>(`SELECT facts, COUNT(*) AS offers, MIN(offer_id) AS first FROM offer_facets WHERE ${where} GROUP BY facts ORDER BY first`, [param]);
    return rows.map((row) => ({ facts: row.facts ? (JSON.parse(row.facts) as OfferFacts) : undefined, offers: row.offers }));
  }

  factEvidence(group: FactGroup, fact: 'pay' | 'experienceYears', limit: number): Array<{ offerId: string; text: string; section: SectionKind }> {
    const { where, param } = pgFactGroupWhere(group, 4);
    const rows = this.db.rows<{ offer_id: string; stated: string }>(
      `SELECT offer_id, (evidence::json -> $1)::text AS stated FROM offer_facets
       WHERE offer_id IN (SELECT offer_id FROM offer_facets WHERE ${where} AND facts::json -> $1 IS NOT NULL ORDER BY offer_id LIMIT $2)
         AND evidence IS NOT NULL AND json_typeof(evidence::json -> $1) IS NOT NULL AND json_typeof(evidence::json -> $1) <> 'null'
       ORDER BY offer_id LIMIT $3`,
      [fact, limit * 4, limit, param],
    );
    return rows.map((row) => ({ offerId: row.offer_id, ...(JSON.parse(row.stated) as { text: string; section: SectionKind }) }));
  }

  /**
   * Counted at each call: another machine may have changed the record since, and Postgres has no
   * cheap equivalent of SQLite's data_version to tell (the count reads the narrow facet rows).
   */
  listFamilies(): TitleFamily[] {
    return countFamilies(
      this.db.rows<FamilyRow>(
        `SELECT family, family_label AS label, role, COUNT(*) AS offers FROM offer_facets
         WHERE status = 'active' AND family IS NOT NULL GROUP BY family, family_label, role`,
      ),
    );
  }

  countByLanguage(): Array<{ language: string; offers: number }> {
    return this.db.rows("SELECT COALESCE(language, 'unknown') AS language, COUNT(*) AS offers FROM offer_facets WHERE status = 'active' GROUP BY 1 ORDER BY 1");
  }

  countByMonth(): Array<{ month: string; offers: number; posted: boolean }> {
    return this.db.rows(
      `SELECT COALESCE(substr(posted, 1, 7), substr(first_seen, 1, 7)) AS month, posted IS NOT NULL AS posted, COUNT(*) AS offers
       FROM offer_facets WHERE status = 'active' GROUP BY 1, 2 ORDER BY 1, 2 DESC`,
    );
  }

  countByRole(): Array<{ role: string; status: OfferStatus; offers: number; chunks: number }> {
    return this.db.rows('SELECT role, status, offers, chunks FROM role_counts WHERE offers > 0 ORDER BY role, status');
  }

  countActiveOffers(role: string): number {
    return this.db.rows<{ offers: number }>("SELECT offers FROM role_counts WHERE role = $1 AND status = 'active'", [role])[0]?.offers ?? 0;
  }

  countThemeMentions(role: string, sections: readonly SectionKind[]): Map<string, number> {
    const rows = this.db.rows<{ theme: string; offers: number }>('SELECT theme, SUM(offers) AS offers FROM theme_counts WHERE role = $1 AND (mask & $2) <> 0 GROUP BY theme', [
      role,
      sectionMask(sections),
    ]);
    return new Map(rows.map((row) => [row.theme, row.offers]));
  }
}

const OFFER_COLUMNS = 'offer_id, source, role, content_hash, fingerprint, status, canonical_id, chunk_ids, offer, themes, first_seen, last_seen, last_changed';
const SOURCE_COLUMNS = 'source, kind, content_hash, status, error, role, offer_ids, last_seen, last_changed';

/** The company, and the title, company and text, folded and padded as offer-search.ts compares them. */
function foldedSearchText(offer: Offer): [string, string] {
  const folded = (value: string | undefined) => ` ${normalizePhrase(value ?? '')} `;
  const company = folded(offer.company);
  return [company, `${folded(offer.title)}${company}${folded(offer.text)}`];
}

/**
 * Applies the migrations (migrations.ts) this record lacks, under a transaction-scoped advisory
 * lock of the schema (two machines opening a new record at once: the second waits, then finds it
 * current). A current record costs two round trips.
 */
function migrate(db: SyncPostgres, collection: string): void {
  let applied: Set<number>;
  try {
    const results = db.run([
      { text: 'BEGIN' },
      { text: "SELECT pg_advisory_xact_lock(hashtext('offers-schema:' || $1))", values: [collection] },
      { text: 'CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, name text NOT NULL, applied text NOT NULL)' },
      { text: 'SELECT version FROM schema_migrations' },
    ]);
    applied = new Set((results[3] as Array<{ version: number }>).map((row) => row.version));
    const newest = Math.max(0, ...applied);
    if (newest > RECORD_SCHEMA_VERSION) throw newerRecord(`of ${collection} in Postgres`, newest);
    for (const migration of RECORD_MIGRATIONS) {
      if (applied.has(migration.version)) continue;
      db.run([
        ...migration.postgres,
        { text: 'INSERT INTO schema_migrations (version, name, applied) VALUES ($1, $2, $3)', values: [migration.version, migration.name, new Date().toISOString()] },
      ]);
    }
    db.run([{ text: 'COMMIT' }]);
  } catch (error) {
    rollback(db, 'ROLLBACK');
    throw error;
  }
  if (RECORD_MIGRATIONS.every((migration) => applied.has(migration.version))) return;
  try {
    // Once, when the record is created or upgraded, and outside the migration: a database where
    // this user may not create the extension still works, without the index.
    db.run([{ text: TRIGRAM_EXTENSION }]);
    const extension = db.rows<{ schema: string }>(TRIGRAM_SCHEMA)[0];
    if (extension) db.run([{ text: trigramIndex(quoteIdentifier(extension.schema)) }]);
  } catch (error) {
    if (!(error instanceof PostgresError)) throw error;
  }
}

/**
 * Ends a failed transaction (or savepoint), keeping the error that failed it for the caller: a
 * rollback that fails too means the connection is gone, and the server rolled back with it.
 */
function rollback(db: SyncPostgres, text: string): void {
  try {
    db.run([{ text }]);
  } catch {
    // See above: nothing is left to undo.
  }
}

/** An opening failure as one line naming the database (without its password) and the fix. */
function openFailure(url: string, error: unknown): unknown {
  if (FatalError.isInstance(error)) return error;
  const where = describePostgres(url);
  const code = error instanceof PostgresError ? error.code : undefined;
  const reason = (error as Error).message;
  if (code === '28P01' || code === '28000') {
    return new FatalError(`Postgres at ${where} refused the credentials (${reason})`, 'check the user and password in OFFERS_DATABASE_URL', { cause: error });
  }
  if (code === '3D000') {
    return new FatalError(`Postgres at ${where} has no such database (${reason})`, 'create it (createdb), or correct the database name in OFFERS_DATABASE_URL', { cause: error });
  }
  return postgresFailure(url, error);
}

/** The facet rows of a group whose facts are read (its value is parameter $`at`): a whole catalogue role's active offers (the facts index), or offers by id. */
function pgFactGroupWhere(group: FactGroup, at: number): { where: string; param: string | readonly string[] } {
  return 'role' in group ? { where: `status = 'active' AND role = $${at}`, param: group.role } : { where: `offer_id = ANY($${at}::text[])`, param: group.offerIds };
}
