/**
 * Web and ATS source arguments → SourceItems for the pipeline.
 *   http(s)://…            a job page, a listing page (its job links, depth 1) or a sitemap
 *                          (index) of job pages; HTML or PDF, whatever the URL says
 *   greenhouse:<board>, lever:<company>, ashby:<org>   a whole ATS board
 * Seeds are fetched here, to find out what they are; the job pages they lead to are fetched
 * when the pipeline loads them, a few ahead (`withLookahead`) so parsing and fetching overlap
 * within the per-host limits.
 */
import { SourceError } from '../../src/errors.ts';
import type { SourceRecord, WebRootRecord } from '../../src/records/record-store.ts';
import { redactCredentials } from '../../src/util/credentials.ts';
import { sha1 } from '../../src/util/hash.ts';
import { type AtsBoard, atsApiUrl, atsOffers, atsSource, parseAtsArg } from '../fetch/ats.ts';
import { DEFAULT_FETCH_SETTINGS, type FetchedPage, parseHttpUrl } from '../fetch/http-client.ts';
import { classifyHtmlPage } from '../fetch/links.ts';
import { parseSitemap } from '../fetch/sitemap.ts';
import { type CrawlScope, hostSet, scopeOf, type WebOptions, type WebSession } from '../fetch/web-session.ts';
import type { SourceContent, SourceItem } from './item.ts';
import { isHtmlPage, isSitemapPage, pageContent } from './page-content.ts';

/** A sitemap index may point to sitemaps, not to further indexes (the protocol's own limit). */
const MAX_SITEMAP_DEPTH = 1;

const URL_SCHEME = /^[a-z][a-z0-9+.-]*:\/\//i;

/** Splits source arguments: local paths for the file walker, web and ATS ones for the crawler. */
export function splitSourceArgs(args: readonly string[]): { local: string[]; web: string[] } {
  const local: string[] = [];
  const web: string[] = [];
  for (const arg of args) (URL_SCHEME.test(arg) || parseAtsArgSafe(arg) ? web : local).push(arg);
  return { local, web };
}

function parseAtsArgSafe(arg: string): boolean {
  try {
    return parseAtsArg(arg) !== undefined;
  } catch {
    return true; // a malformed board name is still an ATS argument, reported by expandWebSources
  }
}

export interface WebExpansion {
  items: SourceItem[];
  problems: SourceError[];
  /** The seeds that were listing pages or sitemaps (without credentials): `reindex` crawls them again. */
  roots: string[];
}

export async function expandWebSources(args: readonly string[], session: WebSession, role?: string): Promise<WebExpansion> {
  const items: SourceItem[] = [];
  const problems: SourceError[] = [];
  const roots: string[] = [];
  for (const arg of args) {
    try {
      const board = parseAtsArg(arg);
      if (board) {
        items.push(atsItem(board, session, role));
        continue;
      }
      const crawl = await expandUrl(arg, session, problems, role, {});
      if ('gone' in crawl) throw new SourceError(redactCredentials(arg), crawl.gone);
      // One at a time: a spread of 130k items overflows the call stack.
      for (const item of crawl.items) items.push(item);
      if (crawl.root) roots.push(crawl.root);
    } catch (error) {
      if (!SourceError.isInstance(error)) throw error;
      problems.push(error);
    }
  }
  return { items: withLookahead(items, 4), problems, roots };
}

/** The limits a crawl of a listing or sitemap ran with, recorded with it as a web root. */
export function webRootOf(seed: string, role: string | undefined, options: Pick<WebOptions, 'maxPages' | 'followHosts' | 'rate'>): WebRootRecord {
  return {
    seed,
    ...(role ? { role } : {}),
    ...(options.maxPages ? { maxPages: options.maxPages } : {}),
    ...(options.followHosts?.length ? { followHosts: options.followHosts } : {}),
    ...(options.rate && options.rate < DEFAULT_FETCH_SETTINGS.rate ? { rate: options.rate } : {}),
  };
}

/**
 * `offers reindex`: the recorded listing pages and sitemaps crawled again, each within the limits
 * it was first crawled with (robots.txt, its --max-pages and --follow-hosts, a --rate slower than
 * the default), for the pages not recorded yet: the jobs posted since. A root that is gone now
 * (404, 410) is no failure: its pages are recorded sources, each re-read on its own.
 */
export async function recrawlWebRoots(roots: readonly WebRootRecord[], session: WebSession, known: ReadonlySet<string>): Promise<{ items: SourceItem[]; problems: SourceError[] }> {
  const items: SourceItem[] = [];
  const problems: SourceError[] = [];
  const seen = new Set(known);
  for (const root of roots) {
    try {
      const crawl = await expandUrl(root.seed, session, problems, root.role, root);
      if ('gone' in crawl) continue;
      for (const item of crawl.items) {
        if (seen.has(item.source)) continue;
        seen.add(item.source);
        items.push(item);
      }
    } catch (error) {
      if (!SourceError.isInstance(error)) throw error;
      problems.push(error);
    }
  }
  return { items, problems };
}

type Crawl = { items: SourceItem[]; root?: string } | { gone: string };

