/**
 * Faults around a real ingest (issue 8): the embedded Chroma server killed in the middle of a run,
 * Ctrl-C (SIGINT) in the middle of a run, a read-only data dir and a full disk. Each must end with
 * a clear message and a non-zero exit, leave no process behind, and let the next run complete
 * with a consistent index. (kill -9 of the CLI itself is test/integration/crash-safety.test.ts.)
 *
 * The faults are the real binary's (a signal, a killed server, a full stdout, another user, readers
 * side by side); what comes before and after them (an ingest to set up, the run that recovers, a
 * writer refused by a read-only mount) runs in process, each command opening the data dir's own
 * embedded Chroma as a CLI run does (runCommand, test/helpers/in-process.ts).
 */
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { chmod, mkdir, open, readdir, readFile, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { generateOffers } from '../../scripts/generate-offers.ts';
import { normaliseSpace } from '../../src/query/quotes.ts';
import { ingest } from '../../src/commands/ingest.ts';
import { reindex } from '../../src/commands/reindex.ts';
import { stats } from '../../src/commands/stats.ts';
import { isRunning } from '../../src/util/pid-file.ts';
import { DEMO_OFFERS, ROOT, runCli, scratchDir, startCli } from '../helpers/cli.ts';
import { runCommand } from '../helpers/in-process.ts';

const OFFERS = 400; // ~2,000 chunks: two write batches, so a run can be stopped between them
/** The demo offers (data/README.md): 37 offers in 35 files, one of them a repost, counted once. */
const DEMO_ACTIVE_OFFERS = 36;

/** Active offers committed to the record so far (read-only, beside the running CLI). */
function committedOffers(dataDir: string): number {
  const dir = path.join(dataDir, 'index');
  if (!existsSync(dir)) return 0;
  let total = 0;
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.sqlite'))) {
    try {
      const db = new Database(path.join(dir, file), { readonly: true, fileMustExist: true });
      try {
        total += (db.prepare("SELECT count(*) AS n FROM offers WHERE status = 'active'").get() as { n: number }).n;
      } finally {
        db.close();
      }
    } catch {
      // Not created yet.
    }
  }
  return total;
}

async function until(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 90_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(25);
  }
}

const NOBODY = 65534;

