/**
 * One index for a team (issue 18): the record in Postgres (OFFERS_DATABASE_URL) and the vectors in
 * a Chroma server (CHROMA_URL), used from two data dirs as two machines would use them. A real
 * Postgres cluster (test/helpers/postgres.ts) and a real Chroma server started by the CLI's own
 * code. The commands run in process (runCommand, test/helpers/in-process.ts), each machine a data dir of its own
 * reading both URLs from the environment: each command opens its own Postgres connections, the
 * record's and the advisory lock's, so what the lock sees is what two machines' commands show it.
 * Through the real CLI: the variables' reading at the start of a process, and the machines
 * re-indexing at once, one of them killed.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { exportOffers } from '../../src/commands/export.ts';
import { ingest as ingestCommand } from '../../src/commands/ingest.ts';
import { query } from '../../src/commands/query.ts';
import { reindex as reindexCommand } from '../../src/commands/reindex.ts';
import { stats as statsCommand } from '../../src/commands/stats.ts';
import { resolveConfig } from '../../src/config.ts';
import type { ExitCode } from '../../src/errors.ts';
import type { Output } from '../../src/output.ts';
import type { IndexStats } from '../../src/index-stats.ts';
import pg from 'pg';
import { FatalError } from '../../src/errors.ts';
import { acquireAdvisoryLock } from '../../src/records/pg/advisory-lock.ts';
import { PgRecordStore } from '../../src/records/pg/pg-record-store.ts';
import { startEmbeddedChroma, type EmbeddedChroma } from '../../src/store/chroma-server.ts';
import { collectionName } from '../../src/store/vector-store.ts';
import { openWorkspace } from '../../src/workspace.ts';
import { storeAgainstRecord } from '../helpers/index-check.ts';
import { closedPort, copyDemoOffers, runCli, scratchDir, startCli, type CliRun } from '../helpers/cli.ts';
import { runCommand, startCommand } from '../helpers/in-process.ts';
import { startServer } from '../helpers/serve.ts';
import { postgresBinDir, usePostgres } from '../helpers/postgres.ts';
import { buildJobSite, startSite } from '../helpers/job-site.ts';
import { editOffer, writeSyntheticCorpus } from '../helpers/synthetic-corpus.ts';

const SEED_QUESTION = 'Focusing on missions and requirements, what is the difference between the SRE and the DevOps engineer positions?';
/** What the demo offers hold (data/README.md): 37 offers in 35 files, one a repost counted once. */
const DEMO = { offers: 36, duplicates: 1 };
const postgres = usePostgres();

