/**
 * Regenerates the demo PDF offers (data/offers/*.pdf) from scripts/demo-pdf-sources/*.txt.
 *
 *   npx tsx scripts/make-demo-pdfs.ts
 *
 * Source markup, one construct per line: "# " the title (first line), "## " a heading, "- " a
 * bullet, a blank line between paragraphs; any other line continues the block above it.
 *
 * The output is committed, so it must be byte-for-byte reproducible: metadata dates and the
 * producer are pinned, otherwise pdf-lib stamps the current time and every run shows a diff.
 */
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PDFDocument, StandardFonts, rgb } from 'pdf-lib';
import type { PDFFont, PDFPage } from 'pdf-lib';
import { SourceError, describeError } from '../src/errors.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SOURCE_DIR = join(ROOT, 'scripts', 'demo-pdf-sources');
const OUTPUT_DIR = join(ROOT, 'data', 'offers');
const FIXED_DATE = new Date('2026-11-01T09:00:00Z');
const PRODUCER = 'offers scripts/make-demo-pdfs.ts';

type BlockKind = 'title' | 'heading' | 'paragraph' | 'bullet';
interface Block {
  kind: BlockKind;
  text: string;
}

const PAGE = { width: 595.28, height: 841.89, margin: 56 } as const;
const STYLE: Record<BlockKind, { size: number; bold: boolean; before: number }> = {
  title: { size: 18, bold: true, before: 0 },
  heading: { size: 12.5, bold: true, before: 14 },
  paragraph: { size: 10.5, bold: false, before: 7 },
  bullet: { size: 10.5, bold: false, before: 3 },
};
const LEADING = 1.35;
const BULLET = '\u2022 ';

/** Splits the source markup into blocks; the first block must be the title. */
function parseSource(text: string, source: string): Block[] {
  const blocks: Block[] = [];
  let current: Block | undefined;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '') {
      current = undefined;
      continue;
    }
    const marker = /^(#{1,2}|-) (.*)$/.exec(line);
    if (marker) {
      const kind: BlockKind = marker[1] === '#' ? 'title' : marker[1] === '##' ? 'heading' : 'bullet';
      current = { kind, text: marker[2] ?? '' };
      blocks.push(current);
      // A heading never swallows the next line: what follows it is a new paragraph.
      if (kind !== 'bullet') current = undefined;
    } else if (current) {
      current.text += ` ${line}`;
    } else {
      current = { kind: 'paragraph', text: line };
      blocks.push(current);
    }
  }
  if (blocks[0]?.kind !== 'title') throw new SourceError(source, 'the first line must be the title ("# Job title")');
  return blocks;
}

// Typographic characters the WinAnsi-encoded standard fonts lack, with a plain stand-in.
const REPLACEMENTS: Record<string, string> = {
  '\u2192': '->',
  '\u2190': '<-',
  '\u2264': '<=',
  '\u2265': '>=',
  '\u2248': '~',
  '\u2212': '-',
  '\u00a0': ' ',
  '\u202f': ' ',
  '\u2009': ' ',
  '\u2011': '-',
};

/** Maps `text` onto what the font can encode; fails loudly rather than printing a wrong glyph. */
function toEncodable(text: string, supported: ReadonlySet<number>, source: string): string {
  let out = '';
  for (const char of text) {
    const mapped = REPLACEMENTS[char] ?? char;
    for (const c of mapped) {
      if (!supported.has(c.codePointAt(0) ?? -1)) {
        throw new SourceError(source, `character "${c}" (U+${(c.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}) cannot be encoded in WinAnsi; add it to REPLACEMENTS or remove it`);
      }
    }
    out += mapped;
  }
  return out;
}

/** Greedy word wrap; a word wider than the line is cut so that nothing runs off the page. */
function wrapText(text: string, maxWidth: number, measure: (s: string) => number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    const candidate = line ? `${line} ${word}` : word;
    if (measure(candidate) <= maxWidth) {
      line = candidate;
      continue;
    }
    if (line) lines.push(line);
    line = word;
    while (measure(line) > maxWidth && line.length > 1) {
      let cut = line.length - 1;
      while (cut > 1 && measure(line.slice(0, cut)) > maxWidth) cut--;
      lines.push(line.slice(0, cut));
      line = line.slice(cut);
    }
  }
  if (line) lines.push(line);
  return lines;
}

