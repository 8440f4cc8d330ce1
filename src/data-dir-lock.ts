import { mkdirSync, rmSync, statSync, utimesSync } from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { DataDirBusyError } from './errors.ts';
import { createExclusiveFile, isRunning, processStartTime, readTextFile } from './util/pid-file.ts';
import { realPath } from './util/real-path.ts';

/**
 * The data-dir lock: `<data dir>/offers.lock` makes the commands that change the index (ingest,
 * reindex, each run of schedule) take turns, and makes the commands that read it (query, stats,
 * export) wait for the change in progress to finish. A reader never sees a batch half-applied
 * (chunks written, record not yet committed), and two writers never interleave their batches.
 *
 * The file names its holder: { pid, pidStart, host, command, startedAt }. A holder is gone when
 * its pid is dead, or now belongs to another process (pidStart differs), on this host. A lock
 * from another host (a shared volume) can't be judged by pid, so the holder refreshes the file's
 * mtime while it runs, and one not refreshed for STALE_AFTER_MS is taken as abandoned.
 *
 * The second command waits, saying so once, up to its --wait; then it exits with ExitCode.busy
 * (DataDirBusyError). A stale lock is removed and taken over, with a line saying so.
 */

export interface LockHolder {
  pid: number;
  pidStart?: string;
  host: string;
  command: string;
  startedAt: string;
}

export interface DataDirLock {
  readonly path: string;
  /** Removes the lock if it is still ours; idempotent. */
  release(): void;
}

export interface LockWaitOptions {
  /** What this process is doing, shown to the one that waits for it (`ingest`, `reindex`, …). */
  command: string;
  /** How long to wait for the holder to finish; 0 fails at once when the lock is held. */
  waitMs: number;
  log?: (line: string) => void;
}

export interface AcquireLockOptions extends LockWaitOptions {
  /**
   * Release the lock on SIGINT/SIGTERM/SIGHUP (default). `offers schedule` says false: it stops
   * gracefully and releases the lock itself once its run is over, so no other writer starts while
   * that run still writes.
   */
  releaseOnSignal?: boolean;
}

export const LOCK_FILE = 'offers.lock';
const POLL_MS = 200;
const REFRESH_MS = 30_000;
const STALE_AFTER_MS = 120_000;
const EXIT_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/** Takes the lock for a command that changes the index, waiting for the current holder up to `waitMs`. */
export async function acquireDataDirLock(dataDir: string, options: AcquireLockOptions): Promise<DataDirLock> {
  const file = lockPath(dataDir);
  mkdirSync(path.dirname(file), { recursive: true });
  return acquireFileLock(file, { ...options, messages: dataDirMessages(path.dirname(file), file) });
}

/** For commands that read the index: returns once no command is changing it (without taking the lock). */
export async function waitForDataDir(dataDir: string, options: LockWaitOptions): Promise<void> {
  const file = lockPath(dataDir);
  await waitForTurn(file, { ...options, messages: dataDirMessages(path.dirname(file), file), reader: true }, () => readTextFile(file) === undefined);
}

/** What a lock's waiters are told, given a description of its holder. */
export interface LockMessages {
  waiting(holder: string): string;
  busy(holder: string): DataDirBusyError;
}

/**
 * The same protocol for any lock file (the embedded Chroma server's state is guarded by one:
 * src/store/chroma-server.ts): exclusive creation, a holder judged gone by pid or age, waiting
 * up to `waitMs`, release on exit and (unless told otherwise) on SIGINT/SIGTERM/SIGHUP.
 */
export async function acquireFileLock(file: string, options: AcquireLockOptions & { messages: LockMessages }): Promise<DataDirLock> {
  const text = holderText(options.command);
  await waitForTurn(file, options, () => tryCreate(file, text));
  return holdLock(file, text, options.releaseOnSignal ?? true);
}

/**
 * Runs `fn` holding the lock if it is free at this instant, and returns whether it ran.
 * Synchronous, without waiting: for an exit hook, where nothing asynchronous runs any more.
 */
export function withLockIfFree(file: string, command: string, fn: () => void): boolean {
  const text = holderText(command);
  if (!tryCreate(file, text)) return false;
  try {
    fn();
  } finally {
    if (readTextFile(file) === text) rmSync(file, { force: true });
  }
  return true;
}

function holderText(command: string): string {
  const me: LockHolder = { pid: process.pid, host: hostname(), command, startedAt: new Date().toISOString() };
  const pidStart = processStartTime(process.pid);
  if (pidStart) me.pidStart = pidStart;
  return `${JSON.stringify(me)}\n`;
}

