/**
 * robots.txt, per origin, fetched once per run (RFC 9309 as robots-parser reads it). A missing
 * file (4xx) allows everything; a file that can't be read (5xx after retries, network errors)
 * disallows the whole host, as the RFC asks; a Crawl-delay slows our requests to that host down.
 */
import robotsParserModule from 'robots-parser';
import { describeError, SourceError } from '../../src/errors.ts';
import type { AddressClass } from '../../src/util/address-policy.ts';
import { type FetchedPage, ROBOTS_AGENT } from './http-client.ts';

/** The part of robots-parser's API used here (its bundled typings don't type the default export). */
interface Robots {
  isAllowed(url: string, userAgent?: string): boolean | undefined;
  getCrawlDelay(userAgent?: string): number | undefined;
}
const robotsParser = robotsParserModule as unknown as (url: string, contents: string) => Robots;

/** A Crawl-delay above this is taken as this: a typo must not park a run for hours. */
const MAX_CRAWL_DELAY_MS = 30_000;

interface Rules {
  /** Why a URL is refused, or undefined when it is allowed. */
  refuse(url: string): string | undefined;
}

export interface RobotsOptions {
  /** Fetches a robots.txt URL (any status is returned; SourceError when unreachable). */
  fetch(robotsUrl: string, seed: AddressClass): Promise<FetchedPage>;
  /** Called with a host's Crawl-delay, in milliseconds. */
  onCrawlDelay(host: string, ms: number): void;
}

export class RobotsCache {
  private readonly byOrigin = new Map<string, Promise<Rules>>();

  constructor(private readonly options: RobotsOptions) {}

  /** Why our user agent may not fetch `url`, or undefined when it may. */
  async refusal(url: URL, seed: AddressClass): Promise<string | undefined> {
    let rules = this.byOrigin.get(url.origin);
    if (!rules) {
      rules = this.load(url, seed);
      this.byOrigin.set(url.origin, rules);
    }
    return (await rules).refuse(url.href);
  }

  private async load(url: URL, seed: AddressClass): Promise<Rules> {
    const robotsUrl = `${url.origin}/robots.txt`;
    let page: FetchedPage;
    try {
      page = await this.options.fetch(robotsUrl, seed);
    } catch (error) {
      if (!SourceError.isInstance(error)) throw error;
      const reason = `robots.txt of ${url.host} could not be read (${describeError(error)}), so the host is not crawled`;
      return { refuse: () => reason };
    }
    if (page.status >= 400) return { refuse: () => undefined };
    const robots = robotsParser(robotsUrl, page.body.toString('utf8'));
    const delay = robots.getCrawlDelay(ROBOTS_AGENT);
    if (delay !== undefined && delay > 0) this.options.onCrawlDelay(url.host, Math.min(delay * 1000, MAX_CRAWL_DELAY_MS));
    return {
      refuse: (target) => (robots.isAllowed(target, ROBOTS_AGENT) === false ? `disallowed by robots.txt for ${ROBOTS_AGENT}` : undefined),
    };
  }
}
