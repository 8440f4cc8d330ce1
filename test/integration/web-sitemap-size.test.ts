/**
 * A sitemap index whose sitemap lists 130k pages, served on 127.0.0.1: the crawl takes its
 * --max-pages of them. Gathering the entries with push(...entries) overflowed the call stack
 * ("Maximum call stack size exceeded") past ~125k.
 */
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { WebSession } from '../../ingest/fetch/web-session.ts';
import { expandWebSources } from '../../ingest/sources/web.ts';
import { scratchDir } from '../helpers/cli.ts';
import { serve, sitemap, sitemapIndex, type Site, startSite } from '../helpers/job-site.ts';

const ENTRIES = 130_000;
let site: Site;
let data: Awaited<ReturnType<typeof scratchDir>>;

before(async () => {
  data = await scratchDir('offers-sitemap-');
  let body = '';
  site = await startSite({
    '/robots.txt': serve({ body: '', type: 'text/plain' }),
    '/sitemap.xml': (_q, response) => void response.writeHead(200, { 'content-type': 'text/xml' }).end(sitemapIndex([`${site.origin}/sitemaps/jobs.xml`])),
    '/sitemaps/jobs.xml': (_q, response) => {
      body ||= sitemap(Array.from({ length: ENTRIES }, (_, i) => `${site.origin}/jobs/${i}`));
      response.writeHead(200, { 'content-type': 'text/xml' }).end(body);
    },
  });
});

after(async () => {
  await site.close();
  await data.cleanup();
});

it('takes --max-pages of a sitemap of 130k pages', async () => {
  const session = WebSession.open(data.dir, { maxPages: 3, fetch: { rate: 1000 } });
  try {
    const { items, problems } = await expandWebSources([`${site.origin}/sitemap.xml`], session);
    assert.deepEqual(problems.map((p) => p.message), []);
    assert.deepEqual(items.map((item) => new URL(item.source).pathname), ['/jobs/0', '/jobs/1', '/jobs/2']);
    assert.equal(session.stats.overLimit, ENTRIES - 3);
  } finally {
    session.close();
  }
});
