import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runSchedule, type StartTrigger } from '../../src/schedule/run-schedule.ts';
import { UsageError } from '../../src/errors.ts';

/** A trigger the test fires itself: no clock, no real cron tick. */
function manualTrigger(): { start: StartTrigger; tick(): void; stopped: boolean } {
  let fire: () => void = () => assert.fail('ticked before the schedule started');
  const trigger = {
    stopped: false,
    start: ((tick) => {
      fire = tick;
      return { stop: () => void (trigger.stopped = true), nextRun: () => new Date('2030-01-01T00:00:00Z') };
    }) as StartTrigger,
    tick: () => fire(),
  };
  return trigger;
}

/** A promise with its resolver, for a run the test ends when it wants. */
function deferred(): { promise: Promise<void>; resolve(): void } {
  let resolve: () => void = () => {};
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

/** Lets the pending callbacks run. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('offers schedule (loop)', () => {
  it('skips a tick while a run is still going, survives a failed run, and waits for the last run on stop', async () => {
    const lines: string[] = [];
    const active = { now: 0, max: 0 };
    const trigger = manualTrigger();
    let stop: (reason: string) => void = () => {};
    const stopped = new Promise<string>((resolve) => (stop = resolve));
    const runs = [deferred(), deferred(), deferred()];
    let lastEnded = false;
    const loop = runSchedule({
      cron: '0 */6 * * *',
      trigger: trigger.start,
      log: (line) => lines.push(line),
      stop: stopped,
      run: async (n) => {
        active.now++;
        active.max = Math.max(active.max, active.now);
        try {
          if (n === 1) throw new Error('source server down');
          await runs[n - 1]!.promise;
          if (n === 3) lastEnded = true;
        } finally {
          active.now--;
        }
      },
    });
    assert.equal(lines[0], 'reindex scheduled on "0 */6 * * *"; first run at 2030-01-01T00:00:00.000Z');
    trigger.tick();
    await settle();
    trigger.tick(); // run 2 starts, and is still going at the next tick
    trigger.tick();
    runs[1]!.resolve();
    await settle();
    trigger.tick(); // run 3, still going when the stop comes
    stop('test over');
    await settle();
    assert.equal(lastEnded, false);
    runs[2]!.resolve();
    await loop;
    assert.equal(active.max, 1, 'never two runs at once');
    assert.ok(trigger.stopped, 'the trigger is stopped');
    assert.deepEqual(
      lines.map((line) => line.replace(/done in [\d.]+ s/, 'done')),
      [
        lines[0],
        'run 1: started',
        'run 1: failed: source server down',
        'run 2: started',
        'the previous run is still going: this run is skipped',
        'run 2: done',
        'run 3: started',
        'test over: no new run will start; waiting for the current one to end',
        'run 3: done',
        'stopped (test over) after 3 runs',
      ],
    );
    assert.ok(lastEnded, 'stop waited for the run in progress');
  });

  it('refuses an expression that is not cron, as a usage error', async () => {
    await assert.rejects(runSchedule({ cron: 'every day', log: () => {}, stop: new Promise(() => {}), run: async () => {} }), UsageError);
  });
});
