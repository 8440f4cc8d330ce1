import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { atsApiUrl, atsOffers, parseAtsArg } from '../../ingest/fetch/ats.ts';
import { redactCredentials, splitCredentials } from '../../src/util/credentials.ts';
import { HostLimiter } from '../../ingest/fetch/host-limiter.ts';
import { parseHttpUrl } from '../../ingest/fetch/http-client.ts';
import { parseRetryAfter } from '../../src/util/retry.ts';
import { classifyHtmlPage, findJobLinks } from '../../ingest/fetch/links.ts';
import { isSitemapPage, pageContent } from '../../ingest/sources/page-content.ts';
import { parseSitemap } from '../../ingest/fetch/sitemap.ts';
import { parseHtml } from '../../ingest/parse/html.ts';
import { splitSourceArgs, withLookahead } from '../../ingest/sources/web.ts';
import type { SourceItem } from '../../ingest/sources/item.ts';
import { SourceError } from '../../src/errors.ts';

const page = (url: string, body: string | Buffer, contentType?: string) => ({
  url,
  finalUrl: url,
  status: 200,
  ...(contentType ? { contentType } : {}),
  body: Buffer.from(body),
  fetchedAt: '2026-01-01T00:00:00.000Z',
});

describe('parseRetryAfter', () => {
  it('reads seconds, fractions and HTTP dates', () => {
    assert.equal(parseRetryAfter('3'), 3000);
    assert.equal(parseRetryAfter('0.05'), 50);
    const now = Date.parse('2026-03-01T10:00:00Z');
    assert.equal(parseRetryAfter('Sun, 01 Mar 2026 10:00:30 GMT', now), 30_000);
    assert.equal(parseRetryAfter('Sun, 01 Mar 2026 09:00:00 GMT', now), 0);
    assert.equal(parseRetryAfter('soon'), undefined);
    assert.equal(parseRetryAfter(undefined), undefined);
  });
});

describe('parseHttpUrl', () => {
  it('accepts http and https only', () => {
    assert.equal(parseHttpUrl('https://jobs.example.org/a').host, 'jobs.example.org');
    for (const url of ['file:///etc/passwd', 'ftp://example.org/x', 'javascript:alert(1)', 'data:text/html,hi']) {
      assert.throws(() => parseHttpUrl(url), (error: unknown) => error instanceof SourceError && /only http and https/.test(error.message), url);
    }
    assert.throws(() => parseHttpUrl('http://'), /not a valid URL/);
  });
});

describe('credentials in URLs', () => {
  it('are taken out of keys and messages, whether the URL parses or not', () => {
    const cases: Array<[text: string, redacted: string]> = [
      ['https://user:secret@jobs.example.org/a?b=c@d', 'https://jobs.example.org/a?b=c@d'],
      ['http://user@jobs.example.org/', 'http://jobs.example.org/'],
      ['https://jobs.example.org/people/@ana', 'https://jobs.example.org/people/@ana'],
      ['http://user:pa/ss@[bad', 'http://[bad'],
      ['/home/ana/offers/a@b.md', '/home/ana/offers/a@b.md'],
      ['http://jobs.example.org\\@elsewhere.example/', 'http://jobs.example.org\\@elsewhere.example/'],
    ];
    for (const [text, redacted] of cases) assert.equal(redactCredentials(text), redacted, text);
    assert.throws(() => parseHttpUrl('http://user:pa/ss@[bad'), (error: unknown) => error instanceof SourceError && !`${error.source} ${error.message}`.includes('pa/ss'));
  });

  it('become a Basic authorization for their own origin', () => {
    const { url, credentials } = splitCredentials(new URL('https://ana%40corp:p%C3%A4ss@jobs.example.org:8443/x'));
    assert.equal(url.href, 'https://jobs.example.org:8443/x');
    assert.deepEqual(credentials, { origin: 'https://jobs.example.org:8443', authorization: `Basic ${Buffer.from('ana@corp:päss').toString('base64')}` });
    assert.deepEqual(splitCredentials(new URL('https://jobs.example.org/')), { url: new URL('https://jobs.example.org/') });
  });
});

