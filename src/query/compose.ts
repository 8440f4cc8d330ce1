import { markdownSource, markdownText } from '../report/sanitize.ts';
import type { SectionKind } from '../types.ts';
import { aspectLabel, aspectSections, type Aspect } from './question.ts';
import { cutQuote, isReadableQuote, normaliseSpace } from './quotes.ts';
import { isBoilerplate } from './boilerplate.ts';
import { compareText, conclusiveDifference, selectThemes, type SelectOptions } from './stats.ts';
import type { Answer, Citation, Claim, Evidence, RoleSummary, ThemeStat } from './types.ts';

/**
 * The offline answer: an analyst's memo written from the statistics and the retrieved
 * evidence alone, with no model. Every point it makes is a claim with at least one verbatim
 * quote; a point that cannot be quoted is left out rather than stated bare.
 */

/** What composing needs of the theme catalogue. */
export interface ThemeLookup {
  label(id: string): string;
  category(id: string): string;
  /** Where the theme is mentioned in a text, as [start, end) ranges. */
  spans(text: string, id: string): Array<[number, number]>;
}

export interface ComposeInput {
  question: string;
  aspects: readonly Aspect[];
  roles: readonly RoleSummary[];
  /** The statistics of each aspect's sections (computeThemeStats or bootstrapStability). */
  statsByAspect: Map<string, ThemeStat[]>;
  /** themeId → role → retrieved chunks mentioning it, from any section. */
  evidenceByTheme: Map<string, Map<string, Evidence[]>>;
  themes: ThemeLookup;
  /** Appended to the closing line, e.g. how the offers were sampled. */
  sampleNote?: string;
  warnings?: readonly string[];
  select?: SelectOptions;
  /** Quotes per distinctive point (default 2); shared points quote one offer per role. */
  quotesPerPoint?: number;
}

interface Quoted {
  evidence: Evidence;
  quote: string;
}

/** Citation ids in order of first use; the same quote of the same offer keeps its id. */
function citationBook() {
  const byKey = new Map<string, Citation>();
  return {
    cite({ evidence, quote }: Quoted): string {
      const key = `${evidence.offerId}\u0000${quote}`;
      const known = byKey.get(key);
      if (known) return known.id;
      const citation: Citation = {
        id: `c${byKey.size + 1}`,
        offerId: evidence.offerId,
        role: evidence.role,
        section: evidence.section,
        title: evidence.title,
        company: evidence.company,
        source: evidence.source,
        quote,
      };
      byKey.set(key, citation);
      return citation.id;
    },
    list: (): Citation[] => [...byKey.values()],
  };
}

/** A quote is a whole sentence or list item up to this length; longer ones are cut at clauses, then words. */
const QUOTE_MAX_LENGTH = 400;

/** Themes about what boilerplate says (diversity, accessibility, vaccination) may quote it. */
function allowsBoilerplate(theme: string): boolean {
  return /divers|inclus|equal|accessib|privacy|vaccin|covid|disabilit/i.test(theme);
}

/** The best chunk of each role that mentions the theme in the aspect's sections, quoted. */
function quotable(
  evidence: readonly Evidence[],
  role: string,
  theme: string,
  sections: readonly SectionKind[],
  themes: ThemeLookup,
): Quoted[] {
  return evidence
    .filter((e) => e.role === role && sections.includes(e.section))
    .sort((a, b) => b.score - a.score || compareText(a.chunkId, b.chunkId))
    .flatMap((e) => {
      // The first mention that makes a whole, readable, job-specific quote: a fragment ("Alerts"),
      // a heading or an equal-opportunity statement is not evidence of what the job asks.
      for (const span of themes.spans(e.text, theme)) {
        const quote = normaliseSpace(cutQuote(e.text, span, QUOTE_MAX_LENGTH));
        if (isReadableQuote(quote) && (allowsBoilerplate(theme) || !isBoilerplate(quote))) return [{ evidence: e, quote }];
      }
      return [];
    });
}

