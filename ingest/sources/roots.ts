import { statSync } from 'node:fs';
import path from 'node:path';
import type { RecordStore } from '../../src/records/record-store.ts';
import type { SourceItem } from './item.ts';
import { expandLocalSources, fileItem, isGlob } from './local.ts';

/**
 * Ingest roots: the directories and globs given to `offers ingest`. The record keeps each file
 * as a source, which lets `reindex` see files change or disappear; it also keeps the roots, so
 * that `reindex` finds the files added to them since (a new offer dropped into an ingested folder).
 */

/** Records the directory and glob arguments among `args` (files are sources already). */
export function rememberRoots(records: RecordStore, args: readonly string[], role?: string): void {
  for (const arg of args) {
    const kind = pathKind(arg);
    if (kind === 'directory' || (kind === 'missing' && isGlob(arg))) records.putRoot(path.resolve(arg), role);
  }
}

/** Files under the recorded roots that are not recorded sources yet, with their root's role. */
export async function discoverNewFiles(records: RecordStore, known: ReadonlySet<string>): Promise<SourceItem[]> {
  const items = new Map<string, SourceItem>();
  for (const { root, role } of records.listRoots()) {
    // A root that is gone is no failure: its files are recorded sources, retired as gone.
    const { files } = await expandLocalSources([root]);
    for (const file of files) if (!known.has(file) && !items.has(file)) items.set(file, fileItem(file, { role, found: true }));
  }
  return [...items.values()];
}

function pathKind(arg: string): 'directory' | 'other' | 'missing' {
  try {
    return statSync(arg).isDirectory() ? 'directory' : 'other';
  } catch {
    return 'missing';
  }
}
