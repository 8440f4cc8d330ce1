/**
 * Reads one local source file, and only a regular file. A FIFO named `offer.md` blocked `open`
 * (and the data-dir lock with it) until something wrote to it; `/dev/zero` never ends. So the file
 * is opened with O_NONBLOCK (opening a FIFO returns at once), judged by fstat on the open
 * descriptor (the file judged is the file read), and read with the size limit enforced as it is
 * read, not only on the size fstat reports: a file that grows while it is read is cut off too.
 */
import { constants, type Stats } from 'node:fs';
import { open } from 'node:fs/promises';
import { SourceError } from '../src/errors.ts';

const MB = 1024 * 1024;
/** "60 MB", or "20.0 MB" for 20 MB and a byte, which must not read as the limit itself. */
const megabytes = (bytes: number) => `${bytes % MB === 0 ? bytes / MB : (bytes / MB).toFixed(1)} MB`;

export function tooLarge(source: string, size: number, limit: number): SourceError {
  return new SourceError(source, `file too large: ${megabytes(size)} (limit ${megabytes(limit)})`);
}

function kindOf(info: Stats): string {
  if (info.isDirectory()) return 'a directory';
  if (info.isFIFO()) return 'a FIFO (named pipe)';
  if (info.isCharacterDevice()) return 'a character device';
  if (info.isBlockDevice()) return 'a block device';
  if (info.isSocket()) return 'a socket';
  return 'a special file';
}

function readProblem(path: string, error: NodeJS.ErrnoException): SourceError {
  const reason =
    error.code === 'ENOENT' ? 'no such file or directory'
    : error.code === 'EACCES' || error.code === 'EPERM' ? 'permission denied'
    : `cannot read: ${error.code ?? error.message}`;
  return new SourceError(path, reason, { cause: error });
}

/** The bytes of the regular file at `path`, at most `limit` of them; a SourceError otherwise. */
export async function readSourceFile(path: string, limit: number): Promise<Uint8Array> {
  const handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK).catch((error: NodeJS.ErrnoException) => {
    throw readProblem(path, error);
  });
  try {
    const info = await handle.stat();
    if (!info.isFile()) throw new SourceError(path, `is ${kindOf(info)}, not a regular file: only regular files are read`);
    if (info.size > limit) throw tooLarge(path, info.size, limit);
    // One byte more than the limit allows tells a file that grew past it.
    let buffer = Buffer.allocUnsafe(Math.min(info.size, limit) + 1);
    let length = 0;
    for (;;) {
      if (length === buffer.length) {
        if (length > limit) throw tooLarge(path, length, limit);
        const grown = Buffer.allocUnsafe(Math.min(buffer.length * 2, limit + 1));
        buffer.copy(grown, 0, 0, length);
        buffer = grown;
      }
      const { bytesRead } = await handle.read(buffer, length, buffer.length - length, null);
      if (bytesRead === 0) break;
      length += bytesRead;
    }
    if (length > limit) throw tooLarge(path, length, limit);
    return buffer.subarray(0, length);
  } catch (error) {
    throw SourceError.isInstance(error) ? error : readProblem(path, error as NodeJS.ErrnoException);
  } finally {
    await handle.close();
  }
}
