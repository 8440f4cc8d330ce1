/**
 * Bytes → text for every text format. Job offers arrive from Windows exports, old CMSs and
 * scrapers, so the byte order mark decides first, then strict UTF-8, then windows-1252 (a superset
 * of Latin-1 that also maps the "smart quotes" range 0x80–0x9F), which never fails.
 */
import { SourceError } from '../../src/errors.ts';

/** How much of the file the binary check looks at. */
const SNIFF_BYTES = 8192;
/** Above this share of control characters the bytes are not text. */
const MAX_CONTROL_SHARE = 0.1;

/**
 * windows-1252's 0x80–0x9F block (curly quotes, dashes, €, …). Node 20's TextDecoder accepts the
 * 'windows-1252' label but decodes it as ISO-8859-1, leaving C1 control characters there.
 * Undefined positions (0x81, 0x8D, 0x8F, 0x90, 0x9D) stay as they are.
 */
const CP1252_C1 =
  '\u20AC\u0081\u201A\u0192\u201E\u2026\u2020\u2021\u02C6\u2030\u0160\u2039\u0152\u008D\u017D\u008F' +
  '\u0090\u2018\u2019\u201C\u201D\u2022\u2013\u2014\u02DC\u2122\u0161\u203A\u0153\u009D\u017E\u0178';

function decodeWindows1252(bytes: Uint8Array): string {
  return new TextDecoder('latin1').decode(bytes).replace(/[\u0080-\u009F]/g, (ch) => CP1252_C1[ch.charCodeAt(0) - 0x80]!);
}

function bomEncoding(bytes: Uint8Array): 'utf-8' | 'utf-16le' | 'utf-16be' | undefined {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return 'utf-8';
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return 'utf-16le';
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return 'utf-16be';
  return undefined;
}

function looksBinary(bytes: Uint8Array): boolean {
  const sample = bytes.subarray(0, SNIFF_BYTES);
  let control = 0;
  for (const byte of sample) {
    if (byte === 0) return true;
    // Tab, line feed, form feed and carriage return are ordinary in text.
    if (byte < 0x20 && byte !== 0x09 && byte !== 0x0a && byte !== 0x0c && byte !== 0x0d) control += 1;
  }
  return sample.length > 0 && control / sample.length > MAX_CONTROL_SHARE;
}

export function decodeText(bytes: Uint8Array, source: string): string {
  const bom = bomEncoding(bytes);
  let text: string;
  if (bom) {
    // TextDecoder drops the BOM itself.
    text = new TextDecoder(bom).decode(bytes);
  } else {
    if (looksBinary(bytes)) throw new SourceError(source, 'binary content, not text');
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch {
      text = decodeWindows1252(bytes);
    }
  }
  if (!text.trim()) throw new SourceError(source, 'empty file');
  return text;
}
