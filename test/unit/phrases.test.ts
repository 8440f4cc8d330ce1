import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { minePhrases, phraseSpans, type MinedOffer } from '../../src/query/phrases.ts';
import type { SectionKind } from '../../src/types.ts';
import { seeded } from '../helpers/property.ts';

const offer = (offerId: string, requirements: string, missions = 'Keep the hives healthy.'): MinedOffer => ({
  offerId,
  title: 'Beekeeper',
  company: `Apiary ${offerId}`,
  source: `${offerId}.md`,
  sections: [
    { kind: 'missions', heading: 'Missions', text: missions },
    { kind: 'requirements', heading: 'Requirements', text: requirements },
  ],
});

describe('phraseSpans', () => {
  it('finds a hyphenated word, whose folded key holds a space, and every occurrence', () => {
    const text = 'Hands-on beekeeping. You like hands-on work, and HANDS-ON training.';
    assert.deepEqual(
      phraseSpans(text, 'hands on').map(([start, end]) => text.slice(start, end)),
      ['Hands-on', 'hands-on', 'HANDS-ON'],
    );
  });

  it('finds a phrase of several words within a clause, never across one', () => {
    const text = 'Smoker handling, queen rearing; queen. Rearing';
    assert.deepEqual(phraseSpans(text, 'queen rearing').map(([start, end]) => text.slice(start, end)), ['queen rearing']);
  });
});

describe('minePhrases evidence', () => {
  const words = ['hive', 'queen', 'rearing', 'hands-on', 'smoker', 'varroa', 'honey', 'extraction', 'the', 'and', 'of'];
  const sentence = fc.array(fc.constantFrom(...words), { minLength: 2, maxLength: 7 }).map((w) => `${w.join(' ')}.`);
  const section = fc.array(sentence, { minLength: 1, maxLength: 4 }).map((s) => s.join(' '));
  const group = fc.array(section, { minLength: 3, maxLength: 8 });

  it('quotes each phrase from a section of an offer that says it, once per such offer', () => {
    fc.assert(
      fc.property(group, group, (a, b) => {
        const groups = [
          { name: 'A', offers: a.map((text, i) => offer(`a${i}`, text)) },
          { name: 'B', offers: b.map((text, i) => offer(`b${i}`, text)) },
        ];
        const mining = minePhrases({ groups, sections: ['requirements' as SectionKind], covered: () => false, groupWords: [] });
        for (const [id, phrase] of mining.phrases) {
          const evidence = [...mining.evidence(id).values()].flat();
          assert.equal(evidence.length, phrase.offers.length, id);
          assert.equal(new Set(evidence.map((e) => e.offerId)).size, evidence.length, id);
          for (const e of evidence) {
            assert.equal(e.section, 'requirements');
            assert.ok(phraseSpans(e.text, phrase.key).length > 0, `${id} is not in the section quoted for ${e.offerId}: ${e.text}`);
          }
        }
      }),
      seeded({ numRuns: 60 }),
    );
  });
});
