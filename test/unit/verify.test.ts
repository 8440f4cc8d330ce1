import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { Answer, Citation } from '../../src/query/types.ts';
import { citationMarkers, claimProblems, hasStrayQuotationMark, quotedPassages, verifyAnswer } from '../../src/query/verify.ts';
import { fixtureAnswer, fixtureLookup } from '../helpers/memo-fixture.ts';

/** The fixture answer, with a change applied to a deep copy. */
function tampered(change: (answer: Answer) => void): Answer {
  const answer = structuredClone(fixtureAnswer());
  change(answer);
  return answer;
}

function sreCitation(answer: Answer): Citation {
  const citation = answer.citations.find((c) => c.role === 'SRE');
  assert.ok(citation);
  return citation;
}

describe('verifyAnswer', () => {
  it('accepts the composed answer, and white space differences in quotes', () => {
    assert.deepEqual(verifyAnswer(fixtureAnswer(), fixtureLookup), []);
    const spaced = tampered((a) => {
      a.citations[0]!.quote = `  ${a.citations[0]!.quote.replace(/ /g, '\n  ')} `;
    });
    assert.deepEqual(verifyAnswer(spaced, fixtureLookup), []);
  });

  it('finds a quote that is not verbatim', () => {
    const answer = tampered((a) => {
      const citation = a.citations.find((c) => c.quote.includes('Terraform'))!;
      citation.quote = citation.quote.replace('Terraform', 'Pulumi');
    });
    const tampered1 = answer.citations.find((c) => c.quote.includes('Pulumi'))!;
    assert.deepEqual(verifyAnswer(answer, fixtureLookup), [`${tampered1.id}: the quote is not verbatim in offer ${tampered1.offerId}`]);
  });

  it('finds a citation whose role is not its offer\'s role, and an unknown offer', () => {
    const answer = tampered((a) => {
      sreCitation(a).role = 'DevOps Engineer';
      a.citations.at(-1)!.offerId = 'nowhere';
    });
    const problems = verifyAnswer(answer, fixtureLookup);
    assert.ok(problems.some((p) => /cited as DevOps Engineer but offer sre-\d+ is SRE/.test(p)), problems.join('\n'));
    assert.ok(problems.some((p) => p.endsWith('offer nowhere is not in the index')), problems.join('\n'));
  });

  it('finds claims without citations, with unknown ids, or citing another role', () => {
    const answer = tampered((a) => {
      a.claims[0]!.citations = [];
      a.claims[1]!.citations.push('c99');
      const sreClaim = a.claims.find((c) => c.roles.length === 1 && c.roles[0] === 'SRE')!;
      sreClaim.citations.push(a.citations.find((c) => c.role === 'DevOps Engineer')!.id);
    });
    const problems = verifyAnswer(answer, fixtureLookup);
    assert.equal(problems.length, 3, problems.join('\n'));
    assert.equal(problems[0]!, 'claim 1 has no citation');
    assert.equal(problems[1]!, 'claim 2 cites unknown c99');
    assert.match(problems[2]!, /cites c\d+, a DevOps Engineer offer, for SRE$/);
  });

  it('finds markers in the answer text that are not citations, and duplicated ids', () => {
    const answer = tampered((a) => {
      a.answer += '\n- Something else [c42]';
      a.citations.push({ ...a.citations[0]! });
    });
    assert.deepEqual(verifyAnswer(answer, fixtureLookup), ['c1: the id is used twice', 'the answer mentions [c42], which is not a citation']);
  });
});

