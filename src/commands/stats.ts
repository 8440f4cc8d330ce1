import { resolveConfig, type ConfigFlags } from '../config.ts';
import { processOutput, type Output } from '../output.ts';
import { openWorkspace } from '../workspace.ts';

export interface StatsOptions extends ConfigFlags {
  json?: boolean;
  /** Also count, per role, the offers out of the index: removed, expired, reposted duplicates. */
  includeRemoved?: boolean;
  output?: Output;
}

export interface IndexStats {
  offers: number;
  chunks: number;
  /** Chunks the vector store actually holds: equal to `chunks` when the index is consistent. */
  storeChunks: number;
  roles: Record<string, { offers: number; chunks: number }>;
  languages: Record<string, number>;
  sources: { files: number; failed: number };
  /** Active offers per posting month (YYYY-MM); offers whose source gives no date under "unknown". */
  byMonth: Record<string, number>;
  /** Title families of the active offers, most offers first (ingest/title-family.ts): what questions can name besides catalogue roles. */
  families: Array<{ family: string; label: string; offers: number; roles: string[] }>;
  duplicates: number;
  removed: number;
  expired: number;
  /** With --include-removed: per role, the offers the record keeps as history. */
  history?: Record<string, { removed: number; expired: number; duplicates: number }>;
  store: string;
  embedder: string;
}

/** `offers stats`: what is indexed, per role, language, source and month posted. */
export async function stats(options: StatsOptions): Promise<number> {
  const output = options.output ?? processOutput;
  const workspace = await openWorkspace(resolveConfig(options), { log: output.info, access: { mode: 'read', command: 'stats' } });
  let result: IndexStats;
  try {
    result = await collectStats(workspace, { includeRemoved: options.includeRemoved ?? false });
  } finally {
    await workspace.close();
  }
  if (options.json) {
    output.result(JSON.stringify(result));
  } else {
    output.result(renderStats(result));
  }
  return 0;
}

export async function collectStats(workspace: Awaited<ReturnType<typeof openWorkspace>>, options: { includeRemoved?: boolean } = {}): Promise<IndexStats> {
  const { records } = workspace;
  const result: IndexStats = {
    offers: 0,
    chunks: 0,
    storeChunks: await workspace.store.count(),
    roles: {},
    languages: {},
    sources: { files: 0, failed: 0 },
    byMonth: {},
    families: records.listFamilies(),
    duplicates: 0,
    removed: 0,
    expired: 0,
    store: workspace.storeUrl,
    embedder: `${workspace.embedder.id} (${workspace.embedder.dimension}d)`,
  };
  for (const row of records.countByRole()) {
    if (row.status === 'duplicate') result.duplicates += row.offers;
    if (row.status === 'removed') result.removed += row.offers;
    if (row.status === 'expired') result.expired += row.offers;
    if (row.status !== 'active') {
      if (options.includeRemoved) {
        const history = ((result.history ??= {})[row.role] ??= { removed: 0, expired: 0, duplicates: 0 });
        history[row.status === 'duplicate' ? 'duplicates' : row.status] += row.offers;
      }
      continue;
    }
    result.offers += row.offers;
    result.chunks += row.chunks;
    result.roles[row.role] = { offers: row.offers, chunks: row.chunks };
  }
  // From the narrow facet rows (src/records/facets.ts): reading every offer whole cost ~200 MB at 10k offers.
  for (const { language, offers } of records.countByLanguage()) result.languages[language] = offers;
  for (const { month, offers, posted } of records.countByMonth()) {
    const key = posted ? month : 'unknown';
    result.byMonth[key] = (result.byMonth[key] ?? 0) + offers;
  }
  for (const source of records.listSources()) {
    result.sources.files++;
    if (source.status === 'failed') result.sources.failed++;
  }
  return result;
}

function renderStats(s: IndexStats): string {
  const lines = [`${s.offers} offers, ${s.chunks} chunks (store holds ${s.storeChunks}) in ${s.store}, embedder ${s.embedder}`];
  lines.push('', 'role                               offers  chunks');
  for (const [role, r] of Object.entries(s.roles).sort((a, b) => b[1].offers - a[1].offers)) {
    lines.push(`${role.padEnd(34)} ${String(r.offers).padStart(6)}  ${String(r.chunks).padStart(6)}`);
  }
  const outside = s.families.filter((f) => f.roles.every((role) => role === 'Other'));
  if (outside.length > 0) {
    lines.push('', 'title families outside the catalogue  offers');
    for (const f of outside.slice(0, 40)) lines.push(`${f.label.padEnd(37)} ${String(f.offers).padStart(6)}`);
    if (outside.length > 40) lines.push(`… and ${outside.length - 40} more (offers stats --json lists them all)`);
  }
  lines.push('', `languages: ${Object.entries(s.languages).map(([k, v]) => `${k} ${v}`).join(', ')}`);
  lines.push(`sources: ${s.sources.files} files (${s.sources.failed} failed)`);
  lines.push(`not counted: ${s.duplicates} reposted duplicates, ${s.removed} removed, ${s.expired} expired`);
  if (s.history) {
    lines.push('', 'history (--include-removed)        removed  expired  duplicates');
    for (const [role, h] of Object.entries(s.history).sort((a, b) => a[0].localeCompare(b[0]))) {
      lines.push(`${role.padEnd(34)} ${String(h.removed).padStart(7)}  ${String(h.expired).padStart(7)}  ${String(h.duplicates).padStart(10)}`);
    }
  }
  return lines.join('\n');
}
