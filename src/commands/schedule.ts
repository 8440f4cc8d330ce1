import { Cron, type CronOptions } from 'croner';
import { resolveConfig, type ConfigFlags } from '../config.ts';
import { describeError, ExitCode, FatalError, UsageError } from '../errors.ts';
import { processOutput, type Output } from '../output.ts';
import { reindex } from './reindex.ts';

/**
 * `offers schedule --cron "<expr>"`: runs `offers reindex` on a croner schedule until stopped.
 *
 * - Never two runs at once: a tick that comes while a run is still going is skipped and logged
 *   (croner's `protect`). Runs of other commands on the same data dir are kept apart by the
 *   data-dir lock, which each run takes and releases, so queries can run between runs.
 * - A failed run is logged and the schedule goes on.
 * - Each run's report (the per-role change report) is logged on stderr, one timestamped line per
 *   line; with --json each run's counts are also printed on stdout, one JSON object per line.
 * - SIGINT / SIGTERM: no new run starts, the current one ends (an embedded Chroma server is
 *   stopped at once, which interrupts its run safely: the next run rolls back what it began), the
 *   lock is released, and the command exits 0. A second signal ends the process at once.
 */

export interface ScheduleOptions extends ConfigFlags {
  cron: string;
  json?: boolean;
  output?: Output;
}

/** The scheduling loop, with the run and the stop signal given: what `schedule` wires to reindex and to signals. */
export interface ScheduleLoopOptions {
  cron: string;
  run: (runNumber: number) => Promise<void>;
  log: (line: string) => void;
  /** Resolves when the schedule should stop, with the reason to log. */
  stop: Promise<string>;
}

export async function schedule(options: ScheduleOptions): Promise<ExitCode> {
  const output = options.output ?? processOutput;
  resolveConfig(options); // configuration problems are reported now, not at the first tick
  const log = (line: string) => output.info(`[${new Date().toISOString()}] ${line}`);
  const { stop, dispose } = stopOnSignals(log);
  try {
    await runSchedule({ cron: options.cron, log, stop, run: scheduledReindex(options, output, log) });
  } finally {
    dispose();
  }
  return ExitCode.ok;
}

/** One scheduled run: `offers reindex` holding the lock through a signal, its report logged line by line. */
export function scheduledReindex(options: ConfigFlags & { json?: boolean }, output: Output, log: (line: string) => void): (runNumber: number) => Promise<void> {
  return async (n) => {
    const code = await reindex({
      ...(options.dataDir ? { dataDir: options.dataDir } : {}),
      ...(options.wait !== undefined ? { wait: options.wait } : {}),
      json: options.json ?? false,
      scheduled: true,
      output: { result: output.result, info: (text) => text.split('\n').forEach((line) => log(`run ${n}: ${line}`)) },
    });
    if (code !== ExitCode.ok) log(`run ${n}: some sources failed (exit code ${code}); they keep what they had`);
  };
}

export async function runSchedule(options: ScheduleLoopOptions): Promise<void> {
  const { log } = options;
  let runs = 0;
  let current: Promise<void> | undefined;
  const job = cronJob('--cron', options.cron, { protect: () => log('the previous run is still going: this run is skipped') }, () => {
    const n = ++runs;
    current = runLogged(n, options);
    return current;
  });
  log(`reindex scheduled on "${options.cron}"; first run at ${job.nextRun()?.toISOString() ?? 'never'}`);
  const reason = await options.stop;
  job.stop();
  if (current) {
    log(`${reason}: no new run will start; waiting for the current one to end`);
    await current;
  }
  log(`stopped (${reason}) after ${runs} run${runs === 1 ? '' : 's'}`);
}

/** A croner job; an expression croner cannot read is a usage error naming the flag, with an example. */
export function cronJob(flag: string, expression: string, options: CronOptions, run: () => Promise<void> | void): Cron {
  try {
    return new Cron(expression, options, run);
  } catch (error) {
    throw new UsageError(`${flag} "${expression}" is not a cron expression: ${describeError(error)} (e.g. "0 */6 * * *": every 6 hours)`);
  }
}

async function runLogged(n: number, options: ScheduleLoopOptions): Promise<void> {
  const started = Date.now();
  options.log(`run ${n}: started`);
  try {
    await options.run(n);
    options.log(`run ${n}: done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  } catch (error) {
    // A failed run must not end the schedule: the next tick tries again.
    const hint = FatalError.isInstance(error) && error.hint ? ` (fix: ${error.hint})` : '';
    options.log(`run ${n}: failed: ${describeError(error)}${hint}`);
  }
}

const STOP_SIGNALS = ['SIGINT', 'SIGTERM'] as const;

/**
 * Listens first for SIGINT and SIGTERM, so that the data-dir lock and the embedded server (which
 * also listen) clean up without ending the process: this command ends it, once its run is over.
 */
export function stopOnSignals(log: (line: string) => void): { stop: Promise<string>; dispose(): void } {
  let resolveStop: (reason: string) => void = () => {};
  const stop = new Promise<string>((resolve) => (resolveStop = resolve));
  let received = false;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (!received) {
      received = true;
      resolveStop(`received ${signal}`);
      return;
    }
    log(`received ${signal} again: stopping now`);
    dispose();
    process.kill(process.pid, signal);
  };
  const dispose = (): void => {
    for (const signal of STOP_SIGNALS) process.off(signal, onSignal);
  };
  for (const signal of STOP_SIGNALS) process.on(signal, onSignal);
  return { stop, dispose };
}
