/**
 * The web path end to end: a sitemap of generated offers (JSON-LD-only pages, plain pages in
 * chrome, PDFs) ingests to the same offers, roles and sections as the same offers given as files;
 * ATS boards ingest; `reindex --offline` re-derives everything from the snapshots with the servers
 * gone. Everything is served from 127.0.0.1. The commands run in process (test/helpers/in-process.ts),
 * but for the credentials, checked through the real CLI and Chroma down to the bytes they store.
 */
import assert from 'node:assert/strict';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'node:test';
import { runWebVsFiles } from '../../scripts/web-vs-files.ts';
import { exportOffers } from '../../src/commands/export.ts';
import { ingest } from '../../src/commands/ingest.ts';
import { reindex } from '../../src/commands/reindex.ts';
import { runCli, scratchDir } from '../helpers/cli.ts';
import { withEnv } from '../helpers/in-process.ts';
import { inProcess } from '../helpers/in-process.ts';
import { buildJobSite, type Handler, jsonLdPage, sectionsHtml, serve, siteOffer, sitemap, startSite } from '../helpers/job-site.ts';

/** Files under `dir` (snapshots, the record and its WAL, Chroma's data) whose bytes contain `needle`. */
async function filesContaining(dir: string, needle: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  const found: string[] = [];
  for (const entry of entries) {
    if (!entry.isFile()) continue;
    const file = path.join(entry.parentPath, entry.name);
    if ((await readFile(file)).includes(needle)) found.push(file);
  }
  return found;
}

/** The sources (or any field) of `offers export`'s lines. */
const exported = (stdout: string) => stdout.trim().split('\n').filter(Boolean).map((line) => JSON.parse(line) as { title: string; text: string; source: string; status?: string });

