/**
 * Markdown offers: Jekyll/Hugo files with YAML front matter, and the ATS export shape
 *   # [Title](apply-url)
 *   ### Company
 *   #### `💰 salary` `🌎 location`
 * Title precedence: ATS first line, front matter `title`, first `#` heading, the file name.
 */
import { basename, extname } from 'node:path';
import type { RawOffer } from '../../src/types.ts';
import { markdownInlineToText, markdownToLight } from './light-markdown.ts';
import { takeByline, type Byline } from './byline.ts';
import { rawOffer } from './raw-offer.ts';
import { stripTrailingRun } from '../text-edges.ts';

type FrontMatter = Record<string, string>;

const FRONT_MATTER = /^---[ \t]*\r?\n([\s\S]*?)\r?\n(?:---|\.\.\.)[ \t]*(?:\r?\n|$)/;

function unquote(value: string): string {
  const v = value.trim();
  if (v.length >= 2 && v.startsWith("'") && v.endsWith("'")) return v.slice(1, -1).replace(/''/g, "'");
  if (v.length >= 2 && v.startsWith('"') && v.endsWith('"')) {
    return v.slice(1, -1).replace(/\\(["\\])/g, '$1').replace(/\\n/g, '\n');
  }
  // (?<!\s): each run of blanks is tried once, not again from each of its blanks (quadratic).
  return v.replace(/(?<!\s)\s+#.*$/, '');
}

/**
 * The simple YAML offers use: `key: value` lines with optional quotes, and `>`/`|` block
 * scalars. Lists and nested maps are skipped: no field we read uses them.
 */
export function parseFrontMatter(yaml: string): FrontMatter {
  const fields: FrontMatter = {};
  const lines = yaml.split(/\r?\n/);
  let i = 0;
  while (i < lines.length) {
    const match = /^([A-Za-z_][\w-]*)\s*:\s*(.*)$/.exec(lines[i]!);
    i += 1;
    if (!match) continue;
    const key = match[1]!.toLowerCase();
    const value = match[2]!;
    if (/^[>|][-+]?\s*$/.test(value)) {
      const block: string[] = [];
      while (i < lines.length && (/^\s+\S/.test(lines[i]!) || !lines[i]!.trim())) block.push(lines[i++]!.trim());
      fields[key] = block.join(value.startsWith('>') ? ' ' : '\n').trim();
    } else if (value.trim()) {
      fields[key] = unquote(value);
    }
  }
  return fields;
}

function pick(fields: FrontMatter, ...keys: string[]): string | undefined {
  for (const key of keys) {
    const value = fields[key.toLowerCase()];
    if (value) return value;
  }
  return undefined;
}

interface AtsHeader {
  title: string;
  url: string;
  company?: string | undefined;
  location?: string | undefined;
  /** Lines consumed by the header. */
  length: number;
}

// Greedy, so a title holding brackets ("[[8AI] ML Engineer](url)") keeps them. The URL stops at a
// parenthesis: `[^)\s]+` rescanned the rest of the line from every "](" (quadratic).
const ATS_TITLE = /^#\s+\[(.+)\]\(([^()\s]+)\)\s*$/;

/** `#### \`💰 65k\` \`🌎 Remote, Spain\`` → "Remote, Spain": the segment with a place marker. */
function atsLocation(line: string): string | undefined {
  const segments = [...line.matchAll(/`([^`]*)`/g)].map((m) => m[1]!.trim());
  const candidates = segments.length > 0 ? segments : [line];
  const place =
    candidates.find((s) => /[🌎🌍🌏📍]/u.test(s)) ?? candidates.find((s) => !/[💰💵💶💷$€£]/u.test(s));
  const text = place?.replace(/[\p{Extended_Pictographic}\uFE0F]/gu, '').replace(/\s+/g, ' ').trim();
  return text || undefined;
}

function parseAtsHeader(lines: string[]): AtsHeader | undefined {
  const title = ATS_TITLE.exec(lines[0]?.trim() ?? '');
  if (!title) return undefined;
  const header: AtsHeader = { title: markdownInlineToText(title[1]!), url: title[2]!, length: 1 };
  const company = /^###\s+(.+)$/.exec(lines[1]?.trim() ?? '');
  if (!company) return header;
  const name = markdownInlineToText(company[1]!);
  // Exports write a missing company as the word "None".
  header.company = name && !/^(?:none|null|n\/a)$/i.test(name) ? name : undefined;
  header.length = 2;
  const location = /^####(?:\s+(.*))?$/.exec(lines[2]?.trim() ?? '');
  if (location) {
    header.location = location[1] ? atsLocation(location[1]) : undefined;
    header.length = 3;
  }
  return header;
}

/** "2019-09-10-senior-sre_remote.md" → "Senior sre remote". */
function titleFromFileName(source: string): string {
  const name = basename(source, extname(source))
    .replace(/^\d{4}-\d{2}-\d{2}[-_]?/, '')
    .replace(/[-_.]+/g, ' ')
    .trim();
  return name.charAt(0).toUpperCase() + name.slice(1);
}

function dateFromFileName(source: string): string | undefined {
  return /^(\d{4}-\d{2}-\d{2})[-_]/.exec(basename(source))?.[1];
}

export function parseMarkdown(text: string, source: string): RawOffer {
  const frontMatter = FRONT_MATTER.exec(text);
  const fields = frontMatter ? parseFrontMatter(frontMatter[1]!) : {};
  const allLines = (frontMatter ? text.slice(frontMatter[0].length) : text).split(/\r\n?|\n/);
  // Sliced once: shifting the leading blank lines off one by one was quadratic in their number.
  const firstLine = allLines.findIndex((line) => line.trim());
  let lines = firstLine === -1 ? [] : allLines.slice(firstLine);

  const ats = parseAtsHeader(lines);
  // beta.gouv.fr-style Jekyll posts name the position in `roles`.
  let title = ats?.title ?? pick(fields, 'title', 'roles', 'role');
  let byline: Byline | undefined;
  if (ats) {
    lines = lines.slice(ats.length);
  } else {
    // A leading H1 is the title, not part of the description.
    // Closing hashes stripped by hand: `(.+?)\s*#*\s*$` took cubic time on a run of blanks.
    const h1 = /^#\s+(.+)$/.exec(lines[0]?.trim() ?? '');
    if (h1) {
      title ??= markdownInlineToText(stripTrailingRun(h1[1]!, '#'));
      lines = lines.slice(1);
    }
    ({ byline, lines } = takeByline(lines));
  }

  return rawOffer({
    source,
    format: 'md',
    title: title || titleFromFileName(source),
    company: ats?.company ?? pick(fields, 'company', 'organization', 'startup', 'friend') ?? byline?.company,
    location: ats?.location ?? pick(fields, 'location', 'city') ?? byline?.location,
    url: ats?.url ?? pick(fields, 'externalURL', 'url', 'apply_url'),
    datePosted: pick(fields, 'date', 'datePosted') ?? dateFromFileName(source),
    validThrough: pick(fields, 'validThrough'),
    language: pick(fields, 'lang', 'language'),
    description: markdownToLight(lines.join('\n')),
  });
}