/**
 * Up to `limit` quotes, taken in turn from each role's list so every role is heard, and from
 * different companies so one employer's wording does not stand for the whole role.
 */
function pickQuotes(perRole: Quoted[][], limit: number): Quoted[] {
  const picked: Quoted[] = [];
  const companies = new Set<string>();
  const queues = perRole.map((list) => [...list]);
  while (picked.length < limit && queues.some((q) => q.length > 0)) {
    for (const queue of queues) {
      if (picked.length >= limit) break;
      while (queue.length > 0) {
        const next = queue.shift() as Quoted;
        const company = normaliseSpace(next.evidence.company).toLowerCase() || next.evidence.offerId;
        if (companies.has(company)) continue;
        companies.add(company);
        picked.push(next);
        break;
      }
    }
  }
  return picked;
}

/** The company, or the offer's title when the company is unknown. */
function companyOf(offer: { company: string; title: string }): string {
  const company = normaliseSpace(offer.company);
  return company && !/^unknown/i.test(company) ? company : normaliseSpace(offer.title);
}

/** A quote under its point, `  > "quote" (Company) [c1]`: offer text is escaped, so only our marker is one. */
export function quoteLine(quote: string, offer: { company: string; title: string }, id: string): string {
  return `  > "${markdownText(quote)}" (${markdownText(companyOf(offer))}) [${id}]`;
}

