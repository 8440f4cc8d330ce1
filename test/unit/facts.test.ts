import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { extractFacts, payFromFields, payFromText } from '../../ingest/facts.ts';
import { parseBytes } from '../../ingest/parse/index.ts';
import { quantile, summariseFacts } from '../../src/query/facts.ts';
import type { OfferFacts } from '../../src/types.ts';

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

  // Each rule with text of our own: what the corpus sample taught (eval/pay.ts, eval/labels/pay.json).
  const rules: Array<[string, string, ReturnType<typeof payFromText>]> = [
    ['a pay sentence inside a long paragraph, after a funding sentence',
      `Founded in 2015, Tidewater Logistics has raised $40M from investors. ${'We ship parcels along the coast every day. '.repeat(8)}The base salary range for this role is $120,000 - $140,000 annually. Final offers depend on experience.`,
      { currency: 'USD', period: 'year', min: 120000, max: 140000 }],
    ['people named before the amounts ("US employees: …")', '- For employees in Ohio: $101,500 - $130,000',
      { currency: 'USD', period: 'year', min: 101500, max: 130000 }],
    ['cents after grouped thousands', 'Pay range: $66,500.50 - $90,000.00', { currency: 'USD', period: 'year', min: 66500.5, max: 90000 }],
    ['a period after each amount', 'Pay: $120,000/yr to $150,000/yr, set by level.', { currency: 'USD', period: 'year', min: 120000, max: 150000 }],
    ['"from X up to Y"', 'We pay from $90,000 up to $110,000 per year, by level.', { currency: 'USD', period: 'year', min: 90000, max: 110000 }],
    ['"X and 401k" is not a range', 'Base salary of $120,000 and 401k matching.', { currency: 'USD', period: 'year', min: 120000, max: 120000 }],
    ['a dollar code before the sign', 'Salary: CAD $95,000 - $110,000', { currency: 'CAD', period: 'year', min: 95000, max: 110000 }],
    ['a dollar code after the amounts', 'Estimated range: $95,000 - $110,000 CAD per year', { currency: 'CAD', period: 'year', min: 95000, max: 110000 }],
    ['a code wins over a sign a place name runs into', 'Pay transparency - Los Angeles, CA$150,000—$180,000 USD', { currency: 'USD', period: 'year', min: 150000, max: 180000 }],
    ['a bare dollar sign takes the code named after it', 'Compensation: $70,000 to $90,000 (currency: AUD)', { currency: 'AUD', period: 'year', min: 70000, max: 90000 }],
    ['zloty, written as a sign, per year', 'Base pay range per year: 240,000 zł - 300,000 zł', { currency: 'PLN', period: 'year', min: 240000, max: 300000 }],
    ['kronor, written as a code', 'The base compensation range is 700,000 SEK - 820,000 SEK.', { currency: 'SEK', period: 'year', min: 700000, max: 820000 }],
    ['lakhs', 'CTC: 12 to 18 lakhs INR per annum', { currency: 'INR', period: 'year', min: 1200000, max: 1800000 }],
    ['minimum and maximum on separate lines', 'Minimum salary: $80,000\n\nMaximum salary: $95,000', { currency: 'USD', period: 'year', min: 80000, max: 95000 }],
    ['min, mid and max on one line, under a pay heading', 'Salary band\nMIN: £50,000 - MID: £55,000 - MAX: £60,000', { currency: 'GBP', period: 'year', min: 50000, max: 60000 }],
    ['a single amount under a pay heading', 'Remuneration\n£45,000', { currency: 'GBP', period: 'year', min: 45000, max: 45000 }],
    ['a single amount under a pay label in a list', '- Salary range:\n- €52,000', { currency: 'EUR', period: 'year', min: 52000, max: 52000 }],
    ['two amounts a converter glued together', '$140,000$165,000 USD', { currency: 'USD', period: 'year', min: 140000, max: 165000 }],
    ['the period nearest the amounts', '$45 - $60 per hour, plus an annual bonus', { currency: 'USD', period: 'hour', min: 45, max: 60 }],
    ['a period later in the sentence', 'Base: 13,650 - 24,150 PLN (B2B, before VAT), paid monthly', { currency: 'PLN', period: 'month', min: 13650, max: 24150 }],
    ['a salary in thousands without period is monthly', 'Salary: €2,500 net, the package includes meal vouchers', { currency: 'EUR', period: 'month', min: 2500, max: 2500 }],
    ['French daily rate spelt out, "/ jour" after a space', 'Mission payée au taux journalier, entre 450 et 600 euros / jour.', { currency: 'EUR', period: 'day', min: 450, max: 600 }],
    ['French daily rate, "jusqu\'à"', 'Taux journalier : jusqu’à 700 € pour un profil confirmé', { currency: 'EUR', period: 'day', min: 700, max: 700 }],
    ['French accented pay word, rate before tax per day', 'Chaque freelance est rémunéré 550€ HT/jour.', { currency: 'EUR', period: 'day', min: 550, max: 550 }],
    ['French net monthly salary without period', 'Nous proposons une rémunération de 2 100 € net', { currency: 'EUR', period: 'month', min: 2100, max: 2100 }],
    ['French internship stipend per month', 'Stage de six mois, gratification : 620,50 euros/mois', { currency: 'EUR', period: 'month', min: 620.5, max: 620.5 }],
  ];
  for (const [name, text, expected] of rules) it(name, () => assert.deepEqual(payFromText(text), expected));

  it('never reads a perk, a donation or a rate without period as pay', () => {
    for (const text of [
      '- $250 stipend for your home office setup',
      '- Meal vouchers: €8 per day',
      '- A £1,000 yearly learning budget',
      'Our average donation is about $15, and we pay fairly.',
      'The platform processes $6 billion in payments a year.',
      'La start-up a levé 1,5 M€ pour recruter et payer son équipe.',
      'Rate: £450',
      'Competitive salary and equity. Contrat de 5 mois.',
    ]) {
      assert.equal(payFromText(text), undefined, text);
    }
  });

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
  it('reads no contract from the interns a job mentors or the apprenticeship a candidate completed', () => {
    const contract = (text: string) => extractFacts({ text }).contract;
    assert.equal(contract('You will mentor interns and supervise two apprentices. Permanent contract.'), 'permanent');
    assert.equal(contract('- A completed apprenticeship as a joiner\n- CDI, 35 h'), 'permanent');
    assert.equal(contract('Apprenticeship completed in carpentry. Full-time employee.'), 'permanent');
    assert.equal(contract('Vous encadrerez deux stagiaires. CDI.'), 'permanent');
    assert.equal(contract('You will coach the apprentices on site.'), undefined);
    assert.equal(contract('A 6-month internship: you will mentor nobody yet.'), 'internship');
    assert.equal(contract('Stage de 6 mois, à pourvoir en mars.'), 'internship');
  });
  it('prefers the source\'s own pay fields to the text', () => {
    const pay = { currency: 'GBP', period: 'hour' as const, min: 12, max: 14 };
    assert.deepEqual(extractFacts({ text: 'Salary: £30,000 a year', pay }).pay, pay);
  });
});

