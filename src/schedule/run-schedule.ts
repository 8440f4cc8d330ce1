import { Cron, type CronOptions } from 'croner';
import type { ConfigFlags } from '../config.ts';
import { describeError, ExitCode, FatalError, UsageError } from '../errors.ts';
import type { Output } from '../output.ts';
import { runReindex } from '../reindex-run.ts';

/**
 * Re-indexing on a cron schedule, shared by `offers schedule` and `offers serve --schedule`:
 * never two runs at once (a tick during a run is skipped and logged), a failed run logged and the
 * schedule going on, and on the stop signal the current run ends before the loop does.
 */

/** The scheduling loop, with the run and the stop signal given: what `schedule` wires to reindex and to signals. */
export interface ScheduleLoopOptions {
  cron: string;
  run: (runNumber: number) => Promise<void>;
  log: (line: string) => void;
  /** Resolves when the schedule should stop, with the reason to log. */
  stop: Promise<string>;
  /** What fires the ticks: croner on `cron` by default; a test fires them itself. */
  trigger?: StartTrigger;
}

/** A started source of ticks. */
export interface Trigger {
  stop(): void;
  nextRun(): Date | null;
}

/** Starts calling `tick` on its schedule. */
export type StartTrigger = (tick: () => void) => Trigger;

/** Ticks on a cron expression (croner); one croner cannot read is a usage error naming --cron. */
const cronTrigger =
  (expression: string): StartTrigger =>
  (tick) =>
    cronJob('--cron', expression, {}, tick);

/** One scheduled run: `offers reindex` holding the lock through a signal, its report logged line by line. */
export function scheduledReindex(options: ConfigFlags & { json?: boolean }, output: Output, log: (line: string) => void): (runNumber: number) => Promise<void> {
  return async (n) => {
    const code = await runReindex({
      ...(options.dataDir ? { dataDir: options.dataDir } : {}),
      ...(options.wait !== undefined ? { wait: options.wait } : {}),
      // A test's environment (ConfigFlags.env) reaches every run, as the process's does.
      ...(options.env ? { env: options.env } : {}),
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
  let running = false;
  const job = (options.trigger ?? cronTrigger(options.cron))(() => {
    // Never two runs at once: a tick during a run is skipped.
    if (running) return log('the previous run is still going: this run is skipped');
    running = true;
    current = runLogged(++runs, options).finally(() => (running = false));
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
