/**
 * Hostile sizes, measured on memory: each file is read in a child process of its own, whose peak
 * RSS is what the test bounds, generously (the process with the parsers loaded is ~150 MB, a DOM
 * of the 50k elements a page may hold ~50 MB of heap, and the garbage collector lags behind).
 * Before streaming and the HTML bounds, these took 1 GB (100k CSV rows), 878 MB (a 300k-link
 * listing) and 660 MB (a 15 MB attribute).
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { MAX_LISTING_LINKS } from '../../ingest/fetch/links.ts';
import { ROOT, scratchDir } from '../helpers/cli.ts';

const PEAK_RSS_MB = 500;
const run = promisify(execFile);

async function peak(file: string): Promise<{ offers: number; problems: number; links: number; maxRssMb: number }> {
  const { stdout } = await run(process.execPath, ['--import', 'tsx', path.join(ROOT, 'test/helpers/parse-peak.ts'), file], { cwd: ROOT, maxBuffer: 1 << 20 });
  return JSON.parse(stdout.trim().split('\n').pop()!);
}

describe('memory stays bounded whatever the size of one source', () => {
  let dir = '';
  let cleanup = async () => {};
  before(async () => {
    ({ dir, cleanup } = await scratchDir('offers-memory-'));
    const rows = ['title,company,description'];
    for (let i = 0; i < 100_000; i += 1) {
      rows.push(`Site Reliability Engineer ${i},Tidewater Ferries,"Keep the booking platform of route ${i} available. Run the on-call rotation, write runbooks."`);
    }
    await writeFile(path.join(dir, 'offers.csv'), rows.join('\n'));
    const links = Array.from({ length: 300_000 }, (_, i) => `<li><a href="/jobs/${i}">Harbour pilot ${i}</a></li>`).join('');
    await writeFile(path.join(dir, 'listing.html'), `<html><body><main><h1>Open positions</h1><ul>${links}</ul></main></body></html>`);
    await writeFile(path.join(dir, 'attribute.html'), `<html><body><main><h1>Lighthouse keeper</h1><p data-blob="${'x'.repeat(15_000_000)}">Keep the lamp lit every night of the winter.</p></main></body></html>`);
  });
  after(() => cleanup());

  it('a CSV of 100k rows: its offers are made one at a time', async () => {
    const result = await peak(path.join(dir, 'offers.csv'));
    assert.equal(result.offers, 100_000);
    assert.ok(result.maxRssMb < PEAK_RSS_MB, `peak RSS ${result.maxRssMb} MB`);
  });

  it('a listing of 300k links: the page is read up to its element limit, the links up to theirs', async () => {
    const result = await peak(path.join(dir, 'listing.html'));
    assert.equal(result.links, MAX_LISTING_LINKS);
    assert.ok(result.maxRssMb < PEAK_RSS_MB, `peak RSS ${result.maxRssMb} MB`);
  });

  it('a 15 MB attribute: the tag keeps its name only', async () => {
    const result = await peak(path.join(dir, 'attribute.html'));
    assert.equal(result.offers, 1);
    assert.ok(result.maxRssMb < PEAK_RSS_MB, `peak RSS ${result.maxRssMb} MB`);
  });
});
