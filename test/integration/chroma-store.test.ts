import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { FatalError } from '../../src/errors.ts';
import { startEmbeddedChroma } from '../../src/store/chroma-server.ts';
import { ChromaStore } from '../../src/store/chroma-store.ts';
import { connectStore, type StoreConnection } from '../../src/store/connect.ts';
import { noServerLeftOn, serversOn } from '../helpers/chroma-processes.ts';
import { SUITE_SPACE, vectorStoreSuite } from '../helpers/vector-store-suite.ts';

/** Every test here goes through the real embedded server the CLI starts. */

const tempDirs: string[] = [];
async function tempDataDir(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'offers-chroma-'));
  tempDirs.push(dir);
  return dir;
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** A pid that certainly belongs to no process any more. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', '']);
  assert.ok(child.pid);
  return child.pid;
}

const SPACE = { embedderId: 'test/embedder-a', dimension: 3 };

let shared: StoreConnection;
let collections = 0;

before(async () => {
  shared = await connectStore({ dataDir: await tempDataDir(), space: SPACE });
});

after(async () => {
  await shared.close();
  await Promise.all(tempDirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

// One server for the whole suite; each test gets its own collection.
vectorStoreSuite('ChromaStore', async () => {
  const store = await ChromaStore.open({ url: shared.url, space: SUITE_SPACE, collectionPrefix: `suite${++collections}` });
  return { store, cleanup: () => store.drop() };
});

describe('connectStore with the embedded server', () => {
  it('keeps the data across two successive connections on one data dir', async () => {
    const dataDir = await tempDataDir();
    const first = await connectStore({ dataDir, space: SPACE });
    assert.equal(first.embedded, true);
    await first.store.upsert([{ id: 'kept', embedding: [1, 2, 3], document: 'kept text', metadata: { role: 'SRE' } }]);
    await first.close();

    const second = await connectStore({ dataDir, space: SPACE });
    try {
      assert.deepEqual(await second.store.get({ ids: ['kept'] }), [
        { id: 'kept', document: 'kept text', metadata: { role: 'SRE' } },
      ]);
    } finally {
      await second.close();
    }
  });

  it('refuses a collection recorded with another embedder', async () => {
    // Both ids sanitise to the same collection name, as two real embedders could.
    const url = shared.url;
    await ChromaStore.open({ url, space: { embedderId: 'vendor/model', dimension: 3 }, collectionPrefix: 'clash' });
    await assert.rejects(
      ChromaStore.open({ url, space: { embedderId: 'vendor:model', dimension: 3 }, collectionPrefix: 'clash' }),
      (error: unknown) =>
        error instanceof FatalError && /vendor\/model/.test(error.message) && /vendor:model/.test(error.message),
    );
  });

  it('stops its server on close, leaving no process behind', async () => {
    const dataDir = await tempDataDir();
    const server = await startEmbeddedChroma({ dataDir });
    assert.ok(isRunning(server.pid));
    await server.stop();
    assert.equal(isRunning(server.pid), false);
    assert.deepEqual(await serversOn(dataDir), []);
    await assert.rejects(readFile(path.join(dataDir, 'chroma', 'server.json')), { code: 'ENOENT' });
    await server.stop();
  });

  it('gives up on a server that does not answer in time, and stops it', async () => {
    const dataDir = await tempDataDir();
    await assert.rejects(startEmbeddedChroma({ dataDir, startTimeoutMs: 1 }), (error: unknown) => {
      assert.ok(error instanceof FatalError);
      assert.match(error.message, /did not answer within/);
      assert.match(error.hint ?? '', /server\.log/);
      return true;
    });
    await noServerLeftOn(dataDir);
  });

  it('lets only one of two simultaneous starts on one data dir keep its server', async () => {
    const dataDir = await tempDataDir();
    const results = await Promise.allSettled([startEmbeddedChroma({ dataDir }), startEmbeddedChroma({ dataDir })]);
    const started = results.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
    const refused = results.flatMap((result) => (result.status === 'rejected' ? [result.reason] : []));
    await Promise.all(started.map((server) => server.stop()));
    assert.equal(started.length, 1);
    assert.ok(refused[0] instanceof FatalError && /is in use by offers process/.test(refused[0].message));
    await noServerLeftOn(dataDir);
  });

  it('refuses a data dir whose server belongs to a live process', async () => {
    const dataDir = await tempDataDir();
    const server = await startEmbeddedChroma({ dataDir });
    try {
      await assert.rejects(startEmbeddedChroma({ dataDir }), (error: unknown) => {
        assert.ok(error instanceof FatalError);
        assert.match(error.message, new RegExp(`data dir .* is in use by offers process ${process.pid}`));
        return true;
      });
    } finally {
      await server.stop();
    }
  });

  it('stops a server left behind by a killed run, then starts a fresh one', async () => {
    const dataDir = await tempDataDir();
    const statePath = path.join(dataDir, 'chroma', 'server.json');
    const orphan = await startEmbeddedChroma({ dataDir });
    const state = JSON.parse(await readFile(statePath, 'utf8')) as { ownerPid: number; users: Array<{ pid: number }> };
    const dead = deadPid();
    await writeFile(statePath, JSON.stringify({ ...state, ownerPid: dead, users: state.users.map((user) => ({ ...user, pid: dead })) }));

    const lines: string[] = [];
    const fresh = await startEmbeddedChroma({ dataDir, log: (line) => lines.push(line) });
    try {
      assert.equal(isRunning(orphan.pid), false, 'the orphan is gone');
      assert.notEqual(fresh.pid, orphan.pid);
      assert.match(lines.join('\n'), new RegExp(`stopping the Chroma server \\(pid ${orphan.pid}\\) left behind`));
      const store = await ChromaStore.open({ url: fresh.url, space: SPACE });
      assert.equal(await store.count(), 0);
      // The orphan's handle must not remove the fresh server's state file.
      await orphan.stop();
      assert.equal(JSON.parse(await readFile(statePath, 'utf8')).pid, fresh.pid);
    } finally {
      await fresh.stop();
    }
    assert.deepEqual(await serversOn(dataDir), []);
  });

  it('stops a server whose starter was killed before recording it, rather than run a second one on its data', async () => {
    const dataDir = await tempDataDir();
    const unrecorded = await startEmbeddedChroma({ dataDir });
    // What a start killed between spawning its server and writing server.json leaves.
    await rm(path.join(dataDir, 'chroma', 'server.json'));

    const lines: string[] = [];
    const fresh = await startEmbeddedChroma({ dataDir, log: (line) => lines.push(line) });
    try {
      assert.equal(isRunning(unrecorded.pid), false, 'the unrecorded server is gone');
      assert.match(lines.join('\n'), new RegExp(`stopping a Chroma server \\(pid ${unrecorded.pid}\\) on .* that no offers process recorded`));
      assert.deepEqual(await serversOn(dataDir), [fresh.pid]);
      // Its handle must not stop the fresh server.
      await unrecorded.stop();
      assert.deepEqual(await serversOn(dataDir), [fresh.pid]);
    } finally {
      await fresh.stop();
    }
    assert.deepEqual(await serversOn(dataDir), []);
  });
});

describe('connectStore with CHROMA_URL', () => {
  it('fails fast with the URL when nothing listens there, and starts no server', async () => {
    const probe = createServer().listen(0, '127.0.0.1');
    await new Promise((resolve) => probe.once('listening', resolve));
    const { port } = probe.address() as AddressInfo;
    await new Promise((resolve) => probe.close(resolve));
    const chromaUrl = `http://127.0.0.1:${port}`;
    const dataDir = await tempDataDir();

    const started = Date.now();
    await assert.rejects(connectStore({ dataDir, chromaUrl, space: SPACE }), (error: unknown) => {
      assert.ok(error instanceof FatalError);
      assert.match(error.message, new RegExp(`not reachable at ${chromaUrl}`));
      assert.match(error.hint ?? '', /CHROMA_URL/);
      assert.match(String((error.cause as Error | undefined)?.message), /ECONNREFUSED/);
      return true;
    });
    assert.ok(Date.now() - started < 5000);
    await assert.rejects(readFile(path.join(dataDir, 'chroma', 'server.json')), { code: 'ENOENT' });
  });

  it('uses a running server as is', async () => {
    const connection = await connectStore({ dataDir: await tempDataDir(), chromaUrl: shared.url, space: SPACE });
    assert.equal(connection.embedded, false);
    assert.equal(connection.url, shared.url);
    await connection.close();
    assert.equal(await connection.store.count(), await shared.store.count(), 'close leaves the server running');
  });
});
