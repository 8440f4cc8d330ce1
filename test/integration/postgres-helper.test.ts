/**
 * The throwaway Postgres cluster of the record store tests (test/helpers/postgres.ts): it starts
 * from Debian's binaries, hands out empty databases (collating in English) that the `pg` client
 * reaches on 127.0.0.1, and leaves nothing running, after a stop or after its test process was
 * killed.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import pg from 'pg';
import { ROOT, scratchDir } from '../helpers/cli.ts';
import { isRunning, postgresBinDir, startPostgres, type PostgresCluster } from '../helpers/postgres.ts';

async function query(url: string, sql: string): Promise<Array<Record<string, unknown>>> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql)).rows as Array<Record<string, unknown>>;
  } finally {
    await client.end();
  }
}

async function serverPid(cluster: Pick<PostgresCluster, 'dataDir'>): Promise<number> {
  return Number((await readFile(path.join(cluster.dataDir, 'postmaster.pid'), 'utf8')).split('\n')[0]);
}

/** The test process owning a cluster's temp dir, as the helper records it. */
function readOwner(root: string): number | undefined {
  try {
    return Number(readFileSync(path.join(root, 'owner.pid'), 'utf8'));
  } catch {
    return undefined;
  }
}

describe('the test Postgres cluster', () => {
  it('starts, creates separate empty databases the pg client reaches on 127.0.0.1, and is gone after stop', async () => {
    const cluster = await startPostgres();
    let pid: number;
    try {
      pid = await serverPid(cluster);
      const first = await cluster.createDatabase();
      const second = await cluster.createDatabase();
      assert.notEqual(first, second);
      for (const url of [first, second]) assert.match(url, new RegExp(`^postgres://postgres@127\\.0\\.0\\.1:${cluster.port}/pgsuite\\w*$`));
      assert.deepEqual(await query(first, 'SELECT current_user AS who, host(inet_server_addr()) AS address'), [{ who: 'postgres', address: '127.0.0.1' }]);
      await query(first, 'CREATE TABLE only_here (id INTEGER)');
      const tables = "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1";
      assert.deepEqual(await query(first, tables), [{ table_name: 'only_here' }]);
      assert.deepEqual(await query(second, tables), [], 'the second database is new and empty');
      assert.deepEqual(
        await query(first, "SELECT array_agg(name ORDER BY name) AS names FROM unnest(ARRAY['b.md', 'B.md', 'a.md']) AS name"),
        [{ names: ['a.md', 'b.md', 'B.md'] }],
        'text collates in English, not by code point',
      );
      assert.ok(isRunning(pid));
    } finally {
      await cluster.stop();
    }
    assert.equal(isRunning(pid), false, 'the server process is gone');
    assert.equal(existsSync(cluster.dataDir), false, 'and its files');
    await assert.rejects(query(cluster.url('postgres'), 'SELECT 1'), /ECONNREFUSED/);
  });

  it('stops, at the next start, a cluster whose test process was killed', async () => {
    const script = `import('./test/helpers/postgres.ts').then(async ({ startPostgres }) => {
      const cluster = await startPostgres();
      console.log(JSON.stringify({ dataDir: cluster.dataDir }));
      setInterval(() => {}, 60000);
    });`;
    const child = spawn(process.execPath, ['--import', 'tsx', '-e', script], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
    let output = '';
    for await (const chunk of child.stdout) {
      output += String(chunk);
      if (output.includes('\n')) break;
    }
    const orphan = JSON.parse(output) as { dataDir: string };
    const pid = await serverPid(orphan);
    child.kill('SIGKILL');
    await new Promise((resolve) => child.once('exit', resolve));
    assert.ok(isRunning(pid), 'the killed process left its server running');

    const cluster = await startPostgres();
    try {
      assert.equal(isRunning(pid), false, 'the orphan server was stopped');
      assert.equal(existsSync(path.dirname(orphan.dataDir)), false, 'and its files removed');
    } finally {
      await cluster.stop();
    }
  });

  it("gives a test file one cluster, started by its first database and stopped after the file's tests", async () => {
    const scratch = await scratchDir('offers-pg-user-');
    try {
      const file = path.join(scratch.dir, 'uses-postgres.test.ts');
      await writeFile(
        file,
        `import { it } from 'node:test';
         import { usePostgres } from ${JSON.stringify(path.join(ROOT, 'test', 'helpers', 'postgres.ts'))};
         const postgres = usePostgres();
         it('one', async () => console.log('database ' + (await postgres.createDatabase())));
         it('two', async () => console.log('database ' + (await postgres.createDatabase())));`,
      );
      // Run directly, not with --test, so that the tests run in this child (the owner of the
      // cluster); without this runner's context, so that it reports as a process of its own.
      const { NODE_TEST_CONTEXT: _, ...env } = process.env;
      const child = spawn(process.execPath, ['--import', 'tsx', file], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'inherit'] });
      let output = '';
      child.stdout.on('data', (data: Buffer) => (output += String(data)));
      const [code] = (await once(child, 'exit')) as [number | null];
      assert.equal(code, 0, output);
      const urls = [...output.matchAll(/^database (\S+)$/gm)].map((match) => new URL(match[1]!));
      assert.equal(urls.length, 2, output);
      assert.equal(urls[0]!.port, urls[1]!.port, 'one cluster');
      assert.notEqual(urls[0]!.pathname, urls[1]!.pathname, 'a database each');
      await assert.rejects(query(urls[0]!.href, 'SELECT 1'), /ECONNREFUSED/, 'stopped after the tests');
      const left = readdirSync(tmpdir()).filter((name) => name.startsWith('offers-pg-') && readOwner(path.join(tmpdir(), name)) === child.pid);
      assert.deepEqual(left, [], 'and its files removed');
    } finally {
      await scratch.cleanup();
    }
  });

  it('uses the newest server installed, and names the package to install when there is none', async () => {
    const scratch = await scratchDir('offers-pg-root-');
    try {
      for (const version of ['9.6', '15', '13']) {
        await mkdir(path.join(scratch.dir, version, 'bin'), { recursive: true });
        await writeFile(path.join(scratch.dir, version, 'bin', 'initdb'), '');
      }
      // A newer version whose server package is not installed (only its client).
      await mkdir(path.join(scratch.dir, '16', 'bin'), { recursive: true });
      assert.equal(postgresBinDir(scratch.dir), path.join(scratch.dir, '15', 'bin'));
      assert.throws(() => postgresBinDir(path.join(scratch.dir, 'nothing')), /no Postgres server found .*install it with "apt-get install -y postgresql"/);
    } finally {
      await scratch.cleanup();
    }
  });
});
