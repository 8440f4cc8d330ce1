/**
 * Chroma behind a token gateway, through the real CLI: a real Chroma server (started by the CLI's
 * own code, src/store/chroma-server.ts) with a loopback proxy in front that wants `x-chroma-token`.
 * There was no way to send a key, a tenant or a database: every command against such a server
 * failed as "Chroma is not reachable". Now CHROMA_API_KEY, CHROMA_HEADERS, CHROMA_TENANT and
 * CHROMA_DATABASE reach the server, a refusal says so (exit 1, one line naming the URL and the
 * fix), and no secret is ever printed. Also the consistency cases of issue 18 that need a
 * server of their own: a collection from another embedder, and a store that cannot be reached
 * while the record holds offers.
 *
 * The commands run in process, each opening its own connection from the variables a user would
 * set (passed as the commands' `env`, not set in this process): what is checked is what reaches
 * the server and what is printed. The real binary keeps the first ingest (the variables read at
 * the process's start) and `serve` (a server process, stopped by a signal).
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { AdminClient, ChromaClient } from 'chromadb';
import type { IndexStats } from '../../src/index-stats.ts';
import type { Answer } from '../../src/query/types.ts';
import { chromaAddress } from '../../src/store/chroma-connection.ts';
import { startEmbeddedChroma, type EmbeddedChroma } from '../../src/store/chroma-server.ts';
import { collectionName } from '../../src/store/vector-store.ts';
import { exportOffers } from '../../src/commands/export.ts';
import { ingest as ingestCommand } from '../../src/commands/ingest.ts';
import { query as queryCommand } from '../../src/commands/query.ts';
import { stats as statsCommand } from '../../src/commands/stats.ts';
import { closedPort, DEMO_OFFERS, runCli, scratchDir, type CliRun } from '../helpers/cli.ts';
import { runCommand } from '../helpers/in-process.ts';
import { startServer } from '../helpers/serve.ts';
import { startTokenProxy, type TokenProxy } from '../helpers/token-proxy.ts';

const KEY = 'ck-test-5e1f-key-never-printed';
const PASSWORD = 'gateway-pa55-never-printed';
const QUESTION = 'What is the difference between SRE and DevOps engineer positions?';

describe('Chroma behind a token gateway', () => {
  let scratch: Awaited<ReturnType<typeof scratchDir>>;
  let server: EmbeddedChroma;
  let proxy: TokenProxy;
  /** The record of the offers ingested through the proxy, into the default database. */
  let dataDir: string;
  let ingested: IndexStats;
  const admin = () => new AdminClient(chromaAddress(server.url));
  /** The three commands the refusals are checked with, in process, each with the environment given. */
  const ASKED: Record<'stats' | 'query' | 'ingest', (dir: string, env: Record<string, string>) => Promise<CliRun>> = {
    stats: (dir, env) => runCommand(statsCommand, { dataDir: dir, json: true, env }),
    query: (dir, env) => runCommand(queryCommand, { dataDir: dir, question: QUESTION, format: 'json', env }),
    ingest: (dir, env) => runCommand(ingestCommand, { dataDir: dir, sources: [DEMO_OFFERS], env }),
  };
  /** `offers stats` in process against the gateway (or the CHROMA_URL `env` gives). */
  const stats = (dir: string, env: Record<string, string>, flags: { json?: boolean; check?: boolean; repair?: boolean } = {}) =>
    runCommand(statsCommand, { dataDir: dir, ...flags, env: { CHROMA_URL: proxy.url, ...env } });
  const noSecret = (run: CliRun) => {
    for (const secret of [KEY, PASSWORD]) assert.ok(!run.stdout.includes(secret) && !run.stderr.includes(secret), `a secret was printed:\n${run.stdout}\n${run.stderr}`);
  };

  before(async () => {
    scratch = await scratchDir('offers-chroma-gateway-');
    server = await startEmbeddedChroma({ dataDir: path.join(scratch.dir, 'server') });
    proxy = await startTokenProxy({ target: server.url, token: KEY });
    dataDir = path.join(scratch.dir, 'data');
  });
  after(async () => {
    await proxy.close();
    await server.stop();
    await scratch.cleanup();
  });

  it('with CHROMA_API_KEY and CHROMA_HEADERS: ingest, query and stats go through, and every request carries both', async () => {
    const env = { CHROMA_API_KEY: KEY, CHROMA_HEADERS: '{"X-Team": "blue"}' };
    // The real binary, once: the variables are read from its environment at its start.
    const ingest = await runCli(['--data-dir', dataDir, 'ingest', DEMO_OFFERS, '--json'], { env: { CHROMA_URL: proxy.url, ...env } });
    assert.equal(ingest.code, 0, ingest.stderr);
    const query = await runCommand(queryCommand, { dataDir, question: QUESTION, format: 'json', env: { CHROMA_URL: proxy.url, ...env } });
    assert.equal(query.code, 0, query.stderr);
    assert.ok((JSON.parse(query.stdout) as Answer).citations.length > 0);
    const counted = await stats(dataDir, env, { json: true });
    assert.equal(counted.code, 0, counted.stderr);
    ingested = JSON.parse(counted.stdout) as IndexStats;
    assert.equal(ingested.storeChunks, ingested.chunks);
    assert.equal(ingested.store, proxy.url);
    for (const run of [ingest, query, counted]) noSecret(run);
    assert.ok(proxy.seen.length > 0);
    assert.deepEqual(proxy.seen.filter((request) => request.headers['x-team'] !== 'blue'), []);
    // An API key without a tenant or database asks the server which ones it grants (chromadb's CloudClient does).
    assert.ok(proxy.seen.some((request) => request.path === '/api/v2/auth/identity'));
    assert.ok(proxy.seen.some((request) => request.path.startsWith('/api/v2/tenants/default_tenant/databases/default_database/collections')));
  });

  it('without the key, or with a wrong one: exit 1, one line naming the URL, "refused the credentials", and the fix', async () => {
    for (const env of [{}, { CHROMA_API_KEY: 'a-wrong-key' }] as Array<Record<string, string>>) {
      for (const [name, ask] of Object.entries(ASKED)) {
        const run = await ask(dataDir, { CHROMA_URL: proxy.url, ...env });
        assert.equal(run.code, 1, `${name}: ${run.stderr}`);
        assert.equal(run.stdout, '', 'nothing is printed before the refusal');
        assert.equal(
          run.stderr,
          `offers: Chroma at ${proxy.url} refused the credentials (GET /api/v2/heartbeat answered 401 Unauthorized)\n` +
            '  fix: set CHROMA_API_KEY to a key this server accepts (sent as x-chroma-token), or put the headers its gateway wants in CHROMA_HEADERS\n',
        );
      }
    }
  });

  it('with the heartbeat open (as Chroma\'s own token auth leaves it), the refusal comes from the first call that needs the key', async () => {
    const gateway = await startTokenProxy({ target: server.url, token: KEY, open: ['/api/v2/heartbeat'] });
    try {
      const run = await stats(dataDir, { CHROMA_URL: gateway.url });
      assert.equal(run.code, 1, run.stderr);
      assert.equal(run.stdout, '');
      assert.match(run.stderr, new RegExp(`^offers: Chroma at ${escape(gateway.url)} refused the credentials \\(Unauthorized\\)\n {2}fix: set CHROMA_API_KEY [^\n]*\n$`));
    } finally {
      await gateway.close();
    }
  });

  it('a user name and password in CHROMA_URL are sent as a Basic authorization and never shown, in stats nor in serve\'s /api/stats', async () => {
    const withPassword = proxy.url.replace('http://', `http://team:${PASSWORD}@`);
    const env = { CHROMA_URL: withPassword, CHROMA_API_KEY: KEY };
    const before = proxy.seen.length;
    for (const json of [false, true]) {
      const run = await stats(dataDir, env, { json });
      assert.equal(run.code, 0, run.stderr);
      assert.ok(run.stdout.includes(proxy.url), run.stdout);
      noSecret(run);
    }
    const basic = `Basic ${Buffer.from(`team:${PASSWORD}`).toString('base64')}`;
    assert.deepEqual(proxy.seen.slice(before).filter((request) => request.headers.authorization !== basic), []);

    const serve = await startServer(['--data-dir', dataDir, 'serve', '--port', '0'], { env });
    try {
      const reply = await fetch(new URL('/api/stats', serve.url));
      assert.equal(reply.status, 200);
      const body = await reply.text();
      assert.equal((JSON.parse(body) as IndexStats).store, proxy.url);
      assert.ok(!body.includes(PASSWORD) && !body.includes(KEY), body);
    } finally {
      const stopped = await serve.stop();
      assert.equal(stopped.code, 0, stopped.stderr);
      noSecret(stopped);
    }
  });

  it('CHROMA_DATABASE: the collection lives in that database; a database that does not exist is named, with the fix', async () => {
    await admin().createDatabase({ name: 'team_offers', tenant: 'default_tenant' });
    const teamDir = path.join(scratch.dir, 'team-data');
    const env = { CHROMA_API_KEY: KEY, CHROMA_DATABASE: 'team_offers' };
    const ingest = await runCommand(ingestCommand, { dataDir: teamDir, sources: [DEMO_OFFERS], json: true, env: { CHROMA_URL: proxy.url, ...env } });
    assert.equal(ingest.code, 0, ingest.stderr);
    const inTeam = new ChromaClient({ ...chromaAddress(server.url), database: 'team_offers' });
    const [space] = spaceOf(ingested);
    assert.equal(await (await inTeam.getCollection({ name: collectionName(space) })).count(), ingested.chunks);

    const missing = await stats(teamDir, { CHROMA_API_KEY: KEY, CHROMA_DATABASE: 'no_such_db', CHROMA_TENANT: 'default_tenant' });
    assert.equal(missing.code, 1, missing.stderr);
    assert.equal(missing.stdout, '');
    assert.equal(
      missing.stderr,
      `offers: Chroma at ${proxy.url} has no database "no_such_db" in the tenant "default_tenant"\n` +
        "  fix: create it (Chroma Cloud's dashboard, or the chromadb AdminClient's createDatabase), or set CHROMA_DATABASE and CHROMA_TENANT to ones that exist\n",
    );
  });

  it('the collection dropped on the server while the record lists its chunks: stats warns with the fix, and --check --repair refills it through the gateway', async () => {
    const teamDir = path.join(scratch.dir, 'team-data');
    const env = { CHROMA_API_KEY: KEY, CHROMA_DATABASE: 'team_offers' };
    const [space] = spaceOf(ingested);
    await new ChromaClient({ ...chromaAddress(server.url), database: 'team_offers' }).deleteCollection({ name: collectionName(space) });
    const drifted = await stats(teamDir, env, { json: true });
    assert.equal(drifted.code, 0, drifted.stderr);
    const counted = JSON.parse(drifted.stdout) as IndexStats;
    assert.deepEqual([counted.storeChunks, counted.chunks], [0, ingested.chunks]);
    assert.match(counted.warnings.join('\n'), new RegExp(`the vector store \\(${escape(proxy.url)}\\) lacks chunks the record lists: it holds 0 chunks.*offers stats --check --repair`));
    const repaired = await stats(teamDir, env, { json: true, check: true, repair: true });
    assert.equal(repaired.code, 0, repaired.stderr);
    const after = JSON.parse(repaired.stdout) as IndexStats;
    assert.deepEqual([after.check?.consistent, after.check?.repaired?.reembedded, after.storeChunks], [true, ingested.chunks, ingested.chunks]);
    noSecret(repaired);
  });

  it('a collection of the same name holding another embedder\'s vectors: stats names both embedders and the fix (exit 1)', async () => {
    await admin().createDatabase({ name: 'foreign', tenant: 'default_tenant' });
    const [space] = spaceOf(ingested);
    const foreign = new ChromaClient({ ...chromaAddress(server.url), database: 'foreign' });
    await foreign.createCollection({ name: collectionName(space), embeddingFunction: null, metadata: { embedderId: 'another-embedder', dimension: 3 } });
    const run = await stats(dataDir, { CHROMA_API_KEY: KEY, CHROMA_DATABASE: 'foreign' }, { json: true });
    assert.equal(run.code, 1, run.stderr);
    assert.equal(run.stdout, '');
    assert.match(run.stderr, new RegExp(`^offers: collection ${collectionName(space)} holds vectors from another-embedder \\(3-d\\), not from ${escape(space.embedderId)} \\(${space.dimension}-d\\); mixing embedders is refused\n {2}fix: `));
    assert.equal(run.stderr.split('\n').length, 3, 'two lines: what and the fix');
  });

  it('a store that cannot be reached, with offers in the record: stats and query name the URL (exit 1) before printing any count; export reads the record alone', async () => {
    const unreachable = `http://127.0.0.1:${await closedPort()}`;
    const env = { CHROMA_URL: unreachable, CHROMA_API_KEY: KEY };
    const asked: Array<[string, () => Promise<CliRun>]> = [
      ['stats', () => stats(dataDir, env)],
      ['stats --json', () => stats(dataDir, env, { json: true })],
      ['query --format json', () => runCommand(queryCommand, { dataDir, question: QUESTION, format: 'json', env })],
      ['query', () => runCommand(queryCommand, { dataDir, question: QUESTION, env })],
    ];
    for (const [args, ask] of asked) {
      const run = await ask();
      assert.equal(run.code, 1, `${args}: ${run.stderr}`);
      assert.equal(run.stdout, '');
      assert.match(run.stderr, new RegExp(`^offers: Chroma is not reachable at ${escape(unreachable)} \\(connect ECONNREFUSED [^)]*\\)\n {2}fix: [^\n]*CHROMA_URL[^\n]*\n$`));
      noSecret(run);
    }
    // export is the record's own dump (it never opens the store): a backup must not depend on Chroma being up.
    const exported = await runCommand(exportOffers, { dataDir, env: { CHROMA_URL: unreachable } });
    assert.equal(exported.code, 0, exported.stderr);
    assert.equal(exported.stdout.trim().split('\n').length, ingested.offers);
  });
});

/** The embedding space `stats` reports, as `id (Nd)`. */
function spaceOf(stats: IndexStats): [{ embedderId: string; dimension: number }] {
  const found = /^(.*) \((\d+)d\)$/.exec(stats.embedder);
  assert.ok(found, stats.embedder);
  return [{ embedderId: found[1]!, dimension: Number(found[2]) }];
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
