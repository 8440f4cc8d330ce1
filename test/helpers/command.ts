import type { ExitCode } from '../../src/errors.ts';
import { loadThemeCatalog } from '../../src/catalog/themes.ts';
import { resolveConfig } from '../../src/config.ts';
import { memoryOutput, type Output } from '../../src/output.ts';
import { reportFailure } from '../../src/program.ts';
import { connectStore, type StoreConnection } from '../../src/store/connect.ts';
import { createEmbedder } from '../../src/workspace.ts';
import type { CliRun } from './cli.ts';

/**
 * A command function called in process over the data dir and the store it is told of, rather than
 * those of test/helpers/in-process.ts (a scratch data dir of its own and one store it injects in
 * every call). For the tests that need what in-process.ts does not give:
 *  - the command's own connection path: a CHROMA_URL and an OFFERS_DATABASE_URL read from the
 *    environment, as each machine of a team reads them (no store is injected unless given);
 *  - a data dir that the real binary uses too, before or after, in the same test file;
 *  - a command still running while the test acts (a reader waiting for a lock).
 * A failure becomes its exit code and stderr line as the entry point makes them (reportFailure).
 */

/** What a command function takes to print; everything else is its options. */
type Printing = { output?: Output };

export interface StartedCommand {
  /** What the command wrote on stderr so far. */
  stderr(): string;
  /** Whether the command has returned. */
  done(): boolean;
  result: Promise<CliRun>;
}

/**
 * Starts `command` with `options` and an in-memory output. `env`, when given, is what the
 * command reads of the environment (src/config.ts reads process.env): it is set for the run
 * only, then put back (withEnv).
 */
export function startCommand<O extends Printing>(command: (options: O) => Promise<ExitCode>, options: Omit<O, keyof Printing>, env?: Record<string, string>): StartedCommand {
  const output = memoryOutput();
  let finished = false;
  const call = async (): Promise<ExitCode> => {
    try {
      return await command({ ...options, output } as unknown as O);
    } catch (error) {
      return reportFailure(error, (text) => output.info(text.replace(/\n$/, '')));
    }
  };
  const result = (env ? withEnv(env, call) : call()).then((code) => {
    finished = true;
    return { code, stdout: lines(output.stdout), stderr: lines(output.stderr) };
  });
  return { stderr: () => lines(output.stderr), done: () => finished, result };
}

/** Runs `command` to its end: see startCommand. */
export function runCommand<O extends Printing>(command: (options: O) => Promise<ExitCode>, options: Omit<O, keyof Printing>, env?: Record<string, string>): Promise<CliRun> {
  return startCommand(command, options, env).result;
}

/** What the channel would hold had it been a stream: every text ends its line. */
const lines = (texts: readonly string[]) => texts.map((t) => (t.endsWith('\n') ? t : `${t}\n`)).join('');

/** Set while withEnv runs: two overlapping runs would each see, and then restore, the other's variables. */
let envInUse = false;

/** Runs `use` with these environment variables set, then puts the environment back. One at a time. */
export async function withEnv<T>(vars: Record<string, string>, use: () => Promise<T>): Promise<T> {
  if (envInUse) throw new Error('withEnv: another run already has the environment set; run them one after the other');
  envInUse = true;
  const before = Object.fromEntries(Object.keys(vars).map((key) => [key, process.env[key]]));
  Object.assign(process.env, vars);
  try {
    return await use();
  } finally {
    for (const [key, value] of Object.entries(before)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
    envInUse = false;
  }
}

/**
 * The embedded Chroma server of `dataDir`, started once through the CLI's own connectStore for
 * the commands a test calls in process (pass `store` to each), in the local embedder's space.
 * Unlike in-process.ts's, on a data dir the test owns: closed, it leaves the data for the real
 * binary to use next.
 */
export async function embeddedStore(dataDir: string): Promise<StoreConnection> {
  const config = resolveConfig({ dataDir });
  const embedder = await createEmbedder(config, loadThemeCatalog(config.themesFile));
  return connectStore({ dataDir, space: { embedderId: embedder.id, dimension: embedder.dimension } });
}
