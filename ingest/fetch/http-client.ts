/**
 * The one HTTP client of the crawler: http and https only, a User-Agent naming the tool, a
 * per-host limiter, retries of 429 / 5xx / timeouts through src/util/retry.ts (honouring
 * Retry-After), a request timeout, a body cap enforced by cutting the stream, redirects followed
 * by hand so each hop is checked, and every connection pinned to an address that passed the
 * address policy before the socket opened.
 */
import { lookup } from 'node:dns/promises';
import http from 'node:http';
import https from 'node:https';
import { isIP } from 'node:net';
import { describeError, RetryableError, SourceError } from '../../src/errors.ts';
import { defaultSleep, parseRetryAfter, withRetry } from '../../src/util/retry.ts';
import { type AddressClass, classifyAddress, refuseAddress } from '../../src/util/address-policy.ts';
import { type Credentials, redactCredentials, splitCredentials } from '../../src/util/credentials.ts';
import { HostLimiter } from './host-limiter.ts';

export interface FetchSettings {
  userAgent: string;
  /** Whole request, from connecting to the last body byte. */
  timeoutMs: number;
  maxBodyBytes: number;
  /** Attempts after the first one, for 429, 5xx and timeouts. */
  retries: number;
  backoffMs: number;
  maxBackoffMs: number;
  /** Request starts per second, per host. */
  rate: number;
  concurrencyPerHost: number;
  maxRedirects: number;
  /**
   * The longest Retry-After waited for. A host asking for more (`Retry-After: 99999`) is not
   * asked again in this run: waiting that long per URL would stall the run for hours.
   */
  maxRetryAfterMs: number;
  /** 429s from one host after which it is not asked again in this run. */
  maxThrottlesPerHost: number;
  /** Injected so tests don't sleep through backoffs. */
  sleep?: (ms: number) => Promise<void>;
}

/** The product token robots.txt rules are matched against. */
export const ROBOTS_AGENT = 'offers';

export function userAgentFor(contact: string | undefined): string {
  const base = `${ROBOTS_AGENT}/0.1 (job offers comparison CLI`;
  return contact ? `${base}; contact: ${contact})` : `${base}; set OFFERS_CONTACT to add a contact)`;
}

export const DEFAULT_FETCH_SETTINGS: FetchSettings = {
  userAgent: userAgentFor(undefined),
  timeoutMs: 20_000,
  maxBodyBytes: 10 * 1024 * 1024,
  retries: 3,
  backoffMs: 500,
  maxBackoffMs: 10_000,
  rate: 2,
  concurrencyPerHost: 2,
  maxRedirects: 5,
  maxRetryAfterMs: 60_000,
  maxThrottlesPerHost: 3,
};

export interface FetchRequest {
  /** The class of the address the crawl's seed resolved to: decides which addresses may follow. */
  seed: AddressClass;
  /** The seed's user name and password: sent to the seed's origin only, never after a redirect elsewhere. */
  credentials?: Credentials;
  /** Whether a redirect may land on this host (default: any host). */
  allowHost?: (host: string) => boolean;
}

export interface FetchedPage {
  /** The URL asked for (the record key). */
  url: string;
  /** Where the redirects ended. */
  finalUrl: string;
  status: number;
  contentType?: string;
  body: Buffer;
  fetchedAt: string;
}

export interface FetchStats {
  requests: number;
  retries: number;
  bytes: number;
  /** Hosts given up on for the rest of the run (too many 429s, or a Retry-After beyond the cap). */
  throttledHosts: string[];
}

/** STYLE 5: the crawler only sees this; tests and local mirrors use the real one on 127.0.0.1. */
export interface Fetcher {
  fetch(url: string, request: FetchRequest): Promise<FetchedPage>;
  readonly stats: FetchStats;
  /** Spacing for a host that asks for it (robots.txt Crawl-delay). */
  slowDown(host: string, intervalMs: number): void;
  close(): void;
}

/**
 * An http(s) URL, or a SourceError naming `source`: no file:, ftp:, data: or javascript: URLs.
 * The URL keeps any user name and password (splitCredentials takes them out); errors never show them.
 */
