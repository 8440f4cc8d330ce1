import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { SourceError } from '../../src/errors.ts';
import { parsePdf, pdfTextToMarkdown } from '../../ingest/parse/pdf.ts';

type Line = { text: string; bold?: boolean; size?: number; gapBefore?: number };

/** A PDF with one page per entry of `pages`, each line drawn where a word processor would. */
async function makePdf(pages: Line[][], options: { title?: string; useObjectStreams?: boolean } = {}): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const regular = await doc.embedFont(StandardFonts.Helvetica);
  const bold = await doc.embedFont(StandardFonts.HelveticaBold);
  for (const lines of pages) {
    const page = doc.addPage([595, 842]);
    let y = 790;
    for (const line of lines) {
      const size = line.size ?? 11;
      y -= line.gapBefore ?? 0;
      page.drawText(line.text, { x: 50, y, size, font: line.bold ? bold : regular });
      y -= size + 6;
    }
  }
  if (options.title) doc.setTitle(options.title);
  return doc.save({ useObjectStreams: options.useObjectStreams ?? true });
}

const OFFER_PAGE: Line[] = [
  { text: 'Infrastructure Engineer', bold: true, size: 18 },
  { text: 'Saltmarsh Robotics builds small robots that inspect sea walls.', gapBefore: 8 },
  { text: 'What you will do', bold: true, size: 14, gapBefore: 10 },
  { text: '• Keep the fleet telemetry pipeline running and make the Kuber-' },
  { text: 'netes clusters boring.' },
  { text: '• Review alerts with the field team.' },
  { text: 'REQUIREMENTS', bold: true, size: 14, gapBefore: 10 },
  { text: '– Linux and networking fundamentals' },
  { text: '– Calm during incidents' },
];

async function assertSourceError(work: Promise<unknown>, message: RegExp): Promise<void> {
  await assert.rejects(work, (error: unknown) => {
    assert.ok(error instanceof SourceError, String(error));
    assert.equal(error.source, 'offer.pdf');
    assert.match(error.message, message);
    return true;
  });
}

describe('parsePdf', () => {
  it('extracts title, headings and bullets in the light-markdown convention', async () => {
    const offer = await parsePdf(await makePdf([OFFER_PAGE]), 'offer.pdf');
    assert.equal(offer.format, 'pdf');
    assert.equal(offer.title, 'Infrastructure Engineer');
    assert.equal(
      offer.description,
      'Saltmarsh Robotics builds small robots that inspect sea walls.\n\n' +
        '## What you will do\n\n' +
        '- Keep the fleet telemetry pipeline running and make the Kubernetes clusters boring.\n' +
        '- Review alerts with the field team.\n\n' +
        '## REQUIREMENTS\n\n' +
        '- Linux and networking fundamentals\n' +
        '- Calm during incidents',
    );
  });

  it('prefers a meaningful document title from the metadata', async () => {
    const pdf = await makePdf([[{ text: 'Some header line' }, { text: 'Body text of the offer.' }]], { title: 'Backend Engineer' });
    assert.equal((await parsePdf(pdf, 'offer.pdf')).title, 'Backend Engineer');
    const untitled = await makePdf([[{ text: 'Site Reliability Engineer' }, { text: 'Body text.' }]], { title: 'offer-v3.docx' });
    assert.equal((await parsePdf(untitled, 'offer.pdf')).title, 'Site Reliability Engineer');
  });

  it('reads only the first maxPages pages', async () => {
    const pdf = await makePdf([[{ text: 'Page one words.' }], [{ text: 'Page two words.' }], [{ text: 'Page three words.' }]]);
    const offer = await parsePdf(pdf, 'offer.pdf', { maxPages: 2 });
    assert.match(`${offer.title}\n${offer.description}`, /Page two/);
    assert.doesNotMatch(offer.description, /Page three/);
  });

  it('rejects corrupt, empty and encrypted PDFs with a clear reason', async () => {
    await assertSourceError(parsePdf(new TextEncoder().encode('%PDF-1.7\nthis is not really a pdf'), 'offer.pdf'), /corrupt or invalid PDF/);
    await assertSourceError(parsePdf(await makePdf([[]]), 'offer.pdf'), /no extractable text/);

    // A standard security handler whose user password is not empty.
    const plain = Buffer.from(await makePdf([[{ text: 'Secret offer' }]], { useObjectStreams: false })).toString('latin1');
    const key = 'ab'.repeat(32);
    const encrypted = plain.replace(
      /trailer\s*<</,
      `trailer\n<<\n/Encrypt << /Filter /Standard /V 1 /R 2 /O <${key}> /U <${key}> /P -4 >>\n/ID [<${'01'.repeat(16)}> <${'01'.repeat(16)}>]\n`,
    );
    assert.notEqual(encrypted, plain);
    await assertSourceError(parsePdf(Buffer.from(encrypted, 'latin1'), 'offer.pdf'), /encrypted PDF/);
  });

  it('gives up after timeoutMs', async () => {
    const pdf = await makePdf(Array.from({ length: 30 }, () => OFFER_PAGE));
    await assertSourceError(parsePdf(pdf, 'offer.pdf', { timeoutMs: 1 }), /timed out/);
  });
});

describe('pdfTextToMarkdown', () => {
  it('joins wrapped lines and hyphenated words, keeping sentence-ended lines apart', () => {
    assert.equal(
      pdfTextToMarkdown('We run a distri-\nbuted system for\nlibraries.\nSecond sentence here.'),
      'We run a distributed system for libraries.\nSecond sentence here.',
    );
  });

  it('keeps a capitalised hyphenated compound and treats bullet glyphs as items', () => {
    assert.equal(pdfTextToMarkdown('Mid-\nLevel role.\n▪ one\n● two'), 'Mid-Level role.\n- one\n- two');
  });

  it('puts short title-like lines on their own as headings', () => {
    assert.equal(
      pdfTextToMarkdown('Intro sentence.\nAbout the team\nWe are six people.\nBenefits:\n- Lunch'),
      'Intro sentence.\n\n## About the team\n\nWe are six people.\n\n## Benefits:\n\n- Lunch',
    );
  });
});