describe('splitSourceArgs', () => {
  it('sends URLs and ATS boards to the crawler, paths to the file walker', () => {
    assert.deepEqual(splitSourceArgs(['data/offers', 'https://x.org/jobs', 'greenhouse:acme', 'lever:', 'ftp://x/y', 'notes:today.md']), {
      local: ['data/offers', 'notes:today.md'],
      web: ['https://x.org/jobs', 'greenhouse:acme', 'lever:', 'ftp://x/y'],
    });
  });
});

describe('parseSitemap', () => {
  it('reads url sets and sitemap indexes, with or without namespace prefixes', () => {
    const urlset = `<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
      <url><loc> https://x.org/jobs/1 </loc><lastmod>2026-01-01</lastmod></url><url><loc>https://x.org/jobs/2</loc></url><url><loc>https://x.org/jobs/1</loc></url></urlset>`;
    assert.deepEqual(parseSitemap(urlset), { kind: 'urlset', urls: ['https://x.org/jobs/1', 'https://x.org/jobs/2'], invalid: [] });
    const index = `<sm:sitemapindex xmlns:sm="http://www.sitemaps.org/schemas/sitemap/0.9"><sm:sitemap><sm:loc>https://x.org/s1.xml</sm:loc></sm:sitemap></sm:sitemapindex>`;
    assert.deepEqual(parseSitemap(index), { kind: 'sitemapindex', urls: ['https://x.org/s1.xml'], invalid: [] });
    assert.equal(parseSitemap('<html><body>no</body></html>'), undefined);
  });

  it('sets apart the entries that are not absolute http(s) URLs', () => {
    const urlset = `<urlset><url><loc>http://[::1</loc></url><url><loc>/jobs/relative</loc></url><url><loc>javascript:alert(1)</loc></url>
      <url><loc>https://x.org/jobs/3</loc></url></urlset>`;
    assert.deepEqual(parseSitemap(urlset), { kind: 'urlset', urls: ['https://x.org/jobs/3'], invalid: ['http://[::1', '/jobs/relative', 'javascript:alert(1)'] });
  });

  it('is recognised by its content, not its URL or type', () => {
    assert.ok(isSitemapPage(page('https://x.org/feed', '<?xml version="1.0"?><urlset></urlset>', 'text/plain')));
    assert.ok(!isSitemapPage(page('https://x.org/sitemap.xml', '<!doctype html><p>urlset</p>', 'text/html')));
  });
});

describe('listing pages', () => {
  const listing = `<html><body><nav><a href="/jobs/">Jobs</a><a href="/careers/culture">Culture</a></nav>
    <main><h1>Open positions</h1><ul>
      <li><a href="/jobs/site-reliability-engineer-41">Site Reliability Engineer</a></li>
      <li><a href="jobs/devops-engineer-42#apply">DevOps Engineer</a></li>
      <li><a href="https://cdn.example.org/offers/platform.pdf">Platform Engineer (PDF)</a></li>
      <li><a href="/jobs/site-reliability-engineer-41/apply">Apply</a></li>
      <li><a href="/blog/our-values">Our values</a></li>
      <li><a href="mailto:jobs@example.org">Write to us</a></li>
    </ul></main><footer><a href="/jobs/legal-counsel">Legal</a></footer></body></html>`;

  it('finds the job links of the content, not of the chrome', () => {
    assert.deepEqual(findJobLinks(listing, 'https://example.org/'), [
      'https://example.org/jobs/site-reliability-engineer-41',
      'https://example.org/jobs/devops-engineer-42',
      'https://cdn.example.org/offers/platform.pdf',
    ]);
  });

  it('tells a listing from a job page', () => {
    assert.equal(classifyHtmlPage(listing, 'https://example.org/').kind, 'listing');
    const jobWithSimilar = `<html><body><main><article><h1>SRE</h1><p>Run our services and keep them reliable for our customers.</p></article>
      <section class="similar-jobs"><h2>Similar jobs</h2><a href="/jobs/a">A</a><a href="/jobs/b">B</a><a href="/jobs/c">C</a></section></main></body></html>`;
    assert.equal(classifyHtmlPage(jobWithSimilar, 'https://example.org/jobs/sre').kind, 'job');
    const spa = `<html><head><script type="application/ld+json">{"@type":"JobPosting","title":"SRE","description":"x"}</script></head>
      <body><a href="/jobs/a">A</a><a href="/jobs/b">B</a></body></html>`;
    assert.equal(classifyHtmlPage(spa, 'https://example.org/jobs/sre').kind, 'job');
  });

  it('reads JSON-LD as leniently as the parser does: a JobPosting in an HTML comment is a job page', () => {
    const wrapped = `<html><head><script type="application/ld+json"><!--
      {"@type":"JobPosting","title":"Site Reliability Engineer","description":"<p>Keep the booking platform reliable and on call.</p>"}
      --></script></head>
      <body><main><h1>Site Reliability Engineer</h1><p>See also:</p><a href="/jobs/a">DevOps Engineer</a><a href="/jobs/b">Platform Engineer</a></main></body></html>`;
    assert.equal(classifyHtmlPage(wrapped, 'https://example.org/jobs/sre').kind, 'job');
    assert.equal(parseHtml(wrapped, 'https://example.org/jobs/sre')[0]?.format, 'jsonld');
  });
});

