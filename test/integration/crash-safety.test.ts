import assert from 'node:assert/strict';
import { cp, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startEmbeddedChroma, type EmbeddedChroma } from '../../src/store/chroma-server.ts';
import { createRandom } from '../../src/util/random.ts';
import { runCli, scratchDir, startCli } from '../helpers/cli.ts';
import { storeAgainstRecord } from '../helpers/index-check.ts';
import { usePostgres } from '../helpers/postgres.ts';
import { editOffer, writeSyntheticCorpus } from '../helpers/synthetic-corpus.ts';

/**
 * Crash safety of `offers ingest`: the real CLI is killed with SIGKILL at least 10 times at random
 * points of a run (start-up, recovery, parsing, embedding, upserts, record commits), each time
 * orphaning its embedded Chroma server, then run to completion. Before each run every offer is
 * edited, as files change between a crash and the next run: chunks a killed run wrote for a
 * version that no longer exists, or had yet to delete, must not survive (chunk ids embed the
 * content hash, so without edits a re-run would overwrite them and hide a missing recovery). The index must equal that of
 * the same ingests run without kills: the same offers with the same text and status, the same
 * chunk count, and a store holding exactly the chunk ids the record lists (no orphan, none missing).
 *
 * The corpus is generated (seeded) so the test needs nothing outside the repository;
 * OFFERS_CRASH_CORPUS=<dir> runs it on a copy of another directory instead (e.g. a real corpus).
 *
 * Twice: with the data dir's SQLite record and embedded Chroma, and with a team's shared record in
 * Postgres (OFFERS_DATABASE_URL) and a Chroma server (CHROMA_URL), one database and one server
 * per history, so that nothing but the record store differs.
 */

const KILLS = 10;
const MAX_ATTEMPTS = 30;

const postgres = usePostgres();