describe('web ingest', () => {
  it('ingests a sitemap of pages and PDFs, in English and French, to the same offers as the Markdown files', async () => {
    const report = await runWebVsFiles({ count: 12, seed: 'ci', rate: 1000, ingestRate: 1000 });
    const { comparison } = report;
    assert.deepEqual(comparison.differences, []);
    assert.equal(comparison.files, 12);
    assert.equal(comparison.web, 12);
    assert.equal(comparison.sameLanguage, 12, 'a French offer is French, whatever the template\'s lang says');
    assert.equal(comparison.sameSections, 12);
    assert.equal(comparison.sameRole, 12);
    assert.equal(comparison.sameTitleAndCompany, 12);
    assert.equal(report.ingest.webChunks, report.ingest.filesChunks, 'no chunk of page chrome or byline');
    assert.equal(report.crawl.pages, 12);
  });

  it('ingests ATS boards, then re-derives web and ATS sources offline from the snapshots', async () => {
    let origin = '';
    const site = await buildJobSite(3, 'offline', () => origin);
    const offer = siteOffer(7, 'offline');
    site.routes.set('/v1/boards/acme/jobs?content=true', serve({
      type: 'application/json',
      body: JSON.stringify({ jobs: [{ id: 1, title: offer.title, absolute_url: 'https://boards.greenhouse.io/acme/jobs/1', location: { name: offer.location }, content: sectionsHtml(offer).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;') }], meta: { total: 1 } }),
    }));
    const server = await startSite(site.routes);
    origin = server.origin;
    const cli = await inProcess('offers-web-ingest-');
    try {
      await withEnv({ OFFERS_GREENHOUSE_URL: origin }, async () => {
        const run = await cli.run(ingest, { sources: [`${origin}/sitemap.xml`, 'greenhouse:acme'], web: { rate: 1000 }, contact: 'ci@example.org', json: true });
        assert.equal(run.code, 0, run.stderr);
        const summary = JSON.parse(run.stdout);
        assert.equal(summary.offers, 4);
        assert.equal(summary.web.failed, 0);
        assert.match(run.stderr, /web: \d+ pages fetched, 0 failed/);
        assert.ok(server.requests.includes('/robots.txt'));
      });
    } finally {
      await server.close();
    }
    try {
      // The board is read from its snapshot, found by the API URL the environment gives.
      const offline = await withEnv({ OFFERS_GREENHOUSE_URL: origin }, () => cli.run(reindex, { offline: true, json: true }));
      assert.equal(offline.code, 0, offline.stderr);
      const counts = JSON.parse(offline.stdout);
      assert.equal(counts.failed, 0);
      assert.equal(counts.unchanged, 4);
      const sources = exported((await cli.run(exportOffers, {})).stdout).map((o) => o.source).sort();
      assert.ok(sources.includes('https://boards.greenhouse.io/acme/jobs/1'), 'an ATS offer is sourced at its posting URL');
      assert.equal(sources.filter((s: string) => s.startsWith(origin)).length, 3);
    } finally {
      await cli.cleanup();
    }
  });

  it('uses a seed\'s user and password for its own origin only, and never stores or prints them', async () => {
    const secret = 's3cret-pw';
    const authorization = `Basic ${Buffer.from(`crawler:${secret}`).toString('base64')}`;
    const [first, second] = [siteOffer(11, 'auth'), siteOffer(12, 'auth')];
    const sentElsewhere: Array<string | undefined> = [];
    const elsewhere = await startSite({
      '/robots.txt': serve({ body: '', type: 'text/plain' }),
      '/jobs/second': (request, response) => {
        sentElsewhere.push(request.headers.authorization);
        return serve({ body: jsonLdPage(second!), type: 'text/html' })(request, response);
      },
    }, '127.0.0.2');
    const guarded = (handler: Handler): Handler => (request, response) =>
      request.headers.authorization === authorization ? handler(request, response) : void response.writeHead(401, { 'www-authenticate': 'Basic' }).end();
    const site = await startSite({
      '/robots.txt': serve({ body: '', type: 'text/plain' }),
      '/jobs/first': guarded(serve({ body: jsonLdPage(first!), type: 'text/html' })),
      '/jobs/moved': guarded((_q, response) => void response.writeHead(302, { location: `${elsewhere.origin}/jobs/second` }).end()),
    });
    const data = await scratchDir('offers-web-credentials-');
    const env = { OFFERS_DATA_DIR: path.join(data.dir, 'data') };
    const withSecret = (origin: string, pathname: string) => origin.replace('http://', `http://crawler:${secret}@`) + pathname;
    try {
      const ingest = await runCli(['ingest', withSecret(site.origin, '/jobs/first'), withSecret(site.origin, '/jobs/moved'), withSecret(site.origin, '/jobs/missing'), '--rate', '1000', '--json'], { env });
      assert.equal(ingest.code, 3, ingest.stderr);
      const summary = JSON.parse(ingest.stdout);
      assert.equal(summary.offers, 2);
      assert.deepEqual(summary.failed.map((f: { source: string }) => f.source), [`${site.origin}/jobs/missing`]);
      const exported = await runCli(['export'], { env });
      assert.deepEqual(exported.stdout.trim().split('\n').map((line) => JSON.parse(line).source).sort(), [`${site.origin}/jobs/first`, `${site.origin}/jobs/moved`]);
      for (const output of [ingest.stdout, ingest.stderr, exported.stdout]) assert.ok(!output.includes(secret), 'nothing printed holds the password');
      assert.deepEqual(await filesContaining(env.OFFERS_DATA_DIR, secret), [], 'nothing stored holds the password');
      assert.deepEqual(sentElsewhere, [undefined], 'the redirect was followed, without the seed\'s credentials');
    } finally {
      await site.close();
      await elsewhere.close();
      await data.cleanup();
    }
  });

  it('keeps a local file\'s offer when an ATS posting names that file as its URL, through a re-index', async () => {
    const data = await scratchDir('offers-web-ownership-');
    const file = path.join(data.dir, 'sre-quarry-bell.md');
    const [local, remote] = [siteOffer(21, 'owner'), siteOffer(22, 'owner')];
    await writeFile(file, `# ${local!.title}\n\n${local!.company} · ${local!.location}\n\n${sectionsHtml(local!).replace(/<[^>]+>/g, '\n')}\n`);
    const escaped = sectionsHtml(remote!).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
    const ats = await startSite({
      '/v1/boards/acme/jobs?content=true': serve({ type: 'application/json', body: JSON.stringify({ jobs: [{ id: 9, title: remote!.title, absolute_url: file, content: escaped }], meta: { total: 1 } }) }),
    });
    const cli = await inProcess('offers-web-ownership-data-');
    const exportOf = async () => exported((await cli.run(exportOffers, {})).stdout);
    try {
      await withEnv({ OFFERS_GREENHOUSE_URL: ats.origin }, async () => {
        assert.equal((await cli.run(ingest, { sources: [file] })).code, 0);
        const [before] = await exportOf();
        const board = await cli.run(ingest, { sources: ['greenhouse:acme'], json: true });
        assert.equal(board.code, 0, board.stderr);
        const after = await exportOf();
        assert.equal(after.length, 2, 'the posting is an offer of its own');
        assert.deepEqual(after.find((o) => o.title === before!.title), before, 'the file\'s offer is untouched');
        const again = await cli.run(reindex, { json: true });
        assert.equal(again.code, 0, again.stderr);
        assert.deepEqual((await exportOf()).find((o) => o.title === before!.title), before);
      });
    } finally {
      await ats.close();
      await cli.cleanup();
      await data.cleanup();
    }
  });

  it('removes on reindex the offers of pages that now answer 404 or 410, and keeps those of pages failing with 5xx', async () => {
    const offers = [31, 32, 33, 34].map((i) => siteOffer(i, 'gone'));
    const status = new Map<string, number>();
    const page = (slug: string, offer: (typeof offers)[number]): Handler => (request, response) => {
      const code = status.get(slug) ?? 200;
      if (code === 200) return serve({ body: jsonLdPage(offer!), type: 'text/html' })(request, response);
      response.writeHead(code).end();
    };
    const slugs = ['a', 'b', 'c', 'd'];
    const site = await startSite(Object.fromEntries([['/robots.txt', serve({ body: '', type: 'text/plain' })], ...slugs.map((slug, i) => [`/jobs/${slug}`, page(slug, offers[i]!)])]));
    const cli = await inProcess('offers-web-gone-');
    const titles = async (options: { includeRemoved?: boolean } = {}) => exported((await cli.run(exportOffers, options)).stdout);
    try {
      // --rate 1000: politeness is not the point here (reindex keeps its default pace).
      const run = await cli.run(ingest, { sources: slugs.map((slug) => `${site.origin}/jobs/${slug}`), web: { rate: 1000 }, json: true });
      assert.equal(run.code, 0, run.stderr);
      assert.equal(JSON.parse(run.stdout).offers, 4);
      status.set('a', 404).set('b', 410).set('c', 503);
      const reindexed = await cli.run(reindex, { json: true });
      assert.equal(reindexed.code, 3, reindexed.stderr);
      const counts = JSON.parse(reindexed.stdout);
      assert.equal(counts.removed, 2);
      assert.equal(counts.unchanged, 1);
      assert.deepEqual(counts.failures.map((f: { source: string }) => f.source), [`${site.origin}/jobs/c`]);
      assert.deepEqual((await titles()).map((o) => o.title).sort(), [offers[2]!.title, offers[3]!.title].sort(), 'the 503 page keeps its offer');
      assert.deepEqual((await titles({ includeRemoved: true })).filter((o) => o.status === 'removed').map((o) => o.title).sort(), [offers[0]!.title, offers[1]!.title].sort());
      // A page that comes back, with the very bytes it had, is indexed again.
      status.clear();
      const back = JSON.parse((await cli.run(reindex, { json: true })).stdout);
      assert.equal(back.new, 2);
      assert.equal((await titles()).length, 4);
    } finally {
      await site.close();
      await cli.cleanup();
    }
  });

  it('crawls recorded sitemaps and listings again on reindex, finding the jobs posted since within robots.txt and --max-pages', async () => {
    const offers = [41, 42, 43, 44, 45, 46].map((i) => siteOffer(i, 'recrawl'));
    let listed = 2;
    const routes: Record<string, Handler> = {
      '/robots.txt': serve({ body: 'User-agent: *\nDisallow: /jobs/private-\n', type: 'text/plain' }),
      '/sitemap.xml': (_q, response) => void response.writeHead(200, { 'content-type': 'application/xml' }).end(sitemap(['a', 'b', 'private-c', 'd', 'e'].slice(0, listed + 1).map((slug) => `${site.origin}/jobs/${slug}`))),
      '/careers/': (_q, response) => void response.writeHead(200, { 'content-type': 'text/html' }).end(`<html><body><main><h1>Open roles</h1><ul>${(listed > 2 ? ['f', 'a'] : ['a']).map((slug) => `<li><a href="/jobs/${slug}">Job ${slug}</a></li>`).join('')}<li><a href="/jobs/b">b</a></li></ul></main></body></html>`),
    };
    ['a', 'b', 'private-c', 'd', 'e', 'f'].forEach((slug, i) => (routes[`/jobs/${slug}`] = serve({ body: jsonLdPage(offers[i]!), type: 'text/html' })));
    const site = await startSite(routes);
    const cli = await inProcess('offers-web-recrawl-');
    try {
      const run = await cli.run(ingest, { sources: [`${site.origin}/sitemap.xml`, `${site.origin}/careers/`], web: { maxPages: 3, rate: 1000 }, json: true });
      assert.equal(run.code, 0, run.stderr);
      assert.equal(JSON.parse(run.stdout).offers, 2);
      listed = 5;
      const reindexed = await cli.run(reindex, { json: true });
      assert.equal(reindexed.code, 0, reindexed.stderr);
      const counts = JSON.parse(reindexed.stdout);
      // The sitemap now lists a, b, private-c (robots.txt), d, e: --max-pages 3 admits a, b, d.
      // The listing now links f, a, b: f is new.
      assert.equal(counts.new, 2);
      assert.equal(counts.unchanged, 2);
      const titles = exported((await cli.run(exportOffers, {})).stdout).map((o) => o.title).sort();
      assert.deepEqual(titles, [offers[0]!, offers[1]!, offers[3]!, offers[5]!].map((o) => o.title).sort());
      assert.ok(!site.requests.includes('/jobs/private-c'), 'robots.txt is obeyed');
      assert.ok(!site.requests.includes('/jobs/e'), '--max-pages of the first crawl is obeyed');
      const again = JSON.parse((await cli.run(reindex, { json: true })).stdout);
      assert.deepEqual([again.new, again.unchanged], [0, 4]);
    } finally {
      await site.close();
      await cli.cleanup();
    }
  });

  it('names the contact of --contact, else of OFFERS_CONTACT, in the User-Agent of ingest and reindex', async () => {
    const offer = siteOffer(61, 'contact');
    const agents: string[] = [];
    const page = serve({ body: jsonLdPage(offer!), type: 'text/html' });
    const site = await startSite({
      '/robots.txt': serve({ body: '', type: 'text/plain' }),
      '/jobs/sre': (request, response) => {
        agents.push(request.headers['user-agent'] ?? '');
        return page(request, response);
      },
    });
    const cli = await inProcess('offers-web-contact-');
    try {
      await withEnv({ OFFERS_CONTACT: 'env@example.org' }, async () => {
        assert.equal((await cli.run(ingest, { sources: [`${site.origin}/jobs/sre`], contact: 'flag@example.org' })).code, 0);
        assert.equal((await cli.run(reindex, {})).code, 0);
      });
      assert.deepEqual(agents.map((agent) => /contact: ([^)]+)\)/.exec(agent)?.[1]), ['flag@example.org', 'env@example.org']);
    } finally {
      await site.close();
      await cli.cleanup();
    }
  });

  it('keeps one snapshot body per page when a page changes on every fetch (a timestamp), run after run', async () => {
    const offer = siteOffer(51, 'timestamp');
    let fetches = 0;
    const site = await startSite({
      '/robots.txt': serve({ body: '', type: 'text/plain' }),
      '/jobs/sre': (request, response) => serve({ body: jsonLdPage(offer!).replace('</body>', `<!-- rendered #${++fetches} --></body>`), type: 'text/html' })(request, response),
    });
    const cli = await inProcess('offers-web-snapshots-');
    const bodies = async () => (await readdir(path.join(cli.dataDir, 'snapshots', 'bodies'), { recursive: true, withFileTypes: true })).filter((e) => e.isFile()).length;
    try {
      assert.equal((await cli.run(ingest, { sources: [`${site.origin}/jobs/sre`] })).code, 0);
      const after = await bodies();
      for (let run = 0; run < 3; run++) assert.equal((await cli.run(reindex, {})).code, 0);
      assert.equal(fetches, 4);
      assert.equal(await bodies(), after, 'the page and robots.txt: one body each');
      assert.equal(after, 2);
    } finally {
      await site.close();
      await cli.cleanup();
    }
  });
});
