import { describeError, SourceError } from '../src/errors.ts';
import type { Workspace } from '../src/workspace.ts';
import { sha1 } from '../src/util/hash.ts';
import { createProgress } from '../src/util/progress.ts';
import type { Offer } from '../src/types.ts';
import { chunkOffer } from './chunk.ts';
import { IndexWriter } from './index-writer.ts';
import { firstSameJob, NearDuplicateIndex, signOffer } from './near-duplicate.ts';
import { normaliseOffer } from './normalise.ts';
import { OfferOwnership } from './ownership.ts';
import { parseBytes } from './parse/index.ts';
import { fileItem, recordedItem, type SourceItem } from './source.ts';
import { discoverNewFiles, rememberRoots } from './roots.ts';
import { expandLocalSources } from './sources.ts';
import { type WebOptions, WebSession, type WebStats } from './fetch/web-session.ts';
import { expandWebSources, recrawlWebRoots, splitSourceArgs, webRootOf, withLookahead } from './fetch/web-sources.ts';


export interface IngestOptions {
  /** `--role`: force this role label on every offer of the run. */
  role?: string;
  /** Expiry is judged against this instant (tests pin it). */
  now?: Date;
  /** How URLs and ATS boards are fetched (politeness, limits, offline). */
  web?: WebOptions;
  /** More text for the progress bar (the fetch counts). */
  progressDetail?: () => string;
}


export interface SourceFailure {
  source: string;
  error: string;
}

export interface IngestResult {
  /** Offers embedded and written by this run: `new` ones plus `changed` ones. */
  ingested: number;
  new: number;
  changed: number;
  /** Offers found exactly as already indexed: nothing embedded, nothing written. */
  unchanged: number;
  failed: SourceFailure[];
  /** Offers and chunks that the sources of this run hold in the index after it. */
  offers: number;
  chunks: number;
  sources: number;
  /** Reposted copies recorded as alternate sources of an indexed offer. */
  duplicates: number;
  removed: number;
  expired: number;
  /** Chunk ids a killed earlier run had left half-written, cleaned up first. */
  recovered: number;
  seconds: number;
  /** Fetch counts, when the run read URLs or ATS boards. */
  web?: WebStats;
}

/** `offers ingest <source...>`: files, directories and globs, URLs and ATS boards. */
export async function ingestSources(workspace: Workspace, args: string[], options: IngestOptions = {}): Promise<IngestResult> {
  const { local, web } = splitSourceArgs(args);
  const { files, problems } = await expandLocalSources(local);
  rememberRoots(workspace.records, local, options.role);
  const items = files.map((file) => fileItem(file, options.role));
  if (web.length === 0) return ingestItems(workspace, items, problems.map(toFailure), options);
  return withWebSession(workspace, options, async (session, withProgress) => {
    const expanded = await expandWebSources(web, session, options.role);
    for (const root of expanded.roots) workspace.records.putWebRoot(webRootOf(root, options.role, options.web ?? {}));
    return ingestItems(workspace, [...items, ...expanded.items], [...problems, ...expanded.problems].map(toFailure), withProgress);
  });
}

async function withWebSession(
  workspace: Workspace,
  options: IngestOptions,
  run: (session: WebSession, options: IngestOptions) => Promise<IngestResult>,
): Promise<IngestResult> {
  const session = WebSession.open(workspace.config.dataDir, options.web);
  try {
    const result = await run(session, { ...options, progressDetail: () => session.describe() });
    if (!session.used) return result;
    // Only after a run that went through: then no fetch (and no snapshot save) is in flight.
    await session.snapshots.prune();
    return { ...result, web: session.stats };
  } finally {
    session.close();
  }
}

/**
 * `offers reindex`: every recorded source again, with the role it was first ingested with.
 * A file that is gone takes its offers out of the index (their history stays in the record).
 */
export async function reindexAll(workspace: Workspace, options: Omit<IngestOptions, 'role'> = {}): Promise<IngestResult> {
  return withWebSession(workspace, options, async (session, withProgress) => {
    const present: SourceItem[] = [];
    const gone: string[] = [];
    const recorded = workspace.records.listSources();
    for (const source of recorded) {
      const item = recordedItem(source, session);
      if (item) present.push(item);
      else gone.push(source.source);
    }
    const known = new Set(recorded.map((s) => s.source));
    present.push(...(await discoverNewFiles(workspace.records, known)));
    const crawled = await recrawlWebRoots(workspace.records.listWebRoots(), session, known);
    present.push(...crawled.items);
    return ingestItems(workspace, withLookahead(present, 4), crawled.problems.map(toFailure), withProgress, gone);
  });
}

/**
 * The pipeline over any sources: load → (skip when unchanged) → parse → normalise → collapse
 * reposts → chunk → write, with per-source failures reported and the batch going on.
 * `gone` lists recorded sources known to have disappeared: their offers are retired.
 */