for (const record of ['sqlite', 'postgres'] as const) describe(`crash safety (${record} record): ingest killed with SIGKILL at random points`, () => {
  let scratch: Awaited<ReturnType<typeof scratchDir>>;
  let corpus: string;
  let files: string[];
  /** The environment of each history's runs (the clean one, the killed one). */
  const envs = new Map<string, Record<string, string>>();
  const servers: EmbeddedChroma[] = [];
  let serverScratch: Awaited<ReturnType<typeof scratchDir>> | undefined;

  before(async () => {
    scratch = await scratchDir('offers-crash-');
    if (record === 'postgres') {
      // Outside `scratch`: the test counts the Chroma servers left running under it.
      serverScratch = await scratchDir('offers-crash-servers-');
      for (const history of ['clean', 'crash']) {
        const server = await startEmbeddedChroma({ dataDir: path.join(serverScratch.dir, history) });
        servers.push(server);
        envs.set(history, { OFFERS_DATABASE_URL: await postgres.createDatabase(), CHROMA_URL: server.url });
      }
    }
    corpus = path.join(scratch.dir, 'offers');
    if (process.env.OFFERS_CRASH_CORPUS) await cp(process.env.OFFERS_CRASH_CORPUS, corpus, { recursive: true });
    else await writeSyntheticCorpus(corpus, { count: 200 });
    files = (await readdir(corpus, { recursive: true })).filter((f) => f.endsWith('.md')).map((f) => path.join(corpus, f)).sort();
  });
  after(async () => {
    // A failed assertion must not leave the orphaned servers of this test running.
    await stopServersUnder(scratch.dir);
    await scratch.cleanup();
    await Promise.all(servers.map((server) => server.stop()));
    await serverScratch?.cleanup();
  });

  it(`ends with the same index as a clean run after ${KILLS} kills`, async (t) => {
    const cleanDir = path.join(scratch.dir, 'clean');
    const crashDir = path.join(scratch.dir, 'crash');
    const cleanEnv = { env: envs.get('clean') ?? {} };
    const crashEnv = { env: envs.get('crash') ?? {} };
    const started = Date.now();
    const clean = await runCli(['--data-dir', cleanDir, 'ingest', corpus, '--json'], cleanEnv);
    const cleanMs = Date.now() - started;
    assert.ok(clean.code === 0 || clean.code === 3, clean.stderr);

    const random = createRandom(20261127);
    const killedAt: number[] = [];
    let midWrite = 0;
    for (let attempt = 0; killedAt.length < KILLS && attempt < MAX_ATTEMPTS; attempt++) {
      // Anywhere from start-up to well into the run.
      const delay = Math.round(200 + random() * cleanMs * 0.7);
      // Every offer changes, so every run replaces chunks (upsert, commit, delete) until it is killed.
      for (const file of files) await writeFile(file, editOffer(await readFile(file, 'utf8'), `edit ${attempt}`));
      const { child, result: done } = startCli(['--data-dir', crashDir, 'ingest', corpus, '--json'], crashEnv);
      const timer = setTimeout(() => child.kill('SIGKILL'), delay);
      const run = await done;
      clearTimeout(timer);
      if (child.signalCode === 'SIGKILL') {
        killedAt.push(delay);
        // Every other kill, the state it left is checked (which also stops its orphaned server);
        // the others leave their orphaned server to the next run.
        if (killedAt.length % 2 === 0) {
          const left = await storeAgainstRecord(crashDir, crashEnv.env);
          assert.deepEqual(left.missing, [], `killed at ${delay} ms: an indexed offer lost chunks`);
          assert.deepEqual(left.orphans, [], `killed at ${delay} ms: chunks in Chroma that neither the record nor an intent lists`);
          if (left.intents > 0) midWrite++;
        }
      } else assert.ok(run.code === 0 || run.code === 3, `an unkilled run failed: ${run.stderr}`);
    }
    t.diagnostic(`clean run ${cleanMs} ms; killed at ${killedAt.join(', ')} ms; ${midWrite} of the checked kills left a change unfinished`);
    assert.ok(killedAt.length >= KILLS, `only ${killedAt.length} runs were still going when killed`);

    // Beside it (another data dir), the same history without kills: the first corpus, then the edited one.
    const [final, cleanFinal] = await Promise.all([
      runCli(['--data-dir', crashDir, 'ingest', corpus, '--json'], crashEnv),
      runCli(['--data-dir', cleanDir, 'ingest', corpus, '--json'], cleanEnv),
    ]);
    assert.equal(final.code, clean.code, final.stderr);
    assert.equal(cleanFinal.code, clean.code, cleanFinal.stderr);

    const [cleanIndex, crashIndex] = await Promise.all([describeIndex(cleanDir, cleanEnv.env), describeIndex(crashDir, crashEnv.env)]);
    assert.ok(cleanIndex.offers.size > 0);
    assert.deepEqual([...crashIndex.offers.keys()].sort(), [...cleanIndex.offers.keys()].sort(), 'the same offer ids');
    assert.deepEqual(crashIndex.offers, cleanIndex.offers, 'the same offers, text and status');
    assert.equal(crashIndex.stats.chunks, cleanIndex.stats.chunks, 'the same chunk count');
    assert.equal(crashIndex.stats.storeChunks, crashIndex.stats.chunks, 'the store holds what the record lists');

    const held = await storeAgainstRecord(crashDir, crashEnv.env);
    assert.deepEqual(held.orphans, [], 'chunks in Chroma that no active offer lists');
    assert.deepEqual(held.missing, [], 'chunks the record lists that Chroma lacks');
    assert.equal(held.intents, 0, 'no unfinished change left in the record');
    assert.deepEqual(await serversUnder(scratch.dir), [], 'no Chroma server left running');
  });
});

interface IndexDescription {
  offers: Map<string, { role: string; status: string; text: string }>;
  stats: { chunks: number; storeChunks: number };
}

/** What the CLI says is indexed: `export --include-removed` (every record, with its status) and `stats --json`. */
async function describeIndex(dataDir: string, env: Record<string, string>): Promise<IndexDescription> {
  // Two readers side by side: they share one embedded Chroma server.
  const [exported, stats] = await Promise.all([
    runCli(['--data-dir', dataDir, 'export', '--include-removed'], { env }),
    runCli(['--data-dir', dataDir, 'stats', '--json'], { env }),
  ]);
  assert.equal(exported.code, 0, exported.stderr);
  const offers = new Map<string, { role: string; status: string; text: string }>();
  for (const line of exported.stdout.trim().split('\n')) {
    const o = JSON.parse(line) as { offerId: string; role: string; status: string; text: string };
    offers.set(o.offerId, { role: o.role, status: o.status, text: o.text });
  }
  assert.equal(stats.code, 0, stats.stderr);
  return { offers, stats: JSON.parse(stats.stdout) as IndexDescription['stats'] };
}

/** Pids of Chroma servers whose data path is under `dir` (only this test's own servers). */
async function serversUnder(dir: string): Promise<number[]> {
  const pids: number[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const cmdline = await readFile(`/proc/${entry}/cmdline`, 'utf8').catch(() => '');
    const args = cmdline.split('\0');
    const at = args.indexOf('--path');
    if (args.some((a) => a.endsWith('cli.mjs')) && at >= 0 && args[at + 1]?.startsWith(dir)) pids.push(Number(entry));
  }
  return pids;
}

async function stopServersUnder(dir: string): Promise<void> {
  for (const pid of await serversUnder(dir)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
}
