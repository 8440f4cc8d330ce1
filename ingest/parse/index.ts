/**
 * The parse stage: bytes (a file, or an HTTP body) → RawOffers. Picks the format from the
 * content type, then the extension, then the bytes themselves; enforces size limits; and turns
 * every failure into a SourceError problem so one bad source never stops a batch.
 */
import { readFile, stat } from 'node:fs/promises';
import { extname } from 'node:path';
import { SourceError, describeError } from '../../src/errors.ts';
import type { RawOffer } from '../../src/types.ts';
import { parseDataset } from './dataset.ts';
import { decodeText } from './decode.ts';
import { parseHtml } from './html.ts';
import { parseMarkdown } from './markdown.ts';
import { parsePdf } from './pdf.ts';
import { parseText } from './text.ts';

export interface ParseResult {
  offers: RawOffer[];
  problems: SourceError[];
}

export interface ParseHint {
  /** ".md" or "md"; case does not matter. */
  extension?: string;
  /** An HTTP Content-Type header, parameters allowed. */
  contentType?: string;
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
/** One offer's description (and each section) is cut here so a runaway record can't fill memory. */
export const MAX_DESCRIPTION_CHARS = 200_000;

const megabytes = (bytes: number) => `${Math.round(bytes / (1024 * 1024))} MB`;

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

function capLength(text: string): string {
  if (text.length <= MAX_DESCRIPTION_CHARS) return text;
  const cut = text.lastIndexOf('\n', MAX_DESCRIPTION_CHARS);
  // Cut at a line break when one is close, so the last line is whole.
  return text.slice(0, cut > MAX_DESCRIPTION_CHARS * 0.9 ? cut : MAX_DESCRIPTION_CHARS).trimEnd();
}

function capOffer(offer: RawOffer): RawOffer {
  return {
    ...offer,
    description: capLength(offer.description),
    ...(offer.sections && { sections: offer.sections.map((section) => ({ ...section, text: capLength(section.text) })) }),
  };
}

async function parseAs(format: Format, bytes: Uint8Array, source: string): Promise<ParseResult> {
  const limit = format === 'pdf' ? MAX_PDF_BYTES : MAX_TEXT_BYTES;
  if (bytes.length > limit) {
    throw new SourceError(source, `file too large: ${megabytes(bytes.length)} (limit for ${format} is ${megabytes(limit)})`);
  }
  if (format === 'pdf') return { offers: [await parsePdf(bytes, source)], problems: [] };
  const text = decodeText(bytes, source);
  switch (format) {
    case 'md':
      return { offers: [parseMarkdown(text, source)], problems: [] };
    case 'txt':
      return { offers: [parseText(text, source)], problems: [] };
    case 'html':
      return { offers: parseHtml(text, source), problems: [] };
    case 'json':
    case 'jsonl':
    case 'csv':
      return parseDataset(text, source, format);
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

export async function parseBytes(bytes: Uint8Array, source: string, hint: ParseHint = {}): Promise<ParseResult> {
  try {
    const result = await parseAs(chooseFormat(bytes, source, hint), bytes, source);
    return { offers: result.offers.map(capOffer), problems: result.problems };
  } catch (error) {
    if (error instanceof SourceError) return { offers: [], problems: [error] };
    // A parser bug must not sink the batch either; the cause keeps the stack for debugging.
    return { offers: [], problems: [new SourceError(source, `unexpected parser failure: ${describeError(error)}`, { cause: error })] };
  }
}

function fileError(path: string, error: unknown): SourceError {
  const code = (error as NodeJS.ErrnoException).code;
  const reason =
    code === 'ENOENT' ? 'no such file or directory'
    : code === 'EISDIR' ? 'is a directory, not a file'
    : code === 'EACCES' || code === 'EPERM' ? 'permission denied'
    : `could not read file: ${describeError(error)}`;
  return new SourceError(path, reason, { cause: error });
}

/**
 * For readers of files: checked on the size before reading, so a huge file is never loaded into
 * memory (parseBytes's per-format limit follows once it is read).
 */
export function fileSizeProblem(path: string, size: number): SourceError | undefined {
  return size > MAX_PDF_BYTES ? new SourceError(path, `file too large: ${megabytes(size)} (limit ${megabytes(MAX_PDF_BYTES)})`) : undefined;
}

export async function parseFile(path: string): Promise<ParseResult> {
  let bytes: Uint8Array;
  try {
    const info = await stat(path);
    if (info.isDirectory()) throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
    const tooLarge = fileSizeProblem(path, info.size);
    if (tooLarge) return { offers: [], problems: [tooLarge] };
    bytes = await readFile(path);
  } catch (error) {
    return { offers: [], problems: [fileError(path, error)] };
  }
  return parseBytes(bytes, path, { extension: extname(path) || undefined });
}
