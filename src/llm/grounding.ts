import { escapeRegExp } from '../catalog/normalize.ts';
import { findRolesInText, OTHER_ROLE, type RoleCatalog } from '../catalog/roles.ts';
import type { Answer, Citation, Claim } from '../query/types.ts';

/**
 * What a model's sentence may state beyond its quotes: numbers, and the roles it talks about.
 * The model is given the statistics and asked to keep their numbers; a number it writes that
 * the statistics (or the claim's own quotes) do not contain is invented ("14 of 14 SRE offers
 * pay over $900k"), and a role it talks about must be one of the claim's roles, hence backed by
 * a quote of that role, unless the role is only named in a count the statistics give for it
 * ("vs 1 of 14 DevOps Engineer offers"). Numbers are compared as numbers, whatever their
 * spelling: "9", "nine", "9.0", "$900k", "120,000", "64 %", "64 percent".
 */

/** Spelled-out cardinals (English, French). "one"/"un"/"une" are left out: they are pronouns and articles far more often. */
const NUMBER_WORDS: Record<string, number> = {
  zero: 0, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10,
  eleven: 11, twelve: 12, thirteen: 13, fourteen: 14, fifteen: 15, sixteen: 16, seventeen: 17,
  eighteen: 18, nineteen: 19, twenty: 20, thirty: 30, forty: 40, fifty: 50, sixty: 60, seventy: 70,
  eighty: 80, ninety: 90, hundred: 100, dozen: 12,
  zéro: 0, deux: 2, trois: 3, quatre: 4, cinq: 5, sept: 7, huit: 8, neuf: 9, dix: 10, onze: 11,
  douze: 12, treize: 13, quatorze: 14, quinze: 15, seize: 16, vingt: 20, trente: 30, quarante: 40,
  cinquante: 50, soixante: 60, cent: 100,
};
const TENS = ['twenty', 'thirty', 'forty', 'fifty', 'sixty', 'seventy', 'eighty', 'ninety'];
const UNITS = ['one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine'];

const NUMBER = [
  '\\d{1,3}(?:,\\d{3})+(?!\\d)',
  '\\d+(?:[.,]\\d+)?',
  `(?:${TENS.join('|')})-(?:${UNITS.join('|')})`,
  ...Object.keys(NUMBER_WORDS).sort((a, b) => b.length - a.length),
].join('|');

const SCALES: Record<string, number> = { k: 1e3, thousand: 1e3, mille: 1e3, m: 1e6, million: 1e6, millions: 1e6, bn: 1e9, billion: 1e9, x: 1, '×': 1 };

/** Words that talk about every compared role at once. */
const ALL_ROLES = /\b(?:both|all|each|every)(?:\s+of\s+the)?\s+(?:\w+\s+)?roles?\b|\b(?:les\s+deux|tous\s+les|chaque)\s+(?:\p{L}+\s+)?(?:rôles?|métiers?|postes?)\b/iu;

function numberValue(token: string): number {
  const word = token.toLowerCase();
  if (word in NUMBER_WORDS) return NUMBER_WORDS[word]!;
  const [tens, unit] = word.split('-');
  if (tens && unit && TENS.includes(tens)) return NUMBER_WORDS[tens]! + UNITS.indexOf(unit) + 1;
  if (/^\d{1,3}(?:,\d{3})+$/.test(token)) return Number(token.replace(/,/g, ''));
  return Number(token.replace(',', '.'));
}

/** A count of a total ("9 of 14") or a share ("64%"), with the role named right after it, if any. */
interface RoleFigure {
  role?: string;
  /** Where it is in the text: a role named inside a figure the statistics give is backed by them. */
  span: [number, number];
}

/** The numbers of a text, by kind. */
export interface StatedNumbers {
  counts: Array<RoleFigure & { count: number; total: number }>;
  percents: Array<RoleFigure & { percent: number }>;
  values: number[];
}

function numbersPattern(roles: readonly string[]): RegExp {
  const names = [...roles].sort((a, b) => b.length - a.length).map(escapeRegExp).join('|');
  // "9 of 14 SRE offers", "64% of SRE offers", "64% of the SREs".
  const role = (group: string, lead: string) =>
    names ? `(?:${lead}\\s+(?:the\\s+)?(?<${group}>${names})(?:s\\b|(?![\\p{L}\\p{N}])))?` : '';
  return new RegExp(
    `(?<![\\p{L}\\p{N}_])(?<a>${NUMBER})(?:` +
      `\\s*(?:of|out\\s+of|sur|/)\\s*(?:the\\s+|les\\s+)?(?<b>${NUMBER})(?![\\p{L}\\p{N}])${role('countRole', '')}` +
      `|\\s*(?<percent>%|percent(?!\\p{L})|per\\s+cent(?!\\p{L})|pour\\s+cent(?!\\p{L})|pct(?!\\p{L}))${role('shareRole', '\\s+(?:of|des)')}` +
      `|\\s*(?<scale>${Object.keys(SCALES).join('|')})(?![\\p{L}\\p{N}])` +
      `|(?![\\p{L}\\p{N}]))`,
    'giu',
  );
}

/** Every number `text` states; `roles` are the names a count or a share may be followed by. */
export function statedNumbers(text: string, roles: readonly string[]): StatedNumbers {
  const found: StatedNumbers = { counts: [], percents: [], values: [] };
  const roleNamed = (name: string | undefined) => (name ? roles.find((r) => r.toLowerCase() === name.toLowerCase()) : undefined);
  for (const match of text.matchAll(numbersPattern(roles))) {
    const groups = match.groups ?? {};
    const a = numberValue(groups.a!);
    const span: [number, number] = [match.index, match.index + match[0].length];
    if (groups.b !== undefined) {
      const role = roleNamed(groups.countRole);
      found.counts.push({ count: a, total: numberValue(groups.b), ...(role ? { role } : {}), span });
    } else if (groups.percent !== undefined) {
      const role = roleNamed(groups.shareRole);
      found.percents.push({ percent: a, ...(role ? { role } : {}), span });
    } else {
      found.values.push(a * (groups.scale ? SCALES[groups.scale.toLowerCase()]! : 1));
    }
  }
  return found;
}

