import type { ExitCode } from '../errors.ts';
import { runReindex, type ReindexOptions } from '../reindex-run.ts';

export type { ReindexOptions };

/** `offers reindex`: one run of src/reindex-run.ts, the one a schedule's ticks run too. */
export function reindex(options: ReindexOptions): Promise<ExitCode> {
  return runReindex(options);
}
