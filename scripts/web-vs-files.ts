/**
 * The web path against the file path: `count` generated offers in English and French (a third
 * JSON-LD-only pages, a third plain pages in site chrome, a third PDFs, half of them without .pdf
 * in the URL, all under a template saying `lang="en"`) served from 127.0.0.1 behind a sitemap
 * index, ingested once through the sitemap and once as the Markdown files their authors would
 * write, each into its own temporary data dir (`offers ingest` then `offers export`, called in
 * process over that dir's embedded Chroma server); the two exports must hold the same offers,
 * languages, roles and sections, and the two indexes as many chunks. Then the crawl alone is
 * timed under the politeness defaults (or --rate).
 *
 *   npx tsx scripts/web-vs-files.ts [--count 150] [--seed 1] [--rate N]
 *
 * Both the web ingest and the timed crawl run under the politeness defaults (2 requests per
 * second per host, 2 in flight) unless --rate says otherwise.
 *
 * Prints one JSON object; exits 1 when the two sides differ.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { WebSession } from '../ingest/fetch/web-session.ts';
import { expandWebSources } from '../ingest/sources/web.ts';
import { exportOffers } from '../src/commands/export.ts';
import { ingest } from '../src/commands/ingest.ts';
import { scratchDir } from '../test/helpers/cli.ts';
import { embeddedStore, runCommand } from '../test/helpers/in-process.ts';
import { buildJobSite, startSite } from '../test/helpers/job-site.ts';

interface ExportedOffer {
  status?: string;
  language: string;
  role: string;
  title: string;
  company: string;
  location?: string;
  source: string;
  sections: Array<{ kind: string; text: string }>;
  text: string;
}

export interface Comparison {
  files: number;
  web: number;
  /** Offers found on both sides (matched by their generated slug). */
  matched: number;
  sameLanguage: number;
  sameRole: number;
  sameTitleAndCompany: number;
  sameSections: number;
  sameText: number;
  /**
   * Offers with the same status on both sides (active, or duplicate of another). Informational:
   * which copy of a near-duplicate pair stays active can depend on the offer ids, and those derive
   * from the source (a path on one side, a URL on the other).
   */
  sameStatus: number;
  differences: string[];
}

const slugOf = (source: string) => /offer-(?:fr-)?\d+/.exec(source)?.[0];

/** Pure: two `offers export` outputs, matched by slug, compared field by field. */
export function compareExports(filesExport: string, webExport: string): Comparison {
  const parse = (text: string) => new Map(text.split('\n').filter(Boolean).map((line) => JSON.parse(line) as ExportedOffer).map((o) => [slugOf(o.source) ?? o.source, o]));
  const files = parse(filesExport);
  const web = parse(webExport);
  const result: Comparison = { files: files.size, web: web.size, matched: 0, sameLanguage: 0, sameRole: 0, sameTitleAndCompany: 0, sameSections: 0, sameText: 0, sameStatus: 0, differences: [] };
  for (const [slug, fromFile] of files) {
    const fromWeb = web.get(slug);
    if (!fromWeb) {
      result.differences.push(`${slug}: missing from the web side`);
      continue;
    }
    result.matched++;
    if (fromFile.status === fromWeb.status) result.sameStatus++;
    const checks: Array<[keyof Comparison & `same${string}`, boolean, string]> = [
      ['sameLanguage', fromFile.language === fromWeb.language, `language ${fromFile.language} vs ${fromWeb.language}`],
      ['sameRole', fromFile.role === fromWeb.role, `role ${fromFile.role} vs ${fromWeb.role}`],
      ['sameTitleAndCompany', fromFile.title === fromWeb.title && fromFile.company === fromWeb.company, `title/company "${fromFile.title}/${fromFile.company}" vs "${fromWeb.title}/${fromWeb.company}"`],
      ['sameSections', JSON.stringify(fromFile.sections) === JSON.stringify(fromWeb.sections), 'sections differ'],
      ['sameText', fromFile.text === fromWeb.text, 'text differs'],
    ];
    for (const [key, same, what] of checks) {
      if (same) result[key]++;
      else result.differences.push(`${slug}: ${what}`);
    }
  }
  for (const slug of web.keys()) if (!files.has(slug)) result.differences.push(`${slug}: only on the web side`);
  return result;
}

