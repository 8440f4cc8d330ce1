import { foldAccents } from '../src/catalog/normalize.ts';
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
  const folded = foldAccents(input.text.toLowerCase());
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
  const yearsLine = years === undefined ? undefined : stated((line) => experienceYears(foldAccents(line.toLowerCase())) === years);
  if (yearsLine) evidence.experienceYears = yearsLine;
  if (Object.keys(evidence).length > 0) facts.evidence = evidence;
  return facts;
}

const CURRENCY_SYMBOLS: ReadonlyArray<readonly [RegExp, string]> = [
  [/(?:ca?\$|cad|can\$)/i, 'CAD'],
  [/(?:a\$|aud)/i, 'AUD'],
  [/(?:nz\$|nzd)/i, 'NZD'],
  [/(?:us\$|usd|\$)/i, 'USD'],
  [/(?:£|gbp)/i, 'GBP'],
  [/(?:€|eur|euros?)/i, 'EUR'],
  [/(?:chf)/i, 'CHF'],
  [/(?:₹|inr)/i, 'INR'],
];
const CURRENCY = String.raw`(?:ca\$|can\$|us\$|nz\$|a\$|\$|£|€|₹|\b(?:usd|cad|aud|nzd|gbp|eur|euros?|chf|inr)\b)`;
/** An amount as offers write it: 65k, 65 000, 65,000, 65.000, 18.50, 1.2m. */
const AMOUNT = String.raw`(\d{1,3}(?:[ ,.\u00a0\u202f]\d{3})+|\d+(?:[.,]\d{1,2})?)\s*(k|m)?`;
const RANGE_JOIN = String.raw`\s*(?:-|–|—|to|à|a|and|et|\/)\s*`;
const MONEY_RANGE = new RegExp(
  String.raw`(${CURRENCY})?\s*${AMOUNT}\s*(${CURRENCY})?(?:${RANGE_JOIN}(${CURRENCY})?\s*${AMOUNT}\s*(${CURRENCY})?)?`,
  'giu',
);
const PAY_WORDS = /\b(?:salary|salaries|compensation|pay|paid|wage|rate|remuneration|remunere|salaire|remuneration|brut|gross|base|ote|tjm|💰|per (?:hour|year|annum|month|day)|par (?:mois|an|heure|jour)|mensuel|annuel|an hour|a year|hourly|annual)\b|💰/iu;
const NOT_PAY = /\b(?:raised|funding|revenue|valuation|series [a-e]|million|billion|milliards?|chiffre d'affaires|users|customers|clients|employees|salaries? (?:de|d')|collaborateurs)\b/i;
const PERIODS: ReadonlyArray<readonly [RegExp, PayPeriod]> = [
  [/\b(?:per hour|an hour|a hour|\/ ?h(?:ou)?r\b|hourly|de l'heure|par heure|\/ ?heure|horaire)/i, 'hour'],
  [/\b(?:per day|a day|daily|\/ ?day|par jour|\/ ?jour|tjm|day rate)\b/i, 'day'],
  [/\b(?:per week|a week|weekly|\/ ?week|par semaine)\b/i, 'week'],
  [/\b(?:per month|a month|monthly|\/ ?mo(?:nth)?\b|par mois|mensuel|\/ ?mois)/i, 'month'],
  [/\b(?:per year|a year|per annum|p\.? ?a\.?|annual(?:ly)?|\/ ?y(?:ea)?r\b|par an|annuel|brut annuel|\/ ?an\b)/i, 'year'],
];

/**
 * Pay stated in the text: a money amount or range with a currency, on a line that talks about
 * pay (or whose amounts are a range), never a company's funding or revenue. The period is the
 * one the line names, otherwise the one the magnitude implies (tens of thousands a year, tens an
 * hour), otherwise none is claimed.
 */
export function payFromText(text: string): PayFact | undefined {
  for (const line of text.split('\n')) {
    if (line.length > 400 || NOT_PAY.test(foldAccents(line.toLowerCase()))) continue;
    for (const match of line.matchAll(MONEY_RANGE)) {
      const currencyText = match[1] ?? match[4] ?? match[5] ?? match[8];
      if (!currencyText) continue;
      const low = amount(match[2]!, match[3] ?? match[7]);
      const isRange = match[6] !== undefined;
      const high = isRange ? amount(match[6]!, match[7]) : low;
      if (low === undefined || high === undefined || high < low) continue;
      if (!isRange && !PAY_WORDS.test(line)) continue;
      const period = PERIODS.find(([pattern]) => pattern.test(line))?.[1] ?? periodFromMagnitude(high);
      if (!period || !plausible(low, high, period)) continue;
      const currency = CURRENCY_SYMBOLS.find(([pattern]) => pattern.test(currencyText))![1];
      return { currency, period, min: low, max: high };
    }
  }
  return undefined;
}

/** "65k" → 65000, "65 000" → 65000, "18.50" → 18.5, "65,000" → 65000, "1.2m" → 1200000. */
function amount(digits: string, multiplier: string | undefined): number | undefined {
  const grouped = /^\d{1,3}(?:[ ,.\u00a0\u202f]\d{3})+$/.test(digits);
  const value = grouped ? Number(digits.replace(/[ ,.\u00a0\u202f]/g, '')) : Number(digits.replace(',', '.'));
  if (!Number.isFinite(value)) return undefined;
  const scale = multiplier?.toLowerCase() === 'k' ? 1_000 : multiplier?.toLowerCase() === 'm' ? 1_000_000 : 1;
  return value * scale;
}

function periodFromMagnitude(high: number): PayPeriod | undefined {
  if (high >= 10_000) return 'year';
  if (high >= 5 && high <= 300) return 'hour';
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
  [/\b(?:internship|intern\b|stage de|offre de stage|en stage|stagiaire|alternance|alternant|apprentissage|apprenticeship|apprentice|work[- ]study)/, 'internship'],
  [/\b(?:fixed[- ]term|cdd\b|temporary (?:contract|position|role)|\d+[- ]month contract|contrat a duree determinee|mission de \d+ mois|temp(?:orary)? role)/, 'fixed_term'],
  [/\b(?:freelance|freelancer|contractor|independent contractor|contract role|contract position|b2b contract|1099|portage salarial|independant|consultant externe)/, 'contract'],
  [/\b(?:permanent|cdi\b|contrat a duree indeterminee|full[- ]time employee|open[- ]ended contract)/, 'permanent'],
  [/\b(?:part[- ]time|temps partiel|mi[- ]temps)/, 'part_time'],
];

function contractType(folded: string): Contract | undefined {
  return CONTRACTS.find(([pattern]) => pattern.test(folded))?.[1];
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
