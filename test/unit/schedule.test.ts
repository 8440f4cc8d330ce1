import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, it } from 'node:test';
import { runSchedule } from '../../src/schedule/run-schedule.ts';
import { UsageError } from '../../src/errors.ts';

/** The scheduling loop with a fake run, on croner's seconds field ("* * * * * *": every second). */
describe('offers schedule (loop)', () => {
  it('skips a tick while a run is still going, survives a failed run, and waits for the last run on stop', async () => {
    const lines: string[] = [];
    const active = { now: 0, max: 0 };
    let stop: (reason: string) => void = () => {};
    const stopped = new Promise<string>((resolve) => (stop = resolve));
    let lastEnded = false;
    const loop = runSchedule({
      cron: '* * * * * *',
      log: (line) => lines.push(line),
      stop: stopped,
      run: async (n) => {
        active.now++;
        active.max = Math.max(active.max, active.now);
        try {
          if (n === 1) throw new Error('source server down');
          await sleep(n === 2 ? 2300 : 200); // run 2 spans two ticks
          if (n >= 3) lastEnded = true;
        } finally {
          active.now--;
        }
      },
    });
    while (!lines.some((l) => /^run 3: started/.test(l))) await sleep(50);
    stop('test over');
    await loop;
    assert.equal(active.max, 1, 'never two runs at once');
    assert.ok(lines.some((l) => l === 'run 1: failed: source server down'), lines.join('\n'));
    assert.ok(lines.some((l) => /run 2: done/.test(l)), 'the schedule went on after the failure');
    assert.ok(lines.some((l) => /still going: this run is skipped/.test(l)), lines.join('\n'));
    assert.ok(lastEnded, 'stop waited for the run in progress');
    assert.match(lines.at(-1)!, /^stopped \(test over\) after 3 runs$/);
  });

  it('refuses an expression that is not cron, as a usage error', async () => {
    await assert.rejects(runSchedule({ cron: 'every day', log: () => {}, stop: new Promise(() => {}), run: async () => {} }), UsageError);
  });
});
