import { describeError, FatalError, NotOffersError, SourceError, UsageError } from '../src/errors.ts';
import type { Workspace } from '../src/workspace.ts';
import { collectionName } from '../src/store/vector-store.ts';
import { sha1 } from '../src/util/hash.ts';
import { createProgress } from '../src/util/progress.ts';
import type { Offer, RawOffer } from '../src/types.ts';
import { chunkOffer } from './chunk.ts';
import { IndexWriter } from './index-writer.ts';
import { firstSameJob, NearDuplicateIndex, type OfferSignature } from './near-duplicate.ts';
import { derivationOf } from './pipeline-version.ts';
import { planOffer } from './plan.ts';
import { normaliseOffer } from './normalise.ts';
import { OfferOwnership } from './ownership.ts';
import { parseOffers } from './parse/index.ts';
import type { SourceItem, SourceItems } from './sources/item.ts';
import { expandLocalSources, fileItem, MISSING_PATH_FIX } from './sources/local.ts';
import { recordedItem } from './sources/recorded.ts';
import { concatItems, itemsOf } from './sources/sequence.ts';
import { discoverNewFiles, rememberRoots } from './sources/roots.ts';
import { SnapshotStore, type Snapshots } from './fetch/snapshots.ts';
import { type WebOptions, WebSession, type WebStats } from './fetch/web-session.ts';
import { expandWebSources, recrawlWebRoots, splitSourceArgs, webRootOf, withLookahead } from './sources/web.ts';

/** What a command needs of the web side comes through here: the pipeline is ingest's one front door. */
export type { WebOptions };


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

/** A source passed over with a notice, not failed: a file found in a folder or by a glob that holds no offers. */
export interface SkippedSource {
  source: string;
  reason: string;
}

export interface IngestResult {
  /** Offers embedded and written by this run: `new` ones plus `changed` ones. */
  ingested: number;
  new: number;
  changed: number;
  /** Offers found exactly as already indexed: nothing embedded, nothing written. */
  unchanged: number;
  failed: SourceFailure[];
  skipped: SkippedSource[];
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
  const { files, named, problems, missing } = await expandLocalSources(local);
  // Nothing named exists: there is nothing to do, which is not "some sources failed".
  if (web.length === 0 && missing.length > 0 && missing.length === local.length) {
    throw new FatalError(`${missing.join(', ')}: no such file or directory`, MISSING_PATH_FIX);
  }
  rememberRoots(workspace.records, local, options.role);
  const items = itemsOf(files.length, (i) => fileItem(files[i]!, { role: options.role, found: !named.has(files[i]!) }));
  if (web.length === 0) return ingestItems(workspace, items, problems.map(toFailure), options);
  return withWebSession(workspace, options, async (session, withProgress) => {
    const expanded = await expandWebSources(web, session, options.role);
    for (const root of expanded.roots) workspace.records.putWebRoot(webRootOf(root, options.role, options.web ?? {}));
    return ingestItems(workspace, concatItems(items, expanded.items), problems.concat(expanded.problems).map(toFailure), withProgress);
  });
}

async function withWebSession(
  workspace: Workspace,
  options: IngestOptions,
  run: (session: WebSession, options: IngestOptions) => Promise<IngestResult>,
): Promise<IngestResult> {
  const session = WebSession.open(workspace.config.dataDir, options.web, await snapshotsOf(workspace));
  try {
    const result = await run(session, { ...options, progressDetail: () => session.describe() });
    if (!session.used) return result;
    // Only after a run that went through: then no fetch (and no snapshot save) is in flight.
    await session.snapshots.prune();
    return { ...result, web: session.stats };
  } finally {
    session.close();
    await session.snapshots.close();
  }
}

