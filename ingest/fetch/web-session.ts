/**
 * What one run knows about the web: the fetcher (or none, offline), robots.txt per origin, the
 * snapshot store and the counts people see in the progress bar and the summary. Every page the
 * crawler reads goes through `get`: robots first, then the fetch, then the snapshot.
 */
import { SourceError } from '../../src/errors.ts';
import type { AddressClass } from '../../src/util/address-policy.ts';
import { type Credentials, redactCredentials, splitCredentials } from '../../src/util/credentials.ts';
import { DEFAULT_FETCH_SETTINGS, type FetchedPage, type Fetcher, type FetchSettings, HttpFetcher, seedClass, userAgentFor } from './http-client.ts';
import { RobotsCache } from './robots.ts';
import { SnapshotStore, type Snapshots } from './snapshots.ts';

export interface WebOptions {
  /** `--rate`: request starts per second, per host. */
  rate?: number;
  /** `--max-pages`: pages taken from one listing page or sitemap. */
  maxPages?: number;
  /** `--user-agent`: replaces the whole User-Agent header. */
  userAgent?: string;
  /** `--contact` or OFFERS_CONTACT (src/config.ts): added to the default User-Agent. */
  contact?: string;
  /** `--follow-hosts`: hosts a crawl may go to besides its seed's; `*` for any host. */
  followHosts?: string[];
  /** `--timeout`, in milliseconds. */
  timeoutMs?: number;
  /** `reindex --offline`: pages come from the snapshots only, nothing touches the network. */
  offline?: boolean;
  /** Lower-level knobs (tests: short backoffs, no sleeping). */
  fetch?: Partial<FetchSettings>;
}

export const DEFAULT_MAX_PAGES = 500;

export interface WebStats {
  /** Pages (and sitemaps, API responses) fetched with a 2xx status. */
  fetched: number;
  failed: number;
  /** Recorded pages that answered 404 or 410: their offers are removed. */
  gone: number;
  robotsSkipped: number;
  /** Links and sitemap entries on hosts the crawl may not leave for. */
  offHostSkipped: number;
  /** Links and sitemap entries beyond --max-pages. */
  overLimit: number;
  requests: number;
  retries: number;
  bytes: number;
  /** Hosts not asked again in the run after repeated 429s or a Retry-After beyond the cap (their pages failed). */
  throttledHosts: string[];
}

/** The hosts a crawl started from one seed may reach, and the class of the seed's address. */
export interface CrawlScope {
  /** Without user name and password: what is recorded and printed. */
  seedUrl: URL;
  hosts: Set<string>;
  seed?: Promise<AddressClass>;
  /** The seed's user name and password, for its own origin, in memory only. */
  credentials?: Credentials;
  /** A recorded crawl's own `--max-pages` and `--follow-hosts` (re-index), instead of this run's. */
  maxPages?: number;
  followHosts?: ReadonlySet<string>;
}

export function scopeOf(seed: URL): CrawlScope {
  const { url, credentials } = splitCredentials(seed);
  return { seedUrl: url, hosts: new Set([url.host]), ...(credentials ? { credentials } : {}) };
}

export interface GetOptions {
  /** robots.txt is not consulted (documented APIs). */
  skipRobots?: boolean;
  /** Redirects may leave the scope's hosts (a seed the user named, an API). */
  anyHost?: boolean;
}

export class WebSession {
  private readonly maxPages: number;
  readonly offline: boolean;
  private readonly counts = { fetched: 0, failed: 0, gone: 0, robotsSkipped: 0, offHostSkipped: 0, overLimit: 0 };
  private readonly robots: RobotsCache;
  private readonly followHosts: Set<string>;
  private asked = false;

  constructor(
    private readonly fetcher: Fetcher,
    readonly snapshots: Snapshots,
    options: Pick<WebOptions, 'maxPages' | 'followHosts' | 'offline'> = {},
  ) {
    this.maxPages = options.maxPages ?? DEFAULT_MAX_PAGES;
    this.offline = options.offline ?? false;
    this.followHosts = hostSet(options.followHosts ?? []);
    this.robots = new RobotsCache({
      fetch: async (robotsUrl, seed) => {
        const page = await this.fetcher.fetch(robotsUrl, { seed });
        await this.snapshots.save(page);
        return page;
      },
      onCrawlDelay: (host, ms) => this.fetcher.slowDown(host, ms),
    });
  }

  /** A session keeping its snapshots in `snapshots`: by default the data dir's files. */
  static open(dataDir: string, options: WebOptions = {}, snapshots: Snapshots = SnapshotStore.forDataDir(dataDir)): WebSession {
    const settings: FetchSettings = {
      ...DEFAULT_FETCH_SETTINGS,
      userAgent: options.userAgent ?? userAgentFor(options.contact),
      ...(options.rate ? { rate: options.rate } : {}),
      ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
      ...options.fetch,
    };
    return new WebSession(new HttpFetcher(settings), snapshots, options);
  }

  /** Whether anything was asked of the web (or of the snapshots) in this run. */
  get used(): boolean {
    return this.asked;
  }

