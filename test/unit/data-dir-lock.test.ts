import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { acquireDataDirLock, isStale, lockPath, waitForDataDir, type LockHolder } from '../../src/data-dir-lock.ts';
import { DataDirBusyError } from '../../src/errors.ts';

/** The pid of a process that has exited (and been reaped). */
function deadPid(): number {
  return spawnSync(process.execPath, ['-e', '']).pid!;
}

describe('data-dir lock', () => {
  let dir: string;
  const lines: string[] = [];
  const log = (line: string) => lines.push(line);

  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'offers-lock-'));
    lines.length = 0;
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('lets one writer in, and refuses a second at once with --wait 0', async () => {
    const lock = await acquireDataDirLock(dir, { command: 'ingest', waitMs: 0 });
    const holder = JSON.parse(await readFile(lockPath(dir), 'utf8')) as LockHolder;
    assert.equal(holder.pid, process.pid);
    assert.equal(holder.command, 'ingest');
    await assert.rejects(acquireDataDirLock(dir, { command: 'reindex', waitMs: 0 }), (error: unknown) => {
      assert.ok(error instanceof DataDirBusyError);
      assert.match(error.message, new RegExp(`offers ingest \\(pid ${process.pid}`));
      assert.match(error.hint ?? '', /--wait/);
      return true;
    });
    lock.release();
    assert.equal(existsSync(lockPath(dir)), false);
  });

  it('makes the second writer wait, saying so once, until the first releases', async () => {
    const first = await acquireDataDirLock(dir, { command: 'ingest', waitMs: 0 });
    setTimeout(() => first.release(), 500);
    const second = await acquireDataDirLock(dir, { command: 'reindex', waitMs: 10_000, log });
    assert.equal(lines.filter((l) => l.startsWith('waiting for offers ingest')).length, 1, lines.join('\n'));
    assert.equal((JSON.parse(await readFile(lockPath(dir), 'utf8')) as LockHolder).command, 'reindex');
    second.release();
  });

  it('makes readers wait for a writer without taking the lock', async () => {
    const writer = await acquireDataDirLock(dir, { command: 'ingest', waitMs: 0 });
    await assert.rejects(waitForDataDir(dir, { command: 'stats', waitMs: 0 }), DataDirBusyError);
    setTimeout(() => writer.release(), 300);
    await waitForDataDir(dir, { command: 'stats', waitMs: 10_000 });
    assert.equal(existsSync(lockPath(dir)), false);
    await waitForDataDir(dir, { command: 'stats', waitMs: 0 });
  });

  it('takes over a lock whose holder died, and says so', async () => {
    const stale: LockHolder = { pid: deadPid(), host: hostname(), command: 'ingest', startedAt: '2026-01-01T00:00:00.000Z' };
    await writeFile(lockPath(dir), JSON.stringify(stale));
    const lock = await acquireDataDirLock(dir, { command: 'reindex', waitMs: 0, log });
    assert.match(lines.join('\n'), new RegExp(`removing the lock left by offers ingest \\(pid ${stale.pid}.*which is gone`));
    lock.release();
  });

  it('never removes a lock that is not its own', async () => {
    const lock = await acquireDataDirLock(dir, { command: 'ingest', waitMs: 0 });
    const other = JSON.stringify({ pid: process.pid, host: hostname(), command: 'reindex', startedAt: 'later' });
    await writeFile(lockPath(dir), other);
    lock.release();
    assert.equal(await readFile(lockPath(dir), 'utf8'), other);
  });

  it('judges staleness by pid and start time on this host, by age elsewhere', () => {
    const holder: LockHolder = { pid: 42, pidStart: '1000', host: 'here', command: 'ingest', startedAt: 'x' };
    const facts = { host: 'here', running: () => true, startTime: () => '1000', ageMs: 0 };
    assert.equal(isStale(holder, facts), false, 'alive');
    assert.equal(isStale(holder, { ...facts, running: () => false }), true, 'dead');
    assert.equal(isStale(holder, { ...facts, startTime: () => '2000' }), true, 'pid reused by another process');
    assert.equal(isStale({ ...holder, host: 'there' }, { ...facts, running: () => false, ageMs: 60_000 }), false, 'another host, refreshed recently');
    assert.equal(isStale({ ...holder, host: 'there' }, { ...facts, ageMs: 10 * 60_000 }), true, 'another host, not refreshed for long');
    assert.equal(isStale(undefined, { ...facts, ageMs: 10 * 60_000 }), true, 'unreadable and old');
  });
});
