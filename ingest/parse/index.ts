/**
 * The parse stage: bytes (a file, or an HTTP body) → RawOffers. Picks the format from the
 * content type, then the extension, then the bytes themselves; enforces size limits; and turns
 * every failure into a SourceError problem so one bad source never stops a batch.
 */
import { extname } from 'node:path';
import { SourceError, describeError } from '../../src/errors.ts';
import type { RawOffer } from '../../src/types.ts';
import { parseDataset } from './dataset.ts';
import { decodeText } from './decode.ts';
import { parseHtml } from './html.ts';
import { parseMarkdown } from './markdown.ts';
import { parsePdf } from './pdf.ts';
import { parseText } from './text.ts';
import { readSourceFile, tooLarge } from '../read-file.ts';
import { capDescription } from '../text-edges.ts';

export interface ParseResult {
  offers: RawOffer[];
  problems: SourceError[];
}

export interface ParseHint {
  /** ".md" or "md"; case does not matter. */
  extension?: string | undefined;
  /** An HTTP Content-Type header, parameters allowed. */
  contentType?: string | undefined;
}

type Format = 'md' | 'txt' | 'html' | 'pdf' | 'json' | 'jsonl' | 'csv';

const EXTENSION_FORMATS: Record<string, Format> = {
  '.md': 'md',
  '.markdown': 'md',
  '.txt': 'txt',
  '.html': 'html',
  '.htm': 'html',
  '.pdf': 'pdf',
  '.json': 'json',
  '.jsonl': 'jsonl',
  '.csv': 'csv',
};

export const SUPPORTED_EXTENSIONS: readonly string[] = Object.keys(EXTENSION_FORMATS);

const CONTENT_TYPE_FORMATS: Record<string, Format> = {
  'text/html': 'html',
  'application/xhtml+xml': 'html',
  'application/pdf': 'pdf',
  'text/markdown': 'md',
  'text/x-markdown': 'md',
  'application/json': 'json',
  'application/ld+json': 'json',
  'application/jsonl': 'jsonl',
  'application/x-ndjson': 'jsonl',
  'application/x-jsonlines': 'jsonl',
  'text/csv': 'csv',
};

export const MAX_TEXT_BYTES = 20 * 1024 * 1024;
export const MAX_PDF_BYTES = 50 * 1024 * 1024;

function normaliseExtension(extension: string | undefined): string | undefined {
  if (!extension) return undefined;
  const lower = extension.toLowerCase();
  return lower.startsWith('.') ? lower : `.${lower}`;
}

/** text/plain and octet-stream say nothing useful: the extension or the bytes decide. */
function formatFromContentType(contentType: string | undefined): Format | undefined {
  const mime = contentType?.split(';')[0]?.trim().toLowerCase();
  return mime ? CONTENT_TYPE_FORMATS[mime] : undefined;
}

const startsWithPdfMagic = (bytes: Uint8Array) =>
  Buffer.from(bytes.subarray(0, 1024)).includes('%PDF-');

/** Format from the text itself, for sources with neither a useful type nor an extension. */
function sniffTextFormat(text: string): Format {
  const start = text.trimStart();
  if (/^<(?:!doctype\s+html|html|head|body|!--)/i.test(start) || /^<[a-z]/i.test(start)) return 'html';
  if (start.startsWith('[')) return 'json';
  if (start.startsWith('{')) {
    const lines = start.split(/\r?\n/).filter((line) => line.trim());
    try {
      JSON.parse(lines[0]!);
      return lines.length > 1 ? 'jsonl' : 'json';
    } catch {
      return 'json';
    }
  }
  if (/^(?:---\r?\n|#{1,6}\s)/.test(start)) return 'md';
  return 'txt';
}

function unsupported(source: string, extension: string): SourceError {
  return new SourceError(source, `unsupported file type ${extension} (supported: ${SUPPORTED_EXTENSIONS.join(' ')})`);
}

function capOffer(offer: RawOffer): RawOffer {
  return {
    ...offer,
    description: capDescription(offer.description),
    ...(offer.sections && { sections: offer.sections.map((section) => ({ ...section, text: capDescription(section.text) })) }),
  };
}

/** The largest file a format is read from. */
export function byteLimit(format: Format | undefined): number {
  // Without a known format the bytes decide, and they may be a PDF.
  return format === undefined || format === 'pdf' ? MAX_PDF_BYTES : MAX_TEXT_BYTES;
}

/** The byte limit for a file with this extension (PDFs are allowed more than text). */
export const byteLimitForExtension = (extension: string | undefined) => byteLimit(EXTENSION_FORMATS[normaliseExtension(extension) ?? '']);

/** Offers of a decoded text format, one at a time. */
function* textOffers(format: Exclude<Format, 'pdf'>, text: string, source: string): Generator<RawOffer | SourceError> {
  switch (format) {
    case 'md':
      yield parseMarkdown(text, source);
      return;
    case 'txt':
      yield parseText(text, source);
      return;
    case 'html':
      yield* parseHtml(text, source);
      return;
    case 'json':
    case 'jsonl':
    case 'csv':
      yield* parseDataset(text, source, format);
  }
}

function chooseFormat(bytes: Uint8Array, source: string, hint: ParseHint): Format {
  const fromType = formatFromContentType(hint.contentType);
  if (fromType) return fromType;
  const extension = normaliseExtension(hint.extension);
  if (extension) {
    const fromExtension = EXTENSION_FORMATS[extension];
    if (!fromExtension) throw unsupported(source, extension);
    return fromExtension;
  }
  if (startsWithPdfMagic(bytes)) return 'pdf';
  return sniffTextFormat(decodeText(bytes.subarray(0, Math.min(bytes.length, MAX_TEXT_BYTES)), source));
}

/** What a parse yields, one at a time: an offer, or a problem (with one record, or the whole source). */
export type ParsedItem = RawOffer | SourceError;

/**
 * The offers of one source as they are parsed, so that a consumer holds one at a time (a
 * dataset's offers are made as its rows are read). Never throws: every failure is a SourceError
 * item, after the offers before it, a parser bug included (one bad source never stops a batch).
 */
export async function* parseOffers(bytes: Uint8Array, source: string, hint: ParseHint = {}): AsyncGenerator<ParsedItem> {
  try {
    const format = chooseFormat(bytes, source, hint);
    if (bytes.length > byteLimit(format)) throw tooLarge(source, bytes.length, byteLimit(format));
    if (format === 'pdf') {
      yield capOffer(await parsePdf(bytes, source));
      return;
    }
    for (const item of textOffers(format, decodeText(bytes, source), source)) yield SourceError.isInstance(item) ? item : capOffer(item);
  } catch (error) {
    // The cause keeps the stack of a parser bug for debugging.
    yield SourceError.isInstance(error) ? error : new SourceError(source, `unexpected parser failure: ${describeError(error)}`, { cause: error });
  }
}

/** Every offer and problem of a source at once (tests, the evaluation, small inputs). */
export async function parseBytes(bytes: Uint8Array, source: string, hint: ParseHint = {}): Promise<ParseResult> {
  const result: ParseResult = { offers: [], problems: [] };
  for await (const item of parseOffers(bytes, source, hint)) {
    if (SourceError.isInstance(item)) result.problems.push(item);
    else result.offers.push(item);
  }
  return result;
}

export async function parseFile(path: string): Promise<ParseResult> {
  const extension = extname(path) || undefined;
  try {
    return await parseBytes(await readSourceFile(path, byteLimitForExtension(extension)), path, { extension });
  } catch (error) {
    if (!SourceError.isInstance(error)) throw error;
    return { offers: [], problems: [error] };
  }
}