function nobodyCanRun(): boolean {
  try {
    execFileSync(process.execPath, ['-e', `require('fs').accessSync(${JSON.stringify(path.join(ROOT, 'node_modules', 'tsx', 'package.json'))})`], { uid: NOBODY, gid: NOBODY, stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

async function serverPid(dataDir: string): Promise<number> {
  return (JSON.parse(await readFile(path.join(dataDir, 'chroma', 'server.json'), 'utf8')) as { pid: number }).pid;
}

async function consistentStats(dataDir: string): Promise<{ offers: number; chunks: number; storeChunks: number }> {
  const run = await runCommand(stats, { dataDir, json: true });
  assert.equal(run.code, 0, run.stderr);
  const counted = JSON.parse(run.stdout) as { offers: number; chunks: number; storeChunks: number };
  assert.equal(counted.storeChunks, counted.chunks, 'the store holds exactly the recorded chunks');
  return counted;
}

describe('faults during an ingest', () => {
  let scratch: Awaited<ReturnType<typeof scratchDir>>;
  let corpus: string;
  let dataDir: string;

  before(async () => {
    scratch = await scratchDir('offers-faults-');
    corpus = path.join(scratch.dir, 'offers');
    dataDir = path.join(scratch.dir, 'data');
    await generateOffers(corpus, OFFERS, 'faults');
  });
  after(async () => {
    await scratch.cleanup();
  });

  it('the embedded Chroma server killed mid-run: a clear message, exit 1', async () => {
    const { result } = startCli(['--data-dir', dataDir, 'ingest', corpus, '--json']);
    await until(() => committedOffers(dataDir) > 0, 'the first committed batch');
    process.kill(await serverPid(dataDir), 'SIGKILL');
    const run = await result;
    assert.equal(run.code, 1, run.stderr);
    assert.match(run.stderr, /Chroma is not reachable/);
    assert.match(run.stderr, /fix: the embedded Chroma server stopped/);
    assert.doesNotMatch(run.stderr, /\n\s+at /, 'no stack trace');
    assert.ok(committedOffers(dataDir) < OFFERS, 'the run was stopped before its end');
  });

  it('Ctrl-C mid-run: stops at once, releases the lock and stops the embedded server', async () => {
    const before = committedOffers(dataDir);
    const { child, result } = startCli(['--data-dir', dataDir, 'ingest', corpus, '--json']);
    await until(() => committedOffers(dataDir) > before, 'a batch committed by this run');
    const pid = await serverPid(dataDir);
    child.kill('SIGINT');
    const run = await result;
    assert.ok(run.signal === 'SIGINT' || run.code === 130, `ended by SIGINT (code ${run.code}, signal ${run.signal}): ${run.stderr}`);
    assert.ok(!existsSync(path.join(dataDir, 'offers.lock')), 'the data-dir lock is released');
    await until(() => !isRunning(pid), 'the embedded server to exit', 15_000);
  });

  it('the next run completes, and the index is consistent', async () => {
    const run = await runCommand(ingest, { dataDir, sources: [corpus], json: true });
    assert.equal(run.code, 0, run.stderr);
    const result = JSON.parse(run.stdout) as { offers: number; recovered: number };
    assert.equal(result.offers, OFFERS);
    const counted = await consistentStats(dataDir);
    assert.equal(counted.offers, OFFERS);
  });

  it('an export of many lines onto a full disk stops with one line naming stdout, exit 1', async () => {
    const devFull = await open('/dev/full', 'w');
    try {
      const run = await runCli(['--data-dir', dataDir, 'export'], { stdout: devFull.fd });
      assert.equal(run.code, 1, run.stderr);
      assert.equal(run.stderr, 'offers: cannot write to stdout: ENOSPC: no space left on device, write\n  fix: free some disk space, or send the output to a disk with room\n');
    } finally {
      await devFull.close();
    }
  });
});

describe('storage faults', () => {
  it('a read-only data dir: one line saying so, with the fix, exit 1', async (t) => {
    // Root ignores permissions: run the CLI as nobody then, if nobody can read the checkout.
    const asRoot = process.getuid?.() === 0;
    if (asRoot && !nobodyCanRun()) {
      t.skip('running as root, and user nobody cannot read this checkout');
      return;
    }
    const scratch = await scratchDir('offers-readonly-');
    try {
      const dataDir = path.join(scratch.dir, 'data');
      await mkdir(dataDir);
      await chmod(dataDir, 0o555);
      await chmod(scratch.dir, 0o755);
      const run = await runCli(['--data-dir', dataDir, 'ingest', DEMO_OFFERS], asRoot ? { uid: NOBODY } : {});
      assert.equal(run.code, 1, run.stderr);
      assert.match(run.stderr, /^offers: cannot write to the data dir, permission denied/);
      assert.match(run.stderr, /\n {2}fix: make the data dir writable/);
      assert.equal(run.stderr.trim().split('\n').length, 2, run.stderr);
    } finally {
      await scratch.cleanup();
    }
  });

  it('a read-only copy of an index (a read-only bind mount) can be read: stats, query and export work, writers exit 1', async (t) => {
    const scratch = await scratchDir('offers-readonly-copy-');
    const dataDir = path.join(scratch.dir, 'data');
    const view = path.join(scratch.dir, 'view');
    try {
      const ingested = await runCommand(ingest, { dataDir, sources: [DEMO_OFFERS] });
      assert.equal(ingested.code, 0, ingested.stderr);
      // A copy taken while a writer ran holds its lock, which a reader can't remove there.
      const dead = spawnSync(process.execPath, ['-e', '']).pid!;
      await writeFile(path.join(dataDir, 'offers.lock'), JSON.stringify({ pid: dead, host: hostname(), command: 'ingest', startedAt: '2026-01-01T00:00:00Z' }));
      await mkdir(view);
      // The kernel refuses every write under a read-only mount, root's too (chmod would not stop root).
      try {
        execFileSync('mount', ['--bind', dataDir, view], { stdio: 'ignore' });
        execFileSync('mount', ['-o', 'remount,bind,ro', view], { stdio: 'ignore' });
      } catch {
        spawnSync('umount', [view], { stdio: 'ignore' });
        t.skip('a read-only bind mount needs root (the read-only record itself: test/unit/record-open.test.ts)');
        return;
      }
      try {
        // Three readers side by side: none can write there, so none waits for another.
        const [statsRun, query, exported] = await Promise.all([
          runCli(['--data-dir', view, 'stats', '--json']),
          runCli(['--data-dir', view, 'query', 'What is the difference between SRE and DevOps engineer positions?', '--format', 'json']),
          runCli(['--data-dir', view, 'export']),
        ]);
        assert.equal(statsRun.code, 0, statsRun.stderr);
        const counted = JSON.parse(statsRun.stdout) as { offers: number; storeChunks: number | null; warnings: string[] };
        // Exactly the demo offers' active ones: the view is the record the ingest above wrote, read as it is.
        assert.equal(counted.offers, DEMO_ACTIVE_OFFERS);
        assert.equal(counted.storeChunks, null);
        assert.match(counted.warnings.join('\n'), /is read-only, and the embedded Chroma server cannot run on it: quotes come from the record's lexical index alone/);

        assert.equal(query.code, 0, query.stderr);
        const answer = JSON.parse(query.stdout) as { citations: Array<{ offerId: string; quote: string }>; warnings: string[] };
        assert.ok(answer.citations.length >= 3, `citations: ${answer.citations.length}`);
        assert.match(answer.warnings.join('\n'), /lexical index alone/);
        assert.equal(exported.code, 0, exported.stderr);
        const texts = new Map(exported.stdout.trim().split('\n').map((line) => JSON.parse(line) as { offerId: string; text: string }).map((o) => [o.offerId, normaliseSpace(o.text)]));
        for (const citation of answer.citations) assert.ok(texts.get(citation.offerId)?.includes(normaliseSpace(citation.quote)), citation.quote);

        const write = await runCommand(reindex, { dataDir: view });
        assert.equal(write.code, 1);
        assert.match(write.stderr, /^offers: cannot write to the data dir, read-only file system/);
      } finally {
        execFileSync('umount', [view], { stdio: 'ignore' });
      }
    } finally {
      await scratch.cleanup();
    }
  });

  it('a full disk (a 600 KB tmpfs as data dir): a clear message with the fix, exit 1, no server left', async (t) => {
    const scratch = await scratchDir('offers-full-');
    const mountPoint = path.join(scratch.dir, 'tiny');
    await mkdir(mountPoint);
    try {
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=600k', 'tmpfs', mountPoint], { stdio: 'ignore' });
    } catch {
      await scratch.cleanup();
      t.skip('mounting a tmpfs needs root (ENOSPC is also covered by test/unit/storage-faults.test.ts)');
      return;
    }
    try {
      const dataDir = path.join(mountPoint, 'data');
      const run = await runCli(['--data-dir', dataDir, 'ingest', DEMO_OFFERS]);
      assert.equal(run.code, 1, run.stderr);
      assert.match(run.stderr, /disk is full|no space left/i);
      assert.match(run.stderr, /fix: free (some )?disk space/);
      assert.doesNotMatch(run.stderr, /\n\s+at /, 'no stack trace');
      const state = path.join(dataDir, 'chroma', 'server.json');
      if (existsSync(state)) await until(() => !isRunning((JSON.parse(readFileSync(state, 'utf8')) as { pid: number }).pid), 'the server to exit', 15_000);
      assert.deepEqual((await readdir(dataDir)).filter((f) => f === 'offers.lock'), [], 'the lock is released');
    } finally {
      execFileSync('umount', ['-l', mountPoint], { stdio: 'ignore' });
      await scratch.cleanup();
    }
  });
});
