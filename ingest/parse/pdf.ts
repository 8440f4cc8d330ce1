/**
 * PDF offers with pdf-parse. PDF text is only positioned lines: no paragraphs, no headings, words
 * hyphenated at line ends. `pdfTextToMarkdown` rebuilds the light-markdown structure from line
 * shapes (bullet glyphs, short stand-alone lines, sentence ends) before the shared rendering.
 */
import { SourceError, describeError } from '../../src/errors.ts';
import type { RawOffer } from '../../src/types.ts';
import { BULLET_GLYPHS } from '../../src/util/bullets.ts';
import { MAX_CONVERTED_CHARS, plainTextToLight } from './light-markdown.ts';
import { takeByline } from './byline.ts';
import { extractPdfText } from './pdf-thread.ts';
import { rawOffer } from './raw-offer.ts';

export interface PdfOptions {
  /** Only the first pages are read (default 50): an offer is a few pages, a 900-page PDF is not. */
  maxPages?: number;
  /** Give up after this long (default 20 s): a hard limit, the worker thread is terminated. */
  timeoutMs?: number;
}

const DEFAULT_MAX_PAGES = 50;
const DEFAULT_TIMEOUT_MS = 20_000;
const MAX_TITLE_CHARS = 120;

/**
 * A PDF's item marker, whose following space text extraction often loses ("•Item"); "+" only
 * before a space, since "+33 1 …" opens a phone number.
 */
const BULLET = new RegExp(`^(?:[${BULLET_GLYPHS.replace('+', '')}]\\s*|\\+\\s+)(?=\\S)`, 'u');
const SENTENCE_END = /[.!?:;]$/;

/**
 * PDF text comes as lines wrapped at the page width. A line well short of that width ended its
 * paragraph (or is a heading), even without punctuation: that is the only layout signal left.
 */
function typicalWidth(lines: readonly string[]): number {
  const lengths = lines.filter((line) => line.length > 0).map((line) => line.length).sort((a, b) => a - b);
  return lengths[Math.floor(lengths.length * 0.9)] ?? 80;
}

function isHeadingLike(line: string, previous: string | undefined, next: string | undefined, endsShort: (line: string) => boolean): boolean {
  if (line.length > 60 || line.split(/\s+/).length > 8 || BULLET.test(line) || /[.,;]$/.test(line)) return false;
  if (!/^\p{Lu}/u.test(line)) return false;
  const letters = line.replace(/[^\p{L}]/gu, '');
  if (letters.length >= 3 && letters === letters.toUpperCase()) return true;
  if (line.endsWith(':')) return true;
  // A short title-like line between a finished sentence and a new one: "What you will do".
  const standsAlone = previous === undefined || SENTENCE_END.test(previous) || BULLET.test(previous) || endsShort(previous);
  const nextStartsFresh = next !== undefined && (/^\p{Lu}/u.test(next) || BULLET.test(next));
  // Not a byline under the title ("Acme · Remote (Europe)"): separators and commas are not headings'.
  return standsAlone && nextStartsFresh && line.split(/\s+/).length <= 6 && !/[,|–—·-]/.test(line);
}

/** Raw PDF text → markdown-ish text with `## ` headings, `- ` items and reflowed paragraphs. */
export function pdfTextToMarkdown(text: string): string {
  const lines = text
    .replace(/\r\n?/g, '\n')
    .replace(/[\t\f]+/g, ' ')
    // "Kuber-\nnetes" → "Kubernetes"; "Senior-\nLevel" keeps its hyphen.
    .replace(/(\p{L})-\n\s*(\p{Ll})/gu, '$1$2')
    .split('\n')
    .map((line) => line.replace(/\s+/g, ' ').trim());

  const width = typicalWidth(lines);
  // A line cut after a hyphen ("Mid-") always goes on, however short.
  const endsShort = (line: string) => line.length < width * 0.7 && !/\p{L}-$/u.test(line);
  // The next non-empty line after each one, found in one backward pass (searching forward from
  // every line was quadratic in a page of blank lines).
  const nextLines: Array<string | undefined> = [];
  for (let i = lines.length - 1, next: string | undefined; i >= 0; i -= 1) {
    nextLines[i] = next;
    if (lines[i]) next = lines[i];
  }
  const out: string[] = [];
  let previous: string | undefined;
  lines.forEach((line, index) => {
    if (!line) {
      out.push('');
      previous = undefined;
      return;
    }
    const next = nextLines[index];
    const last = out.length - 1;
    if (BULLET.test(line)) {
      out.push(`- ${line.replace(BULLET, '')}`);
    } else if (isHeadingLike(line, previous, next, endsShort)) {
      out.push('', `## ${line}`, '');
    } else if (previous !== undefined && out[last] && !out[last]!.startsWith('## ') &&
      ((!SENTENCE_END.test(previous) && !(endsShort(previous) && /^\p{Lu}/u.test(line))) || /^\p{Ll}/u.test(line))) {
      // A wrapped line continues the paragraph or item above ("Mid-" + "Level" stays one word).
      out[last] += /\p{L}-$/u.test(previous) ? line : ` ${line}`;
    } else {
      out.push(line);
    }
    previous = line;
  });
  return out.join('\n');
}

function meaningfulTitle(title: unknown): string | undefined {
  if (typeof title !== 'string') return undefined;
  const text = title.replace(/^Microsoft Word - /i, '').trim();
  if (!text || /^untitled/i.test(text) || /\.(?:docx?|pdf|odt|pages|rtf)$/i.test(text)) return undefined;
  return text;
}

function classifyPdfError(error: unknown, source: string): SourceError {
  if (SourceError.isInstance(error)) return error;
  const name = error instanceof Error ? error.name : '';
  if (name === 'PasswordException') return new SourceError(source, 'encrypted PDF (password protected)', { cause: error });
  if (name === 'InvalidPDFException' || name === 'FormatError') {
    return new SourceError(source, 'corrupt or invalid PDF', { cause: error });
  }
  return new SourceError(source, `could not read PDF: ${describeError(error)}`, { cause: error });
}

export async function parsePdf(bytes: Uint8Array, source: string, options: PdfOptions = {}): Promise<RawOffer> {
  const maxPages = options.maxPages ?? DEFAULT_MAX_PAGES;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  try {
    const { title: infoTitle, language, text } = await extractPdfText(bytes, source, { maxPages, timeoutMs, maxChars: MAX_CONVERTED_CHARS });
    const body = pdfTextToMarkdown(text);
    if (!body.trim()) throw new SourceError(source, 'PDF has no extractable text (a scanned image?)');

    const lines = body.split('\n');
    const firstIndex = lines.findIndex((line) => line.trim());
    const firstLine = lines[firstIndex]!.replace(/^##\s+/, '').trim();
    const title = meaningfulTitle(infoTitle) ?? (firstLine.length < MAX_TITLE_CHARS ? firstLine : undefined);
    // The title printed at the top of the first page is not description.
    if (title && firstLine === title) lines.splice(firstIndex, 1);
    const { byline, lines: rest } = takeByline(lines.slice(firstIndex));

    return rawOffer({
      source,
      format: 'pdf',
      title,
      company: byline?.company,
      location: byline?.location,
      language,
      description: plainTextToLight(rest.join('\n')),
    });
  } catch (error) {
    throw classifyPdfError(error, source);
  }
}
