import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SourceError } from '../../src/errors.ts';
import { decodeText } from '../../ingest/parse/decode.ts';

const bytes = (...values: number[]) => new Uint8Array(values);
const utf16le = (text: string) => new Uint8Array([0xff, 0xfe, ...Buffer.from(text, 'utf16le')]);
const utf16be = (text: string) => new Uint8Array([0xfe, 0xff, ...Buffer.from(text, 'utf16le').swap16()]);

function assertSourceError(run: () => unknown, message: RegExp): void {
  assert.throws(run, (error: unknown) => {
    assert.ok(error instanceof SourceError);
    assert.equal(error.source, 'offer.txt');
    assert.match(error.message, message);
    return true;
  });
}

describe('decodeText', () => {
  it('decodes UTF-8 and drops its byte order mark', () => {
    assert.equal(decodeText(new TextEncoder().encode('Ingénieur'), 'offer.txt'), 'Ingénieur');
    assert.equal(decodeText(bytes(0xef, 0xbb, 0xbf, ...new TextEncoder().encode('Café')), 'offer.txt'), 'Café');
  });

  it('decodes UTF-16 in both byte orders when a BOM says so', () => {
    assert.equal(decodeText(utf16le('Développeur €'), 'offer.txt'), 'Développeur €');
    assert.equal(decodeText(utf16be('Développeur €'), 'offer.txt'), 'Développeur €');
  });

  it('falls back to windows-1252 for bytes that are not UTF-8', () => {
    // "Métier “SRE”" in Latin-1 / windows-1252
    const latin = bytes(0x4d, 0xe9, 0x74, 0x69, 0x65, 0x72, 0x20, 0x93, 0x53, 0x52, 0x45, 0x94);
    assert.equal(decodeText(latin, 'offer.txt'), 'Métier “SRE”');
  });

  it('rejects empty and white-space-only files', () => {
    assertSourceError(() => decodeText(bytes(), 'offer.txt'), /^empty file$/);
    assertSourceError(() => decodeText(new TextEncoder().encode(' \n\t\r\n '), 'offer.txt'), /^empty file$/);
    assertSourceError(() => decodeText(utf16le('   '), 'offer.txt'), /^empty file$/);
  });

  it('rejects binary content: NUL bytes or many control characters', () => {
    assertSourceError(() => decodeText(bytes(0x50, 0x4b, 0x03, 0x04, 0x00, 0x41), 'offer.txt'), /binary content/);
    const controls = Array.from({ length: 100 }, (_, i) => (i % 3 === 0 ? 0x01 : 0x41));
    assertSourceError(() => decodeText(new Uint8Array(controls), 'offer.txt'), /binary content/);
  });

  it('keeps ordinary control characters of text (tabs, CR, LF, form feed)', () => {
    assert.equal(decodeText(new TextEncoder().encode('a\tb\r\nc\fd'), 'offer.txt'), 'a\tb\r\nc\fd');
  });
});
