import { realpathSync } from 'node:fs';
import path from 'node:path';

/**
 * The canonical form of a path that may not exist yet: its deepest existing ancestor resolved
 * through symlinks, the rest appended. A data dir reached through a symlink and by its real path
 * must key the same lock, the same embedded server and the same record: compared as given, two
 * Chroma servers could run on one directory.
 */
export function realPath(target: string): string {
  const absolute = path.resolve(target);
  const missing: string[] = [];
  for (let current = absolute; ; current = path.dirname(current)) {
    try {
      return path.join(realpathSync(current), ...missing);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      // Anything but "not there (yet)" (a loop of links, no permission): the path as given.
      if (code !== 'ENOENT' && code !== 'ENOTDIR') return absolute;
    }
    if (path.dirname(current) === current) return absolute;
    missing.unshift(path.basename(current));
  }
}
