import { resolveConfig } from '../../src/config.ts';
import { openWorkspace } from '../../src/workspace.ts';

/**
 * Chunk ids compared one by one, not only counted (an orphan and a missing chunk can't cancel
 * out). `orphans` are stored chunks that no active offer lists and no intent covers: what
 * recovery could not find. After a kill, intents may cover chunks; after a full run, none may.
 */
export async function storeAgainstRecord(dataDir: string, env: Record<string, string> = {}): Promise<{ orphans: string[]; missing: string[]; intents: number }> {
  const workspace = await openWorkspace(resolveConfig({ dataDir }, env));
  try {
    const stored = new Set((await workspace.store.get({ includeDocuments: false })).map((r) => r.id));
    const intents = workspace.records.listIntents();
    const listed = new Set([...workspace.records.listOffers({ status: ['active'] })].flatMap((r) => r.chunkIds));
    const covered = new Set([...listed, ...intents.flatMap((i) => i.chunkIds)]);
    return {
      orphans: [...stored].filter((id) => !covered.has(id)),
      missing: [...listed].filter((id) => !stored.has(id)),
      intents: intents.length,
    };
  } finally {
    await workspace.close();
  }
}

