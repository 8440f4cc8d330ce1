/**
 * HTML job pages. JSON-LD JobPosting first (structured, and the only text on many single-page
 * apps); otherwise the page's main content, with the site chrome (navigation, cookie banners,
 * "similar jobs", share buttons) removed so it can't leak into every offer from that site.
 */
import type { Cheerio, CheerioAPI } from 'cheerio';
// domhandler is cheerio's own node model (its public types), installed with it.
import type { AnyNode, Element } from 'domhandler';
import { SourceError } from '../../src/errors.ts';
import type { RawOffer } from '../../src/types.ts';
import { jobPostingToOffer, pageJobPostings } from './json-ld.ts';
import { domToLightMarkdown, loadHtml } from './light-markdown.ts';
import { rawOffer } from './raw-offer.ts';

type Elements = Cheerio<AnyNode>;

function jsonLdOffers($: CheerioAPI, source: string, language: string | undefined): RawOffer[] {
  const postings = pageJobPostings($);
  const offers: RawOffer[] = [];
  postings.forEach((posting, index) => {
    const offerSource = postings.length > 1 ? `${source}#${index + 1}` : source;
    try {
      offers.push(jobPostingToOffer(posting, offerSource, { language }));
    } catch (error) {
      // A JobPosting without any text is skipped; the page content may still have it.
      if (!SourceError.isInstance(error)) throw error;
    }
  });
  return offers;
}

const CHROME_SELECTOR = [
  'script', 'style', 'noscript', 'template', 'nav', 'header', 'footer', 'aside', 'form', 'iframe',
  'svg', 'button', 'dialog', '[role=navigation]', '[role=banner]', '[role=contentinfo]',
  ...['cookie', 'consent', 'gdpr', 'breadcrumb', 'similar', 'related', 'share', 'social'].flatMap((word) => [
    `[class*=${word} i]`,
    `[id*=${word} i]`,
  ]),
  '[aria-label*=breadcrumb i]',
].join(', ');

/** Chrome selectors are loose (a class containing "share"), so never remove what holds the offer. */
const CONTENT_SELECTOR = 'main, article, [role=main], h1';

/**
 * The elements that hold a content element, each found once by climbing from the content
 * elements. Asking each chrome element `.find(CONTENT_SELECTOR)` instead costs css-select a
 * de-duplication of the element's children that is quadratic in their number (25k links: 1.3 s,
 * 100k: 17 s).
 */
function contentHolders($: CheerioAPI): Set<AnyNode> {
  const holders = new Set<AnyNode>();
  for (const content of $(CONTENT_SELECTOR).toArray()) {
    for (let node = content.parent; node && !holders.has(node); node = node.parent) holders.add(node);
  }
  return holders;
}

/** The first element below `roots` that passes `test`, in document order, without recursion. */
function firstDescendant(roots: readonly AnyNode[], test: (element: Element) => boolean): Element | undefined {
  const stack = [...roots].reverse();
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (node.type === 'tag' && test(node as Element)) return node as Element;
    const children = 'children' in node ? node.children : [];
    for (let i = children.length - 1; i >= 0; i -= 1) stack.push(children[i]!);
  }
  return undefined;
}

const childrenOf = ($elements: Elements) => $elements.toArray().flatMap((element) => ('children' in element ? element.children : []));

const OTHER_JOBS_HEADING =
  /^(?:similar|related|other|more|recommended)\s+(?:jobs?|positions?|offers?|openings?|roles?|vacancies)\b|^share\b/i;

export function removeChrome($: CheerioAPI): void {
  const holders = contentHolders($);
  $(CHROME_SELECTOR).each((_, element) => {
    const $element = $(element);
    if ($element.is('html, body, main, article, [role=main]')) return;
    if (holders.has(element)) return;
    $element.remove();
  });
  // A "Similar jobs" block without a telling class: drop the heading's section, or, when the
  // heading sits directly in the content, the heading and everything after it.
  $('h2, h3, h4, h5, h6').each((_, heading) => {
    const $heading = $(heading);
    if (!OTHER_JOBS_HEADING.test($heading.text().trim())) return;
    const $parent = $heading.parent();
    const parent = $parent[0];
    if (parent && parent.type === 'tag' && !$parent.is('main, article, body, [role=main]')) {
      $parent.remove();
    } else {
      $heading.nextAll().remove();
      $heading.remove();
    }
  });
}

const PARAGRAPHS = 'p, li, pre, td, dd, blockquote';
const MIN_PARAGRAPH_CHARS = 20;

/** Without main/article: the element whose paragraphs hold the most text (readability-style). */
function largestTextBlock($: CheerioAPI): Elements {
  const scores = new Map<AnyNode, number>();
  let best: AnyNode | undefined;
  let bestScore = 0;
  const add = (element: AnyNode | null | undefined, score: number) => {
    if (!element) return;
    const total = (scores.get(element) ?? 0) + score;
    scores.set(element, total);
    if (total > bestScore) [best, bestScore] = [element, total];
  };
  $(PARAGRAPHS).each((_, paragraph) => {
    const length = $(paragraph).text().trim().length;
    if (length < MIN_PARAGRAPH_CHARS) return;
    add(paragraph.parent, length);
    add(paragraph.parent?.parent, length / 2);
  });
  return best ? $(best) : $('body');
}

