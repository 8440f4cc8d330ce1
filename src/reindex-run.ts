import { reindexAll } from '../ingest/pipeline.ts';
import { resolveConfig, type ConfigFlags } from './config.ts';
import { ExitCode } from './errors.ts';
import { processOutput, type Output } from './output.ts';
import { repairDrift } from './store/consistency.ts';
import { diffOfferStates } from './records/change-report.ts';
import { renderChangeReport } from './report/change-report.ts';
import { summarise } from './report/ingest-summary.ts';
import type { ReindexRun } from './records/reindex-history.ts';
import { injected, openWorkspace, type WorkspaceInjection } from './workspace.ts';

export interface ReindexOptions extends ConfigFlags, WorkspaceInjection {
  json?: boolean;
  output?: Output;
  /** `--offline`: web pages and ATS boards are read from their snapshots, not fetched. */
  offline?: boolean;
  /** Set by `offers schedule`: it holds the lock through a SIGINT/SIGTERM and stops gracefully. */
  scheduled?: boolean;
}

/**
 * One re-index run, as `offers reindex` runs it and each tick of `offers schedule` and
 * `offers serve --schedule`: re-read every recorded source; only what changed is embedded again.
 * People get the per-role change report on stderr; `--json` prints the counts, with `roles`.
 */
export async function runReindex(options: ReindexOptions): Promise<ExitCode> {
  const output = options.output ?? processOutput;
  const config = resolveConfig(options);
  const workspace = await openWorkspace(config, {
    log: output.info,
    access: options.scheduled ? { mode: 'write', command: 'schedule', releaseOnSignal: false } : { mode: 'write', command: 'reindex' },
    ...injected(options),
  });
  try {
    // Also when no source changed: a store that lost chunks is only repaired by a write command.
    await repairDrift(workspace.store, workspace.records, workspace.embedder, output.info);
    const before = workspace.records.listOfferStates();
    const result = await reindexAll(workspace, { web: { ...(options.offline ? { offline: true } : {}), ...(config.contact ? { contact: config.contact } : {}) } });
    const roles = diffOfferStates(before, workspace.records.listOfferStates());
    const run: Omit<ReindexRun, 'finishedAt'> = {
      new: result.new,
      changed: result.changed,
      removed: result.removed,
      expired: result.expired,
      unchanged: result.unchanged,
      failed: result.failed.length,
      failures: result.failed,
      seconds: result.seconds,
      roles,
    };
    // Kept in the record, so that `offers serve` shows the last runs whichever process ran them.
    workspace.records.history.add({ finishedAt: new Date().toISOString(), ...run });
    if (options.json) output.result(JSON.stringify(run));
    output.info(`${summarise(result)}\n${renderChangeReport(roles)}`);
    return result.failed.length > 0 ? ExitCode.someSourcesFailed : ExitCode.ok;
  } finally {
    await workspace.close();
  }
}
