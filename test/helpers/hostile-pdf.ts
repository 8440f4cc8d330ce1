import { constants, createDeflate } from 'node:zlib';

/**
 * Hand-built PDFs for the hostile-input tests: pdf-lib can't write a broken or booby-trapped file,
 * and compressing a huge stream through it would take the test's own memory.
 */

export interface RawPage {
  /** The page's content stream, already encoded with `filter` when one is given. */
  content: Uint8Array;
  filter?: string;
}

/** A PDF of the given pages (Helvetica as /F1), with a correct cross-reference table. */
export function handMadePdf(pages: readonly RawPage[]): Uint8Array {
  const fontId = 3;
  const pageId = (i: number) => 4 + 2 * i;
  const bodies: Array<string | RawPage> = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    `<< /Type /Pages /Kids [${pages.map((_, i) => `${pageId(i)} 0 R`).join(' ')}] /Count ${pages.length} >>`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  pages.forEach((page, i) => {
    bodies.push(`<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 ${fontId} 0 R >> >> /Contents ${pageId(i) + 1} 0 R >>`, page);
  });
  const parts: Buffer[] = [];
  const offsets: number[] = [];
  let length = 0;
  const push = (part: Buffer | Uint8Array) => {
    parts.push(Buffer.from(part));
    length += part.length;
  };
  push(Buffer.from('%PDF-1.7\n'));
  bodies.forEach((body, i) => {
    offsets.push(length);
    if (typeof body === 'string') {
      push(Buffer.from(`${i + 1} 0 obj\n${body}\nendobj\n`));
      return;
    }
    push(Buffer.from(`${i + 1} 0 obj\n<< /Length ${body.content.length}${body.filter ? ` /Filter /${body.filter}` : ''} >>\nstream\n`));
    push(body.content);
    push(Buffer.from('\nendstream\nendobj\n'));
  });
  const xref = length;
  const entries = offsets.map((offset) => `${String(offset).padStart(10, '0')} 00000 n \n`).join('');
  push(Buffer.from(`xref\n0 ${bodies.length + 1}\n0000000000 65535 f \n${entries}trailer\n<< /Size ${bodies.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`));
  return Buffer.concat(parts);
}

/** A page drawing each line of `lines` in Helvetica, top to bottom. */
export function textPage(lines: readonly string[]): RawPage {
  const shown = lines.map((line) => `(${line.replace(/[\\()]/g, '\\$&')}) Tj 0 -14 Td`).join(' ');
  return { content: Buffer.from(`BT /F1 11 Tf 50 780 Td ${shown} ET`) };
}

/**
 * A PDF of about 1 MB whose content stream inflates to `inflated` bytes of blanks: no text and no
 * heap objects, only pdf.js's buffer of the inflated stream, which no heap limit covers.
 */
export async function blankStreamBomb(inflated = 2 ** 30): Promise<Uint8Array> {
  // A run of one byte: zlib's run-length strategy makes the same 1 MB stream in a sixth of the
  // time the default's match search takes (3.3 s → 0.5 s for 1 GiB).
  return handMadePdf([{ content: await deflateRepeated(' ', inflated, constants.Z_RLE), filter: 'FlateDecode' }]);
}

/** `chunk` repeated `times`, deflated as it is produced: a small file that inflates to chunk × times. */
export async function deflateRepeated(chunk: string, times: number, strategy: number = constants.Z_DEFAULT_STRATEGY): Promise<Uint8Array> {
  const deflate = createDeflate({ level: 9, strategy });
  const out: Buffer[] = [];
  deflate.on('data', (data: Buffer) => out.push(data));
  const done = new Promise((resolve, reject) => deflate.on('end', resolve).on('error', reject));
  const block = Buffer.from(chunk.repeat(Math.max(1, Math.floor((1 << 20) / chunk.length))));
  const repeatsPerBlock = block.length / chunk.length;
  for (let written = 0; written < times; written += repeatsPerBlock) {
    if (!deflate.write(block)) await new Promise((resolve) => deflate.once('drain', resolve));
  }
  deflate.end();
  await done;
  return Buffer.concat(out);
}
