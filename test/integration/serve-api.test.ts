import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { IndexStats } from '../../src/index-stats.ts';
import type { IndexHistory, OfferDetail, OfferList } from '../../src/serve/views.ts';
import { CONTENT_SECURITY_POLICY } from '../../src/serve/http-guard.ts';
import { exportOffers } from '../../src/commands/export.ts';
import { query } from '../../src/commands/query.ts';
import { serve } from '../../src/commands/serve.ts';
import { stats } from '../../src/commands/stats.ts';
import { runCli, scratchDir } from '../helpers/cli.ts';
import { runCommand } from '../helpers/in-process.ts';
import { HOSTILE_SCRIPT, HOSTILE_WORD, ingestDemoOffers, startServer, type RunningServer } from '../helpers/serve.ts';

/**
 * `offers serve`'s HTTP API, through the real binary and the embedded Chroma server it starts:
 * the answers are the CLI's, byte for byte; bad requests get a status and one line; the token and
 * loopback rules; a writer from another process gets the data dir while the server runs; the
 * re-index history; a clean stop. What the server is compared with (the CLI's own answers) and
 * the refusals to start come from the command functions in process (runCommand, test/helpers/in-process.ts).
 */

const QUESTION = 'Focusing on missions and requirements, what is the difference between the SRE and the DevOps engineer positions?';
const REFUSED = { question: 'How do SREs differ from astronauts?', roles: ['SRE', 'Astronaut'] };

interface Exported {
  offerId: string;
  role: string;
  title: string;
  text: string;
  sections: Array<{ kind: string; text: string }>;
}

async function call(server: RunningServer, route: string, init: RequestInit = {}): Promise<{ status: number; text: string; headers: Headers; json<T>(): T }> {
  const response = await fetch(new URL(route, server.url), init);
  const text = await response.text();
  return { status: response.status, text, headers: response.headers, json: <T>() => JSON.parse(text) as T };
}

const post = (body: string, type = 'application/json'): RequestInit => ({ method: 'POST', headers: { 'content-type': type }, body });

/** A request with a Host header of our choosing (fetch sets its own). */
function withHost(url: string, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(new URL('/api/history', url), { headers: { host } }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end();
  });
}

