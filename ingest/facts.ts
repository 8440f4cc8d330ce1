import { foldAccents, foldText } from '../src/catalog/normalize.ts';
import type { OfferFacts, PayFact, PayPeriod, Section } from '../src/types.ts';
import { detectWorkplace } from './workplace.ts';

/**
 * Facts an analyst asks of offers (what they pay, how many years they ask for, where the work
 * is, what contract, what degree, which languages), read at ingest from what the source states:
 * structured fields first (JSON-LD `baseSalary`, ATS compensation, dataset columns: `raw.pay`),
 * then the text. Pure. A fact the offer does not state is absent, never guessed.
 */

export interface FactsInput {
  location?: string;
  /** The offer's sections: where a fact is stated, for its citation. */
  sections?: readonly Section[];
  /** Pay from the source's own fields, when it has them. */
  pay?: PayFact;
  text: string;
}

export function extractFacts(input: FactsInput): OfferFacts {
  const folded = foldText(input.text);
  const facts: OfferFacts = {};
  const pay = input.pay ?? payFromText(input.text);
  if (pay) facts.pay = pay;
  const years = experienceYears(folded);
  if (years !== undefined) facts.experienceYears = years;
  const workplace = detectWorkplace(input.location, input.text);
  if (workplace) facts.workplace = workplace;
  const contract = contractType(folded);
  if (contract) facts.contract = contract;
  const education = educationLevel(folded);
  if (education) facts.education = education;
  const languages = languagesRequired(folded);
  if (languages.length > 0) facts.languages = languages;
  // The line stating a fact read from the text, so that an answer can quote it.
  const evidence: NonNullable<OfferFacts['evidence']> = {};
  const stated = (test: (line: string) => boolean) => {
    for (const section of input.sections ?? []) {
      const line = section.text.split('\n').find((l) => l.trim().length > 0 && l.length <= 400 && test(l));
      // Without its list marker: what a quote shows (still a verbatim substring of the text).
      if (line) return { text: line.replace(/^\s*(?:[-*•·▪◦‣–—+]|\d{1,2}[.)])\s+/u, '').trim(), section: section.kind };
    }
    return undefined;
  };
  const payLine = !input.pay && pay ? stated((line) => payFromText(line) !== undefined) : undefined;
  if (payLine) evidence.pay = payLine;
  const yearsLine = years === undefined ? undefined : stated((line) => experienceYears(foldText(line)) === years);
  if (yearsLine) evidence.experienceYears = yearsLine;
  if (Object.keys(evidence).length > 0) facts.evidence = evidence;
  return facts;
}

/*
 * Pay is read from the text folded by foldText (same length, typographic
 * dashes and quotes made ASCII), so "à", "–" and "’" need no cases of their own.
 */

