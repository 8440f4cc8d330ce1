/**
 * The web path end to end, through the real CLI and Chroma: a sitemap of generated offers
 * (JSON-LD-only pages, plain pages in chrome, PDFs) ingests to the same offers, roles and sections
 * as the same offers given as files; ATS boards ingest; `reindex --offline` re-derives everything
 * from the snapshots with the servers gone. Everything is served from 127.0.0.1.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import { runWebVsFiles } from '../../scripts/web-vs-files.ts';
import { runCli, scratchDir } from '../helpers/cli.ts';
import { buildJobSite, sectionsHtml, serve, siteOffer, startSite } from '../helpers/job-site.ts';

describe('web ingest', () => {
  it('ingests a sitemap of pages and PDFs to the same offers as the files', async () => {
    const report = await runWebVsFiles({ count: 9, seed: 'ci', rate: 1000, ingestRate: 1000 });
    const { comparison } = report;
    assert.deepEqual(comparison.differences, []);
    assert.equal(comparison.files, 9);
    assert.equal(comparison.web, 9);
    assert.equal(comparison.sameSections, 9);
    assert.equal(comparison.sameRole, 9);
    assert.equal(report.crawl.pages, 9);
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
    const data = await scratchDir('offers-web-ingest-');
    const env = { OFFERS_DATA_DIR: path.join(data.dir, 'data'), OFFERS_GREENHOUSE_URL: origin };
    try {
      const ingest = await runCli(['ingest', `${origin}/sitemap.xml`, 'greenhouse:acme', '--rate', '1000', '--contact', 'ci@example.org', '--json'], { env });
      assert.equal(ingest.code, 0, ingest.stderr);
      const summary = JSON.parse(ingest.stdout);
      assert.equal(summary.offers, 4);
      assert.equal(summary.web.failed, 0);
      assert.match(ingest.stderr, /web: \d+ pages fetched, 0 failed/);
      assert.ok(server.requests.includes('/robots.txt'));
    } finally {
      await server.close();
    }
    try {
      const offline = await runCli(['reindex', '--offline', '--json'], { env });
      assert.equal(offline.code, 0, offline.stderr);
      const counts = JSON.parse(offline.stdout);
      assert.equal(counts.failed, 0);
      assert.equal(counts.unchanged, 4);
      const exported = await runCli(['export'], { env });
      const sources = exported.stdout.trim().split('\n').map((line) => JSON.parse(line).source).sort();
      assert.ok(sources.includes('https://boards.greenhouse.io/acme/jobs/1'), 'an ATS offer is sourced at its posting URL');
      assert.equal(sources.filter((s: string) => s.startsWith(origin)).length, 3);
    } finally {
      await data.cleanup();
    }
  });
});