describe('a team: one record in Postgres, one Chroma server, two machines', () => {
  let scratch: Awaited<ReturnType<typeof scratchDir>>;
  let chroma: EmbeddedChroma;
  let databaseUrl: string;
  let offers: string;
  const env = () => ({ OFFERS_DATABASE_URL: databaseUrl, CHROMA_URL: chroma.url });
  /** A command of `machine`, in process: its data dir, the team's URLs from the environment. */
  const cli = <O extends { dataDir?: string; output?: Output }>(machine: 'a' | 'b', command: (options: O) => Promise<ExitCode>, options: Omit<O, 'dataDir' | 'output'>) =>
    runCommand(command, { ...options, dataDir: path.join(scratch.dir, machine) } as Omit<O, 'output'>, env());
  const json = <T>(run: CliRun): T => {
    assert.equal(run.code, 0, run.stderr);
    return JSON.parse(run.stdout) as T;
  };

  before(async () => {
    scratch = await scratchDir('offers-team-');
    chroma = await startEmbeddedChroma({ dataDir: path.join(scratch.dir, 'chroma') });
    databaseUrl = await postgres.createDatabase();
    offers = await copyDemoOffers(path.join(scratch.dir, 'offers'));
  });
  after(async () => {
    await chroma.stop();
    await scratch.cleanup();
  });

  it('B answers the seed question as A does, from A\'s ingest, and a re-index from B sees A\'s sources', async () => {
    const ingest = json<{ offers: number; sources: number }>(await cli('a', ingestCommand, { sources: [offers], json: true }));
    assert.equal(ingest.offers, DEMO.offers);
    const fromA = await cli('a', query, { question: SEED_QUESTION, format: 'json' });
    const fromB = await cli('b', query, { question: SEED_QUESTION, format: 'json' });
    assert.equal(fromA.code, 0, fromA.stderr);
    assert.equal(fromB.stdout, fromA.stdout, 'the same JSON from both machines');
    assert.ok((JSON.parse(fromB.stdout) as { citations: unknown[] }).citations.length > 0);

    const stats = json<IndexStats>(await cli('b', statsCommand, { check: true, json: true }));
    assert.equal(stats.offers, ingest.offers);
    assert.equal(stats.storeChunks, stats.chunks, 'the store holds what the shared record lists');
    assert.equal(stats.check?.consistent, true, 'chunk by chunk');
    assert.match(stats.record, /^postgres:\/\/127\.0\.0\.1:\d+\/\w+ \(schema "offers-[^"]+"\)$/);
    const reindex = json<{ unchanged: number; new: number; removed: number; failed: number }>(await cli('b', reindexCommand, { json: true }));
    assert.deepEqual({ new: reindex.new, removed: reindex.removed, failed: reindex.failed }, { new: 0, removed: 0, failed: 0 });
    // Every offer A recorded, the repost among them (a duplicate, unchanged too).
    assert.equal(reindex.unchanged, DEMO.offers + DEMO.duplicates, 'B re-read the sources A recorded');
    // The data dirs hold no record of their own.
    for (const machine of ['a', 'b']) assert.deepEqual(await readdir(path.join(scratch.dir, machine, 'index')).catch(() => []), []);
  });

  it('a reader waits for the writer holding the advisory lock, and --wait 0 names it (exit 5); a running server keeps answering', async () => {
    const workspace = await openWorkspace(resolveConfig({ dataDir: path.join(scratch.dir, 'a') }, env()));
    const held = collectionName({ embedderId: workspace.embedder.id, dimension: workspace.embedder.dimension });
    await workspace.close();
    const server = await startServer(['--data-dir', path.join(scratch.dir, 'b'), 'serve', '--port', '0'], { env: env() });
    const stats = async () => {
      const response = await fetch(new URL('api/stats', server.url));
      assert.equal(response.status, 200);
      return ((await response.json()) as IndexStats).offers;
    };
    let lock: Awaited<ReturnType<typeof acquireAdvisoryLock>> | undefined;
    try {
      const offers = await stats(); // the server's workspace is open from here on
      lock = await acquireAdvisoryLock(databaseUrl, held, { command: 'ingest', waitMs: 0 });
      assert.equal(await stats(), offers, 'the server answers from committed rows while another machine writes');
      const busy = await cli('b', query, { question: SEED_QUESTION, wait: 0 });
      assert.equal(busy.code, 5, busy.stderr);
      assert.match(busy.stderr, /is busy: offers ingest \(pid \d+ on /);
      const writer = await cli('b', reindexCommand, { wait: 0 });
      assert.equal(writer.code, 5, writer.stderr);
      const waiting = startCommand(statsCommand, { dataDir: path.join(scratch.dir, 'b'), json: true, wait: 30 }, env());
      // A reader that does not wait ends instead: the next assertion says so.
      while (!waiting.stderr().includes('waiting for offers ingest') && !waiting.done()) await new Promise((resolve) => setTimeout(resolve, 20));
      assert.equal(waiting.done(), false, 'the reader is still waiting');
      lock.release();
      const read = await waiting.result;
      assert.equal(read.code, 0, read.stderr);
    } finally {
      lock?.release();
      await server.stop();
    }
  });

  it('A crawls a site; once the site is gone, B re-derives its offers offline from the snapshots in the shared record', async () => {
    let origin = '';
    const site = await buildJobSite(3, 'team', () => origin);
    const server = await startSite(site.routes);
    origin = server.origin;
    try {
      const crawl = json<{ new: number; web: { failed: number } }>(await cli('a', ingestCommand, { sources: [`${origin}/sitemap.xml`], web: { rate: 1000 }, contact: 'ci@example.org', json: true }));
      assert.equal(crawl.new, 3);
      assert.equal(crawl.web.failed, 0);
    } finally {
      await server.close();
    }
    const offline = json<{ unchanged: number; failed: number }>(await cli('b', reindexCommand, { offline: true, json: true }));
    assert.equal(offline.failed, 0);
    // The three pages, and the demo offers the first test recorded (their files are still there).
    assert.equal(offline.unchanged, 3 + DEMO.offers + DEMO.duplicates, `B read every page from the shared snapshots (${offline.unchanged} unchanged)`);
    assert.deepEqual((await readdir(path.join(scratch.dir, 'b')).catch(() => [] as string[])).filter((name) => name === 'snapshots'), [], 'no snapshot files on B');
  });

  it('an unreachable Postgres is one line naming it without the password (exit 1); OFFERS_DATABASE_URL needs CHROMA_URL (exit 2)', async () => {
    const port = await closedPort();
    const url = `postgres://team:pa55-never-printed@127.0.0.1:${port}/offers`;
    const run = await runCommand(query, { dataDir: path.join(scratch.dir, 'c'), question: SEED_QUESTION }, { OFFERS_DATABASE_URL: url, CHROMA_URL: chroma.url });
    assert.equal(run.code, 1, run.stderr);
    assert.match(run.stderr, new RegExp(`Postgres record at postgres://127\\.0\\.0\\.1:${port}/offers`));
    assert.ok(!run.stderr.includes('pa55-never-printed') && !run.stdout.includes('pa55-never-printed'));
    assert.ok(!/\n\s+at /.test(run.stderr), `a stack trace:\n${run.stderr}`);
    // Through the real CLI: the variables as a process reads them at its start.
    const alone = await runCli(['--data-dir', path.join(scratch.dir, 'c'), 'stats'], { env: { OFFERS_DATABASE_URL: url } });
    assert.equal(alone.code, 2, alone.stderr);
    assert.match(alone.stderr, /set CHROMA_URL/);
    assert.ok(!alone.stderr.includes('pa55-never-printed'));
  });
});

describe('the Postgres record over a lost connection', () => {
  /**
   * Ends the one connection of `offers <command>` from another process, synchronously: the second
   * test does it from inside a synchronous transaction, where no promise can settle.
   */
  const terminate = (url: string, command: string) => {
    const ended = spawnSync(path.join(postgresBinDir(), 'psql'), [url, '-Atc', `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name LIKE 'offers ${command} %'`], {
      encoding: 'utf8',
    });
    assert.equal(ended.stdout.trim(), 't', `one connection to end: ${ended.stderr}`);
  };

  it('reconnects for the next call when the connection went between calls (a long-running serve)', async () => {
    const url = await postgres.createDatabase();
    const records = PgRecordStore.open(url, 'offers-lost', 'serve-lost');
    try {
      records.putSource({ source: 'a.md', kind: 'file', contentHash: 'h', status: 'ok', offerIds: [], lastSeen: 't', lastChanged: 't' });
      terminate(url, 'serve-lost');
      assert.deepEqual(records.countSources(), { sources: 1, failed: 0 });
    } finally {
      records.close();
    }
  });

  it('fails the transaction the connection went in, with one line naming the database, and keeps none of its writes', async () => {
    const url = await postgres.createDatabase();
    const records = PgRecordStore.open(url, 'offers-lost', 'ingest-lost');
    const source = (name: string) => ({ source: name, kind: 'file', contentHash: 'h', status: 'ok' as const, offerIds: [], lastSeen: 't', lastChanged: 't' });
    try {
      assert.throws(
        () =>
          records.transaction(() => {
            records.putSource(source('first.md'));
            terminate(url, 'ingest-lost');
            records.putSource(source('second.md'));
          }),
        (error: Error) => FatalError.isInstance(error) && /the Postgres record at postgres:\/\/127\.0\.0\.1:\d+\/\w+ failed/.test(error.message),
      );
      assert.deepEqual(records.listSources(), [], 'nothing of the transaction landed');
      records.putSource(source('after.md'));
      assert.deepEqual(records.listSources().map((s) => s.source), ['after.md']);
    } finally {
      records.close();
    }
  });
});

describe('two machines re-indexing one shared record at once', () => {
  /** Offers of the synthetic corpus, written with three reposts of theirs (one in 40). */
  const CORPUS_OFFERS = 120;
  let scratch: Awaited<ReturnType<typeof scratchDir>>;
  let chroma: EmbeddedChroma;
  let reference: EmbeddedChroma;
  let databaseUrl: string;
  let corpus: string;
  let files: string[];

  before(async () => {
    scratch = await scratchDir('offers-team-concurrent-');
    [chroma, reference] = await Promise.all([
      startEmbeddedChroma({ dataDir: path.join(scratch.dir, 'chroma') }),
      startEmbeddedChroma({ dataDir: path.join(scratch.dir, 'chroma-reference') }),
    ]);
    databaseUrl = await postgres.createDatabase();
    corpus = path.join(scratch.dir, 'offers');
    files = (await writeSyntheticCorpus(corpus, { count: CORPUS_OFFERS })).sort();
  });
  after(async () => {
    await Promise.all([chroma.stop(), reference.stop()]);
    await scratch.cleanup();
  });

  const teamEnv = () => ({ OFFERS_DATABASE_URL: databaseUrl, CHROMA_URL: chroma.url });
  const start = (machine: string, args: string[]) => startCli(['--data-dir', path.join(scratch.dir, machine), ...args, '--json', '--wait', '120'], { env: teamEnv() });
  /**
   * The runs before and after the race, in process: each on a connection of its own, with no other
   * command running (the processes raced and killed are real ones: a kill must end a process).
   */
  const run = <O extends { dataDir?: string; wait?: number; json?: boolean; output?: Output }>(machine: string, command: (options: O) => Promise<ExitCode>, options: Omit<O, 'dataDir' | 'wait' | 'json' | 'output'>) =>
    runCommand(command, { ...options, dataDir: path.join(scratch.dir, machine), json: true, wait: 120 } as Omit<O, 'output'>, teamEnv());

  it('end with no duplicate and no lost offer, also when one is killed mid-run; the next run converges', async () => {
    const first = await run('a', ingestCommand, { sources: [corpus] });
    assert.equal(first.code, 0, first.stderr);

    // Both change every offer: the second waits for the first's lock, then finds nothing left to do.
    for (const file of files) await writeFile(file, editOffer(await readFile(file, 'utf8'), 'edit 1'));
    const [a, b] = await Promise.all([start('a', ['reindex']).result, start('b', ['reindex']).result]);
    assert.equal(a.code, 0, a.stderr);
    assert.equal(b.code, 0, b.stderr);
    const changed = [a, b].map((run) => (JSON.parse(run.stdout) as { changed: number }).changed).sort((x, y) => x - y);
    assert.equal(changed[0], 0, 'the second re-index found the first one\'s work done');
    // The first one changes every offer of the corpus; a repost (its file is edited too) stays a duplicate of its offer.
    assert.equal(changed[1], CORPUS_OFFERS);

    // Killed mid-run (A, once it has rewritten some offers), while B waits for it; then B's run and one more converge.
    for (const file of files) await writeFile(file, editOffer(await readFile(file, 'utf8'), 'edit 2'));
    const edited = await watchEdits(databaseUrl, 'edit 2');
    const killed = start('a', ['reindex']);
    const waiting = start('b', ['reindex']);
    let editedWhenKilled = 0;
    try {
      while ((editedWhenKilled = await edited.count()) === 0 && killed.child.exitCode === null) await new Promise((resolve) => setTimeout(resolve, 10));
      killed.child.kill('SIGKILL');
    } finally {
      await edited.close();
    }
    assert.equal((await killed.result).signal, 'SIGKILL', 'A was killed, not finished');
    assert.ok(editedWhenKilled > 0 && editedWhenKilled < files.length, `A was killed mid-run (${editedWhenKilled} of ${files.length} offers rewritten)`);
    const afterKill = await waiting.result;
    assert.equal(afterKill.code, 0, afterKill.stderr);
    const converged = await run('a', reindexCommand, {});
    assert.equal(converged.code, 0, converged.stderr);

    // The same offers as one machine ingesting the final files into its own SQLite record. The
    // result is compared in process; one after the other, as each reads its own environment.
    const referenceRun = await runCommand(ingestCommand, { dataDir: path.join(scratch.dir, 'reference'), sources: [corpus], json: true }, { CHROMA_URL: reference.url });
    assert.equal(referenceRun.code, 0, referenceRun.stderr);
    const team = await exported(path.join(scratch.dir, 'b'), teamEnv());
    const alone = await exported(path.join(scratch.dir, 'reference'), { CHROMA_URL: reference.url });
    assert.equal(team.ids.length, new Set(team.ids).size, 'no offer listed twice');
    assert.deepEqual(team.offers, alone.offers, 'the same offers, text and status');
    const held = await storeAgainstRecord(path.join(scratch.dir, 'b'), teamEnv());
    assert.deepEqual(held, { orphans: [], missing: [], intents: 0 });
  });
});

/** How many offers of the shared record hold `marker` in their text, read with a connection of the test's own. */
async function watchEdits(url: string, marker: string): Promise<{ count(): Promise<number>; close(): Promise<void> }> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const { rows } = await client.query<{ schema: string }>("SELECT nspname AS schema FROM pg_namespace WHERE nspname LIKE 'offers-%'");
  assert.equal(rows.length, 1, 'one collection in the shared record');
  const table = `"${rows[0]!.schema}".offers`;
  return {
    count: async () => (await client.query<{ n: number }>(`SELECT COUNT(*)::int AS n FROM ${table} WHERE strpos(offer::text, $1) > 0`, [marker])).rows[0]!.n,
    close: () => client.end(),
  };
}

async function exported(dataDir: string, env: Record<string, string>): Promise<{ ids: string[]; offers: Map<string, { status: string; text: string }> }> {
  const run = await runCommand(exportOffers, { dataDir, includeRemoved: true }, env);
  assert.equal(run.code, 0, run.stderr);
  const lines = run.stdout.trim().split('\n').map((line) => JSON.parse(line) as { offerId: string; status: string; text: string });
  return { ids: lines.map((o) => o.offerId), offers: new Map(lines.map((o) => [o.offerId, { status: o.status, text: o.text }])) };
}