export interface WebVsFilesOptions {
  count: number;
  seed: number | string;
  /** Requests per second per host for the timed crawl (default: the politeness default). */
  rate?: number;
  /** `--rate` of the web ingest run (default: the politeness default). */
  ingestRate?: number;
}

export async function runWebVsFiles(options: WebVsFilesOptions) {
  let origin = '';
  const site = await buildJobSite(options.count, options.seed, () => origin);
  const server = await startSite(site.routes);
  origin = server.origin;
  const scratch = await scratchDir('offers-web-vs-files-');
  try {
    const offersDir = path.join(scratch.dir, 'offers');
    await mkdir(offersDir);
    for (const [name, bytes] of site.files) await writeFile(path.join(offersDir, name), bytes);

    // The commands in process: what is compared is their output, not the process around them,
    // and one server start per side serves both commands (a CLI run would start one each).
    const side = async (name: string, sources: string[], web: { rate?: number } = {}) => {
      const dataDir = path.join(scratch.dir, name);
      await mkdir(dataDir);
      const { store, close } = await embeddedStore(dataDir);
      try {
        const ingested = await runCommand(ingest, { dataDir, store, sources, web, json: true });
        if (ingested.code !== 0) throw new Error(`ingest (${name}) exited ${ingested.code}: ${ingested.stderr}`);
        // Duplicates included: every offer of each side is compared, whichever copy stayed active.
        const exported = await runCommand(exportOffers, { dataDir, store, includeRemoved: true });
        return { summary: JSON.parse(ingested.stdout) as { offers: number; chunks: number; seconds: number; web?: unknown }, exported: exported.stdout };
      } finally {
        await close();
      }
    };
    const files = await side('files', [offersDir]);
    const web = await side('web', [`${origin}/sitemap.xml`], options.ingestRate ? { rate: options.ingestRate } : {});
    const comparison = compareExports(files.exported, web.exported);

    // The crawl alone (sitemaps, robots.txt, every page), under the politeness defaults.
    const session = WebSession.open(path.join(scratch.dir, 'timed'), options.rate ? { rate: options.rate } : {});
    const started = performance.now();
    try {
      const { items, problems } = await expandWebSources([`${origin}/sitemap.xml`], session);
      for (const item of items) await item.load();
      const seconds = (performance.now() - started) / 1000;
      const stats = session.stats;
      return {
        count: options.count,
        comparison,
        ingest: { filesSeconds: files.summary.seconds, webSeconds: web.summary.seconds, filesChunks: files.summary.chunks, webChunks: web.summary.chunks, web: web.summary.web },
        crawl: { rate: options.rate ?? 'default (2/s per host, 2 in flight)', pages: items.length, problems: problems.length, requests: stats.requests, fetched: stats.fetched, seconds: Number(seconds.toFixed(2)), pagesPerSecond: Number((items.length / seconds).toFixed(2)) },
      };
    } finally {
      session.close();
    }
  } finally {
    await server.close();
    await scratch.cleanup();
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { count: { type: 'string', default: '150' }, seed: { type: 'string', default: '1' }, rate: { type: 'string' } } });
  const rate = values.rate ? { rate: Number(values.rate), ingestRate: Number(values.rate) } : {};
  const report = await runWebVsFiles({ count: Number(values.count), seed: values.seed, ...rate });
  process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  const c = report.comparison;
  const same = c.differences.length === 0 && c.matched === c.files && c.files === c.web && report.ingest.filesChunks === report.ingest.webChunks;
  process.exitCode = same ? 0 : 1;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) await main();
