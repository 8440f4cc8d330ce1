import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Answer, Citation } from '../../src/query/types.ts';
import { claimProblems, quotedPassages, verifyAnswer } from '../../src/query/verify.ts';
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
      a.citations[0]!.quote = a.citations[0]!.quote.replace('Terraform', 'Pulumi');
    });
    assert.deepEqual(verifyAnswer(answer, fixtureLookup), [`c1: the quote is not verbatim in offer ${answer.citations[0]!.offerId}`]);
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
    assert.match(problems[0]!, /^claim 1 \(".*"\) has no citation$/);
    assert.match(problems[1]!, /^claim 2 .* cites unknown c99$/);
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
      'names unknown role "Astronaut"',
      'mentions [c99] without citing it',
      'quotes "a PhD is required", which none of its citations says',
    ]);
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
  });
});