describe('claimProblems', () => {
  const answer = fixtureAnswer();
  const citations = new Map(answer.citations.map((c) => [c.id, c]));
  const sre = sreCitation(answer);

  it('accepts quoted text found in a cited quote, across ellipses and typographic quotes', () => {
    const words = sre.quote.split(' ');
    const claim = {
      text: `SRE offers ask that you “${words.slice(0, 3).join(' ')} … ${words.slice(-3).join(' ')}”`,
      roles: ['SRE'],
      citations: [sre.id],
    };
    assert.deepEqual(claimProblems(claim, citations, new Set(['SRE'])), []);
  });

  it('rejects quoted text no cited quote contains, unknown roles and uncited markers', () => {
    const claim = { text: `SRE offers say "a PhD is required" [c99]`, roles: ['SRE', 'Astronaut'], citations: [sre.id] };
    assert.deepEqual(claimProblems(claim, citations, new Set(['SRE', 'DevOps Engineer'])), [
      'names a role that is not compared (role 2)',
      'mentions [c99] without citing it',
      'puts in quotation marks words that none of its citations says',
    ]);
  });

  const devops = answer.citations.find((c) => c.role === 'DevOps Engineer')!;
  const words = sre.quote.split(' ');
  const genuine = words.slice(1, 4).join(' ');
  /** Every convention models use, each around words the cited quote does not contain. */
  const conventions: Array<[string, string]> = [
    ['"', '"'], ['“', '”'], ['„', '“'], ['„', '”'], ['”', '”'], ['«', '»'], ['« ', ' »'], ['»', '«'], ['‹', '›'], ['›', '‹'],
    ['‘', '’'], ['‚', '‘'], ["'", "'"], ['「', '」'], ['『', '』'], ['＂', '＂'], ['〝', '〞'], ['`', '`'],
  ];

  it('checks quoted words whatever the quotation marks', () => {
    for (const [open, close] of conventions) {
      const fabricated = { text: `SRE offers ask for ${open}a PhD in distributed systems${close}.`, roles: ['SRE'], citations: [sre.id] };
      assert.deepEqual(claimProblems(fabricated, citations), ['puts in quotation marks words that none of its citations says'], `${open}…${close}`);
      const verbatim = { text: `SRE offers ask that you ${open}${genuine}${close}.`, roles: ['SRE'], citations: [sre.id] };
      assert.deepEqual(claimProblems(verbatim, citations), [], `${open}…${close}`);
    }
  });

  it('reads apostrophes as apostrophes, and rejects a quotation mark that opens nothing', () => {
    const apostrophes = { text: "SREs' pagers and the team’s error budget: it's an SRE's job.", roles: ['SRE'], citations: [sre.id] };
    assert.deepEqual(claimProblems(apostrophes, citations), []);
    for (const text of ['SRE offers ask for “a PhD.', 'SRE offers ask for a PhD».', 'SRE offers want „a PhD', 'SRE 「a PhD']) {
      assert.ok(hasStrayQuotationMark(text), text);
      assert.ok(claimProblems({ text, roles: ['SRE'], citations: [sre.id] }, citations).includes('has a quotation mark that opens or closes nothing'), text);
    }
  });

  it('requires a quote of every role a claim is about', () => {
    const both = { text: 'Both roles keep pipelines green.', roles: ['SRE', 'DevOps Engineer'], citations: [sre.id] };
    assert.deepEqual(claimProblems(both, citations), ['is about DevOps Engineer but cites no DevOps Engineer offer']);
    assert.deepEqual(claimProblems({ ...both, citations: [sre.id, devops.id] }, citations), []);
  });

  it('never repeats what a claim says or quotes (fast-check, fixed seed)', () => {
    const secret = fc.stringMatching(/^[A-Za-z]{6,12}$/).map((w) => `Zq${w}`);
    fc.assert(
      fc.property(secret, fc.constantFrom(...conventions), fc.constantFrom('SRE', 'Astronaut'), (word, [open, close], role) => {
        const claim = { text: `${word} offers say ${open}${word} is required${close} [c77]`, roles: [role, `${word} role`], citations: [sre.id, `${word}-id`] };
        for (const problem of claimProblems(claim, citations, new Set(['SRE', 'DevOps Engineer']))) {
          assert.ok(!problem.includes(word), problem);
        }
      }),
      { seed: 20240611, numRuns: 200 },
    );
  });
});

describe('quotedPassages', () => {
  it('reads straight, curly and French quotation marks and splits at ellipses', () => {
    assert.deepEqual(quotedPassages('They "run Linux" and « gèrent l\'astreinte » or “own SLOs... and budgets.”'), [
      'run Linux',
      "gèrent l'astreinte",
      'own SLOs',
      'and budgets',
    ]);
    assert.deepEqual(quotedPassages("it's an SRE's job"), []);
    assert.deepEqual(quotedPassages(`„Bereitschaft“ und ‘the team’s budget’ and 'on-call' and 「運用」`), [
      'Bereitschaft',
      'the team’s budget',
      'on-call',
      '運用',
    ]);
  });
});

describe('citationMarkers', () => {
  it('reads our markers, not backslash-escaped text', () => {
    assert.deepEqual(citationMarkers('a point [c1] [c2] and an offer saying \\[c99\\]'), ['c1', 'c2']);
  });
});
