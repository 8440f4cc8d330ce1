/**
 * Raw snapshots: every fetched body, kept under `<data dir>/snapshots/` so that a parser
 * improvement can be applied to everything fetched before without the network
 * (`offers reindex --offline`). Bodies are stored once per content hash (`bodies/<sha1>`); each URL
 * has a small JSON entry (`urls/<sha1 of url>.json`) naming its latest body, type and fetch time.
 * Both are written to a temporary file and renamed, so a killed run never leaves half a snapshot.
 */
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { sha1 } from '../../src/util/hash.ts';
import type { FetchedPage } from './http-client.ts';

/** A URL's entry as stored, the file store's and the Postgres one's alike. */
const snapshotEntrySchema = z.object({
  url: z.string(),
  finalUrl: z.string(),
  status: z.number().int(),
  contentType: z.string().optional(),
  // A sha1, as snapshotEntry writes it: it names the body file to read, so a damaged entry must not name another path.
  contentHash: z.string().regex(/^[0-9a-f]{40}$/),
  fetchedAt: z.string(),
});

export type SnapshotEntry = z.infer<typeof snapshotEntrySchema>;

/** The entry a stored text holds, or undefined when it holds none: a corrupt entry is a page never fetched. */
export function parseSnapshotEntry(text: string): SnapshotEntry | undefined {
  try {
    const parsed = snapshotEntrySchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Where a run keeps what it fetched: the data dir's files (SnapshotStore), or with a shared record
 * its Postgres database (pg-snapshots.ts), so that `reindex --offline` works from any machine.
 */
export interface Snapshots {
  save(page: FetchedPage): Promise<SnapshotEntry>;
  /** The latest snapshot of `url`, or undefined when it was never fetched. */
  load(url: string): Promise<FetchedPage | undefined>;
  /** Forgets the bodies no URL names any more, after a run that went through; returns how many went. */
  prune(): Promise<number>;
  close(): Promise<void>;
}

/** What a snapshot records of a fetched page besides its body (stored once per content hash). */
export function snapshotEntry(page: FetchedPage): SnapshotEntry {
  return {
    url: page.url,
    finalUrl: page.finalUrl,
    status: page.status,
    ...(page.contentType ? { contentType: page.contentType } : {}),
    contentHash: sha1(page.body),
    fetchedAt: page.fetchedAt,
  };
}

/** The page a snapshot gives back: its entry and its body. */
export function snapshotPage(entry: SnapshotEntry, body: Buffer): FetchedPage {
  return {
    url: entry.url,
    finalUrl: entry.finalUrl,
    status: entry.status,
    ...(entry.contentType ? { contentType: entry.contentType } : {}),
    body,
    fetchedAt: entry.fetchedAt,
  };
}

export class SnapshotStore implements Snapshots {
  constructor(readonly dir: string) {}

  static forDataDir(dataDir: string): SnapshotStore {
    return new SnapshotStore(path.join(dataDir, 'snapshots'));
  }

  async save(page: FetchedPage): Promise<SnapshotEntry> {
    const entry = snapshotEntry(page);
    const body = this.bodyPath(entry.contentHash);
    if (!existsSync(body)) await writeAtomically(body, page.body);
    await writeAtomically(this.entryPath(page.url), `${JSON.stringify(entry, null, 2)}\n`);
    return entry;
  }

  /** The latest snapshot of `url`, or undefined when it was never fetched. */
  async load(url: string): Promise<FetchedPage | undefined> {
    const entry = await readFile(this.entryPath(url), 'utf8').then(parseSnapshotEntry, () => undefined);
    if (!entry) return undefined;
    const body = await readFile(this.bodyPath(entry.contentHash)).catch(() => undefined);
    return body && snapshotPage(entry, body);
  }

  /**
   * Deletes the bodies that no URL entry names any more (a page with a timestamp in it left one
   * body per run), and the temporary files of killed runs; returns how many files went. Called at
   * the end of a run that went through, under the data-dir lock, so no save is in flight; and an
   * entry is only ever written after its body, so no body an entry names is ever deleted.
   */
  async prune(): Promise<number> {
    const entries = await listFiles(path.join(this.dir, 'urls'));
    const named = new Set<string>();
    let removed = 0;
    for (const file of entries) {
      if (file.endsWith('.tmp')) {
        await rm(file, { force: true });
        removed++;
        continue;
      }
      // An entry that can't be read serves nothing (load can't read it either): it keeps no body.
      const entry = await readFile(file, 'utf8').then(parseSnapshotEntry, () => undefined);
      if (entry) named.add(entry.contentHash);
    }
    for (const file of await listFiles(path.join(this.dir, 'bodies'))) {
      if (named.has(path.basename(file))) continue;
      await rm(file, { force: true });
      removed++;
    }
    return removed;
  }

  async close(): Promise<void> {}

  private entryPath(url: string): string {
    return path.join(this.dir, 'urls', `${sha1(url)}.json`);
  }

  private bodyPath(contentHash: string): string {
    return path.join(this.dir, 'bodies', contentHash.slice(0, 2), contentHash);
  }
}

/** Every file under `dir` (none when it does not exist yet). */
async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries.filter((entry) => entry.isFile()).map((entry) => path.join(entry.parentPath, entry.name));
}

async function writeAtomically(file: string, data: string | Uint8Array): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  await writeFile(temporary, data);
  await rename(temporary, file);
}
