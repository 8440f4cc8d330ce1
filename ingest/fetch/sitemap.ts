/**
 * Sitemaps (sitemaps.org protocol), pure: a `<urlset>` lists pages, a `<sitemapindex>` lists
 * other sitemaps. Namespaces and prefixes vary between generators, so elements are matched by
 * local name.
 */
import { load } from 'cheerio';
// domhandler is cheerio's own node model (its public types), installed with it.
import type { Element } from 'domhandler';

export interface Sitemap {
  kind: 'urlset' | 'sitemapindex';
  /** `<loc>` values in document order, trimmed, duplicates dropped: absolute http(s) URLs only. */
  urls: string[];
  /** `<loc>` values that are not absolute http(s) URLs, skipped (the protocol asks for absolute URLs). */
  invalid: string[];
}

const SITEMAP_ROOT = /<(?:[\w-]+:)?(urlset|sitemapindex)[\s>]/;

/** Whether a body is a sitemap, judged on its first bytes (extensions and types lie). */
export function looksLikeSitemap(text: string): boolean {
  return SITEMAP_ROOT.test(text.slice(0, 4096));
}

export function parseSitemap(xml: string): Sitemap | undefined {
  const kind = SITEMAP_ROOT.exec(xml.slice(0, 4096))?.[1] as Sitemap['kind'] | undefined;
  if (!kind) return undefined;
  const $ = load(xml, { xml: true });
  const entry = kind === 'urlset' ? 'url' : 'sitemap';
  const urls: string[] = [];
  const invalid: string[] = [];
  $('*').each((_, element) => {
    const parent = element.parent as Element | null;
    if (element.type !== 'tag' || localName(element.name) !== 'loc' || parent?.type !== 'tag' || localName(parent.name) !== entry) return;
    const loc = $(element).text().trim();
    if (!loc) return;
    if (isHttpUrl(loc)) urls.push(loc);
    else invalid.push(loc);
  });
  return { kind, urls: [...new Set(urls)], invalid };
}

const isHttpUrl = (text: string) => URL.canParse(text) && /^https?:$/.test(new URL(text).protocol);

const localName = (tag: string) => tag.slice(tag.indexOf(':') + 1).toLowerCase();