function tryCreate(file: string, text: string): boolean {
  try {
    createExclusiveFile(file, text);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
}

function dataDirMessages(dir: string, file: string): LockMessages {
  return {
    waiting: (holder) => `waiting for ${holder} to finish with ${dir}`,
    busy: (holder) =>
      new DataDirBusyError(
        `data dir ${dir} is busy: ${holder} is changing the index`,
        `wait for it to finish, pass --wait SECONDS to wait longer, or remove ${file} if that process is really gone`,
      ),
  };
}

/** In the data dir's real path: through a symlink or not, one data dir has one lock. */
export function lockPath(dataDir: string): string {
  return path.join(realPath(dataDir), LOCK_FILE);
}

/** Whether the holder named by a lock file is gone (pure, given the facts about its process). */
export function isStale(holder: LockHolder | undefined, facts: { host: string; running: (pid: number) => boolean; startTime: (pid: number) => string | undefined; ageMs: number }): boolean {
  if (!holder) return facts.ageMs > STALE_AFTER_MS; // unreadable: a holder killed mid-write can't happen (atomic), so only garbage
  if (holder.host !== facts.host) return facts.ageMs > STALE_AFTER_MS;
  if (!facts.running(holder.pid)) return true;
  const start = facts.startTime(holder.pid);
  return holder.pidStart !== undefined && start !== undefined && start !== holder.pidStart;
}

/** Polls `tryOnce` until it succeeds, clearing stale locks on the way; throws the busy error at the deadline. */
async function waitForTurn(file: string, options: LockWaitOptions & { messages: LockMessages; reader?: boolean }, tryOnce: () => boolean): Promise<void> {
  const log = options.log ?? (() => {});
  const deadline = Date.now() + options.waitMs;
  let announced = false;
  for (;;) {
    if (tryOnce()) return;
    const found = readHolder(file);
    if (!found) continue; // released between our attempt and this read
    if (isStale(found.holder, { host: hostname(), running: isRunning, startTime: processStartTime, ageMs: found.ageMs })) {
      log(`removing the lock left by ${describeHolder(found.holder)}, which is gone`);
      try {
        // Only the file judged stale: another command may have replaced it meanwhile.
        if (readTextFile(file) === found.text) rmSync(file, { force: true });
      } catch (error) {
        // A read-only copy of a data dir may hold the lock of the run it was copied during: a
        // reader goes on without removing it (nobody can write there); a writer can't anyway.
        if (options.reader) return;
        throw error;
      }
      continue;
    }
    if (Date.now() >= deadline) throw options.messages.busy(describeHolder(found.holder));
    if (!announced) {
      announced = true;
      log(`${options.messages.waiting(describeHolder(found.holder))} (up to ${Math.ceil(options.waitMs / 1000)} s, --wait)`);
    }
    await sleep(POLL_MS);
  }
}

function readHolder(file: string): { text: string; holder?: LockHolder; ageMs: number } | undefined {
  const text = readTextFile(file);
  if (text === undefined) return undefined;
  let ageMs = 0;
  try {
    ageMs = Date.now() - statSync(file).mtimeMs;
  } catch {
    return undefined;
  }
  try {
    const holder = JSON.parse(text) as Partial<LockHolder>;
    if (Number.isInteger(holder.pid) && typeof holder.host === 'string') return { text, holder: holder as LockHolder, ageMs };
  } catch {
    // Not ours to interpret: judged by age alone.
  }
  return { text, ageMs };
}

function describeHolder(holder: LockHolder | undefined): string {
  if (!holder) return 'another offers process';
  const where = holder.host === hostname() ? '' : ` on ${holder.host}`;
  return `offers ${holder.command} (pid ${holder.pid}${where}, since ${holder.startedAt})`;
}

/**
 * Keeps the lock fresh while held, and releases it on exit and on SIGINT/SIGTERM/SIGHUP. The
 * signal handler re-raises the signal only when no one else listens for it (the embedded Chroma
 * server and `offers schedule` listen too), so each cleans up and the last one ends the process.
 */
function holdLock(file: string, text: string, releaseOnSignal: boolean): DataDirLock {
  const refresh = setInterval(() => {
    const now = new Date();
    try {
      if (readTextFile(file) === text) utimesSync(file, now, now);
    } catch {
      // The next refresh tries again; a lock gone missing is not ours to recreate.
    }
  }, REFRESH_MS);
  refresh.unref();
  let released = false;
  const release = (): void => {
    if (released) return;
    released = true;
    clearInterval(refresh);
    process.off('exit', release);
    for (const signal of EXIT_SIGNALS) process.off(signal, onSignal);
    if (readTextFile(file) === text) rmSync(file, { force: true });
  };
  const onSignal = (signal: NodeJS.Signals): void => {
    release();
    if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
  };
  process.on('exit', release);
  if (releaseOnSignal) for (const signal of EXIT_SIGNALS) process.on(signal, onSignal);
  return { path: file, release };
}
