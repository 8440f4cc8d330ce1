import { resolveConfig, type ConfigFlags } from '../config.ts';
import { ExitCode, FatalError } from '../errors.ts';
import { processOutput, type Output } from '../output.ts';
import { compareStore, describeDrift, inspectStore, repairStore, type RepairResult } from '../store/consistency.ts';
import { openWorkspace, type Workspace } from '../workspace.ts';

export interface StatsOptions extends ConfigFlags {
  json?: boolean;
  /** Also count, per role, the offers out of the index: removed, expired, reposted duplicates. */
  includeRemoved?: boolean;
  /** `--check`: compare the record and the store chunk by chunk (src/store/consistency.ts). */
  check?: boolean;
  /** `--repair` (implies --check): embed the missing chunks again from the record, delete the strays; a write, so it takes the data-dir lock. */
  repair?: boolean;
  output?: Output;
}

/** What `--check` found: counts, and the first few ids of each kind. */
export interface StoreCheck {
  consistent: boolean;
  recordChunks: number;
  storeChunks: number;
  missing: number;
  extra: number;
  missingIds: string[];
  extraIds: string[];
  repaired?: RepairResult;
}

/** Ids listed in a check's report (the counts are whole). */
const LISTED_IDS = 10;

export interface IndexStats {
  offers: number;
  chunks: number;
  /** Chunks the vector store actually holds: equal to `chunks` when the index is consistent; null without a store (a read-only data dir). */
  storeChunks: number | null;
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
  /** The store and the record disagree (src/store/consistency.ts); empty when consistent. */
  warnings: string[];
  /** With --check. */
  check?: StoreCheck;
}

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

export async function collectStats(workspace: Workspace, options: { includeRemoved?: boolean } = {}): Promise<IndexStats> {
  const { records } = workspace;
  const store = await inspectStore(workspace.store, records);
  const result: IndexStats = {
    offers: 0,
    chunks: 0,
    storeChunks: store.unavailable ? null : store.storeChunks,
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
    warnings: store.consistent ? [] : [describeDrift(store, workspace.storeUrl)],
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
  const lines = [`${s.offers} offers, ${s.chunks} chunks (store holds ${s.storeChunks ?? 'nothing it can read'}) in ${s.store}, embedder ${s.embedder}`];
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
  for (const warning of s.warnings) lines.push('', `warning: ${warning}`);
  if (s.check) {
    const { check } = s;
    lines.push('', `check: ${check.consistent ? 'the store holds exactly the recorded chunks' : `${check.missing} recorded chunks missing from the store, ${check.extra} stored chunks the record does not list`} (record ${check.recordChunks}, store ${check.storeChunks})`);
    for (const id of check.missingIds) lines.push(`  missing: ${id}`);
    for (const id of check.extraIds) lines.push(`  extra:   ${id}`);
    if (check.repaired) lines.push(`repaired: ${check.repaired.reembedded} chunks embedded again from the record, ${check.repaired.deleted} strays deleted${check.repaired.unrepairable ? `, ${check.repaired.unrepairable} lost with their text` : ''}`);
  }
  if (s.history) {
    lines.push('', 'history (--include-removed)        removed  expired  duplicates');
    for (const [role, h] of Object.entries(s.history).sort((a, b) => a[0].localeCompare(b[0]))) {
      lines.push(`${role.padEnd(34)} ${String(h.removed).padStart(7)}  ${String(h.expired).padStart(7)}  ${String(h.duplicates).padStart(10)}`);
    }
  }
  return lines.join('\n');
}
