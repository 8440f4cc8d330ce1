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
import type { SourceRecord } from '../../src/records/record-store.ts';
import { sha1 } from '../../src/util/hash.ts';
import type { SourceContent, SourceItem } from '../source.ts';
import { type AtsBoard, atsApiUrl, atsOffers, atsSource, parseAtsArg } from './ats.ts';
import { type FetchedPage, parseHttpUrl } from './http-client.ts';
import { classifyHtmlPage } from './links.ts';
import { isHtmlPage, isSitemapPage, pageContent } from './page-content.ts';
import { parseSitemap } from './sitemap.ts';
import { type CrawlScope, scopeOf, type WebSession } from './web-session.ts';

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
}

export async function expandWebSources(args: readonly string[], session: WebSession, role?: string): Promise<WebExpansion> {
  const items: SourceItem[] = [];
  const problems: SourceError[] = [];
  for (const arg of args) {
    try {
      const board = parseAtsArg(arg);
      if (board) items.push(atsItem(board, session, role));
      else for (const item of await expandUrl(arg, session, problems, role)) items.push(item);
    } catch (error) {
      if (!(error instanceof SourceError)) throw error;
      problems.push(error);
    }
  }
  return { items: withLookahead(items, 4), problems };
}

async function expandUrl(seed: string, session: WebSession, problems: SourceError[], role: string | undefined): Promise<SourceItem[]> {
  const scope = scopeOf(parseHttpUrl(seed));
  const page = await session.get(scope.seedUrl.href, scope, { anyHost: true });
  // A seed redirected to another host (example.com → www.example.com) brings that host in.
  scope.hosts.add(new URL(page.finalUrl).host);
  if (isSitemapPage(page)) {
    const urls = await sitemapUrls(page, scope, session, problems, 0);
    return (await session.admit(urls, scope)).map((url) => urlItem(url, scope, session, role));
  }
  if (isHtmlPage(page)) {
    const kind = classifyHtmlPage(page.body.toString('utf8'), page.finalUrl);
    if (kind.kind === 'listing') return (await session.admit(kind.links, scope)).map((url) => urlItem(url, scope, session, role));
  }
  return [{ ...baseItem(page.url, 'url', role), load: async () => pageContent(page) }];
}

async function sitemapUrls(page: FetchedPage, scope: CrawlScope, session: WebSession, problems: SourceError[], depth: number): Promise<string[]> {
  const sitemap = parseSitemap(page.body.toString('utf8'));
  if (!sitemap) throw new SourceError(page.url, 'not a sitemap');
  if (sitemap.kind === 'urlset') return sitemap.urls;
  if (depth >= MAX_SITEMAP_DEPTH) throw new SourceError(page.url, 'a sitemap index inside a sitemap index (not followed)');
  const urls: string[] = [];
  for (const child of await session.admit(sitemap.urls, scope)) {
    try {
      // One at a time: a spread of a 130k-entry sitemap overflows the call stack.
      for (const url of await sitemapUrls(await session.get(child, scope), scope, session, problems, depth + 1)) urls.push(url);
    } catch (error) {
      if (!(error instanceof SourceError)) throw error;
      problems.push(error);
    }
  }
  return urls;
}

const baseItem = (source: string, kind: SourceItem['kind'], role: string | undefined) => ({ source, kind, ...(role ? { role } : {}) });

function urlItem(url: string, scope: CrawlScope, session: WebSession, role: string | undefined): SourceItem {
  return { ...baseItem(url, 'url', role), load: async () => pageContent(await session.get(url, scope)) };
}

function atsItem(board: AtsBoard, session: WebSession, role: string | undefined): SourceItem {
  const source = atsSource(board);
  return {
    ...baseItem(source, 'ats', role),
    async load(): Promise<SourceContent> {
      const apiUrl = atsApiUrl(board);
      let page: FetchedPage;
      try {
        // A documented public API, not a crawl: robots.txt (written for crawlers) is not consulted.
        page = await session.get(apiUrl, scopeOf(new URL(apiUrl)), { skipRobots: true, anyHost: true });
      } catch (error) {
        if (!(error instanceof SourceError)) throw error;
        throw new SourceError(source, `${apiUrl}: ${error.message}`, { cause: error });
      }
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
