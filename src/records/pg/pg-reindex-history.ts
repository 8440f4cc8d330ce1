import { KEPT_RUNS, type ReindexHistory, type ReindexRun } from '../reindex-history.ts';
import type { SyncPostgres } from './sync-client.ts';

/** The history in the Postgres record (reindex-history.ts). */
export class PgReindexHistory implements ReindexHistory {
  constructor(private readonly db: SyncPostgres) {}

  add(run: ReindexRun): void {
    const { finishedAt, ...report } = run;
    this.db.run([
      { text: 'INSERT INTO reindex_runs (finished_at, report) VALUES ($1, $2)', values: [finishedAt, JSON.stringify(report)] },
      { text: 'DELETE FROM reindex_runs WHERE id <= (SELECT MAX(id) FROM reindex_runs) - $1', values: [KEPT_RUNS] },
    ]);
  }

  list(limit: number): ReindexRun[] {
    const rows = this.db.rows<{ finished_at: string; report: string }>('SELECT finished_at, report FROM reindex_runs ORDER BY id DESC LIMIT $1', [limit]);
    return rows.map((row) => ({ finishedAt: row.finished_at, ...(JSON.parse(row.report) as Omit<ReindexRun, 'finishedAt'>) }));
  }
}