describe('offers serve: the HTTP API', () => {
  let scratch: Awaited<ReturnType<typeof scratchDir>>;
  let dataDir: string;
  let offersDir: string;
  let server: RunningServer;
  let cliAnswer: string;
  let cliRefusal: string;
  let cliStats: IndexStats;
  let exported: Exported[];

  before(async () => {
    scratch = await scratchDir();
    ({ dataDir, offers: offersDir } = await ingestDemoOffers(scratch.dir));
    // What the CLI says, before the server holds the data dir: the commands in process, opening
    // the data dir's embedded Chroma as the CLI does. Readers side by side share one embedded
    // server (test/integration/readers.test.ts): one start instead of four.
    try {
      const [answer, refusal, counted, exports] = await Promise.all([
        runCommand(query, { dataDir, question: QUESTION, format: 'json' }),
        runCommand(query, { dataDir, question: REFUSED.question, roles: REFUSED.roles, format: 'json' }),
        runCommand(stats, { dataDir, json: true }),
        runCommand(exportOffers, { dataDir }),
      ]);
      assert.equal(answer.code, 0, answer.stderr);
      cliAnswer = answer.stdout;
      assert.equal(refusal.code, 4, refusal.stderr);
      cliRefusal = refusal.stdout;
      cliStats = JSON.parse(counted.stdout) as IndexStats;
      exported = exports.stdout.trim().split('\n').map((line) => JSON.parse(line) as Exported);
    } finally {
    }
    server = await startServer(['--data-dir', dataDir, 'serve', '--port', '0']);
  });
  after(async () => {
    if (server.child.exitCode === null) await server.stop('SIGKILL');
    await scratch.cleanup();
  });

  it('listens on 127.0.0.1 on the free port it names', () => {
    assert.match(server.url, /^http:\/\/127\.0\.0\.1:(\d+)\/$/);
    assert.notEqual(server.url, 'http://127.0.0.1:0/');
  });

  it('answers POST /api/query with what `offers query --format json` prints, and a refusal with 422 and the refusal object', async () => {
    const answer = await call(server, '/api/query', post(JSON.stringify({ question: QUESTION })));
    assert.equal(answer.status, 200, answer.text);
    assert.match(answer.headers.get('content-type') ?? '', /^application\/json/);
    assert.equal(answer.text, cliAnswer);
    const refusal = await call(server, '/api/query', post(JSON.stringify(REFUSED)));
    assert.equal(refusal.status, 422);
    assert.equal(refusal.text, cliRefusal);
  });

  it('refuses bad requests with a status and one line, never a stack trace', async () => {
    const cases: Array<[string, RequestInit, number, RegExp]> = [
      ['/api/query', post('{"question": '), 400, /^the body is not JSON: /],
      ['/api/query', post('{}'), 400, /^body: question: Required$/],
      ['/api/query', post(JSON.stringify({ question: QUESTION, offers: 'ten', colour: 'blue' })), 400, /offers: Expected number, received string.*unknown field colour/],
      ['/api/query', post(JSON.stringify({ question: QUESTION, aspects: ['astrology'] })), 400, /^unknown aspect astrology; use missions/],
      ['/api/query', post(JSON.stringify({ question: 'x'.repeat(70 * 1024) })), 413, /^the request body is over 64 KB$/],
      ['/api/query', post(JSON.stringify({ question: QUESTION }), 'text/plain'), 415, /Content-Type: application\/json/],
      ['/api/offers?cursor=not-ours', {}, 400, /^cursor "not-ours" is not one this server gave/],
      ['/api/offers?group=astronaut', {}, 400, /^group "astronaut": "astronaut" is neither a known role nor an indexed job title/],
      ['/api/offers?group=SRE%20seniority:cosmic', {}, 400, /^group "SRE seniority:cosmic": seniority: unknown level cosmic/],
      ['/api/offers?limit=1000', {}, 400, /^query: limit: Number must be less than or equal to 100$/],
      ['/api/offers/o-nothing-here', {}, 404, /^no offer o-nothing-here in the index$/],
      ['/api/nothing', {}, 404, /^nothing at GET \/api\/nothing$/],
    ];
    for (const [route, init, status, message] of cases) {
      const reply = await call(server, route, init);
      assert.equal(reply.status, status, `${route}: ${reply.text}`);
      const { error } = reply.json<{ error: string }>();
      assert.match(error, message, route);
      assert.ok(!error.includes('\n') && !/\bat .*\.ts:\d+/.test(reply.text), `${route}: one line, no stack`);
    }
  });

  it('serves stats, the offers page by page with a stable cursor, one offer whole, and the history', async () => {
    const stats = await call(server, '/api/stats');
    assert.equal(stats.status, 200);
    const { store, ...served } = stats.json<IndexStats>();
    const { store: cliStore, ...expected } = cliStats;
    assert.ok(store.startsWith('http://127.0.0.1:') && cliStore.startsWith('http://127.0.0.1:'));
    assert.deepEqual(served, expected);

    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page: OfferList = (await call(server, `/api/offers?limit=7${cursor ? `&cursor=${cursor}` : ''}`)).json<OfferList>();
      assert.equal(page.total, exported.length);
      seen.push(...page.offers.map((o) => o.offerId));
      cursor = page.cursor;
    } while (cursor);
    assert.deepEqual(seen, exported.map((o) => o.offerId).sort());

    const sre = (await call(server, '/api/offers?group=SRE&limit=100')).json<OfferList>();
    assert.deepEqual(sre.offers.map((o) => o.offerId), exported.filter((o) => o.role === 'SRE').map((o) => o.offerId).sort());
    const found = (await call(server, `/api/offers?q=${encodeURIComponent(`${HOSTILE_WORD.toLowerCase()} telemetry`)}`)).json<OfferList>();
    assert.equal(found.total, 1);
    const hostile = exported.find((o) => o.offerId === found.offers[0]!.offerId)!;
    assert.ok(hostile.text.includes(HOSTILE_SCRIPT));

    const detail = (await call(server, `/api/offers/${encodeURIComponent(hostile.offerId)}`)).json<OfferDetail>();
    assert.equal(detail.text, hostile.text, 'the text quotes are cut from, verbatim');
    assert.deepEqual(detail.sections.map((s) => [s.kind, s.text]), hostile.sections.map((s) => [s.kind, s.text]));
    assert.equal(detail.status, 'active');

    assert.deepEqual((await call(server, '/api/history')).json<IndexHistory>(), { runs: [], failedSources: [] });
  });

  it('sends the Content-Security-Policy with the page, its script and the API', async () => {
    for (const route of ['/', '/app.js', '/style.css', '/api/history']) {
      const reply = await call(server, route);
      assert.equal(reply.status, 200, route);
      assert.equal(reply.headers.get('content-security-policy'), CONTENT_SECURITY_POLICY, route);
      assert.equal(reply.headers.get('x-content-type-options'), 'nosniff');
    }
    assert.equal(CONTENT_SECURITY_POLICY, "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'");
    const page = (await call(server, '/')).text;
    assert.ok(!/<script>|<script [^>]*>[^<]|\son\w+=|<style/i.test(page), 'no inline script, handler or style');
  });

  it('answers to loopback names only (DNS rebinding), and without a token set needs none', async () => {
    assert.equal(await withHost(server.url, 'evil.example'), 403);
    assert.equal(await withHost(server.url, `evil.example:${new URL(server.url).port}`), 403);
    assert.equal(await withHost(server.url, `localhost:${new URL(server.url).port}`), 200);
    assert.equal(await withHost(server.url, `[::1]:${new URL(server.url).port}`), 200);
  });

  it("lets go of the data dir for another process's re-index, records its report, and answers again after it", async () => {
    // The embedded Chroma server is up (the answers above used it); the re-index needs it for itself.
    const file = path.join(offersDir, 'sre-tidewell-junior.md');
    await writeFile(file, `${await readFile(file, 'utf8')}\n- Share what you learn at our monthly reliability review, with one short written summary.\n`);
    const reindex = await runCli(['--data-dir', dataDir, 'reindex', '--json', '--wait', '60']);
    assert.equal(reindex.code, 0, reindex.stderr);
    assert.equal(JSON.parse(reindex.stdout).changed, 1);
    const history = (await call(server, '/api/history')).json<IndexHistory>();
    assert.equal(history.runs.length, 1);
    assert.deepEqual(history.runs[0]!.roles.SRE, { new: 0, changed: 1, removed: 0, expired: 0, unchanged: 14, duplicates: 0 });
    assert.match(server.stderr(), /another offers command is changing the index/);
    const again = await call(server, '/api/query', post(JSON.stringify({ question: QUESTION })));
    assert.equal(again.status, 200, again.text);
  });

  it('stops on SIGTERM: exit 0, the lock and the embedded Chroma server gone', async () => {
    const run = await server.stop('SIGTERM');
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stderr, /stopped \(received SIGTERM\)/);
    assert.ok(!existsSync(path.join(dataDir, 'offers.lock')));
    assert.ok(!existsSync(path.join(dataDir, 'chroma', 'server.json')), 'the embedded Chroma server was stopped');
  });
});

