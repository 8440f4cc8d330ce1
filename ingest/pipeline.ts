import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describeError, SourceError } from '../src/errors.ts';
import type { Workspace } from '../src/workspace.ts';
import { sha1 } from '../src/util/hash.ts';
import { createProgress } from '../src/util/progress.ts';
import type { Offer } from '../src/types.ts';
import { chunkOffer } from './chunk.ts';
import { IndexWriter } from './index-writer.ts';
import { normaliseOffer, offerFingerprint } from './normalise.ts';
import { parseBytes } from './parse/index.ts';
import { expandLocalSources } from './sources.ts';


export interface IngestOptions {
  /** `--role`: force this role label on every offer of the run. */
  role?: string;
  /** Expiry is judged against this instant (tests pin it). */
  now?: Date;
}

/** One file to read, with the role forced on its offers, if any. */
export interface FileSource {
  file: string;
  role?: string;
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
}

/** `offers ingest <source...>`: files, directories and globs. */
export async function ingestSources(workspace: Workspace, args: string[], options: IngestOptions = {}): Promise<IngestResult> {
  const { files, problems } = await expandLocalSources(args);
  const sources = files.map((file) => ({ file, ...(options.role ? { role: options.role } : {}) }));
  return ingestFiles(workspace, sources, problems.map(toFailure), options);
}

/**
 * `offers reindex`: every recorded source again, with the role it was first ingested with.
 * A file that is gone takes its offers out of the index (their history stays in the record).
 */
export async function reindexAll(workspace: Workspace, options: Omit<IngestOptions, 'role'> = {}): Promise<IngestResult> {
  const present: FileSource[] = [];
  const gone: string[] = [];
  for (const source of workspace.records.listSources()) {
    if (existsSync(source.source)) present.push({ file: source.source, ...(source.role ? { role: source.role } : {}) });
    else gone.push(source.source);
  }
  return ingestFiles(workspace, present, [], options, gone);
}

async function ingestFiles(workspace: Workspace, files: FileSource[], failed: SourceFailure[], options: IngestOptions, gone: string[] = []): Promise<IngestResult> {
  const started = performance.now();
  const { records } = workspace;
  const writer = new IndexWriter(workspace.store, records, workspace.embedder);
  const recovered = await writer.recover();
  const now = options.now ?? new Date();
  const seenFingerprints = new Map<string, string>();
  let unchanged = 0;
  let expired = 0;
  const touched = new Set<string>();
  const progress = createProgress('ingest', files.length);

  for (const { file, role } of files) {
    const source = path.resolve(file);
    try {
      const bytes = await readFile(source).catch((error: NodeJS.ErrnoException) => {
        throw new SourceError(source, `cannot read: ${error.code ?? error.message}`, { cause: error });
      });
      const contentHash = sha1(`${workspace.derivation}\n${role ?? ''}\n${sha1(bytes)}`);
      const previous = records.getSource(source);
      if (previous?.status === 'ok' && previous.contentHash === contentHash) {
        // Nothing about this file changed: skip parsing and embedding entirely.
        unchanged += previous.offerIds.length;
        previous.offerIds.forEach((id) => touched.add(id));
        progress.tick();
        continue;
      }

      const parsed = await parseBytes(bytes, source, { extension: path.extname(source) });
      failed.push(...parsed.problems.map(toFailure));
      if (parsed.offers.length === 0) throw parsed.problems[0] ?? new SourceError(source, 'no offer found in this file');

      const offers = uniqueIds(parsed.offers.map((raw) => normaliseOffer(raw, { roles: workspace.roles, derivation: workspace.derivation, ...(role ? { forcedRole: role } : {}) })));
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
        const fingerprint = offerFingerprint(offer);
        const canonicalId = seenFingerprints.get(fingerprint) ?? records.findCanonical(fingerprint, offer.offerId)?.offerId;
        if (canonicalId && canonicalId !== offer.offerId) {
          await writer.writeDuplicate(offer, fingerprint, canonicalId);
          continue;
        }
        seenFingerprints.set(fingerprint, offer.offerId);
        await writer.write(offer, await chunkOffer(offer, { themes: workspace.themes }), fingerprint);
      }
      // Offers this source no longer holds are retired; a source that failed keeps everything it had.
      const current = new Set(offers.map((o) => o.offerId));
      await writer.retire((previous?.offerIds ?? []).filter((id) => !current.has(id)), 'removed');
      const stamp = new Date().toISOString();
      writer.recordSource({
        source,
        kind: 'file',
        ...(role ? { role } : {}),
        contentHash: parsed.problems.length > 0 ? `partial:${contentHash}` : contentHash,
        status: 'ok',
        offerIds: [...current],
        lastSeen: stamp,
        lastChanged: previous?.contentHash === contentHash ? previous.lastChanged : stamp,
      });
    } catch (error) {
      if (!(error instanceof SourceError)) throw error;
      if (!failed.some((f) => f.source === error.source)) failed.push(toFailure(error));
    }
    progress.tick(failed.length > 0 ? `${failed.length} failed` : '');
  }
  for (const source of gone) {
    const previous = records.getSource(source);
    await writer.retire(previous?.offerIds ?? [], 'removed');
    if (previous) writer.recordSource({ ...previous, offerIds: [], lastSeen: new Date().toISOString(), error: 'source no longer exists' });
  }
  await writer.flush();
  progress.done();

  const indexed = [...touched].map((id) => records.getOffer(id)).filter((r) => r?.status === 'active');
  return {
    ingested: writer.stats.written,
    new: writer.stats.created,
    changed: writer.stats.changed,
    unchanged,
    failed,
    offers: indexed.length,
    chunks: indexed.reduce((sum, r) => sum + (r?.chunkIds.length ?? 0), 0),
    sources: files.length,
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
