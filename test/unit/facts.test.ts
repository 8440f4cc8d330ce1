import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { extractFacts, payFromText } from '../../ingest/facts.ts';
import { quantile, summariseFacts } from '../../src/query/facts.ts';

describe('payFromText', () => {
  const cases: Array<[string, ReturnType<typeof payFromText>]> = [
    ['💰 65k-95k USD', { currency: 'USD', period: 'year', min: 65000, max: 95000 }],
    ['Salary: $65k–95k', { currency: 'USD', period: 'year', min: 65000, max: 95000 }],
    ['£28,407 - £34,728 a year', { currency: 'GBP', period: 'year', min: 28407, max: 34728 }],
    ['Salaire : 45 000 € brut annuel', { currency: 'EUR', period: 'year', min: 45000, max: 45000 }],
    ['$18.00 - $20.00 per hour', { currency: 'USD', period: 'hour', min: 18, max: 20 }],
    ['Compensation: CAD 80,000 to 95,000', { currency: 'CAD', period: 'year', min: 80000, max: 95000 }],
    ['Rémunération : 38-42 k€', { currency: 'EUR', period: 'year', min: 38000, max: 42000 }],
    ['4 000 € par mois', { currency: 'EUR', period: 'month', min: 4000, max: 4000 }],
    ['TJM 500 €', { currency: 'EUR', period: 'day', min: 500, max: 500 }],
  ];
  for (const [text, expected] of cases) it(text, () => assert.deepEqual(payFromText(text), expected));

  it('never reads funding, revenue, head counts or a band without amounts as pay', () => {
    for (const text of ['We raised $20M in Series B.', 'Revenue of €300 million', 'We are 120 employees in 3 offices.', 'Band 5', 'Founded in 2012.']) {
      assert.equal(payFromText(text), undefined, text);
    }
  });
});

describe('extractFacts', () => {
  it('reads experience, workplace, contract, education and languages, in English', () => {
    assert.deepEqual(
      extractFacts({ location: 'Leeds', text: "- 5+ years of experience with kitchens\n- 2 years of team leading\n- A bachelor's degree\n- Fluent English\nPermanent contract, hybrid (2 days in the office)." }),
      { experienceYears: 5, workplace: 'hybrid', contract: 'permanent', education: 'bachelor', languages: ['en'] },
    );
  });
  it('and in French', () => {
    assert.deepEqual(
      extractFacts({ location: 'Lyon', text: "- Au moins 3 ans d'expérience\n- Bac+5 ou diplôme d'ingénieur\n- Anglais courant\nCDI, télétravail partiel." }),
      { experienceYears: 3, workplace: 'hybrid', contract: 'permanent', education: 'master', languages: ['en'] },
    );
  });
  it('claims nothing an offer does not state (an early-stage startup is not an internship)', () => {
    assert.deepEqual(extractFacts({ text: 'We are an early-stage startup. You will bake bread.' }), {});
  });
  it('prefers the source\'s own pay fields to the text', () => {
    const pay = { currency: 'GBP', period: 'hour' as const, min: 12, max: 14 };
    assert.deepEqual(extractFacts({ text: 'Salary: £30,000 a year', pay }).pay, pay);
  });
});

describe('summariseFacts', () => {
  it('gives the share stating pay and the median and quartiles per currency and period', () => {
    const year = (min: number, max: number) => ({ pay: { currency: 'EUR', period: 'year' as const, min, max } });
    const facts = summariseFacts([year(40000, 50000), year(50000, 60000), year(60000, 70000), { pay: { currency: 'USD', period: 'hour', min: 20, max: 20 } }, {}, undefined]);
    assert.equal(facts.offers, 6);
    assert.equal(facts.payStated, 4);
    assert.deepEqual(facts.pay, [
      { currency: 'EUR', period: 'year', offers: 3, median: 55000, p25: 50000, p75: 60000 },
      { currency: 'USD', period: 'hour', offers: 1, median: 20, p25: 20, p75: 20 },
    ]);
    assert.deepEqual(facts.workplace, { remote: 0, hybrid: 0, onsite: 0, unknown: 6 });
  });
  it('interpolates quantiles', () => {
    assert.equal(quantile([1, 2, 3, 4], 0.5), 2.5);
    assert.equal(quantile([3], 0.25), 3);
  });
});
