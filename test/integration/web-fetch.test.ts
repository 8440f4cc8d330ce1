/**
 * The crawler against real HTTP servers on 127.0.0.1 (never anywhere else): page shapes, PDFs,
 * robots.txt, retries, timeouts, limits, redirects, snapshots, and fake ATS APIs.
 * Timeouts and backoffs are tiny and sleeps are recorded rather than slept.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FetchSettings } from '../../ingest/fetch/http-client.ts';
import { HttpFetcher } from '../../ingest/fetch/http-client.ts';
import { SnapshotStore } from '../../ingest/fetch/snapshots.ts';
import { WebSession } from '../../ingest/fetch/web-session.ts';
import { expandWebSources, recordedWebItem, recrawlWebRoots } from '../../ingest/sources/web.ts';
import { parseBytes } from '../../ingest/parse/index.ts';
import { SourceError } from '../../src/errors.ts';
import type { SourceItem } from '../../ingest/sources/item.ts';
import { runCli, scratchDir } from '../helpers/cli.ts';
import { chromePage, jsonLdPage, offerPdf, type Handler, serve, siteOffer, sitemap, sitemapIndex, type Site, startSite } from '../helpers/job-site.ts';

const delays: number[] = [];
// The site is served by this process, so a pause of its event loop (GC, a PDF parsed) delays its
// answers: only the tests of the timeout itself get a tight one (`impatient`).
const fast: Partial<FetchSettings> = { timeoutMs: 10_000, retries: 2, backoffMs: 1, maxBackoffMs: 1000, rate: 1000, sleep: async (ms) => void delays.push(ms) };
const TIGHT_TIMEOUT_MS = 200;

const html = (body: string): Handler => serve({ body, type: 'text/html; charset=utf-8' });
const [spa, plain, pdfOffer, other] = [0, 1, 2, 3].map((i) => siteOffer(i, 'web-fetch'));

let site: Site;
let otherHost: Site;
let data: Awaited<ReturnType<typeof scratchDir>>;
let session: WebSession;
let impatient: WebSession;
let attempts: Record<string, number> = {};

const counted = (name: string, handler: (n: number) => Handler): Handler => (request, response) => {
  attempts[name] = (attempts[name] ?? 0) + 1;
  return handler(attempts[name]!)(request, response);
};

async function offersOf(item: SourceItem) {
  const content = await item.load();
  assert.ok('bytes' in content);
  const parsed = await parseBytes(content.bytes, item.source, content.hint);
  assert.deepEqual(parsed.problems, []);
  return parsed.offers;
}

async function expandOne(url: string) {
  const { items, problems } = await expandWebSources([url], session);
  return { items, problems: problems.map((p) => `${p.source}: ${p.message}`) };
}

before(async () => {
  data = await scratchDir('offers-web-');
  const pdf = await offerPdf(pdfOffer!);
  // Another host, still on loopback: 127.0.0.2.
  otherHost = await startSite({ '/jobs/elsewhere': html(chromePage(other!)), '/robots.txt': serve({ body: '', type: 'text/plain' }) }, '127.0.0.2');
  const otherOrigin = otherHost.origin;
  site = await startSite({
    '/robots.txt': serve({ body: 'User-agent: *\nDisallow: /private/\n\nUser-agent: otherbot\nDisallow: /\n', type: 'text/plain' }),
    '/jobs/spa': html(jsonLdPage(spa!)),
    '/jobs/plain': html(chromePage(plain!, [spa!, other!])),
    '/jobs/offer.pdf': serve({ body: pdf, type: 'application/pdf' }),
    '/jobs/offer/download': serve({ body: pdf, type: 'application/octet-stream' }),
    '/jobs/': html(`<html><body><nav><a href="/about">About</a></nav><main><h1>Open roles</h1><ul>
      <li><a href="/jobs/spa">SRE</a></li><li><a href="/jobs/plain">DevOps</a></li><li><a href="/jobs/offer.pdf">PDF</a></li>
      <li><a href="/private/jobs/secret">Secret</a></li><li><a href="${otherOrigin}/jobs/elsewhere">Elsewhere</a></li></ul></main></body></html>`),
    '/sitemap.xml': (_q, response) => {
      response.writeHead(200, { 'content-type': 'text/xml' });
      response.end(sitemapIndex([`${site.origin}/sitemaps/a.xml`, `${site.origin}/sitemaps/b.xml`]));
    },
    '/sitemaps/a.xml': (_q, response) => void response.end(sitemap([`${site.origin}/jobs/spa`, `${site.origin}/private/jobs/secret`])),
    '/sitemaps/b.xml': (_q, response) => void response.end(sitemap([`${site.origin}/jobs/plain`, `${site.origin}/jobs/offer/download`])),
    '/sitemaps/broken.xml': (_q, response) => void response.end(sitemap(['http://[::1', 'jobs/relative', `${site.origin}/jobs/spa`])),
    '/private/jobs/secret': html(jsonLdPage(other!)),
    '/jobs/malformed-json-ld': html(`<html><head><script type="application/ld+json">{"@type": "JobPosting", "title": "Broken",</script></head>
      <body><main><h1>Data Engineer</h1><h2>Missions</h2><ul><li>Build batch and streaming pipelines for the analytics team.</li></ul></main></body></html>`),
    '/busy': counted('busy', (n) => (_q, response) => {
      if (n === 1) response.writeHead(429, { 'retry-after': '1' }).end('slow down');
      else html(jsonLdPage(spa!))(_q, response);
    }),
    '/flaky': counted('flaky', (n) => (_q, response) => {
      if (n === 1) response.writeHead(503).end('maintenance');
      else html(jsonLdPage(plain!))(_q, response);
    }),
    '/down': counted('down', () => (_q, response) => void response.writeHead(502).end()),
    '/slow': counted('slow', () => (_q, response) => {
      response.writeHead(200, { 'content-type': 'text/html' });
      response.write('<html><body><p>Starting');
      const timer = setInterval(() => response.write(' …'), 50);
      response.on('close', () => clearInterval(timer));
    }),
    '/loop/a': (_q, response) => void response.writeHead(302, { location: '/loop/b' }).end(),
    '/loop/b': (_q, response) => void response.writeHead(301, { location: `${site.origin}/loop/a` }).end(),
    '/huge': (_q, response) => {
      // 50 MB, chunked (no Content-Length): only cutting the stream off stops it.
      response.writeHead(200, { 'content-type': 'text/html' });
      const chunk = Buffer.alloc(1024 * 1024, 'a');
      let sent = 0;
      const pump = () => {
        while (sent < 50 && response.write(chunk)) sent++;
        if (sent >= 50) response.end();
        else response.once('drain', () => { sent++; pump(); });
      };
      pump();
    },
    '/logo': serve({ body: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]), type: 'image/png' }),
    '/gone': (_q, response) => void response.writeHead(404).end('gone'),
    '/removed': (_q, response) => void response.writeHead(410).end('removed'),
    '/to-file': (_q, response) => void response.writeHead(302, { location: 'file:///etc/passwd' }).end(),
  });
  session = WebSession.open(data.dir, { fetch: fast });
  impatient = WebSession.open(data.dir, { fetch: { ...fast, timeoutMs: TIGHT_TIMEOUT_MS } });
});

after(async () => {
  session.close();
  impatient.close();
  await site.close();
  await otherHost.close();
  await data.cleanup();
});

describe('job pages', () => {
  it('reads a JSON-LD-only single-page app from its JSON-LD', async () => {
    const { items, problems } = await expandOne(`${site.origin}/jobs/spa`);
    assert.deepEqual(problems, []);
    assert.equal(items.length, 1);
    const [offer] = await offersOf(items[0]!);
    assert.equal(offer?.format, 'jsonld');
    assert.equal(offer?.title, spa!.title);
    assert.equal(offer?.company, spa!.company);
  });

  it('reads a plain page without its chrome, and does not mistake "similar jobs" for a listing', async () => {
    const { items } = await expandOne(`${site.origin}/jobs/plain`);
    assert.equal(items.length, 1);
    const [offer] = await offersOf(items[0]!);
    assert.equal(offer?.title, plain!.title);
    assert.ok(offer?.description.includes(plain!.sections[1]!.bullets[0]!));
    assert.doesNotMatch(offer?.description ?? '', /cookies|Similar jobs|Privacy policy|All jobs/);
  });

  it('falls back to the page content when the JSON-LD is malformed', async () => {
    const { items } = await expandOne(`${site.origin}/jobs/malformed-json-ld`);
    const [offer] = await offersOf(items[0]!);
    assert.equal(offer?.title, 'Data Engineer');
    assert.match(offer?.description ?? '', /streaming pipelines/);
  });

  it('reads PDFs with and without .pdf in the URL, whatever the content type', async () => {
    for (const path of ['/jobs/offer.pdf', '/jobs/offer/download']) {
      const { items } = await expandOne(`${site.origin}${path}`);
      const [offer] = await offersOf(items[0]!);
      assert.equal(offer?.format, 'pdf', path);
      assert.equal(offer?.title, pdfOffer!.title, path);
    }
  });

  it('refuses a binary that is not an offer, by its type', async () => {
    const { items } = await expandOne(`${site.origin}/logo`);
    await assert.rejects(items[0]!.load(), /unsupported content type image\/png/);
  });
});

describe('listings and sitemaps', () => {
  it('follows the job links of a listing page on its own host, minus what robots.txt disallows', async () => {
    const before = session.stats;
    const { items, problems } = await expandOne(`${site.origin}/jobs/`);
    assert.deepEqual(problems, []);
    assert.deepEqual(items.map((i) => i.source), ['/jobs/spa', '/jobs/plain', '/jobs/offer.pdf'].map((p) => `${site.origin}${p}`));
    assert.equal(session.stats.robotsSkipped - before.robotsSkipped, 1);
    assert.equal(session.stats.offHostSkipped - before.offHostSkipped, 1);
    assert.ok(!site.requests.includes('/private/jobs/secret'), 'a disallowed page is never requested');
    assert.ok(!otherHost.requests.includes('/jobs/elsewhere'), 'another host is never crawled unless asked');
  });

  it('goes to other hosts named by --follow-hosts, and stops at --max-pages', async () => {
    const open = WebSession.open(data.dir, { fetch: fast, followHosts: [new URL(otherHost.origin).host], maxPages: 3 });
    try {
      const { items } = await expandWebSources([`${site.origin}/jobs/`], open);
      assert.deepEqual(items.map((i) => new URL(i.source).pathname), ['/jobs/spa', '/jobs/plain', '/jobs/offer.pdf']);
      assert.equal(open.stats.overLimit, 1);
      const wide = WebSession.open(data.dir, { fetch: fast, followHosts: ['*'] });
      try {
        const { items: all } = await expandWebSources([`${site.origin}/jobs/`], wide);
        assert.equal(all.at(-1)?.source, `${otherHost.origin}/jobs/elsewhere`);
        assert.equal((await offersOf(all.at(-1)!))[0]?.title, other!.title);
      } finally {
        wide.close();
      }
    } finally {
      open.close();
    }
  });

  it('reads a sitemap index and its sitemaps, skipping entries robots.txt disallows', async () => {
    const { items, problems } = await expandOne(`${site.origin}/sitemap.xml`);
    assert.deepEqual(problems, []);
    assert.deepEqual(items.map((i) => new URL(i.source).pathname), ['/jobs/spa', '/jobs/plain', '/jobs/offer/download']);
    const titles = [];
    for (const item of items) titles.push((await offersOf(item))[0]?.title);
    assert.deepEqual(titles, [spa!.title, plain!.title, pdfOffer!.title]);
  });

  it('skips and reports sitemap entries that are not URLs, and goes on with the others', async () => {
    const { items, problems } = await expandOne(`${site.origin}/sitemaps/broken.xml`);
    assert.deepEqual(items.map((i) => new URL(i.source).pathname), ['/jobs/spa']);
    assert.deepEqual(problems, [
      `${site.origin}/sitemaps/broken.xml: sitemap entry "http://[::1" is not an http(s) URL, skipped`,
      `${site.origin}/sitemaps/broken.xml: sitemap entry "jobs/relative" is not an http(s) URL, skipped`,
    ]);
  });

  it('crawls a recorded listing again within its own limits: its --max-pages, and a --rate slower than this run\'s', async () => {
    const waits: number[] = [];
    const again = WebSession.open(data.dir, { fetch: { ...fast, sleep: async (ms) => void waits.push(ms) } });
    try {
      const known = new Set([`${site.origin}/jobs/spa`]);
      const { items, problems } = await recrawlWebRoots([{ seed: `${site.origin}/jobs/`, maxPages: 2, rate: 0.5 }], again, known);
      assert.deepEqual(problems, []);
      assert.deepEqual(items.map((i) => i.source), [`${site.origin}/jobs/plain`], 'recorded pages are left to their own items; the third link is over the limit');
      assert.equal(again.stats.overLimit, 1);
      await items[0]!.load();
      assert.ok(waits.some((ms) => ms >= 1900), `request starts 2 s apart: ${waits.join(', ')}`);
    } finally {
      again.close();
    }
  });

  it('refuses a seed that robots.txt disallows', async () => {
    const { items, problems } = await expandOne(`${site.origin}/private/jobs/secret`);
    assert.equal(items.length, 0);
    assert.match(problems[0] ?? '', /disallowed by robots\.txt for offers/);
  });
});

describe('failures, retries and limits', () => {
  it('waits what a 429 Retry-After asks, then gets the page', async () => {
    delays.length = 0;
    const { items, problems } = await expandOne(`${site.origin}/busy`);
    assert.deepEqual(problems, []);
    assert.equal(attempts.busy, 2);
    assert.ok(delays.some((ms) => ms >= 1000), `delays: ${delays.join(', ')}`);
    assert.equal((await offersOf(items[0]!))[0]?.title, spa!.title);
  });

  it('gives up at once on a host whose Retry-After is beyond the cap, and asks it nothing more this run', async () => {
    const hog = await startSite({
      '/robots.txt': serve({ body: '', type: 'text/plain' }),
      '/jobs/a': (_q, response) => void response.writeHead(429, { 'retry-after': '99999' }).end('come back tomorrow'),
      '/jobs/b': html(jsonLdPage(spa!)),
    }, '127.0.0.3');
    const throttled = WebSession.open(data.dir, { fetch: fast });
    delays.length = 0;
    try {
      const { items } = await expandWebSources([`${hog.origin}/jobs/a`, `${hog.origin}/jobs/b`], throttled);
      assert.equal(items.length, 0);
      assert.ok(delays.every((ms) => ms <= 60_000), `never waits more than the cap: ${delays.join(', ')}`);
      assert.deepEqual(hog.requests, ['/robots.txt', '/jobs/a'], 'the host is not asked again');
      assert.deepEqual(throttled.stats.throttledHosts, [new URL(hog.origin).host]);
      assert.equal(throttled.stats.failed, 2);
    } finally {
      throttled.close();
      await hog.close();
    }
  });

  it('stops asking a host after repeated 429s, failing its other pages without a request', async () => {
    const busy = await startSite({
      '/robots.txt': serve({ body: '', type: 'text/plain' }),
      '/jobs/a': (_q, response) => void response.writeHead(429, { 'retry-after': '1' }).end(),
      '/jobs/b': html(jsonLdPage(spa!)),
    }, '127.0.0.4');
    const throttled = WebSession.open(data.dir, { fetch: { ...fast, retries: 5 } });
    try {
      const first = await expandWebSources([`${busy.origin}/jobs/a`], throttled);
      assert.match(first.problems[0]?.message ?? '', /answered HTTP 429 \(too many requests\) 3 times: not asked again in this run/);
      const second = await expandWebSources([`${busy.origin}/jobs/b`], throttled);
      assert.match(second.problems[0]?.message ?? '', /not asked again in this run/);
      assert.deepEqual(busy.requests, ['/robots.txt', '/jobs/a', '/jobs/a', '/jobs/a']);
    } finally {
      throttled.close();
      await busy.close();
    }
  });

  it('retries a 503, and gives up on a server that keeps failing', async () => {
    const { problems } = await expandOne(`${site.origin}/flaky`);
    assert.deepEqual(problems, []);
    assert.equal(attempts.flaky, 2);
    const down = await expandOne(`${site.origin}/down`);
    assert.match(down.problems[0] ?? '', /HTTP 502, gave up after 3 attempts/);
    assert.equal(attempts.down, 3);
  });

  it('times out a body that never ends, retrying it first', async () => {
    const { problems } = await expandWebSources([`${site.origin}/slow`], impatient);
    assert.match(problems[0]?.message ?? '', /timed out after 200 ms, gave up after 3 attempts/);
    assert.equal(attempts.slow, 3);
  });

  it('cuts off a 50 MB body at the 10 MB limit', async () => {
    const { problems } = await expandOne(`${site.origin}/huge`);
    assert.match(problems[0] ?? '', /body larger than 10 MB, cut off/);
  });

  it('stops a redirect loop, and a redirect out of http(s)', async () => {
    assert.match((await expandOne(`${site.origin}/loop/a`)).problems[0] ?? '', /redirect loop/);
    assert.match((await expandOne(`${site.origin}/to-file`)).problems[0] ?? '', /only http and https URLs are fetched, not file:/);
  });

  it('reports an HTTP error status', async () => {
    assert.match((await expandOne(`${site.origin}/gone`)).problems[0] ?? '', /HTTP 404/);
  });

  it('says a recorded page answering 404 or 410 is gone, and that 5xx and timeouts are failures', async () => {
    const recorded = (path: string, over = session) => recordedWebItem({ source: `${site.origin}${path}`, kind: 'url', contentHash: '', status: 'ok', offerIds: [], lastSeen: '', lastChanged: '' }, over);
    assert.deepEqual(await recorded('/gone').load(), { gone: 'HTTP 404: the page is no longer there' });
    assert.deepEqual(await recorded('/removed').load(), { gone: 'HTTP 410: the page is no longer there' });
    await assert.rejects(recorded('/down').load(), (error: unknown) => error instanceof SourceError && /HTTP 502, gave up/.test(error.message));
    await assert.rejects(recorded('/slow', impatient).load(), (error: unknown) => error instanceof SourceError && /timed out/.test(error.message));
  });

  it('refuses, before connecting, a loopback address reached from a public seed', async () => {
    const fetcher = new HttpFetcher({ ...(await import('../../ingest/fetch/http-client.ts')).DEFAULT_FETCH_SETTINGS, ...fast });
    const asked = site.requests.length;
    try {
      await assert.rejects(fetcher.fetch(`${site.origin}/jobs/spa`, { seed: 'public' }), /refused to connect to 127\.0\.0\.1: a loopback address reached from a public seed/);
      assert.equal(fetcher.stats.requests, 0);
      assert.equal(site.requests.length, asked, 'no request reached the server');
    } finally {
      fetcher.close();
    }
  });
});

describe('timing flags', () => {
  it('refuses a --rate or --timeout whose timer would overflow, naming the flag and its range (exit 2)', async () => {
    const env = { OFFERS_DATA_DIR: data.dir };
    for (const [flag, value, range] of [['--rate', '0.0000001', 'from 0.01 to 1000 requests per second'], ['--timeout', '2200000', 'from 1 to 3600 seconds'], ['--rate', '0', 'from 0.01 to 1000'], ['--timeout', 'soon', 'from 1 to 3600']]) {
      const run = await runCli(['ingest', `${site.origin}/jobs/spa`, flag!, value!], { env });
      assert.equal(run.code, 2, `${flag} ${value}: ${run.stderr}`);
      assert.match(run.stderr, new RegExp(`^offers: ${flag} must be a number ${range}`), `${flag} ${value}`);
      assert.doesNotMatch(run.stderr, /\n\s+at /, 'no stack trace');
    }
  });

  it('honours the slowest rate in range: request starts 100 s apart per host', async () => {
    const waits: number[] = [];
    const slow = WebSession.open(data.dir, { rate: 0.01, fetch: { timeoutMs: 2000, sleep: async (ms) => void waits.push(ms) } });
    try {
      const { items } = await expandWebSources([`${site.origin}/jobs/spa`, `${site.origin}/jobs/plain`], slow);
      assert.equal(items.length, 2);
      // robots.txt, then each page: every start after the first waits its turn, 100 000 ms each.
      assert.ok(waits.length >= 2 && waits.every((ms) => ms > 90_000 && ms <= 300_000), `waits: ${waits.join(', ')}`);
    } finally {
      slow.close();
    }
  });
});

describe('snapshots', () => {
  it('keeps every fetched body with its hash and fetch time, and serves it offline', async () => {
    const url = `${site.origin}/jobs/spa`;
    const snapshot = await SnapshotStore.forDataDir(data.dir).load(url);
    assert.ok(snapshot);
    assert.equal(snapshot.contentType, 'text/html; charset=utf-8');
    assert.ok(!Number.isNaN(Date.parse(snapshot.fetchedAt)));
    const offline = WebSession.open(data.dir, { offline: true });
    try {
      const asked = site.requests.length;
      const item = recordedWebItem({ source: url, kind: 'url', contentHash: '', status: 'ok', offerIds: [], lastSeen: '', lastChanged: '' }, offline);
      assert.equal((await offersOf(item))[0]?.title, spa!.title);
      assert.equal(site.requests.length, asked, 'offline: no request');
      const missing = recordedWebItem({ source: `${site.origin}/never`, kind: 'url', contentHash: '', status: 'ok', offerIds: [], lastSeen: '', lastChanged: '' }, offline);
      await assert.rejects(missing.load(), /no snapshot of this URL/);
    } finally {
      offline.close();
    }
  });
});

describe('ATS boards', () => {
  let ats: Site;
  const env = ['OFFERS_GREENHOUSE_URL', 'OFFERS_LEVER_URL', 'OFFERS_ASHBY_URL'] as const;
  const json = (body: unknown): Handler => serve({ body: JSON.stringify(body), type: 'application/json' });
  const bullets = (offer: typeof spa) => offer!.sections.map((s) => `<h3>${s.heading}</h3><ul>${s.bullets.map((b) => `<li>${b}</li>`).join('')}</ul>`).join('');

  before(async () => {
    ats = await startSite({
      // The documented response shapes (fields we don't read included, as the real APIs send them).
      '/v1/boards/acme/jobs?content=true': json({
        jobs: [{
          id: 4001, internal_job_id: 99, title: spa!.title, updated_at: '2026-02-02T10:00:00-05:00', first_published: '2026-01-20T10:00:00-05:00',
          requisition_id: 'R-1', location: { name: spa!.location }, absolute_url: 'https://boards.greenhouse.io/acme/jobs/4001', company_name: spa!.company,
          metadata: null, data_compliance: [], departments: [{ id: 1, name: 'Engineering' }], offices: [{ id: 2, name: 'Lyon' }],
          content: bullets(spa).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;'),
        }],
        meta: { total: 1 },
      }),
      '/v0/postings/acme?mode=json': json([{
        id: 'b1e2', text: plain!.title, country: 'FR', workplaceType: 'remote', createdAt: 1767225600000,
        categories: { commitment: 'Full-time', department: 'Engineering', location: plain!.location, team: 'Platform', allLocations: [plain!.location] },
        description: `<div>${plain!.sections[0]!.paragraphs[0] ?? ''}</div>`, descriptionPlain: '...',
        lists: plain!.sections.slice(1).map((s) => ({ text: s.heading, content: s.bullets.map((b) => `<li>${b}</li>`).join('') })),
        additional: '<div>We answer every application.</div>', additionalPlain: 'We answer every application.',
        hostedUrl: 'https://jobs.lever.co/acme/b1e2', applyUrl: 'https://jobs.lever.co/acme/b1e2/apply',
      }]),
      '/posting-api/job-board/acme?includeCompensation=true': json({
        apiVersion: '1',
        jobs: [{
          id: 'c3', title: other!.title, location: other!.location, secondaryLocations: [], department: 'Engineering', team: 'Infra', isListed: true, isRemote: false,
          workplaceType: 'Hybrid', descriptionHtml: bullets(other), descriptionPlain: '...', publishedAt: '2026-01-05T09:00:00.000+00:00', employmentType: 'FullTime',
          address: { postalAddress: { addressLocality: 'Berlin', addressCountry: 'Germany' } },
          jobUrl: 'https://jobs.ashbyhq.com/acme/c3', applyUrl: 'https://jobs.ashbyhq.com/acme/c3/application', shouldDisplayCompensationOnJobPostings: false,
        }],
      }),
      '/v1/boards/nobody/jobs?content=true': (_q, response) => void response.writeHead(404, { 'content-type': 'application/json' }).end('{"status":404,"error":"Job not found"}'),
    });
    for (const name of env) process.env[name] = ats.origin;
  });

  after(async () => {
    for (const name of env) delete process.env[name];
    await ats.close();
  });

  it('ingests full descriptions from each board API, with the apply URL as source', async () => {
    const { items, problems } = await expandWebSources(['greenhouse:acme', 'lever:acme', 'ashby:acme', 'greenhouse:nobody'], session);
    assert.deepEqual(problems, []);
    assert.deepEqual(items.map((i) => [i.source, i.kind]), [['greenhouse:acme', 'ats'], ['lever:acme', 'ats'], ['ashby:acme', 'ats'], ['greenhouse:nobody', 'ats']]);
    const boards = [];
    for (const item of items.slice(0, 3)) {
      const content = await item.load();
      assert.ok('offers' in content);
      boards.push(content.offers);
    }
    const [greenhouse, lever, ashby] = boards.map((offers) => offers[0]!);
    assert.equal(greenhouse?.source, 'https://boards.greenhouse.io/acme/jobs/4001');
    assert.equal(greenhouse?.company, spa!.company);
    assert.ok(greenhouse?.description.includes(spa!.sections[1]!.bullets[0]!), 'the full description, unescaped');
    assert.equal(lever?.source, 'https://jobs.lever.co/acme/b1e2/apply');
    assert.ok(lever?.description.includes(`## ${plain!.sections[1]!.heading}`));
    assert.equal(ashby?.source, 'https://jobs.ashbyhq.com/acme/c3/application');
    assert.ok(ashby?.description.includes(other!.sections[2]!.bullets[0]!));
    assert.deepEqual(await items[3]!.load(), { gone: `${ats.origin}/v1/boards/nobody/jobs?content=true: HTTP 404: the page is no longer there` }, 'a closed board is gone');
    assert.ok(ats.requests.every((path) => path !== '/robots.txt'), 'documented APIs are not crawled');
  });
});
