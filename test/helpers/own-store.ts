import type { ExitCode } from '../../src/errors.ts';
import type { Output } from '../../src/output.ts';
import type { VectorStore } from '../../src/store/vector-store.ts';
import type { CliRun } from './cli.ts';
import { inProcess } from './in-process.ts';

/** What a command function takes besides its own options (as test/helpers/in-process.ts passes them). */
type CommandContext = { dataDir?: string; output?: Output; store?: VectorStore };

export interface OwnStoreCli {
  /**
   * `command` in process in `dataDir`, opening its store itself as the CLI does: the data dir's
   * embedded Chroma server, or the server its `env` names (CHROMA_URL and the credentials).
   * Same result as runCli's, without the process: output, exit code, the one-line failure.
   */
  run<O extends CommandContext>(dataDir: string, command: (options: O) => Promise<ExitCode>, options: Omit<O, keyof CommandContext>): Promise<CliRun>;
  cleanup(): Promise<void>;
}

/**
 * For the checks of the connection path that a shared, injected store would skip: credentials
 * reaching a gateway, an unreachable server, a data dir whose Chroma data is deleted between
 * commands (each call starts and stops that dir's server, as a CLI run does). It is
 * inProcess().run with the injected store taken out again, so both report failures alike; a file
 * of its own because test/helpers/in-process.ts always injects its store.
 */
export async function ownStoreCli(): Promise<OwnStoreCli> {
  const cli = await inProcess('offers-own-store-');
  return {
    run: <O extends CommandContext>(dataDir: string, command: (options: O) => Promise<ExitCode>, options: Omit<O, keyof CommandContext>) =>
      cli.run((given: O) => {
        const own: O = { ...given, dataDir };
        delete own.store;
        return command(own);
      }, options),
    cleanup: () => cli.cleanup(),
  };
}
