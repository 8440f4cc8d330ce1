import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RobotsCache } from '../../ingest/fetch/robots.ts';
import { SourceError } from '../../src/errors.ts';

function robotsFrom(answer: { status: number; body?: string } | SourceError) {
  const asked: string[] = [];
  const delays: Array<[string, number]> = [];
  const cache = new RobotsCache({
    fetch: async (url) => {
      asked.push(url);
      if (answer instanceof SourceError) throw answer;
      return { url, finalUrl: url, status: answer.status, body: Buffer.from(answer.body ?? ''), fetchedAt: '' };
    },
    onCrawlDelay: (host, ms) => delays.push([host, ms]),
  });
  return { cache, asked, delays };
}

describe('RobotsCache', () => {
  it('applies the rules for our agent, once per origin, and passes on Crawl-delay', async () => {
    const { cache, asked, delays } = robotsFrom({ status: 200, body: 'User-agent: *\nDisallow: /jobs/internal/\nCrawl-delay: 3\n\nUser-agent: offers\nDisallow: /drafts/\nCrawl-delay: 3\n' });
    assert.match((await cache.refusal(new URL('https://x.org/drafts/1'), 'public')) ?? '', /disallowed by robots\.txt for offers/);
    // A group for our agent replaces the * group.
    assert.equal(await cache.refusal(new URL('https://x.org/jobs/internal/1'), 'public'), undefined);
    assert.equal(await cache.refusal(new URL('https://x.org/jobs/1'), 'public'), undefined);
    assert.deepEqual(asked, ['https://x.org/robots.txt']);
    assert.deepEqual(delays, [['x.org', 3000]]);
  });

  it('allows everything when there is no robots.txt, and nothing when it cannot be read', async () => {
    assert.equal(await robotsFrom({ status: 404 }).cache.refusal(new URL('https://x.org/a'), 'public'), undefined);
    const down = robotsFrom(new SourceError('https://x.org/robots.txt', 'HTTP 503, gave up after 4 attempts'));
    assert.match((await down.cache.refusal(new URL('https://x.org/a'), 'public')) ?? '', /robots\.txt of x\.org could not be read \(HTTP 503/);
  });
});