/** The numbers a sentence may state: those of the statistics given to the model, and of its quotes. */
export interface NumberFacts {
  /** `count/total/role` (role lower-cased, empty when any role will do). */
  counts: Set<string>;
  /** Shares in percent; a role's own, or (no role) of any. */
  percents: Array<{ percent: number; role?: string }>;
  values: Set<number>;
}

const countKey = (count: number, total: number, role = '') => `${count}/${total}/${role.toLowerCase()}`;
/** Values compare to the hundredth: the data gives scores rounded so. */
const valueKey = (value: number) => Math.round(value * 100);

function addNumbers(facts: NumberFacts, stated: StatedNumbers): void {
  for (const { count, total, role } of stated.counts) {
    facts.counts.add(countKey(count, total));
    if (role) facts.counts.add(countKey(count, total, role));
    facts.values.add(valueKey(count)).add(valueKey(total));
  }
  // Which role a share in a text belongs to is not known: it backs any unattributed share.
  for (const { percent } of stated.percents) facts.percents.push({ percent });
  for (const value of stated.values) facts.values.add(valueKey(value));
}

/** What every sentence of a reply may rely on: the offline answer's statistics and texts. */
export interface Grounding {
  roles: readonly string[];
  facts: NumberFacts;
  catalog?: RoleCatalog;
}

/**
 * The numbers given to the model: offers per role, each theme's count, total, share and score,
 * and whatever numbers the findings, the closing line, the labels and the role names state.
 */
export function groundingOf(offline: Answer, catalog?: RoleCatalog): Grounding {
  const roles = offline.roles.map((r) => r.name);
  const facts: NumberFacts = { counts: new Set(), percents: [], values: new Set([valueKey(roles.length)]) };
  for (const role of offline.roles) facts.values.add(valueKey(role.offers));
  for (const theme of offline.themes) {
    facts.values.add(valueKey(theme.score));
    for (const [role, share] of Object.entries(theme.perRole)) {
      const total = share.total ?? offline.roles.find((r) => r.name === role)?.offers ?? 0;
      facts.counts.add(countKey(share.offers, total)).add(countKey(share.offers, total, role));
      facts.values.add(valueKey(share.offers)).add(valueKey(total));
      facts.percents.push({ percent: share.share * 100, role });
    }
  }
  const texts = [...offline.claims.map((c) => c.text), offline.sample ?? '', ...offline.themes.map((t) => t.label), ...roles];
  for (const text of texts) addNumbers(facts, statedNumbers(text, roles));
  return { roles, facts, ...(catalog ? { catalog } : {}) };
}

/** A share within a point of one given ("64%", "64.3%" and "65%" all say 9 of 14), of the same role when it names one. */
function percentKnown(percent: number, role: string | undefined, known: NumberFacts['percents']): boolean {
  return known.some((p) => Math.abs(p.percent - percent) < 1 && (!role || p.role === role));
}

/** The roles a text talks about: by name or alias, or all of them at once ("both roles"). */
function rolesTalkedAbout(text: string, grounding: Grounding): Set<string> {
  const named = new Set(grounding.catalog ? findRolesInText(text, grounding.catalog).filter((r) => r !== OTHER_ROLE) : []);
  for (const role of grounding.roles) {
    if (new RegExp(`(?<![\\p{L}\\p{N}])${escapeRegExp(role)}(?:s\\b|(?![\\p{L}\\p{N}]))`, 'iu').test(text)) named.add(role);
  }
  if (ALL_ROLES.test(text)) for (const role of grounding.roles) named.add(role);
  return named;
}

/**
 * What a model's sentence states that its citations and the statistics do not support: numbers
 * they do not contain, and roles it talks about that are not among its roles. Messages say how
 * many and which kind, never the text.
 */
export function groundingProblems(claim: Claim, cited: readonly Citation[], grounding: Grounding): string[] {
  const facts: NumberFacts = { counts: new Set(grounding.facts.counts), percents: [...grounding.facts.percents], values: new Set(grounding.facts.values) };
  for (const citation of cited) addNumbers(facts, statedNumbers(citation.quote, grounding.roles));
  const stated = statedNumbers(claim.text, grounding.roles);
  let text = claim.text;
  const checked = (known: boolean, { role, span }: RoleFigure) => {
    // A role named in a figure the statistics give for it is backed by them, not by a quote.
    if (known && role) text = text.slice(0, span[0]) + ' '.repeat(span[1] - span[0]) + text.slice(span[1]);
    return known;
  };
  const unknown =
    stated.counts.filter((c) => !checked(facts.counts.has(countKey(c.count, c.total, c.role)), c)).length +
    stated.percents.filter((p) => !checked(percentKnown(p.percent, p.role, facts.percents), p)).length +
    stated.values.filter((v) => !facts.values.has(valueKey(v))).length;
  const problems: string[] = [];
  if (unknown > 0) problems.push(`states ${unknown === 1 ? 'a number' : `${unknown} numbers`} that the statistics and its quotes do not give`);
  for (const role of rolesTalkedAbout(text, grounding)) {
    if (!claim.roles.includes(role)) problems.push(`talks about ${role}, which is not among its roles`);
  }
  return problems;
}
