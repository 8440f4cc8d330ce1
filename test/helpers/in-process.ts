import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { resolveConfig } from '../../src/config.ts';
import type { ExitCode } from '../../src/errors.ts';
import { memoryOutput, type Output } from '../../src/output.ts';
import { reportFailure } from '../../src/program.ts';
import type { MemoryStore } from '../../src/store/memory-store.ts';
import type { WorkspaceInjection } from '../../src/workspace.ts';
import type { CliRun } from './cli.ts';
import { memoryStoreFor } from './memory-workspace.ts';
import { scratchDir } from './cli.ts';

/** What every command function takes besides its own options: where, what it prints to, and the store. */
type CommandContext = { dataDir?: string; output?: Output } & WorkspaceInjection;

export interface InProcess {
  dataDir: string;
  /** The store every call shares, as the calls of the CLI share one Chroma collection. */
  store: MemoryStore;
  /**
   * A command function called as src/program.ts calls it, with an in-memory output; a failure
   * becomes its exit code and stderr line as the entry point makes them. Same shape as runCli's.
   */
  run<O extends CommandContext>(command: (options: O) => Promise<ExitCode>, options: Omit<O, keyof CommandContext>): Promise<CliRun>;
  cleanup(): Promise<void>;
}

/**
 * Commands in process over a scratch data dir and one in-memory store: the contract checks
 * (output, exit codes) without paying for a process, tsx and a Chroma start each. The real
 * binary keeps the tests of the process boundary (streams, signals, the embedded server).
 */
export async function inProcess(prefix = 'offers-in-process-'): Promise<InProcess> {
  const scratch = await scratchDir(prefix);
  const dataDir = path.join(scratch.dir, 'data');
  await mkdir(dataDir);
  const store = await memoryStoreFor(resolveConfig({ dataDir }));
  return {
    dataDir,
    store,
    async run<O extends CommandContext>(command: (options: O) => Promise<ExitCode>, options: Omit<O, keyof CommandContext>) {
      const output = memoryOutput();
      let code: ExitCode;
      try {
        code = await command({ dataDir, ...options, output, store } as unknown as O);
      } catch (error) {
        code = reportFailure(error, (text) => output.info(text.replace(/\n$/, '')));
      }
      return { code, stdout: lines(output.stdout), stderr: lines(output.stderr) };
    },
    cleanup: scratch.cleanup,
  };
}

/** What the channel would hold had it been a stream: every text ends its line. */
const lines = (texts: readonly string[]) => texts.map((t) => (t.endsWith('\n') ? t : `${t}\n`)).join('');