interface Fonts {
  regular: PDFFont;
  bold: PDFFont;
}

/** Lays the blocks out top to bottom, opening a new page whenever the next line would not fit. */
function drawBlocks(doc: PDFDocument, blocks: readonly Block[], fonts: Fonts): void {
  const contentWidth = PAGE.width - 2 * PAGE.margin;
  let page: PDFPage = doc.addPage([PAGE.width, PAGE.height]);
  let y = PAGE.height - PAGE.margin;
  const newPage = (): void => {
    page = doc.addPage([PAGE.width, PAGE.height]);
    y = PAGE.height - PAGE.margin;
  };

  for (const block of blocks) {
    const style = STYLE[block.kind];
    const font = style.bold ? fonts.bold : fonts.regular;
    const lineHeight = style.size * LEADING;
    const measure = (s: string): number => font.widthOfTextAtSize(s, style.size);
    const indent = block.kind === 'bullet' ? measure(BULLET) : 0;
    const lines = wrapText(block.text, contentWidth - indent, measure);

    // Keep a heading with at least two lines of what follows it.
    const needed = block.kind === 'heading' ? lineHeight + 2 * STYLE.paragraph.size * LEADING : lineHeight;
    if (y - style.before - needed < PAGE.margin) newPage();
    else y -= style.before;

    lines.forEach((text, i) => {
      if (y - lineHeight < PAGE.margin) newPage();
      y -= lineHeight;
      const isFirstBulletLine = block.kind === 'bullet' && i === 0;
      page.drawText(isFirstBulletLine ? BULLET + text : text, {
        x: PAGE.margin + (isFirstBulletLine ? 0 : indent),
        y,
        size: style.size,
        font,
        color: rgb(0.1, 0.1, 0.1),
      });
    });
    if (block.kind === 'title') {
      y -= 6;
      page.drawLine({ start: { x: PAGE.margin, y }, end: { x: PAGE.width - PAGE.margin, y }, thickness: 0.75, color: rgb(0.6, 0.6, 0.6) });
    }
  }
}

/** Renders one source text into PDF bytes (also used by the web fixtures: test/helpers/job-site.ts). */
export async function renderOfferPdf(text: string, source: string): Promise<Uint8Array> {
  const doc = await PDFDocument.create({ updateMetadata: false });
  const fonts = { regular: await doc.embedFont(StandardFonts.Helvetica), bold: await doc.embedFont(StandardFonts.HelveticaBold) };
  const supported = new Set([...fonts.regular.getCharacterSet(), ...fonts.bold.getCharacterSet()]);
  const blocks = parseSource(text, source).map((b) => ({ ...b, text: toEncodable(b.text, supported, source) }));

  doc.setTitle(blocks[0]?.text ?? '');
  doc.setCreator(PRODUCER);
  doc.setProducer(PRODUCER);
  doc.setCreationDate(FIXED_DATE);
  doc.setModificationDate(FIXED_DATE);
  drawBlocks(doc, blocks, fonts);
  return doc.save();
}

async function main(): Promise<void> {
  const sources = (await readdir(SOURCE_DIR)).filter((f) => f.endsWith('.txt')).sort();
  if (sources.length === 0) throw new SourceError(SOURCE_DIR, 'no .txt sources found');
  for (const file of sources) {
    const sourcePath = join(SOURCE_DIR, file);
    const bytes = await renderOfferPdf(await readFile(sourcePath, 'utf8'), sourcePath);
    const outPath = join(OUTPUT_DIR, `${basename(file, '.txt')}.pdf`);
    await writeFile(outPath, bytes);
    process.stderr.write(`wrote ${outPath} (${bytes.length} bytes)\n`);
  }
}

// Run as a script only: importing renderOfferPdf must not regenerate the demo PDFs.
if (process.argv[1] && fileURLToPath(import.meta.url) === resolve(process.argv[1])) {
  main().catch((error: unknown) => {
    const where = SourceError.isInstance(error) ? `${error.source}: ` : '';
    process.stderr.write(`make-demo-pdfs: ${where}${describeError(error)}\n`);
    process.exit(1);
  });
}
