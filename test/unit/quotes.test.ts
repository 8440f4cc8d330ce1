import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { cutQuote, isShortWholeUnit, isVerbatim, normaliseSpace, quoteRange, splitUnits } from '../../src/query/quotes.ts';
import { seeded } from '../helpers/property.ts';

function spanOf(text: string, needle: string): [number, number] {
  const at = text.indexOf(needle);
  assert.ok(at >= 0, `"${needle}" is not in the text`);
  return [at, at + needle.length];
}

function units(text: string): string[] {
  return splitUnits(text).map(([a, b]) => text.slice(a, b));
}

const OFFER = [
  'About the role',
  'You will run Linux fleets, e.g. Debian or Ubuntu, for our i.e. busiest customers. We ship Python 3.11 and Node.js 20.2 services.',
  'Vous êtes prêt ? Rejoignez-nous ! Nous offrons 2 jours de télétravail.',
  '',
  'Requirements:',
  '- Build and run',
  '  Kubernetes clusters on bare metal',
  '* Write Terraform; review it too.',
  '1. Five years vs. three: either is fine.',
  '• Know when to page a human (and when not to).',
].join('\n');

describe('splitUnits', () => {
  it('splits sentences and bullets, keeping abbreviations, versions and wrapped bullets whole', () => {
    assert.deepEqual(units(OFFER), [
      'About the role',
      'You will run Linux fleets, e.g. Debian or Ubuntu, for our i.e. busiest customers.',
      'We ship Python 3.11 and Node.js 20.2 services.',
      'Vous êtes prêt ?',
      'Rejoignez-nous !',
      'Nous offrons 2 jours de télétravail.',
      'Requirements:',
      'Build and run\n  Kubernetes clusters on bare metal',
      'Write Terraform; review it too.',
      'Five years vs. three: either is fine.',
      'Know when to page a human (and when not to).',
    ]);
  });

  it('keeps the wrapped lines of a paragraph together and splits a heading from its text', () => {
    const text = 'What you will do\nYou will keep our databases\nhealthy and our backups tested. Then sleep.';
    assert.deepEqual(units(text), ['What you will do', 'You will keep our databases\nhealthy and our backups tested.', 'Then sleep.']);
  });
});

describe('cutQuote', () => {
  it('returns the sentence or bullet holding the span', () => {
    assert.equal(cutQuote(OFFER, spanOf(OFFER, 'Ubuntu')), 'You will run Linux fleets, e.g. Debian or Ubuntu, for our i.e. busiest customers.');
    assert.equal(cutQuote(OFFER, spanOf(OFFER, 'Kubernetes')), 'Build and run\n  Kubernetes clusters on bare metal');
    assert.equal(cutQuote(OFFER, spanOf(OFFER, 'télétravail')), 'Nous offrons 2 jours de télétravail.');
    assert.equal(cutQuote(OFFER, spanOf(OFFER, 'page')), 'Know when to page a human (and when not to).');
  });

  it('joins the units a span crosses', () => {
    assert.equal(cutQuote(OFFER, spanOf(OFFER, 'prêt ? Rejoignez')), 'Vous êtes prêt ? Rejoignez-nous !');
  });

  it('narrows a long sentence to whole words around the span', () => {
    const words = Array.from({ length: 80 }, (_, i) => `word${i}`);
    const text = `${words.slice(0, 40).join(' ')} Kubernetes ${words.slice(40).join(' ')}.`;
    const quote = cutQuote(text, spanOf(text, 'Kubernetes'), 60);
    assert.ok(quote.length <= 60, quote);
    assert.ok(quote.includes('Kubernetes'));
    assert.ok(text.includes(quote));
    assert.match(quote, /^word\d+ .* word\d+$/, 'starts and ends on whole words');
    const before = quote.indexOf('Kubernetes');
    assert.ok(Math.abs(before - (quote.length - before - 'Kubernetes'.length)) < 15, 'roughly centred');
  });

  it('cuts a span longer than the limit at a word boundary from its start', () => {
    const text = 'alpha beta gamma delta epsilon zeta eta theta';
    assert.equal(cutQuote(text, [0, text.length], 20), 'alpha beta gamma');
  });

  it('rejects a span outside the text', () => {
    assert.throws(() => cutQuote('short', [2, 10]), RangeError);
    assert.throws(() => cutQuote('short', [3, 1]), RangeError);
  });

  it('always returns a substring containing the span, within the limit (property)', () => {
    const word = fc.constantFrom('SRE', 'on-call', 'e.g.', '3.11', 'Prêt', '?', '!', 'Kubernetes.', '-', 'x', 'i.e.', '«', '»');
    const gap = fc.constantFrom(' ', '\n', '\n\n', '\n- ', '  ', '\t', '. ', ' ? ');
    const text = fc
      .array(fc.tuple(word, gap), { minLength: 1, maxLength: 120 })
      .map((parts) => parts.map(([w, g]) => w + g).join(''));
    fc.assert(
      fc.property(text, fc.nat(), fc.nat(30), fc.integer({ min: 20, max: 300 }), (t, at, length, max) => {
        const s = at % t.length;
        const e = Math.min(t.length, s + length);
        const [a, b] = quoteRange(t, [s, e], max);
        const quote = cutQuote(t, [s, e], max);
        assert.equal(quote, t.slice(a, b));
        assert.ok(b - a <= Math.max(max, 0), `length ${b - a} > ${max}`);
        if (e - s <= max && t.slice(s, e).trim() !== '') {
          const first = t.slice(s, e).search(/\S/) + s;
          assert.ok(a <= first && b >= s + t.slice(s, e).trimEnd().length, `[${a}, ${b}) misses the span [${s}, ${e})`);
        }
      }),
      seeded({ numRuns: 400 }),
    );
  });
});

describe('isShortWholeUnit', () => {
  const text = ['Apiary work', '- Basic carpentry skills', '- Carpentry', '- Smokers', '', 'Travel is paid. Basic carpentry helps with frames and supers in winter.', '## Basic carpentry skills'].join('\n');
  const at = (needle: string, from = 0): [number, number] => {
    const start = text.indexOf(needle, from);
    return [start, start + needle.length];
  };
  it('takes a bullet item or a full sentence of three words or more', () => {
    assert.equal(isShortWholeUnit(text, at('carpentry')), true);
    assert.equal(isShortWholeUnit(text, at('Travel')), true);
  });
  it('leaves out a one-word item, a heading line and a line without a bullet or a full stop', () => {
    assert.equal(isShortWholeUnit(text, at('Smokers')), false);
    assert.equal(isShortWholeUnit(text, at('Carpentry')), false);
    assert.equal(isShortWholeUnit(text, at('Basic carpentry skills', text.indexOf('##'))), false);
    assert.equal(isShortWholeUnit(text, at('Apiary')), false);
  });
});

describe('normaliseSpace and isVerbatim', () => {
  it('compares after collapsing white space, including no-break spaces', () => {
    assert.equal(normaliseSpace('  a \n\t b\u00a0\u202fc  '), 'a b c');
    assert.equal(isVerbatim('Build and run Kubernetes clusters', OFFER), true);
    assert.equal(isVerbatim('Build and run Kubernetes  clusters on bare  metal', OFFER), true);
    assert.equal(isVerbatim('Build and deploy Kubernetes clusters', OFFER), false);
    assert.equal(isVerbatim('   ', OFFER), false);
  });
});