function percent(share: number): string {
  return `${Math.round(share * 100)}%`;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function listing(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}

/**
 * "9 of 14 SRE offers"; with "(64%)" when the roles' sizes differ enough that counts alone
 * would mislead (140 of 240 against 60 of 100).
 */
function roleCount(stat: ThemeStat, role: RoleSummary, withShare: boolean): string {
  const share = stat.perRole[role.name];
  const total = share?.total ?? role.offers;
  const offers = share?.offers ?? 0;
  const count = `${offers} of ${total} ${role.name} offer${total === 1 ? '' : 's'}`;
  return withShare ? `${count} (${percent(total > 0 ? offers / total : 0)})` : count;
}

function unevenSizes(roles: readonly RoleSummary[]): boolean {
  const sizes = roles.map((r) => r.offers);
  return Math.max(...sizes) > 1.2 * Math.min(...sizes);
}

/** What the sentences of an aspect are about ("missions", "offers"), and what they do with a theme. */
const ASPECT_PHRASES: Record<Aspect, { noun: string; verb: string }> = {
  missions: { noun: 'missions', verb: 'involve' },
  requirements: { noun: 'offers', verb: 'ask for' },
  nice_to_have: { noun: 'nice-to-haves', verb: 'include' },
  benefits: { noun: 'benefits', verb: 'mention' },
  company: { noun: 'offers', verb: 'mention' },
  other: { noun: 'offers', verb: 'mention' },
  tools: { noun: 'offers', verb: 'name' },
  experience: { noun: 'offers', verb: 'ask for' },
  soft_skills: { noun: 'offers', verb: 'ask for' },
  remote: { noun: 'offers', verb: 'mention' },
};

function shareOf(stat: ThemeStat, role: RoleSummary): number {
  const s = stat.perRole[role.name];
  return s && (s.total ?? role.offers) > 0 ? s.offers / (s.total ?? role.offers) : 0;
}

/**
 * A theme's label inside a sentence: "Capacity planning" becomes "capacity planning", while
 * names keep their capitals (tools such as "Docker", acronyms such as "SLOs" or "CI/CD").
 */
export function labelInSentence(label: string, category: string): string {
  if (category === 'tool' || !/^\p{Lu}\p{Ll}/u.test(label)) return label;
  return label.charAt(0).toLowerCase() + label.slice(1);
}

/**
 * A distinctive point as a sentence: "SRE offers ask for SLOs and error budgets far more
 * often: 15 of 15 SRE offers vs 2 of 14 DevOps Engineer offers." "Far" when the role's share
 * is at least three times every other's; a verdict that flips in many bootstrap resamples says so.
 */
export function distinctiveSentence(aspect: Aspect, stat: ThemeStat, label: string, role: RoleSummary, others: readonly RoleSummary[]): string {
  const { noun, verb } = ASPECT_PHRASES[aspect];
  const withShare = unevenSizes([role, ...others]);
  const own = shareOf(stat, role);
  const far = others.every((o) => shareOf(stat, o) * 3 <= own + 1e-9);
  const shaky =
    stat.stability !== undefined && stat.stability < SHAKY_STABILITY
      ? `; it holds in only ${percent(stat.stability)} of bootstrap resamples, so treat it as tentative`
      : '';
  return (
    `${role.name} ${noun} ${verb} ${label} ${far ? 'far ' : ''}more often: ` +
    `${roleCount(stat, role, withShare)} vs ${listing(others.map((r) => roleCount(stat, r, withShare)))}${shaky}.`
  );
}

/**
 * A shared point as a sentence: "Offers of both roles ask for Python: 13 of 15 SRE offers and
 * 11 of 14 DevOps Engineer offers." A visible gap that the test did not retain is called
 * inconclusive, so the reader does not take it for a finding.
 */
export function sharedSentence(aspect: Aspect, stat: ThemeStat, label: string, roles: readonly RoleSummary[]): string {
  const { noun, verb } = ASPECT_PHRASES[aspect];
  const withShare = unevenSizes(roles);
  const shares = roles.map((r) => shareOf(stat, r));
  const gap = Math.max(...shares) - Math.min(...shares) >= 0.15 ? ', a gap too small to be conclusive at this sample size' : '';
  const subject = `${noun.charAt(0).toUpperCase()}${noun.slice(1)} of ${roles.length === 2 ? 'both roles' : `all ${roles.length} roles`}`;
  return `${subject} ${verb} ${label}: ${listing(roles.map((r) => roleCount(stat, r, withShare)))}${gap}.`;
}

/**
 * When even the smallest conclusive difference is this large (about 12 offers per role or
 * fewer), the memo says outright that the sample is too small to conclude on most themes.
 */
const TOO_SMALL_TO_CONCLUDE = 0.5;

/** Below this bootstrap stability, a distinctive point says how often it held. */
const SHAKY_STABILITY = 0.8;

/** The closing line: sample sizes and what differences they can show. */
export function describeSample(roles: readonly RoleSummary[], sampleNote?: string): string {
  const sizes = roles.map((r) => r.offers).sort((a, b) => a - b);
  const range = sizes.length >= 2 ? conclusiveDifference(sizes[0] as number, sizes[1] as number) : undefined;
  const points = (d: number) => Math.round(d * 100);
  const power = range
    ? (range.smallest >= TOO_SMALL_TO_CONCLUDE ? 'These samples are too small to conclude on most themes. ' : '') +
      `With these samples, differences below ${points(range.smallest)} percentage points are not conclusive` +
      (points(range.largest) > points(range.smallest)
        ? `, and up to ${points(range.largest)} points may not be, depending on the shares.`
        : '.')
    : 'With so few offers, no difference between roles can be called distinctive.';
  const sample = `Sample: ${listing(roles.map((r) => plural(r.offers, `${r.name} offer`)))}.`;
  return [sample, power, sampleNote?.trim()].filter(Boolean).join(' ');
}

export function composeAnswer(input: ComposeInput): Answer {
  const book = citationBook();
  const claims: Claim[] = [];
  const warnings = [...(input.warnings ?? [])];
  const activeRoles = input.roles.filter((r) => r.offers > 0);
  const lines: string[] = [
    `Comparing ${listing(input.roles.map((r) => `**${r.name}** (${plural(r.offers, 'offer')})`))} on ` +
      `${listing(input.aspects.map((a) => aspectLabel(a).toLowerCase()))}, from what their job offers say.`,
  ];

  const inSentence = (stat: ThemeStat) => labelInSentence(stat.label, input.themes.category(stat.theme));

  /** Writes one cited point, or warns and writes nothing when no quote supports it. */
  const point = (aspect: Aspect, stat: ThemeStat, roles: readonly RoleSummary[], text: string, limit: number) => {
    const sections = aspectSections(aspect);
    const evidence = input.evidenceByTheme.get(stat.theme);
    const perRole = roles.map((r) => quotable(evidence?.get(r.name) ?? [], r.name, stat.theme, sections, input.themes));
    const quotes = pickQuotes(perRole, limit);
    if (quotes.length === 0) {
      warnings.push(
        `No quotable evidence for "${stat.label}" (${roles.map((r) => r.name).join(', ')}, ${aspectLabel(aspect).toLowerCase()}); the point is left out.`,
      );
      return;
    }
    const cited = quotes.map((q) => ({ quoted: q, id: book.cite(q) }));
    const citations = [...new Set(cited.map((c) => c.id))];
    claims.push({ text, roles: roles.map((r) => r.name), citations });
    lines.push(`- ${text.replace(/\.$/, '')} ${citations.map((id) => `[${id}]`).join('')}`);
    // The quotes under the point, so the memo reads without jumping to the sources.
    for (const { quoted, id } of cited) lines.push(quoteLine(quoted.quote, quoted.evidence, id));
  };

  for (const aspect of input.aspects) {
    lines.push('', `## ${aspectLabel(aspect)}`);
    const selection = selectThemes(input.statsByAspect.get(aspect) ?? [], input.select);
    for (const role of activeRoles) {
      lines.push('', `### Distinctive for ${role.name}`);
      const distinctive = selection.byRole.get(role.name) ?? [];
      if (distinctive.length === 0) lines.push(`- Nothing stands out for ${role.name} at this sample size.`);
      const others = activeRoles.filter((r) => r !== role);
      for (const stat of distinctive) {
        point(aspect, stat, [role], distinctiveSentence(aspect, stat, inSentence(stat), role, others), input.quotesPerPoint ?? 2);
      }
    }
    if (selection.shared.length > 0) {
      lines.push('', '### Shared by all');
      for (const stat of selection.shared) {
        point(aspect, stat, activeRoles, sharedSentence(aspect, stat, inSentence(stat), activeRoles), Math.max(input.quotesPerPoint ?? 2, activeRoles.length));
      }
    }
  }

  const sample = describeSample(input.roles, input.sampleNote);
  lines.push('', `_${sample}_`);
  if (!claims.some((c) => c.roles.length === 1)) {
    warnings.push('No theme is distinctive of any role in these offers: the sample is too small, or the roles ask for the same things. Compare more offers (drop --offers, or ingest more) before concluding.');
  }
  const order = new Map(input.aspects.map((a, i) => [a as string, i]));
  const themes = [...input.statsByAspect]
    .flatMap(([aspect, stats]) => stats.map((s) => ({ ...s, aspect })))
    .sort(
      (a, b) =>
        Math.abs(b.score) - Math.abs(a.score) ||
        compareText(a.theme, b.theme) ||
        (order.get(a.aspect) ?? 0) - (order.get(b.aspect) ?? 0),
    );
  return {
    question: input.question,
    roles: [...input.roles],
    aspects: [...input.aspects],
    answer: lines.join('\n'),
    claims,
    citations: book.list(),
    themes,
    warnings,
    sample,
  };
}

/** `- [c1] "quote" — Title, Company (section) <source>`, one line per citation, offer text escaped. */
export function renderCitationList(answer: Answer): string {
  return answer.citations
    .map((c) => {
      const where = [c.title, c.company].filter((s) => s.trim() !== '').map(markdownText).join(', ');
      return `- [${c.id}] "${markdownText(c.quote)}" — ${where} (${c.section.replace(/_/g, ' ')}) ${markdownSource(c.source)}`;
    })
    .join('\n');
}
