/**
 * Local source arguments → the files to parse. A path that exists is taken as named: a file even
 * with an unknown extension (so the parser can say why it is unsupported), or a directory, walked
 * recursively for supported files. Otherwise an argument with glob syntax (`*`, `**`, `?`, `[kl]`,
 * `{a,b}`) is matched by tinyglobby; a directory it matches is taken whole, and `\*` stands for a
 * literal `*`. Output paths are absolute, sorted and de-duplicated, so two runs see the same list.
 */
import { type Stats, stat as statCallback } from 'node:fs';
import { stat } from 'node:fs/promises';
import { extname, resolve } from 'node:path';
import { type FileSystemAdapter, glob, isDynamicPattern } from 'tinyglobby';
import { SourceError, describeError } from '../../src/errors.ts';
import { byteLimitForExtension, SUPPORTED_EXTENSIONS } from '../parse/index.ts';
import { readSourceFile } from '../read-file.ts';
import type { SourceItem } from './item.ts';

export interface ExpandOptions {
  /** Relative arguments are resolved from here (default: process.cwd()). */
  cwd?: string;
}

export interface ExpandResult {
  files: string[];
  /** The files among `files` that an argument named, rather than a directory walk or a glob found. */
  named: ReadonlySet<string>;
  problems: SourceError[];
  /** The arguments naming a path that does not exist (and no glob): each is among the problems too. */
  missing: string[];
}

const isSupported = (path: string) => SUPPORTED_EXTENSIONS.includes(extname(path).toLowerCase());

/** The fix a user needs for a path that is not there: often a typo, or a glob the shell expanded first. */
export const MISSING_PATH_FIX = "check the path, and quote a glob ('offers/**/*.md') so that the shell leaves it to offers";

const isMissing = (error: NodeJS.ErrnoException) => error.code === 'ENOENT' || error.code === 'ENOTDIR';

function statProblem(arg: string, error: NodeJS.ErrnoException): SourceError {
  const code = error.code;
  const reason =
    isMissing(error) ? `no such file or directory (${MISSING_PATH_FIX})`
    : code === 'EACCES' || code === 'EPERM' ? 'permission denied'
    : describeError(error);
  return new SourceError(arg, reason, { cause: error });
}

/** Whether an argument that names no existing path is a glob (a file named `a*.md` that exists is a path). */
export const isGlob = (arg: string) => isDynamicPattern(arg);

/**
 * The walker (fdir, under tinyglobby) calls `stat` only to resolve a symbolic link: refusing
 * directories there means linked files are followed and linked directories are not, so a walk can
 * never loop or leave the tree it was given. (Cast: only the two-argument form is called.)
 */
const notIntoLinkedDirectories: FileSystemAdapter = {
  stat: ((path: string, callback: (error: NodeJS.ErrnoException | null, stats?: Stats) => void) => {
    statCallback(path, (error, stats) => {
      if (!error && stats.isDirectory()) callback(Object.assign(new Error(`${path}: a linked directory, not followed`), { code: 'ELOOP' }));
      else callback(error, stats);
    });
  }) as NonNullable<FileSystemAdapter['stat']>,
};

/** Supported files matching the patterns: hidden files and directories and node_modules skipped. */
async function matchFiles(patterns: string[], cwd: string): Promise<string[]> {
  const paths = await glob(patterns, {
    cwd,
    absolute: true,
    dot: false,
    ignore: ['**/node_modules/**'],
    followSymbolicLinks: true,
    fs: notIntoLinkedDirectories,
  });
  return paths.filter(isSupported);
}

/** The files of one argument, or why there are none. */
async function expandOne(arg: string, cwd: string): Promise<{ files: string[]; named: boolean } | SourceError> {
  const path = resolve(cwd, arg);
  const info = await stat(path).catch((error: unknown) => error as NodeJS.ErrnoException);
  if (info instanceof Error && isGlob(arg)) {
    // `pattern/**` takes every directory the pattern matches whole, as if it had been named.
    const files = await matchFiles([arg, `${arg}/**`], cwd);
    return files.length > 0 ? { files, named: false } : new SourceError(arg, `no supported files match (supported: ${SUPPORTED_EXTENSIONS.join(' ')})`);
  }
  if (info instanceof Error) return statProblem(arg, info);
  if (!info.isDirectory()) return { files: [path], named: true };
  const files = await matchFiles(['**'], path);
  return files.length > 0 ? { files, named: false } : new SourceError(arg, `no supported files in this directory (supported: ${SUPPORTED_EXTENSIONS.join(' ')})`);
}

export async function expandLocalSources(args: string[], options: ExpandOptions = {}): Promise<ExpandResult> {
  const cwd = options.cwd ?? process.cwd();
  const files = new Set<string>();
  const named = new Set<string>();
  const problems: SourceError[] = [];
  const missing: string[] = [];
  for (const arg of args) {
    const expanded = await expandOne(arg, cwd);
    if (SourceError.isInstance(expanded)) {
      problems.push(expanded);
      if (expanded.cause instanceof Error && isMissing(expanded.cause)) missing.push(arg);
      continue;
    }
    // One at a time: a spread of 130k paths overflows the call stack.
    for (const file of expanded.files) {
      files.add(file);
      if (expanded.named) named.add(file);
    }
  }
  // Code-unit order, not locale order: the same on every machine.
  return { files: [...files].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)), named, problems, missing };
}

/** The item that reads one local file, whole, within the byte limit of its kind. */
export function fileItem(file: string, options: { role?: string | undefined; found?: boolean } = {}): SourceItem {
  const source = resolve(file);
  const extension = extname(source);
  return {
    source,
    kind: 'file',
    ...(options.role ? { role: options.role } : {}),
    ...(options.found ? { found: true } : {}),
    async load() {
      return { bytes: await readSourceFile(source, byteLimitForExtension(extension)), hint: { extension } };
    },
  };
}
