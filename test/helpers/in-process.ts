import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { loadThemeCatalog } from '../../src/catalog/themes.ts';
import { resolveConfig } from '../../src/config.ts';
import type { ExitCode } from '../../src/errors.ts';
import { memoryOutput, type Output } from '../../src/output.ts';
import { reportFailure } from '../../src/program.ts';
import { connectStore, type StoreConnection } from '../../src/store/connect.ts';
import type { VectorStore } from '../../src/store/vector-store.ts';
import { createEmbedder, type WorkspaceInjection } from '../../src/workspace.ts';
import { commandEnvironment, scratchDir, type CliRun } from './cli.ts';
import { memoryStoreFor } from './memory-workspace.ts';

/**
 * Commands called in process, as src/program.ts calls them: the contract checks (output, exit
 * codes, the one-line failure) without paying for a process, tsx and a Chroma start each (about
 * 0.8 s of CPU per command, 0.25 s of it the server's start). The real binary (test/helpers/cli.ts)
 * keeps the tests of the process boundary: streams, signals, the embedded server's lifecycle,
 * several processes at once, variables read at a process's start.
 *
 *  - runCommand / startCommand: one command over the data dir and store its options name, or
 *    the store it opens itself as the CLI does (no `store` given): the connection path, a data dir
 *    the real binary uses too, a command still running while the test acts;
 *  - inProcess: a scratch data dir whose calls share one store, in memory or the dir's embedded
 *    Chroma server started once.
 */

/** What a command function takes to print; everything else, `env` included, is its options. */
type Printing = { output?: Output };

export interface StartedCommand {
  /** What the command wrote on stderr so far. */
  stderr(): string;
  /** Whether the command has returned. */
  done(): boolean;
  result: Promise<CliRun>;
}

/**
 * Starts `command` with `options` and an in-memory output. It reads the environment a CLI run
 * would get (commandEnvironment: this process's without the shell's Chroma and model settings),
 * with `vars` and the options' own `env` on top, through ConfigFlags.env: this process's
 * environment, which the other tests of the file share, is left alone. A failure becomes its exit
 * code and stderr line as the entry point makes them (reportFailure). Same result as runCli's.
 */
export function startCommand<O extends Printing>(command: (options: O) => Promise<ExitCode>, options: Omit<O, keyof Printing>, vars: Record<string, string> = {}): StartedCommand {
  const output = memoryOutput();
  const env = commandEnvironment({ ...vars, ...(options as { env?: NodeJS.ProcessEnv }).env });
  let finished = false;
  const call = async (): Promise<ExitCode> => {
    try {
      return await command({ ...options, env, output } as unknown as O);
    } catch (error) {
      return reportFailure(error, (text) => output.info(text.replace(/\n$/, '')));
    }
  };
  const result = call().then((code) => {
    finished = true;
    return { code, stdout: lines(output.stdout), stderr: lines(output.stderr) };
  });
  return { stderr: () => lines(output.stderr), done: () => finished, result };
}

/** Runs `command` to its end: see startCommand. */
export function runCommand<O extends Printing>(command: (options: O) => Promise<ExitCode>, options: Omit<O, keyof Printing>, vars?: Record<string, string>): Promise<CliRun> {
  return startCommand(command, options, vars).result;
}

/** What the channel would hold had it been a stream: every text ends its line. */
const lines = (texts: readonly string[]) => texts.map((t) => (t.endsWith('\n') ? t : `${t}\n`)).join('');

/** Set while withEnv runs: two overlapping runs would each see, and then restore, the other's variables. */
let envInUse = false;

/**
 * Runs `use` with these variables set in this process's environment, then puts it back; one at a
 * time. Only for what reads this process's environment itself rather than the configuration's
 * (the ATS API overrides, ingest/fetch/ats.ts): a command's own environment is given through
 * runCommand's `vars` or its `env`.
 */
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
 * Closed, it leaves the data for the next command or the real binary to use.
 */
export async function embeddedStore(dataDir: string): Promise<StoreConnection> {
  const config = resolveConfig({ dataDir });
  const embedder = await createEmbedder(config, loadThemeCatalog(config.themesFile));
  return connectStore({ dataDir, space: { embedderId: embedder.id, dimension: embedder.dimension } });
}

/** What inProcess's calls are given besides their own options: where, what they print to, and the store. */
type CommandContext = { dataDir?: string; output?: Output } & WorkspaceInjection;

export interface InProcess {
  dataDir: string;
  /** The store every call shares, as the calls of the CLI share one Chroma collection. */
  store: VectorStore;
  /** A command over this data dir and store: see startCommand. */
  run<O extends CommandContext>(command: (options: O) => Promise<ExitCode>, options: Omit<O, keyof CommandContext>): Promise<CliRun>;
  cleanup(): Promise<void>;
}

export interface InProcessOptions {
  /**
   * `memory` (default): an in-memory store. `chroma`: the embedded Chroma server of the scratch
   * data dir, started once and stopped by cleanup, for checks that need the real store's
   * behaviour without a server start per call.
   */
  store?: 'memory' | 'chroma';
}

/** Commands in process over a scratch data dir and one store all its calls share. */
export async function inProcess(prefix = 'offers-in-process-', options: InProcessOptions = {}): Promise<InProcess> {
  const scratch = await scratchDir(prefix);
  const dataDir = path.join(scratch.dir, 'data');
  await mkdir(dataDir);
  const { store, close } = options.store === 'chroma' ? await embeddedStore(dataDir) : { store: await memoryStoreFor(resolveConfig({ dataDir })), close: async () => {} };
  return {
    dataDir,
    store,
    run: <O extends CommandContext>(command: (options: O) => Promise<ExitCode>, given: Omit<O, keyof CommandContext>) =>
      runCommand(command, { dataDir, ...given, store } as unknown as Omit<O, keyof Printing>),
    async cleanup() {
      await close();
      await scratch.cleanup();
    },
  };
}
