import { linkSync, readFileSync, rmSync, writeFileSync } from 'node:fs';

/**
 * Small process and file primitives shared by the data-dir lock and the embedded Chroma server's
 * state file: both record "which process holds this" in a file that must appear atomically and
 * whose holder may have died without cleaning up.
 */

/**
 * Writes `text` to `file` only if no such file exists, atomically: a complete file appears, or
 * EEXIST is thrown. Of two processes racing, exactly one wins, and nobody reads a half-written file.
 */
export function createExclusiveFile(file: string, text: string): void {
  const temp = `${file}.${process.pid}.tmp`;
  writeFileSync(temp, text);
  try {
    linkSync(temp, file);
  } finally {
    rmSync(temp, { force: true });
  }
}

/** The file's text, or undefined when it does not exist (or can't be read). */
export function readTextFile(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

/** Alive and not a zombie (a zombie has exited; it only waits for its parent to reap it). */
export function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return true;
  }
}

/**
 * When the process started, in clock ticks since boot (Linux /proc), so that a pid recycled by
 * an unrelated process is not mistaken for the one recorded. Undefined where /proc is missing.
 */
export function processStartTime(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces): state is field 3, starttime field 22.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}
