/**
 * A job site on 127.0.0.1 for the web tests and scripts/web-vs-files.ts: offers in English (the
 * seeded synthetic vocabulary of scripts/synthetic-offers.ts) and in French (french-offers.ts)
 * rendered the three ways real sites serve them (a JSON-LD-only single-page app, a plain page
 * wrapped in site chrome, a PDF), a sitemap index, the same offers as the Markdown files their
 * authors would write, and a server that answers from a route table and records what it was asked.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { renderOfferPdf } from '../../scripts/make-demo-pdfs.ts';
import { syntheticOffer } from '../../scripts/synthetic-offers.ts';
import { frenchSiteOffer } from './french-offers.ts';

export interface SiteOffer {
  slug: string;
  title: string;
  company: string;
  location: string;
  language: 'en' | 'fr';
  sections: Array<{ heading: string; paragraphs: string[]; bullets: string[] }>;
}

/** The `index`-th synthetic offer, taken apart into what the page templates need. */
export function siteOffer(index: number, seed: number | string = 1): SiteOffer {
  const { name, text } = syntheticOffer(index, seed);
  const blocks = text.split(/\n{2,}/).map((block) => block.trim());
  const title = blocks[0]!.replace(/^# /, '');
  const [company = '', location = ''] = blocks[1]!.replace(/\*\*/g, '').split(' · ');
  const sections: SiteOffer['sections'] = [];
  for (const block of blocks.slice(2)) {
    if (block.startsWith('## ')) sections.push({ heading: block.slice(3), paragraphs: [], bullets: [] });
    else if (block.startsWith('- ')) sections.at(-1)!.bullets.push(...block.split('\n').map((line) => line.slice(2)));
    else sections.at(-1)!.paragraphs.push(block);
  }
  return { slug: name.replace(/\.md$/, ''), title, company, location, language: 'en', sections };
}

/** The offer as its author would write it, in Markdown: what the web side is compared with. */
export function offerMarkdown(offer: SiteOffer): string {
  return `${offerLines(offer).join('\n\n')}\n`;
}

/** Title, byline and sections as Markdown-ish blocks (the Markdown file and the PDF share them). */
function offerLines(offer: SiteOffer): string[] {
  return [
    `# ${offer.title}`,
    `${offer.company} · ${offer.location}`,
    ...offer.sections.map((s) => [`## ${s.heading}`, ...s.paragraphs, s.bullets.map((b) => `- ${b}`).join('\n')].filter(Boolean).join('\n\n')),
  ];
}

const escapeHtml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** The offer's sections as HTML (h2, p, ul), as page templates and ATS APIs carry them. */
export function sectionsHtml(offer: SiteOffer): string {
  return offer.sections
    .map((s) => `<h2>${escapeHtml(s.heading)}</h2>\n${s.paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`).join('\n')}${s.bullets.length > 0 ? `<ul>${s.bullets.map((b) => `<li>${escapeHtml(b)}</li>`).join('')}</ul>` : ''}`)
    .join('\n');
}

/** A single-page app: nothing server-rendered but the JSON-LD JobPosting. */
export function jsonLdPage(offer: SiteOffer): string {
  const posting = {
    '@context': 'https://schema.org',
    '@type': 'JobPosting',
    title: offer.title,
    hiringOrganization: { '@type': 'Organization', name: offer.company },
    jobLocation: { '@type': 'Place', address: { '@type': 'PostalAddress', addressLocality: offer.location } },
    description: sectionsHtml(offer),
  };
  return `<!doctype html><html lang="en"><head><title>${escapeHtml(offer.title)}</title>
<script type="application/ld+json">${JSON.stringify(posting).replace(/</g, '\\u003c')}</script></head>
<body><div id="app"></div><script src="/static/app.js"></script></body></html>`;
}

/** A server-rendered page in site chrome: navigation, cookie banner, similar jobs, footer. */
export function chromePage(offer: SiteOffer, similar: readonly SiteOffer[] = []): string {
  return `<!doctype html><html lang="en"><head><title>${escapeHtml(offer.title)} | Careers</title></head><body>
<nav><a href="/">Home</a> <a href="/jobs/">All jobs</a> <a href="/about">About us</a></nav>
<div class="cookie-banner"><p>We use cookies to improve your experience on our careers site.</p><button>Accept all</button></div>
<main><article>
<h1>${escapeHtml(offer.title)}</h1>
<p class="company">${escapeHtml(offer.company)}</p>
<p class="job-location">${escapeHtml(offer.location)}</p>
${sectionsHtml(offer)}
</article>
<section class="similar-jobs"><h2>Similar jobs</h2><ul>${similar.map((o) => `<li><a href="/jobs/${o.slug}">${escapeHtml(o.title)}</a></li>`).join('')}</ul></section>
</main>
<footer><p>© Careers site. Privacy policy. Terms of use. Follow us on social media.</p></footer>
</body></html>`;
}

/** The offer as a PDF, through the demo PDFs' renderer. */
export function offerPdf(offer: SiteOffer): Promise<Uint8Array> {
  return renderOfferPdf(offerLines(offer).join('\n\n'), offer.slug);
}

export function sitemap(urls: readonly string[]): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n${urls.map((u) => `  <url><loc>${escapeHtml(u)}</loc></url>`).join('\n')}\n</urlset>\n`;
}

