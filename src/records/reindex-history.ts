import type { ChangeReport } from './change-types.ts';

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

export interface ReindexHistory {
  /** Records a finished run, and forgets the runs beyond the newest KEPT_RUNS. */
  add(run: ReindexRun): void;
  /** The newest runs first. */
  list(limit: number): ReindexRun[];
}