describe('offers serve: tokens, hosts and schedules', () => {
  let scratch: Awaited<ReturnType<typeof scratchDir>>;
  let dataDir: string;
  const TOKEN = 'test-token-0123456789abcdef';

  before(async () => {
    scratch = await scratchDir();
    dataDir = path.join(scratch.dir, 'data');
  });
  after(async () => {
    await scratch.cleanup();
  });

  it('refuses to bind beyond loopback without OFFERS_TOKEN: exit 2, one line with the fix', async () => {
    // In process: the refusals come before the server listens, from the environment given.
    const run = await runCommand(serve, { dataDir, host: '0.0.0.0', port: 0, env: {} });
    assert.equal(run.code, 2, run.stderr);
    assert.equal(run.stderr.trim().split('\n').length, 1, run.stderr);
    assert.match(run.stderr, /^offers: --host 0\.0\.0\.0 reaches beyond this machine.*set OFFERS_TOKEN/);
    const weak = await runCommand(serve, { dataDir, port: 0, env: { OFFERS_TOKEN: 'short' } });
    assert.equal(weak.code, 2);
    assert.match(weak.stderr, /^offers: OFFERS_TOKEN must be at least 16 characters/);
    const cron = await runCommand(serve, { dataDir, port: 0, schedule: 'every tuesday', env: {} });
    assert.equal(cron.code, 2);
    assert.match(cron.stderr, /^offers: --schedule "every tuesday" is not a cron expression/);
  });

  it('with OFFERS_TOKEN set, every request needs it (401 without or with a wrong one), and the token is never printed', async () => {
    const server = await startServer(['--data-dir', dataDir, 'serve', '--port', '0'], { env: { OFFERS_TOKEN: TOKEN } });
    try {
      for (const route of ['/', '/app.js', '/api/history', '/api/offers', '/api/nothing']) {
        for (const authorization of [undefined, 'Bearer wrong-token-0123456789', `Basic ${Buffer.from(`x:${TOKEN}`).toString('base64')}`, TOKEN]) {
          const reply = await fetch(new URL(route, server.url), authorization ? { headers: { authorization } } : {});
          assert.equal(reply.status, 401, `${route} with ${authorization}`);
          assert.match((await reply.json()).error, /^missing or wrong token/);
        }
      }
      const ok = await fetch(new URL('/api/history', server.url), { headers: { authorization: `Bearer ${TOKEN}` } });
      assert.equal(ok.status, 200);
    } finally {
      const run = await server.stop();
      assert.equal(run.code, 0);
      assert.ok(!run.stderr.includes(TOKEN) && !run.stdout.includes(TOKEN));
    }
  });

  it('answers 503 with one line naming the store when it cannot be reached', async () => {
    const server = await startServer(['--data-dir', dataDir, 'serve', '--port', '0'], { env: { CHROMA_URL: 'http://127.0.0.1:9' } });
    try {
      const reply = await fetch(new URL('/api/stats', server.url));
      assert.equal(reply.status, 503);
      const body = (await reply.json()) as { error: string; hint?: string };
      assert.match(body.error, /127\.0\.0\.1:9/);
      assert.ok(body.hint && !body.error.includes('\n') && !body.hint.includes('\n'), JSON.stringify(body));
    } finally {
      assert.equal((await server.stop()).code, 0);
    }
  });

  it('--schedule re-indexes in the process on its cron schedule, and the history shows each run', async () => {
    const server = await startServer(['--data-dir', dataDir, 'serve', '--port', '0', '--schedule', '* * * * * *']);
    try {
      let history: IndexHistory = { runs: [], failedSources: [] };
      while (history.runs.length < 2) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        history = (await (await fetch(new URL('/api/history', server.url))).json()) as IndexHistory;
      }
      assert.deepEqual(history.runs[0]!.roles, {});
      const offers = await fetch(new URL('/api/offers', server.url));
      assert.equal(offers.status, 200, 'requests are answered between runs');
    } finally {
      const run = await server.stop();
      assert.equal(run.code, 0, run.stderr);
      assert.match(run.stderr, /reindex scheduled on "\* \* \* \* \* \*"/);
      assert.match(run.stderr, /run 1: done in/);
      assert.ok(!existsSync(path.join(dataDir, 'offers.lock')));
    }
  });
});