export function sitemapIndex(urls: readonly string[]): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n${urls.map((u) => `  <sitemap><loc>${escapeHtml(u)}</loc></sitemap>`).join('\n')}\n</sitemapindex>\n`;
}

export interface Page {
  body: string | Uint8Array;
  type: string;
}

export type Handler = (request: IncomingMessage, response: ServerResponse) => void | Promise<void>;

export const serve = (page: Page): Handler => (_request, response) => {
  response.writeHead(200, { 'content-type': page.type });
  response.end(page.body);
};

export interface Site {
  origin: string;
  /** Paths asked for, in order (query strings included). */
  requests: string[];
  close(): Promise<void>;
}

/** Serves `routes` (path → handler; 404 otherwise) on `host` (a 127.0.0.0/8 address) and a free port. */
export async function startSite(routes: ReadonlyMap<string, Handler> | Record<string, Handler>, host = '127.0.0.1'): Promise<Site> {
  const table = routes instanceof Map ? routes : new Map(Object.entries(routes));
  const requests: string[] = [];
  const server = createServer((request, response) => {
    const path = request.url ?? '/';
    requests.push(path);
    const handler = table.get(path) ?? table.get(path.split('?')[0]!);
    if (!handler) {
      response.writeHead(404, { 'content-type': 'text/plain' });
      response.end('not found');
      return;
    }
    Promise.resolve(handler(request, response)).catch(() => response.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://${host}:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export interface JobSite {
  offers: SiteOffer[];
  /** What a crawler finds on the site, by path (`/sitemap.xml` is an index of two sitemaps). */
  routes: Map<string, Handler>;
  /** The same offers as local Markdown files: name → bytes. */
  files: Map<string, Uint8Array>;
}

/**
 * `count` offers, a third JSON-LD-only pages, a third plain pages in chrome, a third PDFs (half
 * at `/jobs/<slug>.pdf`, half at `/jobs/<slug>/download` served as application/octet-stream),
 * behind a sitemap index; and the same offers as Markdown files. Every other group of three is
 * French, so each way of serving has offers in both languages, under page templates that say
 * `lang="en"` whatever the offer's language (as a job board hosting both does), and JSON-LD
 * without `inLanguage`.
 */
export async function buildJobSite(count: number, seed: number | string, origin: () => string): Promise<JobSite> {
  const offers = Array.from({ length: count }, (_, i) => (Math.floor(i / 3) % 2 === 1 ? frenchSiteOffer(i, seed) : siteOffer(i, seed)));
  const routes = new Map<string, Handler>();
  const files = new Map<string, Uint8Array>();
  const paths: string[] = [];
  for (const [i, offer] of offers.entries()) {
    let path: string;
    let page: Page;
    if (i % 3 === 0) {
      path = `/jobs/${offer.slug}`;
      page = { body: jsonLdPage(offer), type: 'text/html; charset=utf-8' };
    } else if (i % 3 === 1) {
      path = `/jobs/${offer.slug}`;
      page = { body: chromePage(offer, offers.slice(i + 1, i + 4)), type: 'text/html; charset=utf-8' };
    } else {
      path = i % 2 === 0 ? `/jobs/${offer.slug}.pdf` : `/jobs/${offer.slug}/download`;
      page = { body: await offerPdf(offer), type: i % 2 === 0 ? 'application/pdf' : 'application/octet-stream' };
    }
    files.set(`${offer.slug}.md`, Buffer.from(offerMarkdown(offer)));
    routes.set(path, serve(page));
    paths.push(path);
  }
  const half = Math.ceil(paths.length / 2);
  const parts = [paths.slice(0, half), paths.slice(half)];
  parts.forEach((part, n) => {
    routes.set(`/sitemaps/jobs-${n + 1}.xml`, (_request, response) => {
      response.writeHead(200, { 'content-type': 'application/xml' });
      response.end(sitemap(part.map((p) => `${origin()}${p}`)));
    });
  });
  routes.set('/sitemap.xml', (_request, response) => {
    response.writeHead(200, { 'content-type': 'application/xml' });
    response.end(sitemapIndex(parts.map((_, n) => `${origin()}/sitemaps/jobs-${n + 1}.xml`)));
  });
  routes.set('/robots.txt', serve({ body: 'User-agent: *\nDisallow: /admin/\n', type: 'text/plain' }));
  return { offers, routes, files };
}
