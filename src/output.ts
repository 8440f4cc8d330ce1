import { accessSync, constants, statSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { once } from 'node:events';
import path from 'node:path';
import { ExitCode, FatalError, OutputClosedError, UsageError } from './errors.ts';

/**
 * Two output channels (STYLE 8): people get progress and summaries on stderr, machines get
 * --json (or the answer itself) on stdout. Commands write through this so tests can capture both.
 *
 * Either channel may fail under the command: a closed pipe (`offers export | head -1`: EPIPE) or
 * a full disk (`offers export > /dev/full`: ENOSPC). Node reports those as 'error' events on
 * process.stdout / process.stderr, which crash the process when nobody listens ("Unhandled
 * 'error' event"); `guardStandardStreams` listens, and remembers the first failure of each:
 *  - stdout failed: the next result (or drain) throws OutputClosedError and the command stops;
 *  - stderr failed: messages are dropped, the command goes on;
 *  - then `exitStatusOfStreams` decides: a closed pipe changes nothing (the reader had all it
 *    wanted: exit 0 for a command that succeeded), any other failure (a full disk) is exit 1 and
 *    one line naming the output.
 */
export interface Output {
  /** stdout: the command's result. */
  result(text: string): void;
  /** stderr: messages for people. */
  info(text: string): void;
  /**
   * Lets stdout catch up (backpressure) and surfaces its failure: a command printing many lines
   * calls it every so often. Absent where there is nothing to wait for (in memory).
   */
  drain?(): Promise<void>;
}

type StreamName = 'stdout' | 'stderr';
const failures = new Map<StreamName, NodeJS.ErrnoException>();

let guarded = false;

/** Listens for the standard streams' failures, once per process (the CLI's entry point calls it). */
export function guardStandardStreams(): void {
  if (guarded) return;
  guarded = true;
  for (const name of ['stdout', 'stderr'] as const) {
    // Always ours, even if a listener is there already: a pipe() into stdout listens too, and
    // re-raises the error when it is the only listener.
    // The first failure is the cause; later ones are its consequences (writes to a destroyed stream).
    process[name].on('error', (error: NodeJS.ErrnoException) => void (failures.has(name) || failures.set(name, error)));
  }
}

/** What a failed output means for the command: OutputClosedError for a closed pipe, a FatalError with its fix otherwise. */
function outputFailure(output: string, error: NodeJS.ErrnoException): OutputClosedError | FatalError {
  if (error.code === 'EPIPE') return new OutputClosedError(`${output} was closed`, { cause: error });
  const full = error.code === 'ENOSPC' || error.code === 'EDQUOT';
  return new FatalError(
    `cannot write to ${output}: ${error.message}`,
    full ? `free some disk space, or send the output to a disk with room` : `check where ${output} goes`,
    { cause: error },
  );
}

/** Stops the command once its stdout is gone; what that means for the exit status is exitStatusOfStreams' to say, once. */
function throwIfFailed(name: StreamName): void {
  const failure = failures.get(name);
  if (failure) throw new OutputClosedError(`${name} failed: ${failure.message}`, { cause: failure });
}

const withNewline = (text: string) => (text.endsWith('\n') ? text : `${text}\n`);

export const processOutput: Output = {
  result(text) {
    throwIfFailed('stdout');
    process.stdout.write(withNewline(text));
  },
  info(text) {
    // Never throws: messages are written from callbacks and exit hooks too. A failed stderr is
    // judged once the command ends (exitStatusOfStreams).
    if (!failures.has('stderr')) process.stderr.write(withNewline(text));
  },
  async drain() {
    // Write errors arrive as events: give them a turn of the event loop.
    await new Promise((resolve) => setImmediate(resolve));
    throwIfFailed('stdout');
    if (process.stdout.writableNeedDrain) await once(process.stdout, 'drain').catch(() => undefined);
    throwIfFailed('stdout');
  },
};

/**
 * Once the command has returned `code`: waits until both streams have taken what was written
 * (process.exit drops what a pipe has not read yet), then turns a stream failure into the exit
 * status, saying which output failed when stderr can still say it.
 */
export async function exitStatusOfStreams(code: number): Promise<number> {
  for (const name of ['stdout', 'stderr'] as const) {
    // Only behind pending data: an empty write fails on a full disk too, even when nothing was lost.
    if (!failures.has(name) && process[name].writableLength > 0) await new Promise<void>((resolve) => process[name].write('', () => resolve()));
  }
  await new Promise((resolve) => setImmediate(resolve));
  let status = code;
  for (const [name, error] of failures) {
    const failure = outputFailure(name, error);
    if (OutputClosedError.isInstance(failure)) continue;
    status = ExitCode.fatal;
    if (!failures.has('stderr')) process.stderr.write(`offers: ${failure.message}\n  fix: ${failure.hint}\n`);
  }
  return status;
}

/**
 * Checks, before any work starts, that `--out` names a file that can be written: an existing
 * folder that this user may write in, and not a folder itself. A usage error naming the path.
 */
export function checkOutputFile(file: string): void {
  const target = path.resolve(file);
  const folder = path.dirname(target);
  const stats = (p: string) => {
    try {
      return statSync(p);
    } catch {
      return undefined;
    }
  };
  if (stats(target)?.isDirectory()) throw new UsageError(`--out ${file} is a folder; give a file in it, such as ${path.join(file, 'answer.md')}`);
  const parent = stats(folder);
  if (!parent) throw new UsageError(`--out ${file}: the folder ${folder} does not exist; create it (mkdir -p ${folder}) or choose another path`);
  if (!parent.isDirectory()) throw new UsageError(`--out ${file}: ${folder} is not a folder; choose another path`);
  try {
    accessSync(stats(target) ? target : folder, constants.W_OK);
  } catch (error) {
    throw new UsageError(`--out ${file}: cannot write ${stats(target) ? 'this file' : `in ${folder}`} (${(error as NodeJS.ErrnoException).code}); choose another path`);
  }
}

/** Writes a command's result to `--out`; a failure names the file (a closed FIFO ends quietly, like stdout). */
export async function writeOutputFile(file: string, text: string): Promise<void> {
  try {
    await writeFile(file, text);
  } catch (error) {
    throw outputFailure(file, error as NodeJS.ErrnoException);
  }
}

/** Collects both channels in memory: what tests that call a command in process read its output from. */
export function memoryOutput(): Output & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { stdout, stderr, result: (t) => stdout.push(t), info: (t) => stderr.push(t) };
}
