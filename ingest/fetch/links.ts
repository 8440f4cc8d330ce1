/**
 * Listing pages, pure: which links of a page look like job pages, and whether the page is a
 * listing at all. A job page is one with a JSON-LD JobPosting, or one whose content (site chrome
 * and "similar jobs" blocks removed) links to fewer than two job-like pages.
 */
import { removeChrome } from '../parse/html.ts';
import { loadHtml } from '../parse/light-markdown.ts';
import { pageJobPostings } from '../parse/json-ld.ts';

/** Path words of job pages in the languages of the offers (en, fr, de) and of the common ATSs. */
const JOB_PATH = /(?:^|[/_.-])(?:jobs?|careers?|positions?|openings?|vacanc(?:y|ies)|postings?|requisitions?|roles?|offres?|emplois?|postes?|recrutement|stellen(?:angebote)?|karriere)(?:$|[/_.?=-])/i;
/** Links from a job list that are not job pages themselves. */
const NOT_A_JOB = /\/(?:apply|login|sign-?in|sign-?up|register|search|alerts?|rss|feed)(?:\/|$)/i;
const MIN_LISTING_LINKS = 2;
/** A listing gives at most this many links: more than any crawl takes (`--max-pages`, 500 by default) from one page. */
export const MAX_LISTING_LINKS = 10_000;

export type HtmlPageKind = { kind: 'job' } | { kind: 'listing'; links: string[] };

function withoutFragment(url: URL): string {
  const copy = new URL(url);
  copy.hash = '';
  return copy.href;
}

/** Same-page, fragment-only and non-http links are never job pages. */
export function isJobLink(link: URL, page: URL): boolean {
  if (link.protocol !== 'http:' && link.protocol !== 'https:') return false;
  if (withoutFragment(link) === withoutFragment(page)) return false;
  if (NOT_A_JOB.test(link.pathname)) return false;
  return /\.pdf$/i.test(link.pathname) || JOB_PATH.test(`${link.pathname}${link.search}`);
}

/** Job-like links of the page's content, absolute, without fragments, in page order. */
export function findJobLinks(html: string, pageUrl: string): string[] {
  const page = new URL(pageUrl);
  const $ = loadHtml(html);
  const base = $('base[href]').attr('href');
  removeChrome($);
  const links = new Set<string>();
  $('a[href]').each((_, anchor) => {
    let link: URL;
    try {
      link = new URL($(anchor).attr('href')!.trim(), base ? new URL(base, page) : page);
    } catch {
      return;
    }
    if (isJobLink(link, page)) links.add(withoutFragment(link));
    return links.size < MAX_LISTING_LINKS; // false ends the walk
  });
  return [...links];
}

export function classifyHtmlPage(html: string, pageUrl: string): HtmlPageKind {
  if (pageJobPostings(loadHtml(html)).length > 0) return { kind: 'job' };
  const links = findJobLinks(html, pageUrl);
  return links.length >= MIN_LISTING_LINKS ? { kind: 'listing', links } : { kind: 'job' };
}
