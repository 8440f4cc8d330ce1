import { resolveConfig, type ConfigFlags } from '../config.ts';
import { ExitCode } from '../errors.ts';
import { processOutput, type Output } from '../output.ts';
import { runSchedule, scheduledReindex, type StartTrigger } from '../schedule/run-schedule.ts';
import { stopOnSignals } from '../schedule/stop-signals.ts';

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
  /**
   * Not flags (src/program.ts sets neither): a test fires the ticks itself instead of waiting for
   * real one-second cron ticks, and stops the schedule without signalling its own process. Unset:
   * croner on `cron`, and SIGINT/SIGTERM only.
   */
  trigger?: StartTrigger;
  stop?: Promise<string>;
}

export async function schedule(options: ScheduleOptions): Promise<ExitCode> {
  const output = options.output ?? processOutput;
  resolveConfig(options); // configuration problems are reported now, not at the first tick
  const log = (line: string) => output.info(`[${new Date().toISOString()}] ${line}`);
  const { stop, dispose } = stopOnSignals(log);
  try {
    await runSchedule({
      cron: options.cron,
      log,
      stop: options.stop ? Promise.race([options.stop, stop]) : stop,
      run: scheduledReindex(options, output, log),
      ...(options.trigger ? { trigger: options.trigger } : {}),
    });
  } finally {
    dispose();
  }
  return ExitCode.ok;
}
