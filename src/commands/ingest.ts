import { ingestSources, type IngestResult, type WebOptions } from '../../ingest/pipeline.ts';
import { resolveRoleName } from '../catalog/roles.ts';
import { resolveConfig, type ConfigFlags } from '../config.ts';
import { ExitCode } from '../errors.ts';
import { processOutput, type Output } from '../output.ts';
import { summarise } from '../report/ingest-summary.ts';
import { repairDrift } from '../store/consistency.ts';
import { injected, openWorkspace, type WorkspaceInjection } from '../workspace.ts';

export interface IngestCommandOptions extends ConfigFlags, WorkspaceInjection {
  sources: string[];
  role?: string;
  json?: boolean;
  output?: Output;
  /** Politeness and limits for URLs and ATS boards (the contact is the configuration's: `--contact` or OFFERS_CONTACT). */
  web?: Omit<WebOptions, 'contact'>;
}

/** `offers ingest`: ExitCode.ok when every source was ingested, someSourcesFailed when some failed. */
export async function ingest(options: IngestCommandOptions): Promise<ExitCode> {
  const output = options.output ?? processOutput;
  const config = resolveConfig(options);
  const workspace = await openWorkspace(config, { log: output.info, access: { mode: 'write', command: 'ingest' }, ...injected(options) });
  let result: IngestResult;
  try {
    await repairDrift(workspace.store, workspace.records, workspace.embedder, output.info);
    const role = options.role ? (resolveRoleName(options.role, workspace.roles) ?? options.role) : undefined;
    const web = { ...options.web, ...(config.contact ? { contact: config.contact } : {}) };
    result = await ingestSources(workspace, options.sources, { ...(role ? { role } : {}), web });
  } finally {
    await workspace.close();
  }
  if (options.json) output.result(JSON.stringify(result));
  output.info(summarise(result));
  return result.failed.length > 0 ? ExitCode.someSourcesFailed : ExitCode.ok;
}
