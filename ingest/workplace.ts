import { foldText } from '../src/catalog/normalize.ts';

/** Where the work is done, as offers state it. */
export const WORKPLACES = ['remote', 'hybrid', 'onsite'] as const;
export type Workplace = (typeof WORKPLACES)[number];

const REMOTE = /(?<![a-z])(?:remote|anywhere|work from home|wfh|home[- ]based|teletravail (?:total|complet|integral)|full[- ]?remote|100 ?% (?:remote|teletravail)|a distance|distanciel)(?![a-z])/;
const HYBRID = /(?<![a-z])(?:hybrid|hybride|teletravail partiel|partial(?:ly)? remote|\d+ days? (?:a week )?(?:in|at) (?:the )?office|jours? de teletravail)(?![a-z])/;
const ONSITE = /(?<![a-z])(?:on[- ]?site|in[- ]office|in[- ]person|sur site|presentiel|office[- ]based|no remote)(?![a-z])/;
/** What the text says when the location field does not: a policy phrase, not a passing "remote". */
const REMOTE_POLICY = /(?<![a-z])(?:fully remote|remote[- ]first|100 ?% remote|remote (?:position|role|job|work(?:ing)? is possible)|work (?:fully )?remotely|teletravail (?:total|complet|integral)|full[- ]?remote)(?![a-z])/;

/**
 * The offer's workplace, from its location field first (a job board's "Remote" or "Hybrid -
 * Paris" is the employer's own classification), then from policy phrases in the text. A location
 * that names a place and a text that says nothing about remote work mean on site; nothing at all
 * is unknown (undefined), never guessed.
 */
export function detectWorkplace(location: string | undefined, text: string): Workplace | undefined {
  const place = foldText(location ?? '');
  if (HYBRID.test(place)) return 'hybrid';
  if (REMOTE.test(place)) return 'remote';
  if (ONSITE.test(place)) return 'onsite';
  const body = foldText(text);
  if (HYBRID.test(body)) return 'hybrid';
  if (REMOTE_POLICY.test(body)) return 'remote';
  if (ONSITE.test(body)) return 'onsite';
  return place.trim() && !REMOTE.test(body) ? 'onsite' : undefined;
}

/**
 * A posting date as an ISO day (YYYY-MM-DD), from what sources write: ISO dates and times, RFC
 * 2822 dates, epoch seconds or milliseconds (ATS APIs), "2024-03". Undefined when it is not a
 * plausible date, so a garbled column never files an offer under a wrong month.
 */
export function normaliseDate(value: string | undefined): string | undefined {
  const text = value?.trim();
  if (!text) return undefined;
  const month = /^(\d{4})-(\d{2})$/.exec(text);
  if (month) return `${month[1]}-${month[2]}-01`;
  // The day the source wrote, not the UTC day of its instant: "2024-03-05T23:30-05:00" was posted on the 5th.
  const day = /^(\d{4}-\d{2}-\d{2})(?:[T ]|$)/.exec(text);
  if (day && Number.isFinite(Date.parse(day[1]!))) return plausible(day[1]!);
  const epoch = /^\d{9,13}$/.test(text) ? Number(text) * (text.length <= 10 ? 1000 : 1) : Date.parse(text);
  if (!Number.isFinite(epoch)) return undefined;
  return plausible(new Date(epoch).toISOString().slice(0, 10));
}

function plausible(day: string): string | undefined {
  const year = Number(day.slice(0, 4));
  return year >= 1990 && year <= 2100 ? day : undefined;
}
