import { sha1 } from '../src/util/hash.ts';
import type { Workspace } from '../src/workspace.ts';

/**
 * Bumped whenever parsing, segmentation, role inference, facts or chunking change what a source yields,
 * so that unchanged files are derived again after an upgrade instead of being skipped.
 */
export const PIPELINE_VERSION = '4';

/**
 * Identifies how offers are derived from sources (this pipeline's version and the catalogues it
 * reads): part of every content hash, so extending a catalogue re-derives offers instead of
 * skipping them.
 */
export function derivationOf(workspace: Pick<Workspace, 'roles' | 'themes'>): string {
  return sha1(`${PIPELINE_VERSION}\n${JSON.stringify(workspace.roles.data)}\n${JSON.stringify(workspace.themes.themes)}`);
}
