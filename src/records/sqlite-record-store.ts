import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import Database from 'better-sqlite3';
import { statementCache } from './statements.ts';
import { FatalError } from '../errors.ts';
import type { Offer, OfferFacts, SectionKind } from '../types.ts';
import type { LexicalIndex } from './lexical-index.ts';
import type { ReindexHistory } from './reindex-history.ts';
import { SqliteLexicalIndex } from './sqlite-lexical-index.ts';
import { SqliteReindexHistory } from './sqlite-reindex-history.ts';
import { fromOfferRow, fromSourceRow, toOfferRow, withCompanyWords, groupOfferColumns, type OfferRow, type SourceRow } from './rows.ts';
import type { DuplicateCandidate, FactCount, FactGroup, OfferHeader, OfferRecord, OfferState, OfferStatus, OfferThemes, RecordStore, SourceRecord, TitleFamily, WebRootRecord } from './record-store.ts';
import { installOfferSearch, searchOffers, type OfferPage, type OfferSearch } from './offer-search.ts';
import { sectionMask } from './theme-counts.ts';
import { facetWhere, type FacetFilter } from './facets.ts';
import { migrateSqlite } from './migrations.ts';
import { SQLITE_TABLES } from './sqlite-schema.ts';
import { countFamilies, type FamilyRow } from './title-families.ts';

// A read-only record is opened by URI (`file:…?immutable=1`, openReadOnly), which better-sqlite3
// allows when this is set as its native addon loads, at the first Database of the process. The
// paths opened here are absolute, never `file:…`, so no other name changes meaning.
process.env.SQLITE_USE_URI ??= '1';

/** How long an opening or a write waits for another connection's write transaction. */
const BUSY_TIMEOUT_MS = 5000;

/** How much of the record a reader maps (the whole of a 100k-offer record is about 1.5 GB). */
const READER_MMAP_BYTES = 1024 * 1024 * 1024;

/** One record file per collection: switching embedders must not reuse another space's record. */
export function sqliteRecordFile(dataDir: string, collection: string): string {
  return path.join(dataDir, 'index', `${collection}.sqlite`);
}

/** The record in SQLite, one file per collection in `<data dir>/index` (WAL). */
export class SqliteRecordStore implements RecordStore {
  /** Chunk text and theme prominence for lexical retrieval, written in the same transactions as the offers. */
  readonly lexical: LexicalIndex;
  /** What each re-index did, newest first (reindex-history.ts). */
  readonly history: ReindexHistory;

  private readonly sql: (sql: string) => Database.Statement;
  private families: { version: string; value: TitleFamily[] } | undefined;

  private constructor(private readonly db: Database.Database) {
    this.lexical = new SqliteLexicalIndex(db);
    this.history = new SqliteReindexHistory(db);
    this.sql = statementCache(db);
  }

  /**
   * Opens (creating it when writable) the record of one collection in `<dataDir>/index`.
   *
   * Many commands may open it at once (readers never wait for each other: src/store/chroma-server.ts
   * shares the Chroma server, the record must not fail either). Creating or upgrading the schema
   * writes, and it runs as an IMMEDIATE transaction: a deferred one first reads, and in WAL mode
   * a read transaction that wants to write after another connection committed fails at once with
   * "database is locked" (SQLITE_BUSY_SNAPSHOT), whatever the busy timeout. Taking the write lock
   * first makes it wait its turn instead (a few milliseconds per opening).
   *
   * `readOnly`: for a command that only reads, on a data dir it may not write (a read-only mount,
   * a copy without write permission): see openReadOnly.
   */
  static open(dataDir: string, collection: string, options: { readOnly?: boolean; reader?: boolean } = {}): SqliteRecordStore {
    const file = sqliteRecordFile(dataDir, collection);
    const dir = path.dirname(file);
    if (options.readOnly) return SqliteRecordStore.openReadOnly(file);
    try {
      mkdirSync(dir, { recursive: true });
      // The busy timeout applies from the first statement on (journal_mode included).
      const db = new Database(file, { timeout: BUSY_TIMEOUT_MS });
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
      // A reader (query, serve, mcp) looks chunks up by id by the thousand (retrieve.ts): mapped,
      // a page it read before costs no system call (5k lookups at 20k offers: 25 → 14 ms). Not for
      // writers: an ingest touches most of the record, and mapped pages count in its RSS.
      if (options.reader) db.pragma(`mmap_size = ${READER_MMAP_BYTES}`);
      return db
        .transaction(() => {
          migrateSqlite(db, file);
          installOfferSearch(db);
          return new SqliteRecordStore(db);
        })
        .immediate();
    } catch (error) {
      if (FatalError.isInstance(error)) throw error;
      throw new FatalError(`cannot open the index record ${file}: ${(error as Error).message}`, 'check that the data dir is writable (--data-dir or OFFERS_DATA_DIR)', {
        cause: error,
      });
    }
  }

