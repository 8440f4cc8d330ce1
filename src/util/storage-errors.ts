import { FatalError } from '../errors.ts';

/**
 * Local storage failures (the data dir read-only or full, the record's SQLite file unwritable) as
 * FatalErrors with a fix, instead of "unexpected error" and a stack trace: they are the user's
 * to fix, and nothing in the run can work around them. Other errors: undefined.
 */
const ERRNO: Record<string, { what: string; fix: string }> = {
  EACCES: { what: 'permission denied', fix: 'make the data dir writable by this user, or pass --data-dir / set OFFERS_DATA_DIR to a writable one' },
  EPERM: { what: 'operation not permitted', fix: 'make the data dir writable by this user, or pass --data-dir / set OFFERS_DATA_DIR to a writable one' },
  EROFS: { what: 'read-only file system', fix: 'pass --data-dir / set OFFERS_DATA_DIR to a directory on a writable file system' },
  ENOSPC: { what: 'no space left on device', fix: 'free some disk space, or pass --data-dir / set OFFERS_DATA_DIR to a disk with room' },
  EDQUOT: { what: 'disk quota exceeded', fix: 'free some space within your quota, or use another --data-dir' },
};

const SQLITE: Array<{ code: RegExp; what: string; fix: string }> = [
  { code: /^SQLITE_READONLY/, what: 'the index record is read-only', fix: ERRNO.EACCES!.fix },
  { code: /^SQLITE_CANTOPEN/, what: 'the index record cannot be opened', fix: ERRNO.EACCES!.fix },
  { code: /^SQLITE_FULL/, what: 'no space left for the index record', fix: ERRNO.ENOSPC!.fix },
  { code: /^SQLITE_IOERR/, what: 'the index record could not be written (disk error)', fix: ERRNO.ENOSPC!.fix },
];

export function storageFatal(error: unknown): FatalError | undefined {
  if (!(error instanceof Error) || FatalError.isInstance(error)) return undefined;
  const { code } = error as NodeJS.ErrnoException;
  if (typeof code !== 'string') return undefined;
  const errno = ERRNO[code];
  if (errno) return new FatalError(`cannot write to the data dir, ${errno.what}: ${error.message}`, errno.fix, { cause: error });
  const sqlite = SQLITE.find((entry) => entry.code.test(code));
  if (sqlite) return new FatalError(`${sqlite.what}: ${error.message} (${code})`, sqlite.fix, { cause: error });
  return undefined;
}