describe('summariseFacts', () => {
  it('gives the share stating pay and the median and quartiles per currency and period', () => {
    const year = (min: number, max: number) => ({ pay: { currency: 'EUR', period: 'year' as const, min, max } });
    const once = (facts: OfferFacts | undefined) => ({ facts, offers: 1 });
    const facts = summariseFacts([year(40000, 50000), year(50000, 60000), year(60000, 70000), { pay: { currency: 'USD', period: 'hour' as const, min: 20, max: 20 } }, {}, undefined].map(once));
    assert.equal(facts.offers, 6);
    assert.equal(facts.payStated, 4);
    assert.deepEqual(facts.pay, [
      { currency: 'EUR', period: 'year', offers: 3, median: 55000, p25: 50000, p75: 60000 },
      { currency: 'USD', period: 'hour', offers: 1, median: 20, p25: 20, p75: 20 },
    ]);
    assert.deepEqual(facts.workplace, { remote: 0, hybrid: 0, onsite: 0, unknown: 6 });
  });
  it('counts a set of facts stated by several offers as each of them, languages most asked first', () => {
    const a: OfferFacts = { pay: { currency: 'EUR', period: 'year', min: 40000, max: 50000 }, experienceYears: 3, workplace: 'remote', languages: ['fr', 'en'] };
    const b: OfferFacts = { pay: { currency: 'USD', period: 'year', min: 90000, max: 90000 }, experienceYears: 8, contract: 'permanent', languages: ['de'] };
    const c: OfferFacts = { experienceYears: 1, education: 'master', languages: ['en'] };
    const counted = summariseFacts([{ facts: a, offers: 3 }, { facts: undefined, offers: 2 }, { facts: b, offers: 1 }, { facts: c, offers: 4 }]);
    const listed = summariseFacts([a, a, a, undefined, undefined, b, c, c, c, c].map((facts) => ({ facts, offers: 1 })));
    assert.deepEqual(counted, listed);
    assert.deepEqual(JSON.stringify(counted.languages), JSON.stringify({ en: 7, fr: 3, de: 1 }));
    assert.deepEqual([counted.offers, counted.payStated, counted.experienceYears?.offers, counted.workplace.unknown], [10, 4, 8, 7]);
  });
  it('interpolates quantiles', () => {
    assert.equal(quantile([1, 2, 3, 4], 0.5), 2.5);
    assert.equal(quantile([3], 0.25), 3);
  });
});