describe('pageContent', () => {
  it('sniffs PDFs whatever the type and URL say', () => {
    const content = pageContent(page('https://x.org/jobs/42/download', '%PDF-1.7\n…', 'application/octet-stream'));
    assert.ok('bytes' in content);
    assert.deepEqual(content.hint, { contentType: 'application/pdf' });
  });

  it('keeps a known extension and the media type, and refuses binaries by type', () => {
    const content = pageContent(page('https://x.org/jobs/sre.html?ref=1', '<p>x</p>', 'text/html; charset=utf-8'));
    assert.ok('bytes' in content);
    assert.deepEqual(content.hint, { contentType: 'text/html', extension: '.html' });
    const noExtension = pageContent(page('https://x.org/jobs/sre.php', '<p>x</p>', 'text/html'));
    assert.ok('bytes' in noExtension);
    assert.deepEqual(noExtension.hint, { contentType: 'text/html' });
    assert.throws(() => pageContent(page('https://x.org/logo', '\x89PNG', 'image/png')), /unsupported content type image\/png/);
  });
});

describe('ATS boards', () => {
  it('parses board arguments and builds API URLs, with overridable bases', () => {
    assert.deepEqual(parseAtsArg('greenhouse:acme'), { kind: 'greenhouse', board: 'acme' });
    assert.equal(parseAtsArg('data/offers'), undefined);
    assert.throws(() => parseAtsArg('lever:'), /not a board name/);
    assert.throws(() => parseAtsArg('ashby:../x'), /not a board name/);
    assert.equal(atsApiUrl({ kind: 'greenhouse', board: 'acme' }, {}), 'https://boards-api.greenhouse.io/v1/boards/acme/jobs?content=true');
    assert.equal(atsApiUrl({ kind: 'lever', board: 'acme' }, { OFFERS_LEVER_URL: 'http://127.0.0.1:9/' }), 'http://127.0.0.1:9/v0/postings/acme?mode=json');
    assert.equal(atsApiUrl({ kind: 'ashby', board: 'acme' }, {}), 'https://api.ashbyhq.com/posting-api/job-board/acme?includeCompensation=true');
  });

  it('maps Greenhouse jobs, unescaping their HTML content', () => {
    const [offer] = atsOffers({ kind: 'greenhouse', board: 'acme' }, {
      jobs: [{ id: 7, title: 'Site Reliability Engineer', absolute_url: 'https://boards.greenhouse.io/acme/jobs/7', location: { name: 'Lyon' }, company_name: 'Acme Rails',
        first_published: '2026-02-01T00:00:00Z', content: '&lt;h2&gt;Responsibilities&lt;/h2&gt;&lt;ul&gt;&lt;li&gt;Own the paging policy &amp;amp; runbooks&lt;/li&gt;&lt;/ul&gt;' }],
      meta: { total: 1 },
    });
    assert.equal(offer?.source, 'https://boards.greenhouse.io/acme/jobs/7');
    assert.equal(offer?.company, 'Acme Rails');
    assert.equal(offer?.location, 'Lyon');
    assert.match(offer?.description ?? '', /## Responsibilities\n+- Own the paging policy & runbooks/);
  });

  it('maps Lever postings with their lists, and Ashby jobs, skipping unlisted ones', () => {
    const [lever] = atsOffers({ kind: 'lever', board: 'acme' }, [
      { id: 'a1', text: 'DevOps Engineer', hostedUrl: 'https://jobs.lever.co/acme/a1', applyUrl: 'https://jobs.lever.co/acme/a1/apply', categories: { location: 'Remote' },
        createdAt: 1767225600000, description: '<div>We ship every day.</div>', lists: [{ text: 'Requirements', content: '<li>Terraform</li><li>Kubernetes</li>' }], additional: '<div>Apply soon.</div>' },
    ]);
    assert.equal(lever?.source, 'https://jobs.lever.co/acme/a1/apply');
    assert.equal(lever?.datePosted, '2026-01-01T00:00:00.000Z');
    assert.match(lever?.description ?? '', /## Requirements\n+- Terraform\n- Kubernetes/);
    const ashby = atsOffers({ kind: 'ashby', board: 'acme' }, {
      apiVersion: '1',
      jobs: [
        { id: 'j1', title: 'Platform Engineer', isListed: true, location: 'Berlin', jobUrl: 'https://jobs.ashbyhq.com/acme/j1', applyUrl: 'https://jobs.ashbyhq.com/acme/j1/application', descriptionHtml: '<p>Build the paved road.</p>' },
        { id: 'j2', title: 'Hidden', isListed: false, descriptionHtml: '<p>Not public.</p>' },
      ],
    });
    assert.deepEqual(ashby.map((o) => [o.title, o.source, o.description]), [['Platform Engineer', 'https://jobs.ashbyhq.com/acme/j1/application', 'Build the paved road.']]);
    assert.throws(() => atsOffers({ kind: 'ashby', board: 'acme' }, { error: 'nope' }), /no list of jobs/);
  });
});

describe('HostLimiter', () => {
  it('spaces request starts per host and caps concurrency, without holding other hosts', async () => {
    const clock = 0;
    const waits: number[] = [];
    const limiter = new HostLimiter({ concurrency: 2, intervalMs: 500, now: () => clock, sleep: async (ms) => void waits.push(ms) });
    let active = 0;
    let peak = 0;
    const task = () => limiter.run('a.example', async () => {
      peak = Math.max(peak, ++active);
      await new Promise((resolve) => setImmediate(resolve));
      active--;
    });
    await Promise.all([task(), task(), task(), limiter.run('b.example', async () => {})]);
    assert.equal(peak, 2);
    assert.deepEqual(waits, [500, 1000]);
    limiter.pause('a.example', 5000);
    await limiter.run('a.example', async () => {});
    assert.equal(waits.at(-1), 5000);
  });
});

describe('withLookahead', () => {
  it('starts the next loads early and hands each result to its own item', async () => {
    const started: number[] = [];
    const items: SourceItem[] = [0, 1, 2, 3].map((i) => ({
      source: `s${i}`,
      kind: 'url',
      load: async () => {
        started.push(i);
        if (i === 2) throw new SourceError(`s${i}`, 'broken');
        return { offers: [], contentHash: String(i) };
      },
    }));
    const ahead = withLookahead(items, 2);
    assert.deepEqual(await ahead[0]!.load(), { offers: [], contentHash: '0' });
    assert.deepEqual(started, [0, 1, 2]);
    assert.deepEqual(await ahead[1]!.load(), { offers: [], contentHash: '1' });
    await assert.rejects(ahead[2]!.load(), /broken/);
    assert.deepEqual(started, [0, 1, 2, 3]);
  });
});