/** The fetched bodies go where the record is: a shared record keeps them too, for `reindex --offline` on any machine. */
async function snapshotsOf(workspace: Workspace): Promise<Snapshots> {
  if (!workspace.config.databaseUrl) return SnapshotStore.forDataDir(workspace.config.dataDir);
  const { PgSnapshots } = await import('./fetch/pg-snapshots.ts');
  return new PgSnapshots(workspace.config.databaseUrl, collectionName({ embedderId: workspace.embedder.id, dimension: workspace.embedder.dimension }));
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
    // One at a time, not spread: a folder or a sitemap can add over 100k items.
    for (const item of await discoverNewFiles(workspace.records, known)) present.push(item);
    const crawled = await recrawlWebRoots(workspace.records.listWebRoots(), session, known);
    for (const item of crawled.items) present.push(item);
    return ingestItems(workspace, withLookahead(present, 4), crawled.problems.map(toFailure), withProgress, gone);
  });
}

/**
 * An error met while reading one source (loading, parsing, normalising) as that source's failure:
 * a parser bug or a stack overflow on a hostile file must not stop the batch, nor lose the offers
 * of the sources before it (they wait in the writer's batch). Errors of the run itself (the store
 * unreachable, a bad configuration) still abort it.
 */
function asSourceError(source: string, error: unknown): SourceError {
  if (SourceError.isInstance(error)) return error;
  if (FatalError.isInstance(error) || UsageError.isInstance(error)) throw error;
  return new SourceError(source, `unexpected failure reading this source: ${describeError(error)}`, { cause: error });
}

/**
 * The pipeline over any sources: load → (skip a source whose bytes are unchanged) → parse →
 * normalise → plan each offer (plan.ts: expire, unchanged, repost, write) → apply (chunk, then the
 * writer's batches), with per-source failures reported and the batch going on. Offers are
 * taken one at a time as their source is parsed, so a run holds one source's offers only until
 * the writer's batch takes them.
 * `gone` lists recorded sources known to have disappeared: their offers are retired.
 */