describe('pay from the source\'s own fields', () => {
  it('reads amounts, currencies and periods as datasets, JSON-LD and ATS APIs write them', () => {
    assert.deepEqual(payFromFields({ min: 65000, max: '95,000', currency: 'usd', period: 'yearly' }), { currency: 'USD', period: 'year', min: 65000, max: 95000 });
    assert.deepEqual(payFromFields({ min: '18.5', currency: 'GBP', period: 'HOUR' }), { currency: 'GBP', period: 'hour', min: 18.5, max: 18.5 });
    assert.deepEqual(payFromFields({ min: 3000, max: 3500, currency: 'EUR', period: 'per-month' }), { currency: 'EUR', period: 'month', min: 3000, max: 3500 });
  });
  it('claims nothing without a currency, a period or a plausible amount', () => {
    assert.equal(payFromFields({ min: 65000, max: 95000, period: 'year' }), undefined);
    assert.equal(payFromFields({ min: 65000, currency: 'USD' }), undefined);
    assert.equal(payFromFields({ min: 3, max: 5, currency: 'USD', period: 'year' }), undefined);
    assert.equal(payFromFields({ min: 90000, max: 60000, currency: 'USD', period: 'year' }), undefined);
  });
  it('a JobSpy-like CSV row and a JSON-LD baseSalary become the offer\'s pay', async () => {
    const csv = 'title,company,description,min_amount,max_amount,interval,currency,date_posted,job_url\nBarista,Acme Roasters,"Pull espresso shots all day long for our guests.",24000,28000,yearly,USD,2025-03-04,https://jobs.example.org/1\n';
    const [offer] = (await parseBytes(Buffer.from(csv), 'offers.csv', { extension: '.csv' })).offers;
    assert.deepEqual(offer?.pay, { currency: 'USD', period: 'year', min: 24000, max: 28000 });
    assert.equal(offer?.url, 'https://jobs.example.org/1');
    assert.equal(offer?.datePosted, '2025-03-04');
    const page = `<html><head><script type="application/ld+json">${JSON.stringify({
      '@type': 'JobPosting', title: 'Sommelier', description: 'Run the wine list and train the floor team every week.',
      baseSalary: { '@type': 'MonetaryAmount', currency: 'EUR', value: { '@type': 'QuantitativeValue', minValue: 2400, maxValue: 2800, unitText: 'MONTH' } },
    })}</script></head><body></body></html>`;
    const [posting] = (await parseBytes(Buffer.from(page), 'job.html', { extension: '.html' })).offers;
    assert.deepEqual(posting?.pay, { currency: 'EUR', period: 'month', min: 2400, max: 2800 });
  });
});