export function parseHttpUrl(text: string, source = text): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new SourceError(redactCredentials(source), `not a valid URL: ${redactCredentials(text)}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new SourceError(redactCredentials(source), `only http and https URLs are fetched, not ${url.protocol}`);
  }
  return url;
}

const RETRYABLE_CODES = new Set(['ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ECONNABORTED', 'EAI_AGAIN', 'UND_ERR_SOCKET']);

/** The address a host name resolves to now (IP literals as they are). */
export async function resolveAddress(hostname: string, source: string): Promise<{ address: string; family: number }> {
  const bare = hostname.replace(/^\[|\]$/g, '');
  const family = isIP(bare);
  if (family) return { address: bare, family };
  try {
    return await lookup(bare);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    if (RETRYABLE_CODES.has(code)) throw new RetryableError(`cannot resolve ${bare} (${code})`, undefined, { cause: error });
    throw new SourceError(source, `cannot resolve ${bare} (${code})`, { cause: error });
  }
}

/** The class of the address a seed URL's host resolves to: what its crawl may reach. */
export async function seedClass(url: URL): Promise<AddressClass> {
  try {
    return classifyAddress((await resolveAddress(url.hostname, url.href)).address);
  } catch (error) {
    if (RetryableError.isInstance(error)) throw new SourceError(url.href, error.message, { cause: error });
    throw error;
  }
}

type Attempt = { redirect: string } | { status: number; contentType?: string; body: Buffer };


export class HttpFetcher implements Fetcher {
  readonly stats: FetchStats = { requests: 0, retries: 0, bytes: 0, throttledHosts: [] };
  private readonly limiter: HostLimiter;
  /** 429s per host in this run, and why a host is not asked any more. */
  private readonly throttles = new Map<string, number>();
  private readonly givenUp = new Map<string, string>();
  private readonly agents: { 'http:': http.Agent; 'https:': https.Agent };
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(private readonly settings: FetchSettings = DEFAULT_FETCH_SETTINGS) {
    this.sleep = settings.sleep ?? defaultSleep;
    this.limiter = new HostLimiter({ concurrency: settings.concurrencyPerHost, intervalMs: 1000 / settings.rate, sleep: this.sleep });
    const agentOptions = { keepAlive: true, maxSockets: settings.concurrencyPerHost };
    this.agents = { 'http:': new http.Agent(agentOptions), 'https:': new https.Agent(agentOptions) };
  }

  async fetch(asked: string, request: FetchRequest): Promise<FetchedPage> {
    // A user name and password in a URL are never sent as they are (a link or a redirect could
    // carry them) nor kept: only `request.credentials` authenticates, on their own origin.
    const url = redactCredentials(asked);
    let current = splitCredentials(parseHttpUrl(asked, url)).url;
    const visited = new Set<string>();
    for (;;) {
      if (visited.has(current.href)) throw new SourceError(url, `redirect loop through ${current.href}`);
      if (visited.size > this.settings.maxRedirects) throw new SourceError(url, `more than ${this.settings.maxRedirects} redirects`);
      visited.add(current.href);
      const result = await this.attemptWithRetries(current, request, url);
      if ('redirect' in result) {
        const next = splitCredentials(parseHttpUrl(new URL(result.redirect, current).href, url)).url;
        if (request.allowHost && !request.allowHost(next.host)) {
          throw new SourceError(url, `redirected to another host, ${next.host} (allow it with --follow-hosts)`);
        }
        current = next;
        continue;
      }
      this.stats.bytes += result.body.length;
      return {
        url,
        finalUrl: current.href,
        status: result.status,
        ...(result.contentType ? { contentType: result.contentType } : {}),
        body: result.body,
        fetchedAt: new Date().toISOString(),
      };
    }
  }

  slowDown(host: string, intervalMs: number): void {
    this.limiter.slowDown(host, intervalMs);
  }

  close(): void {
    this.agents['http:'].destroy();
    this.agents['https:'].destroy();
  }

  private async attemptWithRetries(target: URL, request: FetchRequest, source: string): Promise<Attempt> {
    try {
      return await withRetry(() => this.limiter.run(target.host, () => this.attempt(target, request, source)), {
        retries: this.settings.retries,
        minDelayMs: this.settings.backoffMs,
        maxDelayMs: this.settings.maxBackoffMs,
        sleep: this.sleep,
        onRetry: (error, _attempt, delayMs) => {
          this.stats.retries++;
          // A server that asked us to wait is waited for by every request to it, not just this one.
          if (RetryableError.isInstance(error) && error.retryAfterMs !== undefined) this.limiter.pause(target.host, delayMs);
        },
      });
    } catch (error) {
      if (!RetryableError.isInstance(error)) throw error;
      throw new SourceError(source, `${error.message}, gave up after ${this.settings.retries + 1} attempts`, { cause: error });
    }
  }

  /**
   * A 429 or 503 may ask us to wait. Within the cap it is retried (withRetry waits what it asks);
   * beyond the cap, or after too many 429s, the host is given up for the run: its pages fail
   * (their offers stay as they were) instead of each one waiting minutes.
   */
  private throttled(host: string, status: number, retryAfterMs: number | undefined, source: string): RetryableError | SourceError {
    const count = status === 429 ? (this.throttles.get(host) ?? 0) + 1 : 0;
    if (status === 429) this.throttles.set(host, count);
    const { maxRetryAfterMs, maxThrottlesPerHost } = this.settings;
    const reason =
      retryAfterMs !== undefined && retryAfterMs > maxRetryAfterMs ? `${host} asked to wait ${Math.round(retryAfterMs / 1000)} s (Retry-After), more than ${maxRetryAfterMs / 1000} s`
      : count >= maxThrottlesPerHost ? `${host} answered HTTP 429 (too many requests) ${count} times`
      : undefined;
    if (!reason) return new RetryableError(`HTTP ${status}`, retryAfterMs);
    const refusal = `${reason}: not asked again in this run`;
    if (!this.givenUp.has(host)) this.stats.throttledHosts.push(host);
    this.givenUp.set(host, refusal);
    return new SourceError(source, refusal);
  }

  private async attempt(target: URL, request: FetchRequest, source: string): Promise<Attempt> {
    const givenUp = this.givenUp.get(target.host);
    if (givenUp) throw new SourceError(source, givenUp);
    const { address, family } = await resolveAddress(target.hostname, source);
    const refusal = refuseAddress(request.seed, address);
    if (refusal) throw new SourceError(source, refusal);
    this.stats.requests++;
    const { timeoutMs, maxBodyBytes } = this.settings;
    const client = target.protocol === 'https:' ? https : http;
    return new Promise<Attempt>((resolve, reject) => {
      let settled = false;
      const finish = (outcome: Attempt | Error) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        if (outcome instanceof Error) {
          request$.destroy();
          reject(outcome);
        } else {
          resolve(outcome);
        }
      };
      const request$ = client.get(target, {
        agent: this.agents[target.protocol as 'http:' | 'https:'],
        headers: {
          'user-agent': this.settings.userAgent,
          accept: '*/*',
          'accept-encoding': 'identity',
          ...(request.credentials?.origin === target.origin ? { authorization: request.credentials.authorization } : {}),
        },
        // The connection goes to the address checked above, so DNS can't change its answer in between.
        lookup: (_host, options, callback) => {
          if (options.all) (callback as (e: null, a: Array<{ address: string; family: number }>) => void)(null, [{ address, family }]);
          else callback(null, address, family);
        },
      });
      const timer = setTimeout(() => finish(new RetryableError(`timed out after ${timeoutMs} ms`)), timeoutMs);
      request$.on('error', (error: NodeJS.ErrnoException) => {
        const code = error.code ?? '';
        finish(
          RETRYABLE_CODES.has(code) || error.message === 'socket hang up'
            ? new RetryableError(`connection failed (${code || error.message})`, undefined, { cause: error })
            : new SourceError(source, `cannot connect to ${target.host} (${code || error.message})`, { cause: error }),
        );
      });
      request$.on('response', (response) => {
        const status = response.statusCode ?? 0;
        const location = response.headers.location;
        if (status >= 300 && status < 400 && location) {
          response.resume();
          finish({ redirect: location });
          return;
        }
        if (status === 429 || status >= 500) {
          response.resume();
          finish(this.throttled(target.host, status, parseRetryAfter(response.headers['retry-after']), source));
          return;
        }
        const tooLarge = () => new SourceError(source, `body larger than ${Math.round(maxBodyBytes / 1048576)} MB, cut off`);
        if (Number(response.headers['content-length']) > maxBodyBytes) return finish(tooLarge());
        const chunks: Buffer[] = [];
        let size = 0;
        response.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > maxBodyBytes) finish(tooLarge());
          else chunks.push(chunk);
        });
        response.on('error', (error) => finish(new RetryableError(`body interrupted (${describeError(error)})`, undefined, { cause: error })));
        response.on('end', () => {
          const contentType = response.headers['content-type'];
          finish({ status, ...(contentType ? { contentType } : {}), body: Buffer.concat(chunks) });
        });
      });
    });
  }
}
