import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { SourceError } from '../../src/errors.ts';
import { MAX_TEXT_BYTES, parseBytes, parseFile } from '../../ingest/parse/index.ts';
import { MAX_DESCRIPTION_CHARS } from '../../ingest/text-edges.ts';
import { seeded } from '../helpers/property.ts';

const utf8 = (text: string) => new TextEncoder().encode(text);
const formats = async (bytes: Uint8Array, hint?: { extension?: string; contentType?: string }) =>
  (await parseBytes(bytes, 'src', hint)).offers.map((o) => o.format);
const onlyProblem = async (bytes: Uint8Array, hint?: { extension?: string; contentType?: string }) => {
  const { offers, problems } = await parseBytes(bytes, 'src', hint);
  assert.equal(offers.length, 0);
  assert.equal(problems.length, 1);
  assert.ok(problems[0] instanceof SourceError);
  return problems[0]!.message;
};

async function tinyPdf(): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  doc.addPage().drawText('Network Engineer', { x: 50, y: 700, size: 12, font });
  doc.getPage(0).drawText('Build networks for libraries.', { x: 50, y: 680, size: 11, font });
  return doc.save();
}

const PAGE = '<!doctype html><html><body><main><h1>Role</h1><p>Page text.</p></main></body></html>';

describe('parseBytes', () => {
  it('dispatches on the extension, with or without a dot, in any case', async () => {
    assert.deepEqual(await formats(utf8('# T\n\nBody'), { extension: '.MD' }), ['md']);
    assert.deepEqual(await formats(utf8('# T\n\nBody'), { extension: 'markdown' }), ['md']);
    assert.deepEqual(await formats(utf8('Title\n\nBody'), { extension: '.txt' }), ['txt']);
    assert.deepEqual(await formats(utf8(PAGE), { extension: '.htm' }), ['html']);
    assert.deepEqual(await formats(utf8('[{"title":"T","description":"D"}]'), { extension: '.json' }), ['json']);
    assert.deepEqual(await formats(utf8('{"title":"T","description":"D"}'), { extension: '.jsonl' }), ['jsonl']);
    assert.deepEqual(await formats(utf8('title,description\nT,D'), { extension: '.csv' }), ['csv']);
    assert.deepEqual(await formats(await tinyPdf(), { extension: '.pdf' }), ['pdf']);
  });

  it('lets a specific content type win over the extension, but not text/plain', async () => {
    assert.deepEqual(await formats(utf8(PAGE), { contentType: 'text/html; charset=utf-8', extension: '.php' }), ['html']);
    assert.deepEqual(await formats(utf8('[{"title":"T","description":"D"}]'), { contentType: 'application/json' }), ['json']);
    assert.deepEqual(await formats(utf8('# T\n\nBody'), { contentType: 'text/plain', extension: '.md' }), ['md']);
  });

  it('sniffs the bytes when neither type nor extension helps', async () => {
    assert.deepEqual(await formats(await tinyPdf()), ['pdf']);
    assert.deepEqual(await formats(utf8(`\n  ${PAGE}`), { contentType: 'application/octet-stream' }), ['html']);
    assert.deepEqual(await formats(utf8('[{"title":"T","description":"D"}]')), ['json']);
    assert.deepEqual(await formats(utf8('{"title":"A","description":"D"}\n{"title":"B","description":"D"}')), ['jsonl', 'jsonl']);
    assert.deepEqual(await formats(utf8('---\ntitle: T\n---\nBody')), ['md']);
    assert.deepEqual(await formats(utf8('Just a title\n\nAnd a body.')), ['txt']);
  });

  it('reports an unsupported extension with the supported list', async () => {
    assert.equal(
      await onlyProblem(utf8('hello'), { extension: '.docx' }),
      'unsupported file type .docx (supported: .md .markdown .txt .html .htm .pdf .json .jsonl .csv)',
    );
  });

  it('turns decoding and parsing failures into problems', async () => {
    assert.equal(await onlyProblem(new Uint8Array(), { extension: '.md' }), 'empty file');
    assert.equal(await onlyProblem(new Uint8Array([1, 0, 2, 0]), { extension: '.txt' }), 'binary content, not text');
    assert.match(await onlyProblem(utf8('%PDF-1.4 nope'), { extension: '.pdf' }), /corrupt or invalid PDF/);
  });

  it('refuses text inputs over the size limit', async () => {
    const big = new Uint8Array(MAX_TEXT_BYTES + 1).fill(0x61);
    assert.match(await onlyProblem(big, { extension: '.txt' }), /^file too large: 20\.0 MB \(limit 20 MB\)$/);
  });

  it('caps each description, at a line break', async () => {
    const line = `${'word '.repeat(19)}word\n`; // 100 characters per line
    const text = `Title\n\n${line.repeat(3000)}`;
    const [offer] = (await parseBytes(utf8(text), 'big.txt', { extension: '.txt' })).offers;
    assert.ok(offer);
    assert.ok(offer.description.length <= MAX_DESCRIPTION_CHARS);
    assert.ok(offer.description.length > MAX_DESCRIPTION_CHARS * 0.9);
    assert.ok(offer.description.endsWith('word'));
  });
  it('only ever reports SourceErrors from the parsers themselves, whatever the bytes', async () => {
    const pieces = ['{', '}', '[', ']', '"', ',', '\n', '---', '#', '<p>', '<html>', '%PDF-', 'title', ':', 'a', '\u00e9', '\r'];
    await fc.assert(
      fc.asyncProperty(
        fc.string({ unit: fc.constantFrom(...pieces), maxLength: 40 }),
        fc.constantFrom(undefined, '.md', '.txt', '.html', '.json', '.jsonl', '.csv'),
        async (text, extension) => {
          const { problems } = await parseBytes(utf8(text), 'fuzz', { extension });
          for (const problem of problems) {
            assert.ok(problem instanceof SourceError);
            assert.doesNotMatch(problem.message, /unexpected parser failure/);
          }
        },
      ),
      seeded({ numRuns: 300 }),
    );
  });
});

describe('parseFile', () => {
  let dir = '';
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'offers-parse-'));
    await writeFile(join(dir, 'job.md'), '# Ops\n\nRun things.');
    await writeFile(join(dir, 'noext'), 'Ops person\n\nRun things.');
    await mkdir(join(dir, 'folder.md'));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it('reads a file and uses its path as the source', async () => {
    const { offers, problems } = await parseFile(join(dir, 'job.md'));
    assert.deepEqual(problems, []);
    assert.deepEqual(offers.map((o) => [o.source, o.title]), [[join(dir, 'job.md'), 'Ops']]);
    assert.equal((await parseFile(join(dir, 'noext'))).offers[0]?.format, 'txt');
  });

  it('reports I/O errors as problems', async () => {
    const missing = await parseFile(join(dir, 'gone.md'));
    assert.deepEqual(missing.problems.map((p) => [p.source, p.message]), [[join(dir, 'gone.md'), 'no such file or directory']]);
    const folder = await parseFile(join(dir, 'folder.md'));
    assert.match(folder.problems[0]?.message ?? '', /is a directory/);
  });
});
