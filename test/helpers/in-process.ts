import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { resolveConfig } from '../../src/config.ts';
import type { ExitCode } from '../../src/errors.ts';
import { memoryOutput, type Output } from '../../src/output.ts';
import { reportFailure } from '../../src/program.ts';
import { loadThemeCatalog } from '../../src/catalog/themes.ts';
import { connectStore } from '../../src/store/connect.ts';
import type { VectorStore } from '../../src/store/vector-store.ts';
import { createEmbedder, type WorkspaceInjection } from '../../src/workspace.ts';
import type { CliRun } from './cli.ts';
import { memoryStoreFor } from './memory-workspace.ts';
import { scratchDir } from './cli.ts';

/** What every command function takes besides its own options: where, what it prints to, and the store. */
type CommandContext = { dataDir?: string; output?: Output } & WorkspaceInjection;

export interface InProcess {
  dataDir: string;
  /** The store every call shares, as the calls of the CLI share one Chroma collection. */
  store: VectorStore;
  /**
   * A command function called as src/program.ts calls it, with an in-memory output; a failure
   * becomes its exit code and stderr line as the entry point makes them. Same shape as runCli's.
   */
  run<O extends CommandContext>(command: (options: O) => Promise<ExitCode>, options: Omit<O, keyof CommandContext>): Promise<CliRun>;
  cleanup(): Promise<void>;
}

export interface InProcessOptions {
  /**
   * `memory` (default): an in-memory store. `chroma`: the embedded Chroma server of the scratch
   * data dir, started once through the CLI's own code path (src/store/connect.ts) and stopped by
   * cleanup, for checks that need the real store's behaviour without a server start per call.
   */
  store?: 'memory' | 'chroma';
}

/**
 * Commands in process over a scratch data dir and one shared store: the contract checks (output,
 * exit codes) without paying for a process, tsx and a Chroma start each (about 0.8 s of CPU per
 * command, 0.25 s of it the server's start). The real binary keeps the tests of the process
 * boundary (streams, signals, the embedded server's lifecycle, several processes at once).
 */
export async function inProcess(prefix = 'offers-in-process-', options: InProcessOptions = {}): Promise<InProcess> {
  const scratch = await scratchDir(prefix);
  const dataDir = path.join(scratch.dir, 'data');
  await mkdir(dataDir);
  const { store, close } = await sharedStore(dataDir, options.store ?? 'memory');
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
    async cleanup() {
      await close();
      await scratch.cleanup();
    },
  };
}

async function sharedStore(dataDir: string, kind: 'memory' | 'chroma'): Promise<{ store: VectorStore; close(): Promise<void> }> {
  const config = resolveConfig({ dataDir });
  if (kind === 'memory') return { store: await memoryStoreFor(config), close: async () => {} };
  const embedder = await createEmbedder(config, loadThemeCatalog(config.themesFile));
  return connectStore({ dataDir, space: { embedderId: embedder.id, dimension: embedder.dimension } });
}

/** What the channel would hold had it been a stream: every text ends its line. */
const lines = (texts: readonly string[]) => texts.map((t) => (t.endsWith('\n') ? t : `${t}\n`)).join('');
