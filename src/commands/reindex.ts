import { reindexAll } from '../../ingest/pipeline.ts';
import { resolveConfig, type ConfigFlags } from '../config.ts';
import { processOutput, type Output } from '../output.ts';
import { openWorkspace } from '../workspace.ts';
import { summarise } from './ingest.ts';

export interface ReindexOptions extends ConfigFlags {
  json?: boolean;
  output?: Output;
}

/** `offers reindex`: re-read every recorded source; only what changed is embedded again. */
export async function reindex(options: ReindexOptions): Promise<number> {
  const output = options.output ?? processOutput;
  const workspace = await openWorkspace(resolveConfig(options), { log: output.info });
  try {
    const result = await reindexAll(workspace);
    if (options.json) {
      output.result(
        JSON.stringify({
          new: result.new,
          changed: result.changed,
          removed: result.removed,
          expired: result.expired,
          unchanged: result.unchanged,
          failed: result.failed.length,
          failures: result.failed,
          seconds: result.seconds,
        }),
      );
    }
    output.info(summarise(result));
    return result.failed.length > 0 ? 3 : 0;
  } finally {
    await workspace.close();
  }
}