async function expandUrl(seed: string, session: WebSession, problems: SourceError[], role: string | undefined, limits: Omit<WebRootRecord, 'seed' | 'role'>): Promise<Crawl> {
  const scope: CrawlScope = {
    ...scopeOf(parseHttpUrl(seed)),
    ...(limits.maxPages ? { maxPages: limits.maxPages } : {}),
    ...(limits.followHosts ? { followHosts: hostSet(limits.followHosts) } : {}),
  };
  if (limits.rate) session.slowDown(scope.seedUrl.host, 1000 / limits.rate);
  const page = await session.getOrGone(scope.seedUrl.href, scope, { anyHost: true });
  if ('gone' in page) return page;
  // A seed redirected to another host (example.com → www.example.com) brings that host in.
  scope.hosts.add(new URL(page.finalUrl).host);
  const crawled = async (urls: string[]) => ({ items: (await session.admit(urls, scope)).map((url) => urlItem(url, scope, session, role)), root: page.url });
  if (isSitemapPage(page)) return crawled(await sitemapUrls(page, scope, session, problems, 0));
  if (isHtmlPage(page)) {
    const kind = classifyHtmlPage(page.body.toString('utf8'), page.finalUrl);
    if (kind.kind === 'listing') return crawled(kind.links);
  }
  return { items: [{ ...baseItem(page.url, 'url', role), load: async () => pageContent(page) }] };
}

async function sitemapUrls(page: FetchedPage, scope: CrawlScope, session: WebSession, problems: SourceError[], depth: number): Promise<string[]> {
  const sitemap = parseSitemap(page.body.toString('utf8'));
  if (!sitemap) throw new SourceError(page.url, 'not a sitemap');
  for (const loc of sitemap.invalid) problems.push(new SourceError(page.url, `sitemap entry "${redactCredentials(loc)}" is not an http(s) URL, skipped`));
  if (sitemap.kind === 'urlset') return sitemap.urls;
  if (depth >= MAX_SITEMAP_DEPTH) throw new SourceError(page.url, 'a sitemap index inside a sitemap index (not followed)');
  const urls: string[] = [];
  for (const child of await session.admit(sitemap.urls, scope)) {
    try {
      // One at a time: a spread of a 130k-entry sitemap overflows the call stack.
      for (const url of await sitemapUrls(await session.get(child, scope), scope, session, problems, depth + 1)) urls.push(url);
    } catch (error) {
      if (!SourceError.isInstance(error)) throw error;
      problems.push(error);
    }
  }
  return urls;
}

const baseItem = (source: string, kind: SourceItem['kind'], role: string | undefined) => ({ source, kind, ...(role ? { role } : {}) });

function urlItem(url: string, scope: CrawlScope, session: WebSession, role: string | undefined): SourceItem {
  // A link or a sitemap entry may name a user and password: the record key never holds them.
  const source = redactCredentials(url);
  return {
    ...baseItem(source, 'url', role),
    async load(): Promise<SourceContent> {
      const page = await session.getOrGone(source, scope);
      return 'gone' in page ? page : pageContent(page);
    },
  };
}

function atsItem(board: AtsBoard, session: WebSession, role: string | undefined): SourceItem {
  const source = atsSource(board);
  return {
    ...baseItem(source, 'ats', role),
    async load(): Promise<SourceContent> {
      // The base may name a user and password (a private mirror): used for it, never printed.
      const scope = scopeOf(parseHttpUrl(atsApiUrl(board), source));
      const apiUrl = scope.seedUrl.href;
      let page: FetchedPage | { gone: string };
      try {
        // A documented public API, not a crawl: robots.txt (written for crawlers) is not consulted.
        page = await session.getOrGone(apiUrl, scope, { skipRobots: true, anyHost: true });
      } catch (error) {
        if (!SourceError.isInstance(error)) throw error;
        throw new SourceError(source, `${apiUrl}: ${error.message}`, { cause: error });
      }
      // A board that answers 404 is closed: its postings are removed, as a page's offers are.
      if ('gone' in page) return { gone: `${apiUrl}: ${page.gone}` };
      let body: unknown;
      try {
        body = JSON.parse(page.body.toString('utf8'));
      } catch (error) {
        throw new SourceError(source, `${apiUrl} did not answer with JSON`, { cause: error });
      }
      return { offers: atsOffers(board, body), contentHash: sha1(page.body) };
    },
  };
}

/** The item that reads a recorded web or ATS source again (`offers reindex`, online or offline). */
export function recordedWebItem(record: SourceRecord, session: WebSession): SourceItem {
  if (record.kind === 'ats') {
    const board = parseAtsArg(record.source);
    if (board) return atsItem(board, session, record.role);
  }
  return urlItem(record.source, scopeOf(parseHttpUrl(record.source)), session, record.role);
}

/**
 * Items whose loads start up to `depth` items ahead of the one the pipeline asks for, so the
 * next pages are on their way (within the per-host limits) while this one is parsed and embedded.
 */
export function withLookahead(items: readonly SourceItem[], depth: number): SourceItem[] {
  const started = new Map<number, Promise<SourceContent>>();
  const start = (index: number) => {
    const item = items[index];
    if (!item || started.has(index)) return;
    const loading = item.load();
    loading.catch(() => {}); // awaited (and reported) when its turn comes
    started.set(index, loading);
  };
  return items.map((item, index) => ({
    ...item,
    load() {
      for (let ahead = index; ahead <= index + depth; ahead++) start(ahead);
      const loading = started.get(index)!;
      started.delete(index);
      return loading;
    },
  }));
}
