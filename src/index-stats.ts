import { describeDrift, describeOtherEmbedders, inspectStore, otherEmbedderIndexes, type RepairResult } from './store/consistency.ts';
import { collectionName } from './store/vector-store.ts';
import type { Workspace } from './workspace.ts';

/**
 * What is indexed, per role, language, source and month posted: `offers stats`, GET /api/stats
 * and the MCP `stats` tool all read it from here (src/report/stats.ts renders it for people).
 */

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
  /** Where the record is: its SQLite file, or its Postgres database and schema. */
  record: string;
  embedder: string;
  /** The store and the record disagree (src/store/consistency.ts); empty when consistent. */
  warnings: string[];
  /** With --check. */
  check?: StoreCheck;
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
    record: workspace.recordLocation,
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
  const sources = records.countSources();
  result.sources.files = sources.sources;
  result.sources.failed = sources.failed;
  if (result.offers === 0) {
    const others = otherEmbedderIndexes(workspace.config.dataDir, collectionName(workspace.store.space));
    if (others.length > 0) result.warnings.push(describeOtherEmbedders(result.embedder, others));
  }
  return result;
}
