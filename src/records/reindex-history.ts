import type Database from 'better-sqlite3';
import type { ChangeReport } from './change-types.ts';
import { statementCache } from './statements.ts';

/**
 * What each `offers reindex` did (also each run of `schedule` and of `serve --schedule`), kept in
 * the record so that a long-running server can show the last runs and their change reports after
 * the process that ran them is gone. A row per run, the report as JSON: it is only ever read
 * whole, newest first.
 */

/** One run: the counts `reindex --json` prints, and when it ended. */
export interface ReindexRun {
  finishedAt: string;
  seconds: number;
  new: number;
  changed: number;
  removed: number;
  expired: number;
  unchanged: number;
  failed: number;
  failures: Array<{ source: string; error: string }>;
  /** The per-role change report (change-report.ts). */
  roles: ChangeReport;
}

/** Runs kept: a schedule every minute keeps the last two days, and the table stays small. */
export const KEPT_RUNS = 3000;

const SCHEMA = 'CREATE TABLE IF NOT EXISTS reindex_runs (id INTEGER PRIMARY KEY AUTOINCREMENT, finished_at TEXT NOT NULL, report TEXT NOT NULL);';

export class ReindexHistory {
  private readonly sql: (sql: string) => Database.Statement;

  constructor(db: Database.Database) {
    db.exec(SCHEMA);
    this.sql = statementCache(db);
  }

  /** Records a finished run, and forgets the runs beyond the newest KEPT_RUNS. */
  add(run: ReindexRun): void {
    const { finishedAt, ...report } = run;
    const id = this.sql('INSERT INTO reindex_runs (finished_at, report) VALUES (?, ?)').run(finishedAt, JSON.stringify(report)).lastInsertRowid;
    this.sql('DELETE FROM reindex_runs WHERE id <= ?').run(BigInt(id) - BigInt(KEPT_RUNS));
  }

  /** The newest runs first. */
  list(limit: number): ReindexRun[] {
    const rows = this.sql('SELECT finished_at, report FROM reindex_runs ORDER BY id DESC LIMIT ?').all(limit) as Array<{ finished_at: string; report: string }>;
    return rows.map((row) => ({ finishedAt: row.finished_at, ...(JSON.parse(row.report) as Omit<ReindexRun, 'finishedAt'>) }));
  }
}
