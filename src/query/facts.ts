import type { FactCount } from '../records/record-store.ts';
import type { OfferFacts, PayPeriod } from '../types.ts';

/**
 * A group's facts (the contract's `roles[].facts`): from its offers' own statements
 * (ingest/facts.ts), the share stating each, and for pay and experience the median and quartiles.
 * Pay is summarised per currency and period, never converted: a list when offers state several.
 */

export interface PaySummary {
  currency: string;
  period: PayPeriod;
  /** Offers stating pay in this currency and period. */
  offers: number;
  /** Of the midpoints of the stated ranges. */
  median: number;
  p25: number;
  p75: number;
}

export interface GroupFacts {
  /** Offers the facts were read from (the group's offers, or its sample). */
  offers: number;
  pay: PaySummary | PaySummary[] | null;
  /** Offers stating any pay: the share of the group that does. */
  payStated: number;
  experienceYears: { offers: number; median: number; p25: number; p75: number; distribution: Record<string, number> } | null;
  workplace: { remote: number; hybrid: number; onsite: number; unknown: number };
  contract: { permanent: number; fixed_term: number; contract: number; internship: number; part_time: number; unknown: number };
  education: { none_stated: number; bachelor: number; master: number; doctorate: number };
  languages: Record<string, number>;
}

/** Linear-interpolated quantile of sorted values (the usual "type 7"). */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const at = (sorted.length - 1) * q;
  const low = Math.floor(at);
  const high = Math.ceil(at);
  return sorted[low]! + (sorted[high]! - sorted[low]!) * (at - low);
}

const round = (x: number) => Math.round(x * 100) / 100;

function spread(values: number[]): { median: number; p25: number; p75: number } {
  const sorted = [...values].sort((a, b) => a - b);
  return { median: round(quantile(sorted, 0.5)), p25: round(quantile(sorted, 0.25)), p75: round(quantile(sorted, 0.75)) };
}

/** Experience buckets people read: 0–1, 2–3, 4–5, 6–9, 10+ years. */
function bucket(years: number): string {
  if (years <= 1) return '0-1';
  if (years <= 3) return '2-3';
  if (years <= 5) return '4-5';
  if (years <= 9) return '6-9';
  return '10+';
}

/** A group's facts table from the distinct sets its offers state and how many state each (RecordStore.factCounts). */
export function summariseFacts(counted: readonly FactCount[]): GroupFacts {
  const facts = counted.map(({ facts, offers }) => ({ facts: facts ?? {}, offers }));
  const byMoney = new Map<string, { currency: string; period: PayPeriod; values: number[] }>();
  for (const { facts: { pay }, offers } of facts) {
    if (!pay) continue;
    const key = `${pay.currency}/${pay.period}`;
    const entry = byMoney.get(key) ?? { currency: pay.currency, period: pay.period, values: [] };
    byMoney.set(key, entry);
    for (let i = 0; i < offers; i++) entry.values.push((pay.min + pay.max) / 2);
  }
  const pays = [...byMoney.values()]
    .sort((a, b) => b.values.length - a.values.length || (a.currency < b.currency ? -1 : 1))
    .map((p): PaySummary => ({ currency: p.currency, period: p.period, offers: p.values.length, ...spread(p.values) }));
  const years = facts.flatMap(({ facts: f, offers }) => (f.experienceYears === undefined ? [] : Array<number>(offers).fill(f.experienceYears)));
  const distribution: Record<string, number> = { '0-1': 0, '2-3': 0, '4-5': 0, '6-9': 0, '10+': 0 };
  for (const y of years) distribution[bucket(y)]!++;
  const count = <K extends string>(keys: readonly K[], of: (f: OfferFacts) => K | undefined, none: string) => {
    const counts = Object.fromEntries([...keys, none].map((k) => [k, 0])) as Record<string, number>;
    for (const { facts: f, offers } of facts) counts[of(f) ?? none]! += offers;
    return counts;
  };
  const languageCounts = new Map<string, number>();
  for (const { facts: f, offers } of facts) for (const code of f.languages ?? []) languageCounts.set(code, (languageCounts.get(code) ?? 0) + offers);
  // Most asked first, as the other rows: the order offers happened to be counted in says nothing.
  const languages = Object.fromEntries([...languageCounts].sort(([a, m], [b, n]) => n - m || (a < b ? -1 : 1)));
  return {
    offers: facts.reduce((n, f) => n + f.offers, 0),
    pay: pays.length === 0 ? null : pays.length === 1 ? pays[0]! : pays,
    payStated: pays.reduce((n, p) => n + p.offers, 0),
    experienceYears: years.length === 0 ? null : { offers: years.length, ...spread(years), distribution },
    workplace: count(['remote', 'hybrid', 'onsite'] as const, (f) => f.workplace, 'unknown') as GroupFacts['workplace'],
    contract: count(['permanent', 'fixed_term', 'contract', 'internship', 'part_time'] as const, (f) => f.contract, 'unknown') as GroupFacts['contract'],
    education: count(['bachelor', 'master', 'doctorate'] as const, (f) => f.education, 'none_stated') as GroupFacts['education'],
    languages,
  };
}