export async function ingestItems(
  workspace: Workspace,
  items: SourceItems,
  failedBefore: readonly SourceFailure[],
  options: IngestOptions,
  gone: readonly string[] = [],
): Promise<IngestResult> {
  const started = performance.now();
  const { records } = workspace;
  const derivation = derivationOf(workspace);
  // The run's own list: the caller's (sources that failed before the run, to report) is not changed.
  const failed = [...failedBefore];
  // Reposts among this run's offers that the record does not hold yet: each batch's offers are
  // forgotten once it commits, so the run's memory follows a batch, not the corpus (100k offers'
  // signatures were a few hundred MB).
  const seenThisRun = new NearDuplicateIndex();
  const writer = new IndexWriter(workspace.store, records, workspace.embedder, { onCommit: (offerIds) => offerIds.forEach((id) => seenThisRun.remove(id)) });
  const recovered = await writer.recover();
  const now = options.now ?? new Date();
  const counts = { unchanged: 0, expired: 0 };
  const touched = new Set<string>();
  const failedSources = new Set(failed.map((f) => f.source));
  const fail = (error: SourceError) => {
    failedSources.add(error.source);
    failed.push(toFailure(error));
  };
  const skipped: SkippedSource[] = [];
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

  /** One offer of the source, planned (plan.ts) then applied. */
  const takeOffer = async (offer: Offer) => {
    touched.add(offer.offerId);
    const sameJob = (signature: OfferSignature) => seenThisRun.find(signature, offer.offerId) ?? firstSameJob(signature, records.findByBandKeys(signature.bandKeys, offer.offerId));
    const plan = planOffer(offer, records.getOffer(offer.offerId), sameJob, now);
    switch (plan.action) {
      case 'expire':
        counts.expired++;
        return writer.retire([offer.offerId], 'expired');
      case 'unchanged':
        counts.unchanged++;
        return;
      case 'duplicate':
        return writer.writeDuplicate(offer, plan.signature.fingerprint, plan.of);
      case 'write':
        seenThisRun.add(offer.offerId, plan.signature);
        return writer.write(offer, await chunkOffer(offer, { themes: workspace.themes }), plan.signature.fingerprint, plan.signature.bandKeys);
    }
  };

  const ingestItem = async (item: SourceItem) => {
    const { source, role } = item;
    const content = await item.load().catch((error: unknown) => {
      throw asSourceError(source, error);
    });
    if ('gone' in content) return retireGone(source, content.gone);
    const raw = 'bytes' in content ? sha1(content.bytes) : content.contentHash;
    const contentHash = sha1(`${derivation}\n${role ?? ''}\n${raw}`);
    const previous = records.getSource(source);
    if (previous?.status === 'ok' && previous.contentHash === contentHash) {
      // Nothing about this file changed: skip parsing and embedding entirely.
      counts.unchanged += previous.offerIds.length;
      previous.offerIds.forEach((id) => touched.add(id));
      return;
    }

    const parsed = 'bytes' in content ? parseOffers(content.bytes, source, content.hint) : content.offers;
    const ids = new UniqueIds();
    // Only the source that lists an offer writes or retires it (ownership.ts).
    const owned = ownership.forSource(source, previous?.offerIds ?? []);
    const normalise = (raw: RawOffer): Offer | SourceError => {
      try {
        return ids.assign(
          normaliseOffer(raw, { roles: workspace.roles, derivation, owner: source, legacyIds: owned.legacyIds, ...(role ? { forcedRole: role } : {}) }),
        );
      } catch (error) {
        return asSourceError(raw.source, error);
      }
    };
    const current = new Set<string>();
    let firstProblem: SourceError | undefined;
    for await (const entry of parsed) {
      if (NotOffersError.isInstance(entry)) throw entry;
      const offer = SourceError.isInstance(entry) ? entry : normalise(entry);
      if (SourceError.isInstance(offer)) {
        firstProblem ??= offer;
        fail(offer);
        continue;
      }
      const { mine, refused } = owned.claim([offer]);
      for (const problem of refused) {
        firstProblem ??= problem;
        fail(problem);
      }
      for (const own of mine) {
        current.add(own.offerId);
        await takeOffer(own);
      }
    }
    if (current.size === 0) throw firstProblem ?? new SourceError(source, 'no offer found in this file');

    // Offers this source no longer holds are retired; a source that failed keeps everything it had.
    await writer.retire(owned.retirable(current), 'removed');
    const stamp = new Date().toISOString();
    writer.recordSource({
      source,
      kind: item.kind,
      ...(role ? { role } : {}),
      contentHash: firstProblem ? `partial:${contentHash}` : contentHash,
      status: 'ok',
      offerIds: [...current],
      lastSeen: stamp,
      lastChanged: previous?.contentHash === contentHash ? previous.lastChanged : stamp,
    });
  };

  for (const item of items) {
    try {
      await ingestItem(item);
    } catch (error) {
      if (!SourceError.isInstance(error)) throw error;
      if (NotOffersError.isInstance(error) && item.found) skipped.push({ source: error.source, reason: error.message });
      else if (!failedSources.has(error.source)) fail(error);
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
    unchanged: counts.unchanged,
    failed,
    skipped,
    offers: indexed.offers,
    chunks: indexed.chunks,
    sources: items.length,
    duplicates: writer.stats.duplicates,
    removed: writer.stats.removed - counts.expired,
    expired: counts.expired,
    recovered,
    seconds: Number(((performance.now() - started) / 1000).toFixed(2)),
  };
}

function toFailure(error: SourceError): SourceFailure {
  return { source: error.source, error: describeError(error) };
}

/** Two records of one source that resolve to the same id (a dataset listing a job twice) keep distinct ids. */
class UniqueIds {
  private readonly seen = new Map<string, number>();
  assign(offer: Offer): Offer {
    const n = this.seen.get(offer.offerId) ?? 0;
    this.seen.set(offer.offerId, n + 1);
    return n === 0 ? offer : { ...offer, offerId: `${offer.offerId}-${n}` };
  }
}
