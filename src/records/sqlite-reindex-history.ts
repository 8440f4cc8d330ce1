import type Database from 'better-sqlite3';
import { KEPT_RUNS, type ReindexHistory, type ReindexRun } from './reindex-history.ts';
import { statementCache } from './statements.ts';

const SCHEMA = 'CREATE TABLE IF NOT EXISTS reindex_runs (id INTEGER PRIMARY KEY AUTOINCREMENT, finished_at TEXT NOT NULL, report TEXT NOT NULL);';

/** The history in the SQLite record. */
export class SqliteReindexHistory implements ReindexHistory {
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