  get stats(): WebStats {
    const { requests, retries, bytes, throttledHosts } = this.fetcher.stats;
    return { ...this.counts, requests, retries, bytes, throttledHosts: [...throttledHosts] };
  }

  /** For the progress bar: "12 fetched, 1 failed, 3 skipped by robots.txt". */
  describe(): string {
    const { fetched, failed, robotsSkipped } = this.counts;
    return `${fetched} fetched, ${failed} failed, ${robotsSkipped} skipped by robots.txt`;
  }

  /** Whether a crawl may go to `host` (its seed's hosts, or those --follow-hosts names). */
  allowsHost(scope: CrawlScope, host: string): boolean {
    const follow = scope.followHosts ?? this.followHosts;
    return scope.hosts.has(host) || follow.has('*') || follow.has(host.toLowerCase()) || follow.has(host.replace(/:\d+$/, '').toLowerCase());
  }

  /** Spacing for a host whose crawl asked for a slower rate than this run's. */
  slowDown(host: string, intervalMs: number): void {
    this.fetcher.slowDown(host, intervalMs);
  }

  /** Filters crawl candidates: hosts, robots.txt and --max-pages, counting what is left out. */
  async admit(urls: readonly string[], scope: CrawlScope): Promise<string[]> {
    const admitted: string[] = [];
    for (const url of urls) {
      if (!this.allowsHost(scope, new URL(url).host)) this.counts.offHostSkipped++;
      else if (!this.offline && (await this.robots.refusal(new URL(url), await this.seedOf(scope)))) this.counts.robotsSkipped++;
      else if (admitted.length >= (scope.maxPages ?? this.maxPages)) this.counts.overLimit++;
      else admitted.push(url);
    }
    return admitted;
  }

  /** A page with a 2xx status: robots.txt checked, fetched (or read from its snapshot offline), snapshotted. */
  async get(url: string, scope: CrawlScope, options: GetOptions = {}): Promise<FetchedPage> {
    const page = await this.read(url, scope, options);
    return okPage(page) ? this.fetched(page) : this.fail(page.url, this.statusProblem(page));
  }

  /**
   * Like `get`, but a page that answers 404 or 410 (RFC 9110: not found, gone) is reported gone
   * rather than failed: a recorded page that is gone is a removal, as a deleted file is. Other
   * statuses, 5xx and timeouts are failures, which keep the offers a source had.
   */
  async getOrGone(url: string, scope: CrawlScope, options: GetOptions = {}): Promise<FetchedPage | { gone: string }> {
    const page = await this.read(url, scope, options);
    if (okPage(page)) return this.fetched(page);
    if (!GONE_STATUSES.has(page.status)) return this.fail(page.url, this.statusProblem(page));
    this.counts.gone++;
    return { gone: `${this.statusProblem(page)}: the page is no longer there` };
  }

  /** robots.txt, then the fetch and its snapshot (offline: the snapshot), whatever the status. */
  private async read(asked: string, scope: CrawlScope, options: GetOptions): Promise<FetchedPage> {
    this.asked = true;
    const url = redactCredentials(asked);
    if (this.offline) return (await this.snapshots.load(url)) ?? this.fail(url, 'no snapshot of this URL (fetch it once without --offline)');
    const seed = await this.counted(this.seedOf(scope));
    const refusal = options.skipRobots ? undefined : await this.robots.refusal(new URL(url), seed);
    if (refusal) {
      this.counts.robotsSkipped++;
      throw new SourceError(url, refusal);
    }
    const allowHost = options.anyHost ? {} : { allowHost: (host: string) => this.allowsHost(scope, host) };
    const credentials = scope.credentials ? { credentials: scope.credentials } : {};
    const page = await this.counted(this.fetcher.fetch(url, { seed, ...allowHost, ...credentials }));
    await this.snapshots.save(page);
    return page;
  }

  private fetched(page: FetchedPage): FetchedPage {
    this.counts.fetched++;
    return page;
  }

  private statusProblem(page: FetchedPage): string {
    return `HTTP ${page.status}${this.offline ? ' when last fetched' : ''}`;
  }

  close(): void {
    this.fetcher.close();
  }

  /** The class of the seed's address, resolved once per crawl (the seed is the user's choice). */
  private seedOf(scope: CrawlScope): Promise<AddressClass> {
    scope.seed ??= seedClass(scope.seedUrl);
    return scope.seed;
  }

  private async counted<T>(work: Promise<T>): Promise<T> {
    try {
      return await work;
    } catch (error) {
      if (SourceError.isInstance(error)) this.counts.failed++;
      throw error;
    }
  }

  private fail(url: string, reason: string): never {
    this.counts.failed++;
    throw new SourceError(url, reason);
  }
}

export const hostSet = (hosts: readonly string[]): Set<string> => new Set(hosts.map((host) => host.toLowerCase()));

const okPage = (page: FetchedPage) => page.status >= 200 && page.status < 300;

/** Statuses that say a page no longer exists: 404 Not Found, 410 Gone. */
const GONE_STATUSES = new Set([404, 410]);