  /**
   * A read-only connection to a record this process may not write. A WAL record at rest has no
   * `-shm` file, and SQLite cannot read a WAL database without creating one, unless the file is
   * opened `immutable` (no locks, no change detection: right for a read-only mount or a copy,
   * which nobody writes). A record whose `-wal` and `-shm` are there (a copy taken while a writer
   * had it open) is opened normally, read-only, so that the WAL's last commits are read too.
   * Nothing is created or upgraded: a record of an older schema must be opened once where it is
   * writable.
   */
  private static openReadOnly(file: string): SqliteRecordStore {
    if (!existsSync(file)) {
      throw new FatalError(`no index record at ${file}, and the data dir is read-only`, 'ingest into a writable data dir first, or point --data-dir at a copy of one');
    }
    const walInUse = existsSync(`${file}-wal`) && existsSync(`${file}-shm`);
    let db: Database.Database;
    try {
      db = new Database(walInUse ? file : `${pathToFileURL(file).href}?immutable=1`, { readonly: true, fileMustExist: true });
    } catch (error) {
      throw new FatalError(`cannot open the read-only index record ${file}: ${(error as Error).message}`, 'check that this user can read the data dir', { cause: error });
    }
    try {
      // A no-op on a current record; a write, refused, on an older one.
      db.exec(SQLITE_TABLES);
      db.prepare('SELECT 1 FROM role_counts LIMIT 0');
      return new SqliteRecordStore(db);
    } catch (error) {
      db.close();
      throw new FatalError(`the index record ${file} is read-only and was written by an older version of offers (${(error as Error).message})`, 'run any offers command once where the data dir is writable, or use a writable copy', {
        cause: error,
      });
    }
  }

  close(): void {
    this.db.close();
  }

