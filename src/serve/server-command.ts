import { stopOnSignals } from '../schedule/stop-signals.ts';
import { resolveConfig, type ConfigFlags, type OffersConfig } from '../config.ts';
import { ExitCode } from '../errors.ts';
import { processOutput, type Output } from '../output.ts';
import { WorkspaceHost } from './workspace-host.ts';

/**
 * What the long-running commands (`offers serve`, `offers mcp`) share: the configuration, a
 * timestamped log on stderr, one read workspace (workspace-host.ts), and a stop signal (the
 * first SIGINT or SIGTERM; a second one ends the process at once). The workspace is closed, its
 * embedded Chroma server stopped, whatever way the command ends.
 */

/** `env` (tests) comes with ConfigFlags, as for every command. */
export interface ServerCommandOptions extends ConfigFlags {
  output?: Output;
}

export interface ServerContext {
  config: OffersConfig;
  /** The environment given (tests); unset: the process's (src/config.ts reads it). */
  env: NodeJS.ProcessEnv | undefined;
  output: Output;
  log: (line: string) => void;
  host: WorkspaceHost;
  /** Resolves with the reason to stop. */
  stop: Promise<string>;
}

export async function runServerCommand(command: string, options: ServerCommandOptions, run: (context: ServerContext) => Promise<void>): Promise<ExitCode> {
  const output = options.output ?? processOutput;
  const { env } = options;
  const config = resolveConfig(options, env);
  const log = (line: string) => output.info(`[${new Date().toISOString()}] ${line}`);
  const host = new WorkspaceHost(config, { command, log });
  const signals = stopOnSignals(log);
  try {
    await run({ config, env, output, log, host, stop: signals.stop });
  } finally {
    await host.close();
    signals.dispose();
  }
  return ExitCode.ok;
}