export async function ingestItems(
  workspace: Workspace,
  items: readonly SourceItem[],
  failed: SourceFailure[],
  options: IngestOptions,
  gone: readonly string[] = [],
): Promise<IngestResult> {
  const started = performance.now();
  const { records } = workspace;
  // Reposts among this run's offers that the record does not hold yet: each batch's offers are
  // forgotten once it commits, so the run's memory follows a batch, not the corpus (100k offers'
  // signatures were a few hundred MB).
  const seenThisRun = new NearDuplicateIndex();
  const writer = new IndexWriter(workspace.store, records, workspace.embedder, { onCommit: (offerIds) => offerIds.forEach((id) => seenThisRun.remove(id)) });
  const recovered = await writer.recover();
  const now = options.now ?? new Date();
  let unchanged = 0;
  let expired = 0;
  const touched = new Set<string>();
  const ownership = new OfferOwnership(records);
  /**
   * A source that is gone (a deleted file, a page answering 404 or 410) takes its offers out of
   * the index, their history kept; one never indexed is only a failure.
   */
  const retireGone = async (source: string, reason: string): Promise<void> => {
    const previous = records.getSource(source);
    if (!previous) throw new SourceError(source, reason);
    await writer.retire(ownership.forSource(source, previous.offerIds).retirable(new Set()), 'removed');
    // Without its content hash: a source that comes back is read again, even with the same bytes.
    writer.recordSource({ ...previous, contentHash: '', offerIds: [], lastSeen: new Date().toISOString(), error: reason });
  };
  const progress = createProgress('ingest', items.length);
  const progressDetail = options.progressDetail ?? (() => (failed.length > 0 ? `${failed.length} failed` : ''));

  for (const item of items) {
    const { source, role } = item;
    try {
      const content = await item.load();
      if ('gone' in content) {
        await retireGone(source, content.gone);
        progress.tick(progressDetail());
        continue;
      }
      const raw = 'bytes' in content ? sha1(content.bytes) : content.contentHash;
      const contentHash = sha1(`${workspace.derivation}\n${role ?? ''}\n${raw}`);
      const previous = records.getSource(source);
      if (previous?.status === 'ok' && previous.contentHash === contentHash) {
        // Nothing about this file changed: skip parsing and embedding entirely.
        unchanged += previous.offerIds.length;
        previous.offerIds.forEach((id) => touched.add(id));
        progress.tick(progressDetail());
        continue;
      }

      const parsed = 'bytes' in content ? await parseBytes(content.bytes, source, content.hint) : { offers: content.offers, problems: [] };
      failed.push(...parsed.problems.map(toFailure));
      if (parsed.offers.length === 0) throw parsed.problems[0] ?? new SourceError(source, 'no offer found in this file');

      const owned = ownership.forSource(source, previous?.offerIds ?? []);
      const normalised = uniqueIds(parsed.offers.map((raw) => normaliseOffer(raw, { roles: workspace.roles, derivation: workspace.derivation, owner: source, legacyIds: owned.legacyIds, ...(role ? { forcedRole: role } : {}) })));
      const { mine: offers, refused } = owned.claim(normalised);
      failed.push(...refused.map(toFailure));
      for (const offer of offers) {
        touched.add(offer.offerId);
        if (offer.validThrough && Date.parse(offer.validThrough) < now.getTime()) {
          await writer.retire([offer.offerId], 'expired');
          expired++;
          continue;
        }
        const existing = records.getOffer(offer.offerId);
        if (existing && existing.contentHash === offer.contentHash && (existing.status === 'active' || existing.status === 'duplicate')) {
          unchanged++;
          continue;
        }
        const signature = signOffer(offer);
        const canonicalId = seenThisRun.find(signature, offer.offerId) ?? firstSameJob(signature, records.findByBandKeys(signature.bandKeys, offer.offerId));
        if (canonicalId && canonicalId !== offer.offerId) {
          await writer.writeDuplicate(offer, signature.fingerprint, canonicalId);
          continue;
        }
        seenThisRun.add(offer.offerId, signature);
        await writer.write(offer, await chunkOffer(offer, { themes: workspace.themes }), signature.fingerprint, signature.bandKeys);
      }
      // Offers this source no longer holds are retired; a source that failed keeps everything it had.
      const current = new Set(offers.map((o) => o.offerId));
      await writer.retire(owned.retirable(current), 'removed');
      const stamp = new Date().toISOString();
      writer.recordSource({
        source,
        kind: item.kind,
        ...(role ? { role } : {}),
        contentHash: parsed.problems.length > 0 || refused.length > 0 ? `partial:${contentHash}` : contentHash,
        status: 'ok',
        offerIds: [...current],
        lastSeen: stamp,
        lastChanged: previous?.contentHash === contentHash ? previous.lastChanged : stamp,
      });
    } catch (error) {
      if (!(error instanceof SourceError)) throw error;
      if (!failed.some((f) => f.source === error.source)) failed.push(toFailure(error));
    }
    progress.tick(progressDetail());
  }
  for (const source of gone) await retireGone(source, 'source no longer exists');
  await writer.flush();
  progress.done();

  // Counted in the record, not loaded: holding every offer of a 10k run at once took ~200 MB.
  const indexed = records.countActive(touched);
  return {
    ingested: writer.stats.written,
    new: writer.stats.created,
    changed: writer.stats.changed,
    unchanged,
    failed,
    offers: indexed.offers,
    chunks: indexed.chunks,
    sources: items.length,
    duplicates: writer.stats.duplicates,
    removed: writer.stats.removed - expired,
    expired,
    recovered,
    seconds: Number(((performance.now() - started) / 1000).toFixed(2)),
  };
}

function toFailure(error: SourceError): SourceFailure {
  return { source: error.source, error: describeError(error) };
}

/** Two records of one source that resolve to the same id (a dataset listing a job twice) keep distinct ids. */
function uniqueIds(offers: Offer[]): Offer[] {
  const seen = new Map<string, number>();
  return offers.map((offer) => {
    const n = seen.get(offer.offerId) ?? 0;
    seen.set(offer.offerId, n + 1);
    return n === 0 ? offer : { ...offer, offerId: `${offer.offerId}-${n}` };
  });
}
