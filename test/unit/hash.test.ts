import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { fnv1a, fnv1aJoined, sha1 } from '../../src/util/hash.ts';
import { seeded } from '../helpers/property.ts';

describe('hashes', () => {
  it('fnv1a has the published FNV-1a 32-bit values', () => {
    assert.equal(fnv1a(''), 0x811c9dc5);
    assert.equal(fnv1a('a'), 0xe40c292c);
    assert.equal(fnv1a('foobar'), 0xbf9cf968);
  });

  it('fnv1aJoined hashes a run of words as fnv1a hashes them joined by spaces', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: 'grapheme' }), { maxLength: 8 }), fc.nat(8), fc.nat(8), (words, a, b) => {
        const [from, to] = [Math.min(a, b, words.length), Math.min(Math.max(a, b), words.length)];
        assert.equal(fnv1aJoined(words, from, to), fnv1a(words.slice(from, to).join(' ')));
      }),
      seeded(),
    );
  });

  it('sha1 gives the hex digest of a text and of its bytes alike', () => {
    assert.equal(sha1('abc'), 'a9993e364706816aba3e25717850c26c9cd0d89d');
    assert.equal(sha1(new TextEncoder().encode('abc')), 'a9993e364706816aba3e25717850c26c9cd0d89d');
  });
});