function mainContent($: CheerioAPI): Elements {
  for (const selector of ['main', '[role=main]']) {
    const found = $(selector).first();
    if (found.length > 0 && found.text().trim()) return found;
  }
  const articles = $('article').toArray();
  if (articles.length > 0) {
    const largest = articles.reduce((a, b) => ($(b).text().length > $(a).text().length ? b : a));
    if ($(largest).text().trim()) return $(largest);
  }
  return largestTextBlock($);
}

/** Blanks collapsed, so that the separators split on below (`\s+\|\s+`) meet no long run of blanks (quadratic). */
const oneLine = (text: string | undefined) => text?.replace(/\s+/g, ' ').trim() || undefined;

const meta = ($: CheerioAPI, property: string) => oneLine($(`meta[property="${property}"], meta[name="${property}"]`).first().attr('content'));

/** "Site Reliability Engineer | Acme Careers" → "Site Reliability Engineer". */
function stripSiteSuffix(title: string, siteName: string | undefined): string {
  let stripped = title.split(/\s+\|\s+/)[0]!.trim();
  if (siteName) {
    const suffix = new RegExp(`\\s+[-–—:·]\\s+${siteName.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`, 'i');
    stripped = stripped.replace(suffix, '');
  }
  return stripped;
}

const shortText = ($elements: Elements, maxChars = 120) => {
  const text = $elements.first().text().replace(/\s+/g, ' ').trim();
  return text && text.length <= maxChars ? text : undefined;
};

/** Leaf elements whose class names a byline part ("company", "job-location"). */
const classedLeaf = ($: CheerioAPI, word: string) => $(`[class*=${word} i]`).filter((_, el) => $(el).children().length === 0);

/** Where a page's byline sits: what the company and location are read from. */
const BYLINE = '[itemprop=hiringOrganization], [itemprop=jobLocation], [class*=company i], [class*=location i]';

/** The employer named by the page, read before the site chrome (where the brand sits) is removed. */
function companyCandidates($: CheerioAPI, siteName: string | undefined): { named?: string | undefined; brand?: string | undefined } {
  const organization = $('[itemprop=hiringOrganization]').first();
  const brand = $('.navbar-brand, [class*=brand i], .logo, [class*=logo i]').first();
  const organizationName = firstDescendant(childrenOf(organization), (element) => element.attribs.itemprop === 'name');
  const named =
    (organizationName && shortText($(organizationName))) ??
    shortText(organization) ??
    // A leaf element classed "company" names the employer; og:site_name may be a job board.
    shortText(classedLeaf($, 'company')) ??
    siteName;
  // The site's own brand in its header: its text, or the alt text of its logo.
  const logo = firstDescendant(childrenOf(brand), (element) => element.name === 'img' && element.attribs.alt !== undefined);
  return { named, brand: shortText(brand, 60) || logo?.attribs.alt?.trim() || undefined };
}

/** "Senior SRE | Orbitel Mobile Careers" → "Orbitel Mobile": the site part of a document title. */
function companyFromDocumentTitle(documentTitle: string, title: string | undefined): string | undefined {
  const parts = documentTitle.split(/\s+[|·—–-]\s+/).map((part) => part.trim());
  const site = parts.length > 1 && parts[0] === title ? parts.at(-1) : undefined;
  return site?.replace(/\s+(?:careers|jobs|recrutement|emplois?)$/i, '').trim() || undefined;
}

function pageOffer($: CheerioAPI, source: string, language: string | undefined): RawOffer {
  const siteName = meta($, 'og:site_name');
  const companies = companyCandidates($, siteName);
  const location = shortText($('[itemprop=jobLocation]')) ?? shortText(classedLeaf($, 'location'));
  const documentTitle = oneLine($('title').first().text()) ?? '';
  removeChrome($);

  const root = mainContent($);
  const h1 = firstDescendant(childrenOf(root), (element) => element.name === 'h1');
  const heading = (h1 && shortText($(h1), 300)) ?? shortText($('h1'), 300);
  const fallbackTitle = meta($, 'og:title') ?? (documentTitle || undefined);
  const title = heading ?? (fallbackTitle && stripSiteSuffix(fallbackTitle, siteName));
  const company = companies.named ?? companyFromDocumentTitle(documentTitle, title) ?? companies.brand;
  // The byline they were read from is metadata, as the title is, not offer text ("other" chunks).
  $(BYLINE).filter((_, el) => [company, location].includes(shortText($(el)))).remove();

  let description = domToLightMarkdown(root.toArray());
  // The title heading at the top repeats `title`.
  if (title && description.startsWith(`## ${title}\n`)) description = description.slice(title.length + 4).trimStart();
  if (!description.trim()) throw new SourceError(source, 'no job text found in the page');
  return rawOffer({ source, format: 'html', title, company, location, language, description });
}

export function parseHtml(html: string, source: string): RawOffer[] {
  const $ = loadHtml(html);
  const language = $('html').attr('lang')?.trim() || undefined;
  const structured = jsonLdOffers($, source, language);
  return structured.length > 0 ? structured : [pageOffer($, source, language)];
}
