import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadRoleCatalog } from '../../src/catalog/roles.ts';
import { groundingOf, groundingProblems, statedNumbers } from '../../src/llm/grounding.ts';
import type { Citation, Claim } from '../../src/query/types.ts';
import { fixtureAnswer } from '../helpers/memo-fixture.ts';

/** The numbers and roles a model's sentence may state, against the fixture's statistics. */

const offline = fixtureAnswer();
const grounding = groundingOf(offline, loadRoleCatalog());
const sre = offline.citations.find((c) => c.role === 'SRE' && /SLO/.test(c.quote))!;
const devops = offline.citations.find((c) => c.role === 'DevOps Engineer' && /Terraform/.test(c.quote))!;

function problems(text: string, roles: string[] = ['SRE'], cited: Citation[] = [sre]): string[] {
  const claim: Claim = { text, roles, citations: cited.map((c) => c.id) };
  return groundingProblems(claim, cited, grounding);
}

describe('statedNumbers', () => {
  it('reads counts with their role, percentages, amounts and spelled-out numbers', () => {
    const stated = statedNumbers('9 of 14 SRE offers vs nine out of fourteen, 64 % or 64 percent, $900k, €120,000, 3.1, twenty-one', ['SRE']);
    assert.deepEqual(stated.counts.map(({ count, total, role }) => [count, total, role]), [[9, 14, 'SRE'], [9, 14, undefined]]);
    assert.deepEqual(stated.percents.map((p) => p.percent), [64, 64]);
    assert.deepEqual(stated.values, [900_000, 120_000, 3.1, 21]);
  });

  it('leaves the digits of names alone', () => {
    assert.deepEqual(statedNumbers('k8s, EC2, L2 support, one of the roles, an SRE', ['SRE']), { counts: [], percents: [], values: [] });
    assert.deepEqual(statedNumbers('64% of the SREs', ['SRE']).percents, [{ percent: 64, role: 'SRE', span: [0, 15] }]);
  });
});

describe('groundingProblems', () => {
  it('accepts the numbers of the statistics, however they are written', () => {
    assert.deepEqual(problems('SRE offers ask for SLOs far more often: 9 of 14 SRE offers (64%) vs 1 of 14 DevOps Engineer offers.'), []);
    assert.deepEqual(problems('Nine of the fourteen SRE offers ask for SLOs, 64 percent of them.'), []);
    assert.deepEqual(problems('Of the 14 SRE offers, 9 ask for SLOs.'), []);
  });

  it('rejects invented counts, amounts and shares', () => {
    assert.deepEqual(problems('14 of 14 SRE offers pay over $900k.'), ['states 2 numbers that the statistics and its quotes do not give']);
    assert.deepEqual(problems('SLOs appear in 80% of SRE offers.'), ['states a number that the statistics and its quotes do not give']);
    // 86% (12 of 14) is a DevOps Engineer share, not an SRE one.
    assert.deepEqual(problems('SLOs appear in 86% of SRE offers.'), ['states a number that the statistics and its quotes do not give']);
    assert.deepEqual(problems('SLOs appear in 64% of SRE offers, and in 7% of DevOps Engineer offers.'), []);
    // 9 of 14 is an SRE count, not a DevOps Engineer one.
    assert.deepEqual(problems('SRE offers ask for SLOs, unlike 9 of 14 DevOps Engineer offers.'), [
      'states a number that the statistics and its quotes do not give',
      'talks about DevOps Engineer, which is not among its roles',
    ]);
  });

  it('accepts a number its own quote states, and only its own', () => {
    const withNumber: Citation = { ...sre, id: 'c900', quote: 'You will carry the pager 7 days in a row.' };
    assert.deepEqual(problems('SRE offers have on-call weeks of 7 days.', ['SRE'], [withNumber]), []);
    assert.deepEqual(problems('SRE offers have on-call weeks of 7 days.'), ['states a number that the statistics and its quotes do not give']);
  });

  it('requires every role it talks about among its roles, except in a count of that role', () => {
    assert.deepEqual(problems('SRE and DevOps offers both own delivery pipelines.'), ['talks about DevOps Engineer, which is not among its roles']);
    assert.deepEqual(problems('Both roles own delivery pipelines.'), ['talks about DevOps Engineer, which is not among its roles']);
    assert.deepEqual(problems('Both roles own delivery pipelines.', ['SRE', 'DevOps Engineer'], [sre, devops]), []);
    assert.deepEqual(problems('Only 1 of 14 DevOps Engineer offers asks for SLOs, against 9 of 14 SRE offers.'), []);
  });
});
