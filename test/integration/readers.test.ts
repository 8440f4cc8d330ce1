/**
 * Commands that read one data dir side by side: they share one embedded Chroma server
 * (src/store/chroma-server.ts) and never wait for, or fail because of, each other. Two `stats`
 * started at the same moment used to fail in 1 to 3 trials of 10: one exited 5 at once (both had
 * started a server, the second lost the race for chroma/server.json), or 1 with "database is
 * locked" from the record.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { FatalError } from '../../src/errors.ts';
import { startEmbeddedChroma } from '../../src/store/chroma-server.ts';
import { isRunning } from '../../src/util/pid-file.ts';
import { noServerLeftOn, serversOn } from '../helpers/chroma-processes.ts';
import { DEMO_OFFERS, ROOT, runCli, scratchDir } from '../helpers/cli.ts';

const READERS = 4;

/** Another process that joins (or starts) the server as a reader, then exits without stop(): its exit hook leaves. Resolves with the server's pid. */
async function readerThatExits(dataDir: string): Promise<number> {
  const module = pathToFileURL(path.join(ROOT, 'src', 'store', 'chroma-server.ts')).href;
  const script = `const { startEmbeddedChroma } = await import(${JSON.stringify(module)});
    const server = await startEmbeddedChroma({ dataDir: ${JSON.stringify(dataDir)}, mode: 'read' });
    process.stdout.write(String(server.pid));
    process.exit(0);`;
  const run = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: ROOT, encoding: 'utf8' });
  assert.equal(run.status, 0, run.stderr);
  return Number(run.stdout);
}
const ROUNDS = 10;

describe('readers side by side', () => {
  let scratch: Awaited<ReturnType<typeof scratchDir>>;
  let dataDir: string;

  before(async () => {
    scratch = await scratchDir('offers-readers-');
    dataDir = path.join(scratch.dir, 'data');
    const run = await runCli(['--data-dir', dataDir, 'ingest', DEMO_OFFERS]);
    assert.equal(run.code, 0, run.stderr);
  });
  after(() => scratch.cleanup());

  it(`${READERS} readers started at once all succeed, ${ROUNDS} rounds in a row, none waiting for another`, async () => {
    const question = 'What is the difference between SRE and DevOps engineer positions?';
    for (let round = 1; round <= ROUNDS; round++) {
      // --wait 0: a reader that had to wait for another would exit 5 at once.
      const runs = await Promise.all(
        Array.from({ length: READERS }, (_, i) =>
          runCli(i % 2 === 0 ? ['--data-dir', dataDir, '--wait', '0', 'stats', '--json'] : ['--data-dir', dataDir, '--wait', '0', 'query', question, '--format', 'json']),
        ),
      );
      for (const [i, run] of runs.entries()) assert.equal(run.code, 0, `round ${round}, reader ${i}: ${run.stderr}`);
      for (const run of runs.filter((_, i) => i % 2 === 0)) {
        const stats = JSON.parse(run.stdout) as { chunks: number; storeChunks: number };
        assert.equal(stats.storeChunks, stats.chunks);
      }
      assert.equal(existsSync(path.join(dataDir, 'chroma', 'server.json')), false, `round ${round}: the last reader stopped the server`);
      await noServerLeftOn(dataDir);
    }
  });

  it('readers join one server, which the last one to leave stops, whichever started it', async () => {
    const first = await startEmbeddedChroma({ dataDir, mode: 'read' });
    const second = await startEmbeddedChroma({ dataDir, mode: 'read' });
    try {
      assert.equal(second.pid, first.pid);
      assert.equal(second.url, first.url);
      assert.deepEqual(await serversOn(dataDir), [first.pid]);
      await first.stop();
      assert.ok(isRunning(second.pid), 'the server outlives the reader that started it');
      assert.equal((await fetch(new URL('/api/v2/heartbeat', second.url))).ok, true);
    } finally {
      await second.stop();
    }
    assert.equal(isRunning(first.pid), false);
    assert.equal(existsSync(path.join(dataDir, 'chroma', 'server.json')), false);
  });

  it('a reader that exits without stopping leaves the server to the others, and the last one stops it', async () => {
    const mine = await startEmbeddedChroma({ dataDir, mode: 'read' });
    try {
      assert.equal(await readerThatExits(dataDir), mine.pid, 'the other reader joined this server');
      assert.ok(isRunning(mine.pid), 'its exit left the server to this reader');
      assert.equal((await fetch(new URL('/api/v2/heartbeat', mine.url))).ok, true);
    } finally {
      await mine.stop();
    }
    const alone = await readerThatExits(dataDir);
    await noServerLeftOn(dataDir);
    assert.equal(isRunning(alone), false, 'the last reader stopped the server it started as it exited');
  });

  it('a writer has the server to itself: it is refused while a reader uses it, and a reader while it does', async () => {
    const reader = await startEmbeddedChroma({ dataDir, mode: 'read' });
    try {
      await assert.rejects(startEmbeddedChroma({ dataDir, mode: 'write' }), (error: unknown) => error instanceof FatalError && /is in use by offers process/.test(error.message));
    } finally {
      await reader.stop();
    }
    const writer = await startEmbeddedChroma({ dataDir, mode: 'write' });
    try {
      await assert.rejects(startEmbeddedChroma({ dataDir, mode: 'read' }), (error: unknown) => error instanceof FatalError && /is in use by offers process/.test(error.message));
    } finally {
      await writer.stop();
    }
    await noServerLeftOn(dataDir);
  });
});
