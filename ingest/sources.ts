/**
 * Local source arguments → the files to parse. A file is taken as named (even with an unknown
 * extension, so the parser can say why it is unsupported); a directory is walked recursively for
 * supported files; a glob (`*`, `**`, `?`) is matched while walking from its literal prefix.
 * Output paths are absolute, sorted and de-duplicated, so two runs see the same list.
 */
import type { Dirent } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { extname, join, relative, resolve, sep } from 'node:path';
import { SourceError, describeError } from '../src/errors.ts';
import { SUPPORTED_EXTENSIONS } from './parse/index.ts';

export interface ExpandOptions {
  /** Relative arguments are resolved from here (default: process.cwd()). */
  cwd?: string;
}

export interface ExpandResult {
  files: string[];
  problems: SourceError[];
}

const isSupported = (path: string) => SUPPORTED_EXTENSIONS.includes(extname(path).toLowerCase());
const isSkippedDirectory = (name: string) => name.startsWith('.') || name === 'node_modules';
const hasGlob = (arg: string) => /[*?]/.test(arg);

function statProblem(arg: string, error: unknown): SourceError {
  const code = (error as NodeJS.ErrnoException).code;
  const reason =
    code === 'ENOENT' || code === 'ENOTDIR' ? 'no such file or directory'
    : code === 'EACCES' || code === 'EPERM' ? 'permission denied'
    : describeError(error);
  return new SourceError(arg, reason, { cause: error });
}

/**
 * Every file under `root` (iteratively: deep trees must not overflow the stack), skipping hidden
 * directories, node_modules and symbolic links to directories. `visit` sees each entry's path relative to root, with `/`
 * separators, and returns whether a directory should be descended into.
 */
async function walk(
  root: string,
  visit: (entry: { path: string; relativePath: string; isDirectory: boolean }) => boolean,
): Promise<void> {
  const pending = [root];
  while (pending.length > 0) {
    const directory = pending.pop()!;
    let entries: Dirent[];
    try {
      entries = await readdir(directory, { withFileTypes: true });
    } catch {
      continue; // an unreadable sub-directory is skipped, like the hidden ones
    }
    for (const entry of entries) {
      const path = join(directory, entry.name);
      const isDirectory = entry.isDirectory();
      if (entry.isSymbolicLink()) {
        // Linked files are followed; linked directories are not, so a walk can never loop.
        const target = await stat(path).catch(() => undefined);
        if (!target?.isFile()) continue;
      } else if (!isDirectory && !entry.isFile()) {
        continue;
      }
      if (isDirectory && isSkippedDirectory(entry.name)) continue;
      if (!isDirectory && entry.name.startsWith('.')) continue;
      const relativePath = relative(root, path).split(sep).join('/');
      const descend = visit({ path, relativePath, isDirectory });
      if (isDirectory && descend) pending.push(path);
    }
  }
}

async function filesUnder(directory: string): Promise<string[]> {
  const files: string[] = [];
  await walk(directory, ({ path, isDirectory }) => {
    if (!isDirectory && isSupported(path)) files.push(path);
    return true;
  });
  return files;
}

/** `*` and `?` stay inside one path segment; `**` spans any number of them (zero included). */
export function globToRegExp(pattern: string): RegExp {
  let source = '';
  for (let i = 0; i < pattern.length; i += 1) {
    const ch = pattern[i]!;
    if (ch === '*' && pattern[i + 1] === '*') {
      const slashAfter = pattern[i + 2] === '/';
      source += slashAfter ? '(?:.*/)?' : '.*';
      i += slashAfter ? 2 : 1;
    } else if (ch === '*') {
      source += '[^/]*';
    } else if (ch === '?') {
      source += '[^/]';
    } else {
      source += ch.replace(/[.+^${}()|[\]\\]/g, '\\$&');
    }
  }
  return new RegExp(`^${source}$`);
}

/** Splits `data/**\/*.md` into the directory to walk (`data`) and the pattern below it. */
function splitGlob(pattern: string): { base: string; rest: string } {
  const segments = pattern.split(/[\\/]/);
  const firstGlob = segments.findIndex(hasGlob);
  const base = segments.slice(0, firstGlob).join('/');
  return { base: base || (pattern.startsWith('/') ? '/' : '.'), rest: segments.slice(firstGlob).join('/') };
}

async function expandGlob(pattern: string, cwd: string): Promise<string[]> {
  const { base, rest } = splitGlob(pattern);
  const root = resolve(cwd, base);
  const matcher = globToRegExp(rest);
  const files: string[] = [];
  const matchedDirectories: string[] = [];
  try {
    await walk(root, ({ path, relativePath, isDirectory }) => {
      if (!matcher.test(relativePath)) return true;
      if (isDirectory) {
        // A matched directory is taken whole, as if it had been named.
        matchedDirectories.push(path);
        return false;
      }
      if (isSupported(path)) files.push(path);
      return true;
    });
  } catch {
    return []; // the literal prefix does not exist: nothing matches
  }
  for (const directory of matchedDirectories) files.push(...(await filesUnder(directory)));
  return files;
}

async function expandOne(arg: string, cwd: string): Promise<string[] | SourceError> {
  if (hasGlob(arg)) {
    const files = await expandGlob(arg, cwd);
    return files.length > 0 ? files : new SourceError(arg, `no supported files match (supported: ${SUPPORTED_EXTENSIONS.join(' ')})`);
  }
  const path = resolve(cwd, arg);
  try {
    const info = await stat(path);
    if (!info.isDirectory()) return [path];
    const files = await filesUnder(path);
    return files.length > 0 ? files : new SourceError(arg, `no supported files in this directory (supported: ${SUPPORTED_EXTENSIONS.join(' ')})`);
  } catch (error) {
    return statProblem(arg, error);
  }
}

export async function expandLocalSources(args: string[], options: ExpandOptions = {}): Promise<ExpandResult> {
  const cwd = options.cwd ?? process.cwd();
  const files = new Set<string>();
  const problems: SourceError[] = [];
  for (const arg of args) {
    const expanded = await expandOne(arg, cwd);
    if (expanded instanceof SourceError) problems.push(expanded);
    else for (const file of expanded) files.add(file);
  }
  // Code-unit order, not locale order: the same on every machine.
  return { files: [...files].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)), problems };
}
