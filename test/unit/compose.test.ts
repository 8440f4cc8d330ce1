import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { composeAnswer, describeSample, distinctiveSentence, labelInSentence, sharedSentence } from '../../src/query/compose.ts';
import { renderCitationList } from '../../src/report/markdown.ts';
import type { Evidence } from '../../src/query/types.ts';
import { verifyAnswer } from '../../src/query/verify.ts';
import { minedCriticalZ } from '../../src/query/phrases.ts';
import {
  fixtureAnswer,
  fixtureEvidence,
  fixtureLookup,
  fixtureOffers,
  fixtureProfiles,
  fixtureRoleSummaries,
  fixtureStats,
  fixtureThemes,
} from '../helpers/memo-fixture.ts';

const question = 'SRE vs DevOps Engineer?';

describe('composeAnswer', () => {
  const answer = fixtureAnswer();

  it('passes verification: every quote verbatim, every claim cited by offers of its roles', () => {
    assert.deepEqual(verifyAnswer(answer, fixtureLookup), []);
    // The fixture's four themes (test/helpers/memo-fixture.ts) make three points: SLOs distinctive
    // for SRE, Terraform for DevOps, CI/CD shared by both; on-call (2 vs 1 of 14) is no point at all.
    assert.equal(answer.claims.length, 3);
    for (const claim of answer.claims) assert.ok(claim.citations.length >= 1, claim.text);
    assert.deepEqual(answer.warnings, []);
  });

  it('states the big differences as distinctive, with numbers and quotes of the right role', () => {
    const slo = answer.claims.find((c) => c.text.includes('SLOs and error budgets'));
    assert.equal(slo?.text, 'SRE offers ask for SLOs and error budgets far more often: 9 of 14 SRE offers vs 1 of 14 DevOps Engineer offers.');
    assert.deepEqual(slo?.roles, ['SRE']);
    const cited = slo!.citations.map((id) => answer.citations.find((c) => c.id === id)!);
    assert.ok(cited.every((c) => c.role === 'SRE' && /SLO|error budget/.test(c.quote)));
    assert.equal(new Set(cited.map((c) => c.company)).size, cited.length, 'quotes come from different companies');
    const terraform = answer.claims.find((c) => c.text.includes('Terraform'));
    assert.match(terraform?.text ?? '', /^DevOps Engineer missions involve Terraform far more often: 12 of 14 DevOps Engineer offers vs 3 of 14 SRE offers\.$/);
    assert.deepEqual(terraform?.roles, ['DevOps Engineer']);
  });

  it('does not call a 2-vs-1 difference distinctive', () => {
    assert.ok(!answer.claims.some((c) => /on-call/i.test(c.text)));
    assert.ok(!/on-call/i.test(answer.answer));
  });

  it('quotes one offer per role for a shared point', () => {
    const cicd = answer.claims.find((c) => c.text.includes('CI/CD pipelines'));
    assert.match(cicd?.text ?? '', /^Missions of both roles involve CI\/CD pipelines: 10 of 14 SRE offers and 11 of 14 DevOps Engineer offers\.$/);
    assert.deepEqual(cicd?.roles, ['SRE', 'DevOps Engineer']);
    const roles = cicd!.citations.map((id) => answer.citations.find((c) => c.id === id)!.role);
    assert.deepEqual(new Set(roles), new Set(['SRE', 'DevOps Engineer']));
  });

  it('organises the memo by aspect, numbers citations by first use and closes on the sample', () => {
    const missions = answer.answer.indexOf('## Missions');
    const requirements = answer.answer.indexOf('## Requirements');
    assert.ok(missions > 0 && requirements > missions);
    assert.ok(answer.answer.indexOf('### Distinctive for DevOps Engineer') < answer.answer.indexOf('### Shared by all'));
    const markers = [...answer.answer.matchAll(/\[(c\d+)\]/g)].map((m) => m[1]);
    const firstUse = [...new Set(markers)];
    assert.deepEqual(firstUse, answer.citations.map((c) => c.id));
    assert.deepEqual(firstUse, firstUse.map((_, i) => `c${i + 1}`));
    assert.match(answer.answer, /^Comparing \*\*SRE\*\* \(14 offers\) and \*\*DevOps Engineer\*\* \(14 offers\)/);
    assert.match(answer.answer, /_Sample: 14 SRE offers and 14 DevOps Engineer offers\. .*not conclusive/);
    assert.equal(answer.sample, describeSample(fixtureRoleSummaries()));
  });

  it('lists every aspect\'s theme stats, tagged and sorted by |score|', () => {
    assert.ok(answer.themes.some((t) => t.aspect === 'missions') && answer.themes.some((t) => t.aspect === 'requirements'));
    const scores = answer.themes.map((t) => Math.abs(t.score));
    assert.deepEqual(scores, [...scores].sort((a, b) => b - a));
  });

  it('leaves out a point it cannot quote, and says so', () => {
    const evidence = fixtureEvidence();
    evidence.delete('slo');
    const partial = composeAnswer({
      question,
      aspects: ['requirements'],
      roles: fixtureRoleSummaries(),
      statsByAspect: fixtureStats(['requirements']),
      evidenceByTheme: evidence,
      themes: fixtureThemes,
      warnings: ['upstream warning'],
    });
    assert.ok(!partial.claims.some((c) => c.text.includes('SLOs')));
    assert.equal(partial.warnings[0], 'upstream warning');
    assert.match(partial.warnings[1] ?? '', /No quotable evidence for "SLOs and error budgets" \(SRE, requirements\)/);
    assert.deepEqual(verifyAnswer(partial, fixtureLookup), []);
  });

  it('quotes a short whole item when no offer says the theme at length, and never a fragment', () => {
    const evidence = fixtureEvidence();
    const sre = evidence.get('slo')!.get('SRE')!;
    const short = (text: string) => sre.map((e) => ({ ...e, text }));
    const compose = (texts: Evidence[]) => {
      evidence.get('slo')!.set('SRE', texts);
      return composeAnswer({ question, aspects: ['requirements'], roles: fixtureRoleSummaries(), statsByAspect: fixtureStats(['requirements']), evidenceByTheme: evidence, themes: fixtureThemes });
    };
    const items = compose(short('- Weekly error budget reviews.\n- Clear written English.'));
    const slo = items.claims.find((c) => c.text.includes('SLOs and error budgets'));
    assert.ok(slo, 'the point is made');
    assert.deepEqual(new Set(slo.citations.map((id) => items.citations.find((c) => c.id === id)!.quote)), new Set(['Weekly error budget reviews.']));
    assert.deepEqual(items.warnings, []);
    // Two words are a fragment, not evidence: the point is left out, as before.
    const fragment = compose(short('- error budgets\n- Clear written English.'));
    assert.ok(!fragment.claims.some((c) => c.text.includes('SLOs')));
    assert.match(fragment.warnings.join('\n'), /No quotable evidence for "SLOs and error budgets"/);
  });

  it('cites a point about several groups from each of them, or not at all', () => {
    const evidence = fixtureEvidence();
    evidence.get('cicd')!.delete('DevOps Engineer');
    const partial = composeAnswer({ question, aspects: ['missions'], roles: fixtureRoleSummaries(), statsByAspect: fixtureStats(['missions']), evidenceByTheme: evidence, themes: fixtureThemes });
    assert.ok(!partial.claims.some((c) => c.text.includes('CI/CD')), 'no claim about both cited from one');
    assert.match(partial.warnings.join('\n'), /No quotable evidence for "CI\/CD pipelines" \(SRE, DevOps Engineer, missions\)/);
    assert.deepEqual(verifyAnswer(partial, fixtureLookup), []);
  });

  it('takes offers of unknown company as different employers, not one', () => {
    const sloCitations = (evidence: Map<string, Map<string, Evidence[]>>) => {
      const memo = composeAnswer({ question, aspects: ['requirements'], roles: fixtureRoleSummaries(), statsByAspect: fixtureStats(['requirements']), evidenceByTheme: evidence, themes: fixtureThemes });
      return memo.claims.find((c) => c.text.includes('SLOs and error budgets'))!.citations.map((id) => memo.citations.find((c) => c.id === id)!);
    };
    const known = sloCitations(fixtureEvidence());
    const evidence = fixtureEvidence();
    evidence.get('slo')!.set('SRE', evidence.get('slo')!.get('SRE')!.map((e) => ({ ...e, company: 'Unknown company' })));
    const unknown = sloCitations(evidence);
    assert.ok(known.length >= 2);
    assert.equal(unknown.length, known.length);
    assert.equal(new Set(unknown.map((c) => c.offerId)).size, unknown.length);
  });

  it('quotes only evidence from the aspect\'s sections and of the claim\'s role', () => {
    const evidence = fixtureEvidence();
    const sre = evidence.get('slo')!.get('SRE')!;
    // Misfiled chunks: SLO text from a DevOps offer under SRE, and from a benefits section.
    const devopsChunk = evidence.get('slo')!.get('DevOps Engineer')![0] as Evidence;
    evidence.get('slo')!.set('SRE', [
      { ...devopsChunk, score: 99 },
      { ...(sre[0] as Evidence), section: 'benefits', score: 98 },
      ...sre,
    ]);
    const answer = composeAnswer({
      question,
      aspects: ['requirements'],
      roles: fixtureRoleSummaries(),
      statsByAspect: fixtureStats(['requirements']),
      evidenceByTheme: evidence,
      themes: fixtureThemes,
    });
    assert.ok(answer.citations.every((c) => c.section === 'requirements' && c.offerId.startsWith(c.role === 'SRE' ? 'sre' : 'devops')));
    assert.deepEqual(verifyAnswer(answer, fixtureLookup), []);
  });

  it('works for three roles', () => {
    const platform = fixtureOffers.filter((o) => o.role === 'DevOps Engineer').map((o) => ({ ...o, role: 'Platform', offerId: `p-${o.offerId}` }));
    const offers = [...fixtureOffers, ...platform];
    const input = {
      question,
      aspects: ['missions' as const],
      roles: [...fixtureRoleSummaries(), { name: 'Platform', offers: 14, chunks: 28 }],
      statsByAspect: fixtureStats(['missions'], fixtureProfiles(offers)),
      evidenceByTheme: fixtureEvidence(offers),
      themes: fixtureThemes,
    };
    const answer = composeAnswer(input);
    const shared = answer.claims.find((c) => c.text.includes('CI/CD'));
    assert.match(shared?.text ?? '', /^Missions of all 3 roles involve/);
    assert.deepEqual(shared?.roles, ['SRE', 'DevOps Engineer', 'Platform']);
    assert.equal(shared?.citations.length, 3);
    // Terraform is as common in Platform as in DevOps offers: distinctive for neither.
    assert.ok(!answer.claims.some((c) => c.text.includes('Terraform')));
    assert.match(answer.answer, /### Distinctive for Platform\n- Nothing is distinctive for Platform: of \d+ themes tested, none/);
    assert.deepEqual(verifyAnswer(answer, (id) => offers.find((o) => o.offerId === id)), []);

    // With phrases mined from the offers, the note counts them too, and the stricter z they were held to.
    const mined = (language: 'en' | 'fr') => composeAnswer({ ...input, phrasesTested: new Map([['missions', 840]]), language }).answer;
    const z = minedCriticalZ(840).toFixed(2);
    assert.ok(mined('en').includes(`: of 3 catalogue themes and 840 phrases mined from the offers, none is both significantly more frequent (log-odds z ≥ 1.96, or ${z} for a phrase, corrected for the 840 tested,`), mined('en'));
    assert.ok(mined('fr').includes(`: sur 3 thèmes du catalogue et 840 expressions tirées des offres, aucun n'est à la fois nettement plus fréquent (z du log-odds ≥ 1,96, ou ${z.replace('.', ',')} pour une expression,`), mined('fr'));
  });
});

describe('renderCitationList', () => {
  it('lists each citation with its quote, offer and source', () => {
    const list = renderCitationList(fixtureAnswer()).split('\n');
    assert.equal(list.length, fixtureAnswer().citations.length);
    // c1 is the memo's first marker, the summary's: the strongest distinctive point.
    assert.match(list[0] ?? '', /^- \[c1\] "[^"]+" — (?:DevOps Engineer, Contoso|Site Reliability Engineer, Northwind) \d+ \((?:missions|requirements)\) <fixtures\/(?:devops|sre)-\d+\.md>$/);
  });
});

describe('memo sentences', () => {
  const stat = {
    theme: 'slo',
    label: 'SLOs and error budgets',
    perRole: {
      SRE: { offers: 120, total: 200, share: 0.6, low: 0.53, high: 0.66 },
      'DevOps Engineer': { offers: 20, total: 100, share: 0.2, low: 0.13, high: 0.29 },
    },
    distinctiveFor: 'SRE',
    score: 6,
    stability: 0.62,
  };
  const sre = { name: 'SRE', offers: 200, chunks: 0 };
  const devops = { name: 'DevOps Engineer', offers: 100, chunks: 0 };

  it('gives shares when role sizes differ, and says when a verdict is shaky', () => {
    assert.equal(
      distinctiveSentence('requirements', stat, 'SLOs and error budgets', sre, [devops]),
      'SRE offers ask for SLOs and error budgets far more often: 120 of 200 SRE offers (60%) vs 20 of 100 DevOps Engineer offers (20%); it holds in only 62% of bootstrap resamples, so treat it as tentative.',
    );
  });

  it('calls a visible gap between sharing roles inconclusive', () => {
    const { distinctiveFor: _distinctive, ...notDistinctive } = stat;
    assert.equal(
      sharedSentence('missions', notDistinctive, 'SLOs', [sre, devops]),
      // Not distinctive although z is high: the memo says which part of the test did not retain it.
      'Missions of both roles involve SLOs: 120 of 200 SRE offers (60%) and 20 of 100 DevOps Engineer offers (20%), a gap whose 95% interval does not exclude zero against every group.',
    );
  });

  it('lowers common words of a label but keeps names', () => {
    assert.equal(labelInSentence('Capacity planning', 'practice'), 'capacity planning');
    assert.equal(labelInSentence('SLOs and error budgets', 'practice'), 'SLOs and error budgets');
    assert.equal(labelInSentence('Docker / containers', 'tool'), 'Docker / containers');
  });

  it('quotes each point under it in the markdown', () => {
    const answer = fixtureAnswer();
    for (const citation of answer.citations) assert.ok(answer.answer.includes(`> "${citation.quote}"`), citation.id);
  });

  it('says outright when the samples are too small to conclude', () => {
    assert.match(describeSample([{ ...sre, offers: 10 }, { ...devops, offers: 10 }]), /too small to conclude on most themes/);
    assert.doesNotMatch(describeSample([sre, devops]), /too small/);
  });
});
