import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile, rename, rm, symlink, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { ingest } from '../../src/commands/ingest.ts';
import { reindex } from '../../src/commands/reindex.ts';
import { schedule, type ScheduleOptions } from '../../src/commands/schedule.ts';
import { stats } from '../../src/commands/stats.ts';
import { acquireDataDirLock, lockPath } from '../../src/data-dir-lock.ts';
import { FatalError } from '../../src/errors.ts';
import type { StartTrigger } from '../../src/schedule/run-schedule.ts';
import { startEmbeddedChroma } from '../../src/store/chroma-server.ts';
import { serversOn } from '../helpers/chroma-processes.ts';
import { runCli, scratchDir, startCli } from '../helpers/cli.ts';
import { runCommand } from '../helpers/in-process.ts';
import { editOffer, writeSyntheticCorpus } from '../helpers/synthetic-corpus.ts';

/**
 * The data-dir lock and `offers schedule`: a busy data dir makes writers and readers of another
 * process wait or exit 5 (the real CLI), a dead holder's lock is taken over, the schedule logs
 * each run's report (in process, on ticks the test fires, each run with the data dir's own
 * embedded Chroma), and the real CLI's schedule stops cleanly on SIGTERM, leaving no lock and no
 * Chroma server behind.
 */
describe('data-dir lock and schedule, end to end', () => {
  let scratch: Awaited<ReturnType<typeof scratchDir>>;
  let offersDir: string;
  let dataDir: string;

  before(async () => {
    scratch = await scratchDir('offers-lock-');
    offersDir = path.join(scratch.dir, 'offers');
    dataDir = path.join(scratch.dir, 'data');
    await writeSyntheticCorpus(offersDir, { count: 7 }); // below the first repost
    const run = await runCommand(ingest, { dataDir, sources: [offersDir] });
    assert.equal(run.code, 0, run.stderr);
  });
  after(async () => {
    await scratch.cleanup();
  });

  it('a writer holding the data dir makes reindex exit 5 with --wait 0, and stats wait for it', async () => {
    const lock = await acquireDataDirLock(dataDir, { command: 'ingest', waitMs: 0 });
    try {
      const refused = await runCli(['--data-dir', dataDir, '--wait', '0', 'reindex']);
      assert.equal(refused.code, 5, refused.stderr);
      assert.match(refused.stderr, new RegExp(`busy: offers ingest \\(pid ${process.pid}`));
      assert.match(refused.stderr, /fix: .*--wait/);

      const waiting = startCli(['--data-dir', dataDir, 'stats', '--json']);
      // Until it says it waits, not for a fixed time: a loaded machine may not have started it yet.
      await new Promise<void>((resolve) => {
        let said = '';
        waiting.child.stderr?.on('data', (d: Buffer) => /waiting for offers ingest/.test((said += d.toString())) && resolve());
        void waiting.result.then(() => resolve());
      });
      assert.equal(waiting.child.exitCode, null, 'stats waits while the writer holds the lock');
      lock.release();
      const stats = await waiting.result;
      assert.equal(stats.code, 0, stats.stderr);
      assert.match(stats.stderr, /waiting for offers ingest/);
      assert.equal((JSON.parse(stats.stdout) as { offers: number }).offers, 7);
    } finally {
      lock.release();
    }
  });

  it('a data dir reached through a symlink is the same data dir: one lock, one embedded server', async () => {
    const link = path.join(scratch.dir, 'data-link');
    await symlink(dataDir, link);
    const lock = await acquireDataDirLock(dataDir, { command: 'ingest', waitMs: 0 });
    try {
      const refused = await runCli(['--data-dir', link, '--wait', '0', 'reindex']);
      assert.equal(refused.code, 5, refused.stderr);
      assert.match(refused.stderr, new RegExp(`busy: offers ingest \\(pid ${process.pid}`));
    } finally {
      lock.release();
    }
    const server = await startEmbeddedChroma({ dataDir });
    try {
      await assert.rejects(startEmbeddedChroma({ dataDir: link }), (error: unknown) => error instanceof FatalError && /is in use by offers process/.test(error.message));
      assert.deepEqual(await serversOn(dataDir), [server.pid], 'a single server on the directory');
    } finally {
      await server.stop();
    }
  });

  it('takes over the lock of a process that died, and reports changes per role (new, changed, removed)', async () => {
    const dead = spawnSync(process.execPath, ['-e', '']).pid!;
    await writeFile(lockPath(dataDir), JSON.stringify({ pid: dead, host: hostname(), command: 'ingest', startedAt: '2026-01-01T00:00:00Z' }));
    const first = path.join(offersDir, 'offer-00000.md');
    await writeFile(first, editOffer(await readFile(first, 'utf8'), 'edited'));
    await rm(path.join(offersDir, 'offer-00001.md'));
    const extra = path.join(scratch.dir, 'extra');
    await writeSyntheticCorpus(extra, { count: 1, seed: 99 });
    await rename(path.join(extra, 'offer-00000.md'), path.join(offersDir, 'added.md'));
    const run = await runCommand(reindex, { dataDir, json: true });
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stderr, new RegExp(`removing the lock left by offers ingest \\(pid ${dead}`));
    const report = JSON.parse(run.stdout) as { new: number; changed: number; removed: number; unchanged: number; roles: Record<string, { changed: number; removed: number }> };
    assert.equal(report.new, 1, 'a file added to an ingested directory is found');
    assert.equal(report.changed, 1);
    assert.equal(report.removed, 1);
    // offer 0 is an SRE offer and offer 1 a DevOps one (the generator cycles through roles).
    assert.equal(report.roles['SRE']?.changed, 1, JSON.stringify(report.roles));
    assert.equal(report.roles['DevOps Engineer']?.removed, 1, JSON.stringify(report.roles));
    assert.match(run.stderr, /^role\s+new\s+changed\s+removed\s+expired\s+unchanged\s+duplicates$/m);
    assert.equal(existsSync(lockPath(dataDir)), false);

    const history = await runCommand(stats, { dataDir, json: true, includeRemoved: true });
    assert.equal((JSON.parse(history.stdout) as { history: Record<string, { removed: number }> }).history['DevOps Engineer']?.removed, 1);
  });

  it('schedule runs reindex on each tick, logs each report, and prints each run\'s counts', async () => {
    // The ticks are the test's (ScheduleOptions.trigger), not croner's every second: each run
    // starts when the last one is done, and the schedule ends when the test says (options.stop).
    const driven = drivenSchedule();
    let said = '';
    const watched = (options: ScheduleOptions) => {
      const output = options.output!;
      return schedule({ ...options, output: { result: output.result, info: (text) => ((said += `${text}\n`), output.info(text)) } });
    };
    const running = runCommand(watched, { dataDir, cron: '* * * * * *', json: true, trigger: driven.trigger, stop: driven.stop });
    for (const n of [1, 2]) {
      driven.tick();
      await until(() => new RegExp(`run ${n}: (done|failed)`).test(said), `run ${n} to end`);
    }
    driven.end('the test stopped it');
    const run = await running;
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stderr, /run 1: total\s+0\s+0\s+0\s+0\s+7\s+0/);
    assert.match(run.stderr, /stopped \(the test stopped it\) after 2 runs/);
    const reports = run.stdout.trim().split('\n').map((line) => JSON.parse(line) as { unchanged: number });
    assert.ok(reports.length >= 2 && reports.every((r) => r.unchanged === 7), run.stdout);
    assert.equal(existsSync(lockPath(dataDir)), false, 'the lock is released');
    assert.equal(existsSync(path.join(dataDir, 'chroma', 'server.json')), false, 'no embedded server left');
  });

  it('the real schedule, on its cron, stops cleanly on SIGTERM after a run', async () => {
    // The signal is the point: the real binary, stopped once its first run is done.
    const scheduled = startCli(['--data-dir', dataDir, 'schedule', '--cron', '* * * * * *', '--json']);
    let stderr = '';
    scheduled.child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    const deadline = Date.now() + 60_000;
    while (!/run 1: done/.test(stderr) && Date.now() < deadline) await sleep(100);
    scheduled.child.kill('SIGTERM');
    const run = await scheduled.result;
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stderr, /received SIGTERM/);
    assert.match(run.stderr, /stopped \(received SIGTERM\) after \d+ runs?/);
    assert.equal(existsSync(lockPath(dataDir)), false, 'the lock is released');
    assert.equal(existsSync(path.join(dataDir, 'chroma', 'server.json')), false, 'no embedded server left');
  });
});

/** Ticks the test fires instead of croner's, and a stop it resolves: `offers schedule` driven in process. */
function drivenSchedule(): { trigger: StartTrigger; stop: Promise<string>; tick(): void; end(reason: string): void } {
  let fire = (): void => {};
  let end: (reason: string) => void = () => {};
  const stop = new Promise<string>((resolve) => (end = resolve));
  const trigger: StartTrigger = (tick) => {
    fire = tick;
    return { stop: () => (fire = () => {}), nextRun: () => null };
  };
  return { trigger, stop, tick: () => fire(), end: (reason) => end(reason) };
}

async function until(condition: () => boolean, what: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}
