import pg from 'pg';
import { postgresFailure, quoteIdentifier } from '../../src/records/pg/postgres-url.ts';
import type { FetchedPage } from './http-client.ts';
import { parseSnapshotEntry, snapshotEntry, snapshotPage, type SnapshotEntry, type Snapshots } from './snapshots.ts';

/**
 * Snapshots in the shared Postgres record (the `snapshot_bodies` and `snapshot_urls` tables of
 * src/records/pg/schema.ts, in the collection's schema), so that `reindex --offline` reads on
 * any machine what any machine fetched. As with files, a body is stored once per content hash
 * and written before the entry naming it, so no entry ever names a missing body.
 */
export class PgSnapshots implements Snapshots {
  private readonly pool: pg.Pool;

  constructor(
    private readonly url: string,
    collection: string,
  ) {
    this.pool = new pg.Pool({ connectionString: url, max: 2, options: `-c search_path=${quoteIdentifier(collection)}` });
    this.pool.on('error', () => {}); // an idle connection dropped: the next query reports it
  }

  async save(page: FetchedPage): Promise<SnapshotEntry> {
    const entry = snapshotEntry(page);
    await this.query('INSERT INTO snapshot_bodies (content_hash, body) VALUES ($1, $2) ON CONFLICT DO NOTHING', [entry.contentHash, page.body]);
    await this.query('INSERT INTO snapshot_urls (url, entry) VALUES ($1, $2) ON CONFLICT (url) DO UPDATE SET entry = excluded.entry', [page.url, JSON.stringify(entry)]);
    return entry;
  }

  async load(url: string): Promise<FetchedPage | undefined> {
    const { rows } = await this.query<{ entry: string; body: Buffer }>(
      "SELECT u.entry::text AS entry, b.body FROM snapshot_urls u JOIN snapshot_bodies b ON b.content_hash = u.entry->>'contentHash' WHERE u.url = $1",
      [url],
    );
    const row = rows[0];
    const entry = row && parseSnapshotEntry(row.entry);
    return entry && snapshotPage(entry, row.body);
  }

  async prune(): Promise<number> {
    const result = await this.query(
      "DELETE FROM snapshot_bodies b WHERE NOT EXISTS (SELECT 1 FROM snapshot_urls u WHERE u.entry->>'contentHash' = b.content_hash)",
    );
    return result.rowCount ?? 0;
  }

  async close(): Promise<void> {
    await this.pool.end();
  }

  private async query<R extends pg.QueryResultRow = pg.QueryResultRow>(text: string, values: unknown[] = []): Promise<pg.QueryResult<R>> {
    try {
      return await this.pool.query<R>(text, values);
    } catch (error) {
      throw postgresFailure(this.url, error);
    }
  }
}