/** Codes and symbols, each with the ISO code it stands for; a bare "$" is resolved in context. */
const CURRENCY_CODES = ['usd', 'cad', 'aud', 'nzd', 'sgd', 'hkd', 'gbp', 'eur', 'chf', 'inr', 'pln', 'sek', 'nok', 'dkk', 'jpy', 'brl', 'mxn', 'zar'];
const CODE = new RegExp(String.raw`\b(${CURRENCY_CODES.join('|')})\b`);
const CURRENCY_SYMBOLS: ReadonlyArray<readonly [RegExp, string]> = [
  [/^(?:ca?|can)\$$/, 'CAD'],
  [/^au?\$$/, 'AUD'],
  [/^nz\$$/, 'NZD'],
  [/^s\$$/, 'SGD'],
  [/^hk\$$/, 'HKD'],
  [/^r\$$/, 'BRL'],
  [/^(?:us)?\$$/, 'USD'],
  [/^£$/, 'GBP'],
  [/^(?:€|euros?)$/, 'EUR'],
  [/^₹$/, 'INR'],
  [/^zł$/, 'PLN'],
  [/^¥$/, 'JPY'],
];
const SYMBOL = String.raw`(?:(?<![a-z])(?:ca|can|c|a|au|nz|s|hk|r|us)\$|\$|£|€|₹|¥|zł)`;
/** "CAD $", "US$", "€", "eur", "euros": a code may come before a dollar sign. */
const CURRENCY = String.raw`(?:\b(?:usd|cad|aud|nzd|sgd|hkd)\s?${SYMBOL}|${SYMBOL}|\b(?:${CURRENCY_CODES.join('|')}|euros?)\b)`;
/** An amount as offers write it: 65k, 65 000, 65,000, 65.000, 66,836.88, 18.50, 1.2m, 20 lakhs. */
const AMOUNT = String.raw`(\d{1,3}(?:[ ,.\u2009]\d{3})+(?:[.,]\d{1,2})?|\d+(?:[.,]\d{1,2})?)(?:\s*(k|m|mm|mn|bn|b|lakhs?|lacs?|crores?|millions?|billions?|milliards?)(?![a-z]))?`;
/** A period written right after an amount ("$175,000/year", "600 € ht/jour", "$45 per hour"). */
const PER = String.raw`(?:\s*(?:ht\s*)?\/\s*(?:yr|year|an|annum|hr|hour|h|heure|mo|month|mois|day|jour|j|wk|week)\b|\s+(?:per|a|an|par)\s+(?:year|annum|an|hour|heure|month|mois|day|jour|week|semaine)\b)?`;
/** How two amounts make a range; nothing at all when a converter dropped the dash ("$140,250$165,000"). */
const RANGE_JOIN = String.raw`\s*(-|~|(?:up\s+)?to|and|et|a|au|jusqu'a|\/|(?=[$£€]))\s*`;
const MONEY_RANGE = new RegExp(
  // A sign after an amount is that amount's unless another amount follows it ("$140,000$165,000").
  String.raw`(${CURRENCY})?\s*${AMOUNT}\s*(${CURRENCY}(?!\s*\d))?${PER}(?:${RANGE_JOIN}(${CURRENCY})?\s*${AMOUNT}\s*(${CURRENCY}(?!\s*\d))?${PER})?`,
  'gu',
);
const ANY_CURRENCY = new RegExp(CURRENCY, 'u');
const PAY_WORDS = /\b(?:salary|salaries|compensation|pay|paid|wages?|rate|remuneration|remunere\w*|salaire|brut|gross|base|ote|earn\w*|tjm|taux journalier|taux horaire|tarif|gratification|per (?:hour|year|annum|month|day)|par (?:mois|an|heure|jour)|mensuel\w*|annuel\w*|an hour|a year|hourly|annual)\b|💰/u;
/** A salary that names no period: four digits are a monthly salary ("1 600 € net"), not a rate. */
const SALARY_WORDS = /\b(?:salary|salaire|net|nets|brut|bruts|gross|gratification|remuneration|remunere\w*)\b/;
const RATE_WORDS = /\b(?:rate|taux|tarif|tjm)\b/;
/** Words before an amount that make it a company figure or a perk, not pay. */
const NOT_PAY_BEFORE = /\b(?:raised|raising|raise of|fundrais\w*|funding|revenues?|valuation|valued at|series [a-f]|levee|leve|chiffre d'affaires|turnover|budget|allowance|reimburs\w*|voucher|prize|donat\w*)\b/;
/** Words right after an amount that make it a company figure or a perk, not pay. */
const NOT_PAY_AFTER = /^[^a-z]{0,4}(?:(?:in|of|de|d')\s*)?(?:funding|revenues?|sales|valuation|arr|assets|users|customers|clients|employees|collaborateurs|salaries|budget|allowance|reimburs\w*|voucher)\b/;
const PERIODS: ReadonlyArray<readonly [RegExp, PayPeriod]> = [
  [/\bper hour\b|\ban hour\b|\/ ?h(?:ou)?r\b|\/ ?h\b|\bhourly\b|\bde l'heure\b|\bpar heure\b|\/ ?heure\b|\bhoraire\b/g, 'hour'],
  [/\bper day\b|\ba day\b|\bdaily\b|\/ ?day\b|\bpar jour\b|\/ ?jour\b|\/ ?j\b|\btjm\b|\bday rate\b|\bjournalier\b/g, 'day'],
  [/\bper week\b|\ba week\b|\bweekly\b|\/ ?w(?:ee)?k\b|\bpar semaine\b|\bhebdomadaire\b/g, 'week'],
  [/\bper month\b|\ba month\b|\bmonthly\b|\/ ?mo(?:nth)?\b|\bpar mois\b|\bmensuel\w*|\/ ?mois\b/g, 'month'],
  [/\bper year\b|\ba year\b|\bper annum\b|\bp\.? ?a\.?(?![a-z])|\bannual(?:ly)?\b|\byearly\b|\/ ?y(?:ea)?r\b|\bpar an\b|\bannuel\w*|\/ ?an\b/g, 'year'],
];
const BOUND_MIN = /\b(?:min(?:imum)?|from|starting(?: at)?|a partir de)\b[^\d]{0,20}$/;
const BOUND_MAX = new RegExp(String.raw`\bmax(?:imum)?\b[^\d\n]{0,25}?(${CURRENCY})?\s*${AMOUNT}`, 'u');

/**
 * Pay stated in the text: the first money amount or range with a currency, in a sentence that
 * talks about pay (or under a heading or label that does, or whose amounts are a range), never a
 * company's funding, revenue or valuation, nor a perk's budget (judged on the words next to the
 * amount, so a long paragraph that also tells the company's story keeps its salary). The period is the one written
 * nearest the amount, otherwise the one its magnitude implies (tens of thousands a year, tens an
 * hour, a salary in thousands a month), otherwise none is claimed. "Minimum: X" followed by
 * "Maximum: Y" is the range X–Y.
 */
export function payFromText(text: string): PayFact | undefined {
  const lines = foldAccents(text).split('\n');
  let heading = '';
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const following = () => lines.slice(i + 1, i + 4).join('\n').toLowerCase();
    for (const sentence of line.split(/(?<=[.!?;])\s+(?=[A-Z*_])/)) {
      const pay = payInSentence(sentence.slice(0, 2_000).toLowerCase(), heading, following);
      if (pay) return pay;
    }
    const trimmed = line.trim().toLowerCase();
    // A heading or a label ("Compensation", "- Salary range:") lends its words to the next line.
    if (trimmed) heading = trimmed.length <= 60 && (!/^[-*•]/.test(trimmed) || trimmed.endsWith(':')) ? trimmed : '';
  }
  return undefined;
}

function payInSentence(sentence: string, heading: string, following: () => string): PayFact | undefined {
  // Every amount MONEY_RANGE keeps has a currency, which this finds where it stands: most
  // sentences have none, and scanning them for amounts is most of the cost of reading pay.
  if (!ANY_CURRENCY.test(sentence)) return undefined;
  for (const match of sentence.matchAll(MONEY_RANGE)) {
    const [, cur1, digits1, mult1, cur2, join, cur3, digits2, mult2, cur4] = match;
    const tokens = [cur1, cur2, cur3, cur4].filter((t): t is string => !!t);
    if (tokens.length === 0) continue;
    const start = match.index!;
    const end = start + match[0].length;
    const before = sentence.slice(Math.max(0, start - 80), start);
    if (NOT_PAY_BEFORE.test(before) || NOT_PAY_AFTER.test(sentence.slice(end, end + 40))) continue;
    // "between X and Y" is a range; "X and 401k" is not.
    let isRange = digits2 !== undefined && (!/^(?:and|et)$/.test(join!) || /\b(?:between|entre)\s*\S*\s*$/.test(before));
    const low = amount(digits1!, mult1 ?? (isRange ? mult2 : undefined));
    let high = isRange ? amount(digits2!, mult2) : low;
    if (low === undefined || high === undefined) continue;
    if (high < low) [isRange, high] = [false, low];
    if (!isRange && !PAY_WORDS.test(sentence) && !PAY_WORDS.test(heading)) continue;
    if (!isRange && BOUND_MIN.test(before)) {
      const max = BOUND_MAX.exec(`${sentence.slice(end)}\n${following()}`);
      const upper = max ? amount(max[2]!, max[3]) : undefined;
      if (upper !== undefined && upper > low) high = upper;
    }
    const from = Math.max(0, start - 50);
    const salaryCue = (SALARY_WORDS.test(sentence) || SALARY_WORDS.test(heading)) && !RATE_WORDS.test(sentence);
    const period =
      nearestPeriod(sentence.slice(from, end + 40), start - from) ??
      nearestPeriod(sentence.slice(end), 0) ??
      nearestPeriod(heading, heading.length) ??
      periodFromMagnitude(high, salaryCue);
    if (!period || !plausible(low, high, period)) continue;
    const currency = currencyOf(tokens, sentence.slice(start));
    if (!currency) continue;
    return { currency, period, min: low, max: high };
  }
  return undefined;
}

/** An ISO code written with the amounts wins over a symbol ("CA$247,000 USD" is in dollars of the US). */
function currencyOf(tokens: readonly string[], rest: string): string | undefined {
  for (const token of tokens) {
    const code = CODE.exec(token)?.[1];
    if (code) return code.toUpperCase();
  }
  const symbol = CURRENCY_SYMBOLS.find(([pattern]) => pattern.test(tokens[0]!))?.[1];
  if (symbol === 'USD' && /^\$$/.test(tokens[0]!.trim())) {
    // A bare "$" takes a dollar code named after it that is no other amount's ("$107,200 … Currency: CAD").
    const code = /\b(usd|cad|aud|nzd|sgd|hkd)\b(?!\s*\$?\s*\d)/.exec(rest)?.[1];
    if (code) return code.toUpperCase();
  }
  return symbol;
}

/** The period whose wording is nearest `anchor` (the amount's offset) in `text`. */
function nearestPeriod(text: string, anchor: number): PayPeriod | undefined {
  let best: { period: PayPeriod; distance: number } | undefined;
  for (const [pattern, period] of PERIODS) {
    for (const m of text.matchAll(pattern)) {
      const distance = Math.abs(m.index! - anchor);
      if (!best || distance < best.distance) best = { period, distance };
    }
  }
  return best?.period;
}

const MULTIPLIERS: Record<string, number> = { k: 1e3, m: 1e6, mm: 1e6, mn: 1e6, million: 1e6, millions: 1e6, b: 1e9, bn: 1e9, billion: 1e9, billions: 1e9, milliard: 1e9, milliards: 1e9, lakh: 1e5, lakhs: 1e5, lac: 1e5, lacs: 1e5, crore: 1e7, crores: 1e7 };

/** "65k" → 65000, "65 000" → 65000, "18.50" → 18.5, "65,000" → 65000, "66,836.88" → 66836.88, "20 lakhs" → 2000000. */
function amount(digits: string, multiplier: string | undefined): number | undefined {
  const grouped = /^(\d{1,3}(?:[ ,.\u2009]\d{3})+)(?:[.,](\d{1,2}))?$/.exec(digits);
  const value = grouped ? Number(`${grouped[1]!.replace(/[ ,.\u2009]/g, '')}.${grouped[2] ?? '0'}`) : Number(digits.replace(',', '.'));
  if (!Number.isFinite(value)) return undefined;
  return value * (multiplier ? MULTIPLIERS[multiplier] ?? 1 : 1);
}

function periodFromMagnitude(high: number, salaryCue: boolean): PayPeriod | undefined {
  if (high >= 10_000) return 'year';
  if (high >= 5 && high <= 300) return 'hour';
  if (high > 300 && salaryCue) return 'month';
  return undefined;
}

const RANGES: Record<PayPeriod, [number, number]> = { hour: [3, 1_000], day: [30, 5_000], week: [100, 20_000], month: [300, 100_000], year: [5_000, 5_000_000] };

function plausible(low: number, high: number, period: PayPeriod): boolean {
  const [min, max] = RANGES[period];
  return low >= min && high <= max && high <= low * 4;
}

const NUMBER_WORDS: Record<string, number> = {
  one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10, twelve: 12, fifteen: 15,
  un: 1, une: 1, deux: 2, trois: 3, quatre: 4, cinq: 5, sept: 7, huit: 8, neuf: 9, dix: 10,
};
const YEARS = new RegExp(
  String.raw`\b(\d{1,2}|${Object.keys(NUMBER_WORDS).join('|')})\s*(?:\+|plus)?\s*(?:(?:-|–|to|a|à)\s*(\d{1,2})\s*)?(?:\+\s*)?(?:years?|yrs?|ans|annees)\b(?:\s+(?:of|d'|de|minimum|min\.?|or more|ou plus|d'experience|of experience|experience|professional|relevant|hands-on|in|dans|sur))*`,
  'g',
);

/**
 * Years of experience asked for: the largest minimum among "N years" phrases that speak of
 * experience (within the same sentence), e.g. "5+ years of experience", "3-5 years in a similar
 * role", "au moins 4 ans d'expérience".
 */
export function experienceYears(folded: string): number | undefined {
  let best: number | undefined;
  for (const sentence of folded.split(/(?<=[.!?;\n])/)) {
    if (!/experien|expertise|track record|background|in a similar role|dans un poste/.test(sentence)) continue;
    for (const match of sentence.matchAll(YEARS)) {
      const word = match[1]!;
      const years = /^\d+$/.test(word) ? Number(word) : NUMBER_WORDS[word];
      if (years === undefined || years < 1 || years > 25) continue;
      best = best === undefined ? years : Math.max(best, years);
    }
  }
  return best;
}

type Contract = NonNullable<OfferFacts['contract']>;
const CONTRACTS: ReadonlyArray<readonly [RegExp, Contract]> = [
  [/\b(?:internship|intern\b|stage de|offre de stage|en stage|stagiaire|alternance|alternant|apprentissage|apprenticeship|apprentice|work[- ]study)/g, 'internship'],
  [/\b(?:fixed[- ]term|cdd\b|temporary (?:contract|position|role)|\d+[- ]month contract|contrat a duree determinee|mission de \d+ mois|temp(?:orary)? role)/g, 'fixed_term'],
  [/\b(?:freelance|freelancer|contractor|independent contractor|contract role|contract position|b2b contract|1099|portage salarial|independant|consultant externe)/g, 'contract'],
  [/\b(?:permanent|cdi\b|contrat a duree indeterminee|full[- ]time employee|open[- ]ended contract)/g, 'permanent'],
  [/\b(?:part[- ]time|temps partiel|mi[- ]temps)/g, 'part_time'],
];
/**
 * A contract word about other people, or about the candidate's past, says nothing of this job's
 * contract: the interns a senior mentors, the trainees a chef supervises, a completed apprenticeship.
 */
const OTHERS_OR_PAST_BEFORE = /\b(?:mentor\w*|supervis\w*|coach\w*|tutor\w*|encadr\w*|completed|finished)\s+(?:[^\s.;:!?]+\s+){0,2}$/;
const PAST_AFTER = /^\w*\s+(?:completed|finished|termine|validee?)\b/;

function contractType(folded: string): Contract | undefined {
  return CONTRACTS.find(([pattern]) => statesOwnContract(folded, pattern))?.[1];
}

/** Whether one mention of the pattern is about this job's own contract (the first such one ends the search). */
function statesOwnContract(folded: string, pattern: RegExp): boolean {
  for (const match of folded.matchAll(pattern)) {
    const start = match.index;
    const end = start + match[0].length;
    if (!OTHERS_OR_PAST_BEFORE.test(folded.slice(Math.max(0, start - 60), start)) && !PAST_AFTER.test(folded.slice(end, end + 30))) return true;
  }
  return false;
}

type Education = NonNullable<OfferFacts['education']>;
const EDUCATION: ReadonlyArray<readonly [RegExp, Education]> = [
  [/\b(?:ph\.? ?d|doctorate|doctoral degree|doctorat)\b/, 'doctorate'],
  [/\b(?:master'?s?(?: degree)?|msc|m\.sc|mba|meng|bac ?\+ ?5|diplome d'ingenieur|ecole d'ingenieur)\b/, 'master'],
  [/\b(?:bachelor'?s?(?: degree)?|bsc|b\.sc|b\.a\.|undergraduate degree|university degree|college degree|degree in|licence (?:en|professionnelle|universitaire)|bac ?\+ ?3|bts|dut)\b/, 'bachelor'],
];

function educationLevel(folded: string): Education | undefined {
  return EDUCATION.find(([pattern]) => pattern.test(folded))?.[1];
}

const LANGUAGES: ReadonlyArray<readonly [RegExp, string]> = [
  [/\b(?:(?:fluent|fluency|proficien\w*|excellent|strong|good|native|business[- ]level|professional)\s+(?:\w+\s+){0,2}english|english (?:is )?(?:required|mandatory|essential|a must|fluency|proficiency)|(?:maitrise|pratique|niveau) (?:de l'|d')anglais|anglais (?:courant|professionnel|requis|exige|indispensable|obligatoire))/, 'en'],
  [/\b(?:(?:fluent|fluency|proficien\w*|excellent|strong|good|native|business[- ]level|professional)\s+(?:\w+\s+){0,2}french|french (?:is )?(?:required|mandatory|essential|a must|fluency|proficiency)|(?:maitrise|pratique|niveau) du francais|francais (?:courant|professionnel|requis|exige|indispensable|obligatoire))/, 'fr'],
  [/\b(?:(?:fluent|fluency|proficien\w*|excellent|strong|good|native|business[- ]level)\s+(?:\w+\s+){0,2}german|german (?:is )?(?:required|mandatory|essential)|allemand (?:courant|requis|exige))/, 'de'],
  [/\b(?:(?:fluent|fluency|proficien\w*|excellent|strong|good|native|business[- ]level)\s+(?:\w+\s+){0,2}spanish|spanish (?:is )?(?:required|mandatory|essential)|espagnol (?:courant|requis|exige))/, 'es'],
];

function languagesRequired(folded: string): string[] {
  return LANGUAGES.filter(([pattern]) => pattern.test(folded)).map(([, code]) => code);
}

const PERIOD_WORDS: Record<string, PayPeriod> = {
  hour: 'hour', hourly: 'hour', hr: 'hour', day: 'day', daily: 'day', week: 'week', weekly: 'week', month: 'month', monthly: 'month',
  year: 'year', yearly: 'year', annual: 'year', annually: 'year', annum: 'year', yr: 'year',
};

/**
 * Pay from a source's own fields: JSON-LD `baseSalary` (MonetaryAmount: `currency`, `value.minValue`,
 * `value.maxValue` or `value.value`, `value.unitText`), ATS compensation (Lever `salaryRange`:
 * `min`, `max`, `currency`, `interval`), dataset columns (JobSpy's `min_amount`, `max_amount`,
 * `currency`, `interval`; `salary_min`, `salary_max`). Undefined unless it is a plausible amount
 * in a named currency and period: a field is trusted as much as the text, no more.
 */
export function payFromFields(fields: { min?: unknown; max?: unknown; currency?: unknown; period?: unknown }): PayFact | undefined {
  const number = (value: unknown) => (typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value.replace(/[\s,]/g, '')) : Number.NaN);
  const min = number(fields.min);
  const max = Number.isFinite(number(fields.max)) ? number(fields.max) : min;
  const low = Number.isFinite(min) ? min : max;
  const currency = typeof fields.currency === 'string' ? fields.currency.trim().toUpperCase() : '';
  const period = typeof fields.period === 'string' ? PERIOD_WORDS[fields.period.trim().toLowerCase().replace(/^per[_\s-]*/, '').replace(/_?rate$/, '')] : undefined;
  if (!Number.isFinite(low) || !Number.isFinite(max) || !/^[A-Z]{3}$/.test(currency) || !period || max < low || !plausible(low, max, period)) return undefined;
  return { currency, period, min: low, max };
}