  /**
   * Runs `fn` in one transaction: all of its writes land, or none. IMMEDIATE, as in open: a
   * reader opening the record meanwhile must make it wait, not fail.
   */
  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn).immediate();
  }

  getSource(source: string): SourceRecord | undefined {
    const row = this.sql('SELECT * FROM sources WHERE source = ?').get(source) as SourceRow | undefined;
    return row && fromSourceRow(row);
  }

  /** How many sources are recorded, and how many of them failed: counted, not loaded. */
  countSources(): { sources: number; failed: number } {
    return this.sql("SELECT COUNT(*) AS sources, COUNT(*) FILTER (WHERE status = 'failed') AS failed FROM sources").get() as { sources: number; failed: number };
  }

  listSources(): SourceRecord[] {
    return (this.sql('SELECT * FROM sources ORDER BY source').all() as SourceRow[]).map(fromSourceRow);
  }

  putSource(record: SourceRecord): void {
    this.sql(
      `INSERT INTO sources (source, kind, content_hash, status, error, role, offer_ids, last_seen, last_changed)
       VALUES (@source, @kind, @content_hash, @status, @error, @role, @offer_ids, @last_seen, @last_changed)
       ON CONFLICT(source) DO UPDATE SET kind=excluded.kind, content_hash=excluded.content_hash, status=excluded.status,
         error=excluded.error, role=excluded.role, offer_ids=excluded.offer_ids, last_seen=excluded.last_seen, last_changed=excluded.last_changed`,
    ).run({
      source: record.source,
      kind: record.kind,
      content_hash: record.contentHash,
      status: record.status,
      error: record.error ?? null,
      role: record.role ?? null,
      offer_ids: JSON.stringify(record.offerIds),
      last_seen: record.lastSeen,
      last_changed: record.lastChanged,
    });
  }

  /** For each of these offers that some source other than `source` lists, one such source. */
  otherSourcesListing(source: string, offerIds: readonly string[]): Map<string, string> {
    const rows = this.sql('SELECT offer_id, MIN(source) AS source FROM offer_sources WHERE offer_id IN (SELECT value FROM json_each(?)) AND source != ? GROUP BY offer_id')
      .all(JSON.stringify(offerIds), source) as Array<{ offer_id: string; source: string }>;
    return new Map(rows.map((row) => [row.offer_id, row.source]));
  }

  getOffer(offerId: string): OfferRecord | undefined {
    const row = this.sql('SELECT * FROM offers WHERE offer_id = ?').get(offerId) as OfferRow | undefined;
    return row && fromOfferRow(row);
  }

  getOffers(offerIds: readonly string[]): Map<string, OfferRecord> {
    const rows = this.sql('SELECT * FROM offers WHERE offer_id IN (SELECT value FROM json_each(?))').all(JSON.stringify(offerIds)) as OfferRow[];
    return new Map(rows.map((row) => [row.offer_id, fromOfferRow(row)]));
  }

  putOffer(record: OfferRecord): void {
    this.sql(
      `INSERT INTO offers (offer_id, source, role, content_hash, fingerprint, status, canonical_id, chunk_ids,
         offer, themes, first_seen, last_seen, last_changed)
       VALUES (@offer_id, @source, @role, @content_hash, @fingerprint, @status, @canonical_id, @chunk_ids,
         @offer, @themes, @first_seen, @last_seen, @last_changed)
       ON CONFLICT(offer_id) DO UPDATE SET source=excluded.source, role=excluded.role, content_hash=excluded.content_hash,
         fingerprint=excluded.fingerprint, status=excluded.status, canonical_id=excluded.canonical_id, chunk_ids=excluded.chunk_ids,
         offer=excluded.offer, themes=excluded.themes,
         last_seen=excluded.last_seen, last_changed=excluded.last_changed`,
    ).run(toOfferRow(record));
    if (record.bandKeys) {
      this.sql('DELETE FROM offer_bands WHERE offer_id = ?').run(record.offerId);
      const insert = this.sql('INSERT OR IGNORE INTO offer_bands (band_key, offer_id) VALUES (?, ?)');
      for (const key of record.bandKeys) insert.run(key, record.offerId);
    }
  }

  /** Records the chunk ids about to be written or deleted, before the vector store is touched. */
  addIntent(offerId: string, chunkIds: string[]): void {
    this.sql('INSERT OR REPLACE INTO intents (offer_id, chunk_ids) VALUES (?, ?)').run(offerId, JSON.stringify(chunkIds));
  }

  clearIntent(offerId: string): void {
    this.sql('DELETE FROM intents WHERE offer_id = ?').run(offerId);
  }

  /** Remembers a directory or glob given to `ingest`, so that `reindex` finds the files added to it since. */
  putRoot(root: string, role?: string): void {
    this.sql('INSERT INTO roots (root, role, added) VALUES (?, ?, ?) ON CONFLICT(root) DO UPDATE SET role = excluded.role').run(root, role ?? null, new Date().toISOString());
  }

  listRoots(): Array<{ root: string; role?: string }> {
    const rows = this.sql('SELECT root, role FROM roots ORDER BY root').all() as Array<{ root: string; role: string | null }>;
    return rows.map((row) => (row.role ? { root: row.root, role: row.role } : { root: row.root }));
  }

  /**
   * Remembers a listing page or sitemap given to `ingest`, with the limits of its crawl, so that
   * `reindex` crawls it again and finds the jobs posted since.
   */
  putWebRoot(root: WebRootRecord): void {
    const { seed, role, ...crawl } = root;
    this.sql('INSERT INTO web_roots (seed, role, crawl, added) VALUES (?, ?, ?, ?) ON CONFLICT(seed) DO UPDATE SET role = excluded.role, crawl = excluded.crawl')
      .run(seed, role ?? null, JSON.stringify(crawl), new Date().toISOString());
  }

  listWebRoots(): WebRootRecord[] {
    const rows = this.sql('SELECT seed, role, crawl FROM web_roots ORDER BY seed').all() as Array<{ seed: string; role: string | null; crawl: string }>;
    return rows.map((row) => ({ seed: row.seed, ...(row.role ? { role: row.role } : {}), ...(JSON.parse(row.crawl) as Omit<WebRootRecord, 'seed' | 'role'>) }));
  }

  /** Vector-store changes that a killed run began and did not finish. */
  listIntents(): Array<{ offerId: string; chunkIds: string[] }> {
    const rows = this.sql('SELECT offer_id, chunk_ids FROM intents ORDER BY offer_id').all() as Array<{ offer_id: string; chunk_ids: string }>;
    return rows.map((row) => ({ offerId: row.offer_id, chunkIds: JSON.parse(row.chunk_ids) as string[] }));
  }

  /**
   * The offers, in id order, one at a time: an export of 100k offers holds one in memory, not
   * all (loading them took ~200 MB at 10k). The connection is busy until the iteration ends.
   */
  *listOffers(filter: { status?: OfferStatus[]; role?: string; source?: string } = {}): Generator<OfferRecord> {
    const clauses: string[] = [];
    const params: unknown[] = [];
    if (filter.status) {
      clauses.push(`status IN (${filter.status.map(() => '?').join(',')})`);
      params.push(...filter.status);
    }
    if (filter.role) {
      clauses.push('role = ?');
      params.push(filter.role);
    }
    if (filter.source) {
      clauses.push('source = ?');
      params.push(filter.source);
    }
    const where = clauses.length ? `WHERE ${clauses.join(' AND ')}` : '';
    for (const row of this.sql(`SELECT * FROM offers ${where} ORDER BY offer_id`).iterate(...params) as IterableIterator<OfferRow>) yield fromOfferRow(row);
  }

  /** These offers' companies and themes per section, in the order given. */
  profilesOf(offerIds: readonly string[]): OfferThemes[] {
    const get = this.sql("SELECT offer_id, json_extract(offer, '$.company') AS company, themes FROM offers WHERE offer_id = ?");
    return offerIds.flatMap((id) => {
      const row = get.get(id) as { offer_id: string; company: string | null; themes: string } | undefined;
      return row ? [{ offerId: row.offer_id, company: row.company ?? '', themesBySection: JSON.parse(row.themes) as Partial<Record<SectionKind, string[]>> }] : [];
    });
  }

  /**
   * The active offers of a group (src/query/groups.ts), by id: an indexed read of the narrow
   * facet rows (src/records/facets.ts). Company words are matched on folded names (rows.ts), since
   * SQLite cannot fold accents.
   */
  groupOffers(filter: FacetFilter & { companyWords?: readonly string[] }): string[] {
    const { where, params } = facetWhere(filter);
    const select = this.sql(`SELECT ${groupOfferColumns(filter)} FROM offer_facets f WHERE ${where} ORDER BY f.offer_id`);
    // The ids alone as strings, not a row object each: 30k offers of a role at 100k took 19 ms as rows, 5 ms plucked.
    if (!filter.companyWords?.length) return select.pluck().all(...params) as string[];
    return withCompanyWords(select.all(...params) as Array<{ offer_id: string; company?: string | null }>, filter.companyWords);
  }

  /** A page of the active offers of a selection holding some words, in id order (offer-search.ts). */
  searchOffers(search: OfferSearch): OfferPage {
    return searchOffers(this.sql, search);
  }

  factCounts(group: FactGroup): FactCount[] {
    const { where, param } = factGroupWhere(group);
    const rows = this.sql(`SELECT facts, COUNT(*) AS offers, MIN(offer_id) AS first FROM offer_facets WHERE ${where} GROUP BY facts ORDER BY first`).all(param) as Array<{ facts: string | null; offers: number }>;
    return rows.map((row) => ({ facts: row.facts ? (JSON.parse(row.facts) as OfferFacts) : undefined, offers: row.offers }));
  }

  factEvidence(group: FactGroup, fact: 'pay' | 'experienceYears', limit: number): Array<{ offerId: string; text: string; section: SectionKind }> {
    const { where, param } = factGroupWhere(group);
    // The offers stating it are found in the facts index; only their few rows are read for the line.
    const rows = this.sql(
      `SELECT offer_id, json_extract(evidence, '$.' || @fact) AS stated FROM offer_facets
       WHERE offer_id IN (SELECT offer_id FROM offer_facets WHERE ${where} AND json_extract(facts, '$.' || @fact) IS NOT NULL ORDER BY offer_id LIMIT @scan)
         AND json_extract(evidence, '$.' || @fact) IS NOT NULL
       ORDER BY offer_id LIMIT @limit`,
    ).all({ ...param, fact, scan: limit * 4, limit }) as Array<{ offer_id: string; stated: string }>;
    return rows.map((row) => ({ offerId: row.offer_id, ...(JSON.parse(row.stated) as { text: string; section: SectionKind }) }));
  }

  /**
   * The title families of the active offers, most offers first. Every question resolves its
   * groups against them, and counting them reads every offer's facet row, so they are computed
   * once per version of the record (`recordVersion`), not once per question.
   */
  listFamilies(): TitleFamily[] {
    // Inside a transaction the count sees its uncommitted writes, which a rollback takes back
    // without changing the version: not remembered.
    if (this.db.inTransaction) return this.countFamilies();
    const version = this.recordVersion();
    if (this.families?.version !== version) this.families = { version, value: this.countFamilies() };
    return this.families.value;
  }

  /** Changes whenever the record does: a commit of another connection (`data_version`) or a write of this one. */
  private recordVersion(): string {
    return `${String(this.db.pragma('data_version', { simple: true }))}:${String(this.sql('SELECT total_changes()').pluck().get())}`;
  }

  private countFamilies(): TitleFamily[] {
    return countFamilies(
      this.sql(
        `SELECT family, family_label AS label, role, COUNT(*) AS offers FROM offer_facets
         WHERE status = 'active' AND family IS NOT NULL GROUP BY family, family_label, role`,
      ).all() as FamilyRow[],
    );
  }

  /** Active offers per language. */
  countByLanguage(): Array<{ language: string; offers: number }> {
    return this.sql("SELECT COALESCE(language, 'unknown') AS language, COUNT(*) AS offers FROM offer_facets WHERE status = 'active' GROUP BY 1 ORDER BY 1").all() as Array<{
      language: string;
      offers: number;
    }>;
  }

  /** Active offers per posting month (YYYY-MM); offers without a posting date count under their first-seen month, flagged. */
  countByMonth(): Array<{ month: string; offers: number; posted: boolean }> {
    return this.sql(
      `SELECT COALESCE(substr(posted, 1, 7), substr(first_seen, 1, 7)) AS month, posted IS NOT NULL AS posted, COUNT(*) AS offers
       FROM offer_facets WHERE status = 'active' GROUP BY 1, 2 ORDER BY 1, 2 DESC`,
    )
      .all()
      .map((row) => {
        const r = row as { month: string; posted: number; offers: number };
        return { month: r.month, offers: r.offers, posted: r.posted === 1 };
      });
  }

  /** What evidence shows of its offers: title, company and source, without parsing each offer whole. */
  offerHeaders(offerIds: readonly string[]): Map<string, OfferHeader> {
    const rows = this.sql(
      `SELECT offer_id, source, json_extract(offer, '$.title') AS title, json_extract(offer, '$.company') AS company, json_extract(offer, '$.url') AS url
       FROM offers WHERE offer_id IN (SELECT value FROM json_each(?))`,
    ).all(JSON.stringify(offerIds)) as Array<{ offer_id: string; source: string; title: string | null; company: string | null; url: string | null }>;
    return new Map(rows.map((row) => [row.offer_id, { title: row.title ?? '', company: row.company ?? '', source: row.source, ...(row.url ? { url: row.url } : {}) }]));
  }

  /**
   * Active offers, other than `offerId`, sharing at least one LSH band key: the candidates a repost
   * is compared with (an indexed lookup per band, whatever the size of the index). Oldest first.
   */
  findByBandKeys(bandKeys: readonly string[], offerId: string): DuplicateCandidate[] {
    if (bandKeys.length === 0) return [];
    // Only what the comparison reads, from narrow rows: parsing each candidate's whole offer was
    // most of an ingest of templated offers, whose band keys collide often (more so as the index grows).
    const rows = this.sql(
      `SELECT o.offer_id, o.fingerprint, o.role, f.title, f.seniority FROM offers o JOIN offer_facets f ON f.offer_id = o.offer_id
       WHERE o.offer_id IN (SELECT offer_id FROM offer_bands WHERE band_key IN (${bandKeys.map(() => '?').join(',')}))
       AND o.offer_id != ? AND o.status = 'active' ORDER BY o.first_seen, o.offer_id`,
    ).all(...bandKeys, offerId) as Array<{ offer_id: string; fingerprint: string; role: string; title: string | null; seniority: Offer['seniority'] | null }>;
    return rows.map((row) => ({
      offerId: row.offer_id,
      fingerprint: row.fingerprint,
      offer: { title: row.title ?? '', role: row.role, ...(row.seniority ? { seniority: row.seniority } : {}) },
    }));
  }

  /** Every offer's id, role, status and content hash, without the offer itself (cheap): the change report diffs two of these. */
  listOfferStates(): OfferState[] {
    return (this.sql('SELECT offer_id, role, status, content_hash FROM offers').all() as Array<Pick<OfferRow, 'offer_id' | 'role' | 'status' | 'content_hash'>>).map((row) => ({
      offerId: row.offer_id,
      role: row.role,
      status: row.status,
      contentHash: row.content_hash,
    }));
  }

  /** How many of these offers are active, with their chunks, without loading the offers (a run's summary at 100k offers). */
  countActive(offerIds: Iterable<string>): { offers: number; chunks: number } {
    const get = this.sql("SELECT json_array_length(chunk_ids) FROM offers WHERE offer_id = ? AND status = 'active'").pluck();
    let offers = 0;
    let chunks = 0;
    for (const id of offerIds) {
      const n = get.get(id) as number | undefined;
      if (n === undefined) continue;
      offers++;
      chunks += n;
    }
    return { offers, chunks };
  }

  /**
   * Up to `n` chunk ids of active offers spread evenly over the record (one per offer, found by
   * rowid: n indexed lookups whatever the size of the index): what a quick check of the vector
   * store looks for (src/store/consistency.ts).
   */
  sampleChunkIds(n: number): string[] {
    const range = this.sql('SELECT MIN(rowid) AS low, MAX(rowid) AS high FROM offers').get() as { low: number | null; high: number | null };
    if (range.low === null || range.high === null) return [];
    const next = this.sql("SELECT chunk_ids FROM offers WHERE rowid >= ? AND status = 'active' AND chunk_ids != '[]' ORDER BY rowid LIMIT 1").pluck();
    const ids = new Set<string>();
    for (let i = 0; i < n; i++) {
      const json = next.get(range.low + Math.floor(((range.high - range.low + 1) * i) / n)) as string | undefined;
      const chunkIds = json ? (JSON.parse(json) as string[]) : [];
      const id = chunkIds[Math.floor(chunkIds.length / 2)];
      if (id) ids.add(id);
    }
    return [...ids];
  }

  /** Counts per role and status, for stats and the query's "which roles are indexed" message (running totals: theme-counts.ts). */
  countByRole(): Array<{ role: string; status: OfferStatus; offers: number; chunks: number }> {
    return this.sql('SELECT role, status, offers, chunks FROM role_counts WHERE offers > 0 ORDER BY role, status').all() as Array<{
      role: string;
      status: OfferStatus;
      offers: number;
      chunks: number;
    }>;
  }

  /** Active offers of a role. */
  countActiveOffers(role: string): number {
    return (this.sql("SELECT offers FROM role_counts WHERE role = ? AND status = 'active'").pluck().get(role) as number | undefined) ?? 0;
  }

  /**
   * For each theme, the active offers of `role` that mention it in at least one of `sections`:
   * a read of the running totals, whatever the number of offers.
   */
  countThemeMentions(role: string, sections: readonly SectionKind[]): Map<string, number> {
    const rows = this.sql('SELECT theme, SUM(offers) AS offers FROM theme_counts WHERE role = ? AND (mask & ?) != 0 GROUP BY theme')
      .all(role, sectionMask(sections)) as Array<{ theme: string; offers: number }>;
    return new Map(rows.map((row) => [row.theme, row.offers]));
  }
}

/** The facet rows of a group whose facts are read: a whole catalogue role's active offers (the facts index), or offers by id. */
function factGroupWhere(group: FactGroup): { where: string; param: { role: string } | { offers: string } } {
  return 'role' in group
    ? { where: "status = 'active' AND role = @role", param: { role: group.role } }
    : { where: 'offer_id IN (SELECT value FROM json_each(@offers))', param: { offers: JSON.stringify(group.offerIds) } };
}
