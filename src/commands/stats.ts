import { resolveConfig, type ConfigFlags } from '../config.ts';
import { ExitCode, FatalError } from '../errors.ts';
import { processOutput, type Output } from '../output.ts';
import { collectStats, type IndexStats, type StoreCheck } from '../index-stats.ts';
import { renderStats } from '../report/stats.ts';
import { compareStore, describeDrift, inspectStore, repairStore, type RepairResult } from '../store/consistency.ts';
import { injected, openWorkspace, type Workspace, type WorkspaceInjection } from '../workspace.ts';

export interface StatsOptions extends ConfigFlags, WorkspaceInjection {
  json?: boolean;
  /** Also count, per role, the offers out of the index: removed, expired, reposted duplicates. */
  includeRemoved?: boolean;
  /** `--check`: compare the record and the store chunk by chunk (src/store/consistency.ts). */
  check?: boolean;
  /** `--repair` (implies --check): embed the missing chunks again from the record, delete the strays; a write, so it takes the data-dir lock. */
  repair?: boolean;
  output?: Output;
}

/** Ids listed in a check's report (the counts are whole). */
const LISTED_IDS = 10;

/**
 * `offers stats`: what is indexed, per role, language, source and month posted. With --check,
 * exit 1 when the record and the store differ (and --repair could not make them agree).
 */
export async function stats(options: StatsOptions): Promise<ExitCode> {
  const output = options.output ?? processOutput;
  const repair = options.repair ?? false;
  const workspace = await openWorkspace(resolveConfig(options), {
    log: output.info,
    access: repair ? { mode: 'write', command: 'stats --repair' } : { mode: 'read', command: 'stats' },
    ...injected(options),
  });
  let result: IndexStats;
  try {
    result = await collectStats(workspace, { includeRemoved: options.includeRemoved ?? false });
    if (options.check || repair) result = { ...result, ...(await checkStore(workspace, repair)) };
  } finally {
    await workspace.close();
  }
  output.result(options.json ? JSON.stringify(result) : renderStats(result));
  if (result.check && !result.check.consistent) {
    output.info(
      `offers: the record and the vector store differ: ${result.check.missing} chunks missing from the store, ${result.check.extra} it holds that the record does not list\n` +
        `  fix: ${result.check.repaired ? 'ingest the sources of the offers whose chunks were lost with their text again' : 'offers stats --check --repair (or the next ingest or reindex repairs it)'}`,
    );
    return ExitCode.fatal;
  }
  return ExitCode.ok;
}

/** --check and --repair: the comparison, and after a repair the store as it is then. */
async function checkStore(workspace: Workspace, repair: boolean): Promise<Partial<Pick<IndexStats, 'check' | 'storeChunks' | 'warnings'>>> {
  if (workspace.store.unavailable) throw new FatalError(`--check needs the vector store: ${workspace.store.unavailable}`, 'set CHROMA_URL to the Chroma server holding this index, or check a writable copy');
  const before = await compareStore(workspace.store, workspace.records);
  const report = (comparison: typeof before, repaired?: RepairResult): StoreCheck => ({
    consistent: comparison.missing.length === 0 && comparison.extra.length === 0,
    recordChunks: comparison.recordChunks,
    storeChunks: comparison.storeChunks,
    missing: comparison.missing.length,
    extra: comparison.extra.length,
    missingIds: comparison.missing.slice(0, LISTED_IDS),
    extraIds: comparison.extra.slice(0, LISTED_IDS),
    ...(repaired ? { repaired } : {}),
  });
  if (!repair || report(before).consistent) return { check: report(before) };
  const repaired = await repairStore(workspace.store, workspace.records, workspace.embedder, before);
  const after = await inspectStore(workspace.store, workspace.records);
  return {
    check: report(await compareStore(workspace.store, workspace.records), repaired),
    storeChunks: after.storeChunks,
    warnings: after.consistent ? [] : [describeDrift(after, workspace.storeUrl)],
  };
}
