import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { DataDirBusyError, FatalError, UsageError } from '../../src/errors.ts';
import { normaliseSpace } from '../../src/query/quotes.ts';
import { classifyFailure, failureLine } from '../../src/serve/failures.ts';
import { isLoopbackHost, readToken } from '../../src/serve/http-guard.ts';
import { decodeCursor, encodeCursor } from '../../src/serve/views.ts';
import { groupExpression } from '../../web/ask-view.ts';
import { findQuote } from '../../web/find-quote.ts';
import { filterExpression } from '../../web/offers-view.ts';

/** The pure parts of `offers serve` and its page: finding a quote, group expressions, cursors, the host and token rules, failures. */

const SEED = 20260312;

describe('findQuote', () => {
  it('finds a quote in its offer whatever white space the two have between words', () => {
    const word = fc.stringMatching(/^[A-Za-zÀ-ÿ0-9().,:;?*+[\]{}|^$\\/'"-]{1,8}$/);
    const space = fc.constantFrom(' ', '  ', '\n', '\n  ', '\t', '\u00a0');
    fc.assert(
      fc.property(fc.array(fc.tuple(word, space), { minLength: 3, maxLength: 40 }), fc.nat(), fc.nat(), fc.array(space, { minLength: 40, maxLength: 40 }), (pieces, a, b, respace) => {
        const text = pieces.map(([w, s]) => `${w}${s}`).join('');
        const start = a % pieces.length;
        const end = start + 1 + (b % (pieces.length - start));
        const quote = pieces
          .slice(start, end)
          .map(([w], i) => `${w}${respace[i]}`)
          .join('')
          .trim();
        const found = findQuote(text, quote);
        assert.ok(found, `"${quote}" in "${text}"`);
        assert.equal(normaliseSpace(text.slice(found.start, found.end)), normaliseSpace(quote));
      }),
      { seed: SEED, numRuns: 300, verbose: 1 },
    );
  });

  it('finds nothing for a quote the text does not hold, or an empty one', () => {
    assert.equal(findQuote('Run the on-call rotation.', 'Run the rotation'), undefined);
    assert.equal(findQuote('anything', '  '), undefined);
  });
});

describe('the group pickers and filters of the page', () => {
  it('write the group expressions the CLI reads', () => {
    assert.equal(groupExpression({ role: 'SRE', seniority: 'junior', from: '2024-01', to: '', workplace: 'remote' }), 'SRE seniority:junior posted:2024-01.. workplace:remote');
    assert.equal(groupExpression({ role: 'Barista', seniority: '', from: '', to: '2024-06', workplace: '' }), 'Barista posted:..2024-06');
    assert.equal(groupExpression({ role: '', seniority: 'senior', from: '', to: '', workplace: '' }), undefined);
    assert.equal(filterExpression({ group: 'DevOps Engineer', company: 'Acme "Corp"', lang: 'fr', month: '2024-03' }), 'DevOps Engineer company:"Acme Corp" lang:fr posted:2024-03');
    assert.equal(filterExpression({ group: '', company: '', lang: '', month: '' }), '');
  });
});

describe('cursors', () => {
  it('give back the id they were made of, and refuse anything else', () => {
    fc.assert(fc.property(fc.string({ minLength: 1 }), (id) => decodeCursor(encodeCursor(id)) === id), { seed: SEED, numRuns: 200 });
    for (const bad of ['', 'zzz', '!!!', Buffer.from('after:').toString('base64url'), Buffer.from('o123').toString('base64url')]) assert.throws(() => decodeCursor(bad), UsageError, bad);
  });
});

describe('host and token rules', () => {
  it('takes loopback addresses and names as this machine only', () => {
    for (const host of ['127.0.0.1', '127.8.9.10', '::1', '[::1]', 'localhost', 'LOCALHOST', 'app.localhost', '::ffff:127.0.0.1']) assert.ok(isLoopbackHost(host), host);
    for (const host of ['0.0.0.0', '::', '192.168.1.10', '10.0.0.1', 'example.org', 'localhost.example.org', '127.0.0.1.nip.io', '']) assert.ok(!isLoopbackHost(host), host);
  });

  it('reads OFFERS_TOKEN, refusing one no Bearer header could carry or too short to be a secret', () => {
    assert.equal(readToken({}), undefined);
    assert.equal(readToken({ OFFERS_TOKEN: '  ' }), undefined);
    assert.equal(readToken({ OFFERS_TOKEN: 'a1b2c3d4e5f6a7b8c9d0' }), 'a1b2c3d4e5f6a7b8c9d0');
    for (const bad of ['short', 'has spaces in the token here', 'pässwört-0123456789', 'quote"0123456789abcdef']) assert.throws(() => readToken({ OFFERS_TOKEN: bad }), UsageError, bad);
  });
});

describe('classifyFailure', () => {
  it('says what failed in one line, with the fix: 400 for the request, 503 for a service, 500 for us', () => {
    const logged: string[] = [];
    const log = (line: string) => logged.push(line);
    assert.deepEqual(classifyFailure(new UsageError('unknown aspect x'), log), { status: 400, error: 'unknown aspect x' });
    assert.deepEqual(classifyFailure(new FatalError('Chroma at http://127.0.0.1:9 is unreachable', 'start it or fix CHROMA_URL'), log), { status: 503, error: 'Chroma at http://127.0.0.1:9 is unreachable', hint: 'start it or fix CHROMA_URL' });
    assert.equal(classifyFailure(new DataDirBusyError('data dir /d is busy', 'wait'), log).status, 503);
    assert.equal(classifyFailure(new UsageError('invalid configuration:\n  - A\n  - B'), log).error, 'invalid configuration:; A; B');
    const disk = Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
    assert.equal(classifyFailure(disk, log).status, 503);
    assert.deepEqual(logged, []);
    const bug = classifyFailure(new TypeError("Cannot read properties of undefined (reading 'x')"), log);
    assert.equal(bug.status, 500);
    assert.equal(failureLine(bug), "unexpected error: Cannot read properties of undefined (reading 'x') (fix: see the server log; set OFFERS_DEBUG=1 for the stack trace)");
    assert.equal(logged.length, 1);
  });
});
