import { markdownText } from '../report/sanitize.ts';
import type { SectionKind } from '../types.ts';
import { aspectSections, type Aspect } from './question.ts';
import { cutQuote, isReadableQuote, isShortWholeUnit, normaliseSpace } from './quotes.ts';
import { isBoilerplate } from './boilerplate.ts';
import { minedCriticalZ, PHRASE_PREFIX } from './phrases.ts';
import { compareText, conclusiveDifference, selectThemes, Z_95, type SelectOptions } from './stats.ts';
import type { Answer, Citation, Claim, Evidence, RoleSummary, ThemeStat } from './types.ts';
import type { GroupFacts, PaySummary } from './facts.ts';
import type { Memo, MemoAspect, MemoFacts, MemoPoint, MemoSection } from './memo.ts';
import { MESSAGES, type MemoLanguage, type Messages } from './messages.ts';
import { renderMemoMarkdown } from '../report/memo-markdown.ts';

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
  /** The memo's language (default English). */
  language?: MemoLanguage;
  /** Per aspect, how many of the groups' own phrases were tested (mined): the note of a group with nothing distinctive counts them. */
  phrasesTested?: ReadonlyMap<string, number>;
  /** Per group, the lines of its offers that state a fact (pay, years of experience): their citations. */
  factEvidence?: ReadonlyMap<string, Partial<Record<'pay' | 'experienceYears', Evidence[]>>>;
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
        ...(evidence.url ? { url: evidence.url } : {}),
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

/**
 * The chunks of a role that mention the theme in the aspect's sections, quoted, best first; a
 * whole sentence or item before any long sentence cut at its clauses, and a short whole item
 * only when there is neither. Lazy, because a mined phrase brings every sampled offer of a group
 * that says it (hundreds) and `pickQuotes` takes a few: quoting each cost more than the rest of
 * the answer. The order is the one sorting them all would give.
 */
function* quotable(
  evidence: readonly Evidence[],
  role: string,
  theme: string,
  sections: readonly SectionKind[],
  themes: ThemeLookup,
): Generator<Quoted> {
  const cut: Quoted[] = [];
  let wholeQuoted = false;
  const ranked = evidence.filter((e) => e.role === role && sections.includes(e.section)).sort((a, b) => b.score - a.score || compareText(a.chunkId, b.chunkId));
  const admissible = (quote: string) => allowsBoilerplate(theme) || !isBoilerplate(quote);
  for (const e of ranked) {
    // The first mention that makes a whole, readable, job-specific quote: a fragment ("Alerts"),
    // a heading or an equal-opportunity statement is not evidence of what the job asks.
    for (const span of themes.spans(e.text, theme)) {
      const quote = normaliseSpace(cutQuote(e.text, span, QUOTE_MAX_LENGTH));
      if (isReadableQuote(quote) && admissible(quote)) {
        // Whole when no cut was needed: the same quote as with no length limit.
        if (quote === normaliseSpace(cutQuote(e.text, span, Number.MAX_SAFE_INTEGER))) {
          wholeQuoted = true;
          yield { evidence: e, quote };
        } else cut.push({ evidence: e, quote });
        break;
      }
    }
  }
  yield* cut;
  if (wholeQuoted || cut.length > 0) return;
  // No offer of the group says it at length: its short whole items, if any ("Basic carpentry skills.").
  for (const e of ranked) {
    for (const span of themes.spans(e.text, theme)) {
      const quote = normaliseSpace(cutQuote(e.text, span, QUOTE_MAX_LENGTH));
      if (isShortWholeUnit(e.text, span) && admissible(quote)) {
        yield { evidence: e, quote };
        break;
      }
    }
  }
}

/**
 * Up to `limit` quotes, taken in turn from each role's list so every role is heard, and from
 * different companies so one employer's wording does not stand for the whole role.
 */
function pickQuotes(perRole: Iterator<Quoted>[], limit: number): Quoted[] {
  const picked: Quoted[] = [];
  const companies = new Set<string>();
  const open = new Set(perRole);
  while (picked.length < limit && open.size > 0) {
    for (const queue of perRole) {
      if (picked.length >= limit) break;
      while (open.has(queue)) {
        const next = queue.next();
        if (next.done) {
          open.delete(queue);
          break;
        }
        // Offers whose company is unknown are not one employer: each stands for itself.
        const company = knownCompany(next.value.evidence)?.toLowerCase() ?? next.value.evidence.offerId;
        if (companies.has(company)) continue;
        companies.add(company);
        picked.push(next.value);
        break;
      }
    }
  }
  return picked;
}

/** The company, or the words for an unknown one: a job title is never shown where the company should be. */
export function companyOf(offer: { company: string }, messages: Messages = MESSAGES.en): string {
  return knownCompany(offer) ?? messages.unknownCompany;
}

/** The offer's company, unless ingest found none (normalise.ts writes "Unknown company" then). */
function knownCompany(offer: { company: string }): string | undefined {
  const company = normaliseSpace(offer.company);
  return company && !/^unknown company$/i.test(company) ? company : undefined;
}

/** A quote under its point, `  > "quote" (Company) [c1]`: offer text is escaped, so only our marker is one. */
export function quoteLine(quote: string, offer: { company: string }, id: string): string {
  return `  > "${markdownText(quote)}" (${markdownText(companyOf(offer))}) [${id}]`;
}

function percent(share: number): string {
  return `${Math.round(share * 100)}%`;
}

/**
 * "9 of 14 SRE offers"; with "(64%)" when the roles' sizes differ enough that counts alone
 * would mislead (140 of 240 against 60 of 100).
 */
function roleCount(stat: ThemeStat, role: RoleSummary, withShare: boolean, messages: Messages): string {
  const share = stat.perRole[role.name];
  const total = share?.total ?? role.offers;
  const offers = share?.offers ?? 0;
  return messages.count(offers, total, role.name, withShare ? percent(total > 0 ? offers / total : 0) : undefined);
}

function unevenSizes(roles: readonly RoleSummary[]): boolean {
  const sizes = roles.map((r) => r.offers);
  return Math.max(...sizes) > 1.2 * Math.min(...sizes);
}

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

function aspectWords(aspect: string, messages: Messages) {
  return messages.aspects[aspect] ?? messages.aspects.other!;
}

/** The counts of a distinctive point: the group's, then every other group's. */
function distinctiveCounts(stat: ThemeStat, role: RoleSummary, others: readonly RoleSummary[], messages: Messages): string {
  const withShare = unevenSizes([role, ...others]);
  return `${roleCount(stat, role, withShare, messages)} ${messages.versus} ${messages.list(others.map((r) => roleCount(stat, r, withShare, messages)))}`;
}

/**
 * A distinctive point as a sentence: "SRE offers ask for SLOs and error budgets far more
 * often: 15 of 15 SRE offers vs 2 of 14 DevOps Engineer offers." "Far" when the role's share
 * is at least three times every other's; a verdict that flips in many bootstrap resamples says so.
 */
export function distinctiveSentence(aspect: Aspect, stat: ThemeStat, label: string, role: RoleSummary, others: readonly RoleSummary[], messages: Messages = MESSAGES.en): string {
  const own = shareOf(stat, role);
  const far = others.every((o) => shareOf(stat, o) * 3 <= own + 1e-9);
  const shaky = stat.stability !== undefined && stat.stability < SHAKY_STABILITY ? messages.tentative(percent(stat.stability)) : '';
  return `${aspectWords(aspect, messages).more(role.name, label, far)}${messages.colon}${distinctiveCounts(stat, role, others, messages)}${shaky}.`;
}

/** Gaps from this many points up are explained: the reader should not take them for a finding. */
const VISIBLE_GAP = 0.15;

/**
 * A shared point as a sentence: "Offers of both roles ask for Python: 13 of 15 SRE offers and
 * 11 of 14 DevOps Engineer offers." A visible gap is explained by the very test that did not
 * retain it (its z, its stability, or its interval against some group), never by a generic
 * word on sample size.
 */
export function sharedSentence(aspect: Aspect, stat: ThemeStat, label: string, roles: readonly RoleSummary[], messages: Messages = MESSAGES.en): string {
  const withShare = unevenSizes(roles);
  const shares = roles.map((r) => shareOf(stat, r));
  const gap = Math.max(...shares) - Math.min(...shares) >= VISIBLE_GAP ? whyNotDistinctive(stat, messages) : '';
  return `${aspectWords(aspect, messages).shared(roles.length, label)}${messages.colon}${messages.list(roles.map((r) => roleCount(stat, r, withShare, messages)))}${gap}.`;
}

function whyNotDistinctive(stat: ThemeStat, messages: Messages): string {
  if (stat.score < Z_95) return messages.gapNoise(stat.score.toFixed(2));
  if (stat.distinctiveFor && stat.stability !== undefined) return messages.gapUnstable(percent(stat.stability));
  return messages.gapNotEveryGroup;
}

/**
 * When even the smallest conclusive difference is this large (about 12 offers per role or
 * fewer), the memo says outright that the sample is too small to conclude on most themes.
 */
const TOO_SMALL_TO_CONCLUDE = 0.5;

/** Below this bootstrap stability, a distinctive point says how often it held. */
const SHAKY_STABILITY = 0.8;

/** Distinctive and shared points written out with their quotes; the rest are one line each. */
const WRITTEN_POINTS = 3;

/** The closing line: sample sizes and what differences they can show (the verdict's own test, conclusiveDifference). */
export function describeSample(roles: readonly RoleSummary[], sampleNote?: string, messages: Messages = MESSAGES.en): string {
  const sizes = roles.map((r) => r.offers).sort((a, b) => a - b);
  const range = sizes.length >= 2 ? conclusiveDifference(sizes[0] as number, sizes[1] as number) : undefined;
  const points = (d: number) => Math.round(d * 100);
  const power = range
    ? [
        range.smallest >= TOO_SMALL_TO_CONCLUDE ? messages.tooSmall : '',
        points(range.largest) > points(range.smallest) ? messages.notConclusiveUpTo(points(range.smallest), points(range.largest)) : messages.notConclusiveBelow(points(range.smallest)),
      ]
        .filter(Boolean)
        .join(' ')
    : messages.noDifferencePossible;
  const sample = messages.sample(messages.list(roles.map((r) => messages.offers(r.offers, r.name))));
  return [sample, power, sampleNote?.trim()].filter(Boolean).join(' ');
}

export function composeAnswer(input: ComposeInput): Answer {
  const messages = MESSAGES[input.language ?? 'en'];
  const book = citationBook();
  const claims: Claim[] = [];
  const warnings = [...(input.warnings ?? [])];
  const activeRoles = input.roles.filter((r) => r.offers > 0);
  const inSentence = (stat: ThemeStat) => labelInSentence(stat.label, input.themes.category(stat.theme));
  const groupName = (r: RoleSummary) => `**${markdownText(r.name)}**`;
  const intro = messages.intro(
    messages.list(input.roles.map((r) => `${groupName(r)} (${messages.offers(r.offers)})`)),
    messages.list(input.aspects.map((a) => aspectWords(a, messages).heading.toLowerCase())),
  );

  /** One cited point, or undefined (with a warning) when no quote supports it. */
  const cite = (quotes: Quoted[], text: string, roles: readonly RoleSummary[], theme: string | undefined, shown: boolean): MemoPoint => {
    const cited = quotes.map((q) => ({ quoted: q, id: book.cite(q) }));
    const citations = [...new Set(cited.map((c) => c.id))];
    const point: MemoPoint = {
      text,
      groups: roles.map((r) => r.name),
      citations,
      quotes: shown ? cited.map(({ quoted, id }) => ({ id, quote: quoted.quote, company: companyOf(quoted.evidence, messages) })) : [],
      ...(theme ? { theme } : {}),
    };
    if (citations.length > 0) claims.push({ text, roles: point.groups, citations });
    return point;
  };
  const themePoint = (aspect: Aspect, stat: ThemeStat, roles: readonly RoleSummary[], text: string, limit: number, shown: boolean): MemoPoint | undefined => {
    const sections = aspectSections(aspect);
    const evidence = input.evidenceByTheme.get(stat.theme);
    const picked = pickQuotes(roles.map((r) => quotable(evidence?.get(r.name) ?? [], r.name, stat.theme, sections, input.themes)), shown ? limit : roles.length);
    // A point about several groups is cited from each of them, or not at all: quotes of one group
    // would stand for a claim about the other too.
    const quotes = roles.every((r) => picked.some((q) => q.evidence.role === r.name)) ? picked : [];
    if (quotes.length === 0 && shown) {
      warnings.push(`No quotable evidence for "${stat.label}" (${roles.map((r) => r.name).join(', ')}, ${aspectWords(aspect, messages).heading.toLowerCase()}); it is listed with its counts only.`);
      return undefined;
    }
    // A one-line point without a quote is a statistic of the themes table, not a claim (cite makes no claim of it).
    return cite(quotes, text, roles, stat.theme, shown);
  };
  const compactDistinctive = (stat: ThemeStat, role: RoleSummary, others: readonly RoleSummary[]) =>
    `${inSentence(stat)}${messages.colon}${distinctiveCounts(stat, role, others, messages)}.`;

  const best = new Map<string, { point: MemoPoint; stat: ThemeStat; aspect: Aspect }>();
  let topShared: { point: MemoPoint; stat: ThemeStat } | undefined;
  const aspects: MemoAspect[] = input.aspects.map((aspect) => {
    const stats = input.statsByAspect.get(aspect) ?? [];
    const selection = selectThemes(stats, { perRole: Number.MAX_SAFE_INTEGER, shared: Number.MAX_SAFE_INTEGER, ...input.select });
    const sections: MemoSection[] = [];
    for (const role of activeRoles) {
      const others = activeRoles.filter((r) => r !== role);
      const section: MemoSection = { heading: messages.distinctiveHeading(role.name), group: role.name, points: [], more: [], moreHeading: messages.alsoDistinctive(role.name) };
      for (const stat of selection.byRole.get(role.name) ?? []) {
        const shown = section.points.length < WRITTEN_POINTS;
        const text = shown ? distinctiveSentence(aspect, stat, inSentence(stat), role, others, messages) : compactDistinctive(stat, role, others);
        const written = themePoint(aspect, stat, [role], text, input.quotesPerPoint ?? 2, shown);
        // Nothing distinctive is hidden: a point no quote supports is still listed, in one line.
        const point = written ?? themePoint(aspect, stat, [role], compactDistinctive(stat, role, others), 1, false)!;
        (written && shown ? section.points : section.more).push(point);
        const known = best.get(role.name);
        if (written && shown && (!known || stat.score > known.stat.score)) best.set(role.name, { point, stat, aspect });
      }
      if (section.points.length === 0 && section.more.length === 0) {
        const phrases = input.phrasesTested?.get(aspect) ?? 0;
        const themes = stats.filter((s) => !s.theme.startsWith(PHRASE_PREFIX) && Object.values(s.perRole).some((r) => r.offers > 0)).length;
        section.note = messages.nothingDistinctive(role.name, { themes, phrases, phraseZ: minedCriticalZ(phrases).toFixed(2) });
      }
      sections.push(section);
    }
    const shared: MemoSection = { heading: messages.sharedHeading, points: [], more: [], moreHeading: messages.alsoShared };
    for (const stat of selection.shared) {
      const shown = shared.points.length < WRITTEN_POINTS;
      const text = sharedSentence(aspect, stat, inSentence(stat), activeRoles, messages);
      const written = themePoint(aspect, stat, activeRoles, text, Math.max(input.quotesPerPoint ?? 2, activeRoles.length), shown);
      const point = written ?? themePoint(aspect, stat, activeRoles, text, 1, false)!;
      (written && shown ? shared.points : shared.more).push(point);
      if (written && shown && !topShared) topShared = { point, stat };
    }
    if (shared.points.length > 0 || shared.more.length > 0) sections.push(shared);
    const facts = factPoints(aspect, input, messages, cite);
    if (facts.length > 0) sections.unshift({ heading: aspect === 'pay' ? messages.payHeading : messages.experienceHeading, points: facts, more: [], moreHeading: '' });
    return { aspect, heading: aspectWords(aspect, messages).heading, sections };
  });

  const sample = describeSample(input.roles, input.sampleNote, messages);
  if (!claims.some((c) => c.roles.length === 1)) {
    warnings.push('No theme is distinctive of any role in these offers: the sample is too small, or the roles ask for the same things. Compare more offers (drop --offers, or ingest more) before concluding.');
  }
  const memo: Memo = {
    language: input.language ?? 'en',
    intro,
    summaryHeading: messages.summaryHeading,
    summary: summaryOf(activeRoles, best, topShared, input, messages, cite),
    ...(factsTable(input.roles, messages) ? { facts: factsTable(input.roles, messages)! } : {}),
    aspects,
    sample,
    labels: { sources: messages.sources, warnings: messages.warnings },
  };
  const order = new Map(input.aspects.map((a, i) => [a as string, i]));
  const themes = [...input.statsByAspect]
    .flatMap(([aspect, stats]) => stats.map((s) => ({ ...s, aspect })))
    .sort(
      (a, b) =>
        Math.abs(b.score) - Math.abs(a.score) ||
        compareText(a.theme, b.theme) ||
        (order.get(a.aspect) ?? 0) - (order.get(b.aspect) ?? 0),
    );
  const numbered = inReadingOrder(memo, claims, book.list());
  return {
    question: input.question,
    roles: [...input.roles],
    aspects: [...input.aspects],
    answer: renderMemoMarkdown(numbered.memo),
    claims: numbered.claims,
    citations: numbered.citations,
    themes,
    warnings,
    sample,
    memo: numbered.memo,
  };
}

/**
 * Citation ids renumbered in the order a reader meets them (the summary first), so that [c1] is
 * the first marker of the memo; citations cited nowhere in the memo are dropped.
 */
function inReadingOrder(memo: Memo, claims: readonly Claim[], citations: readonly Citation[]): { memo: Memo; claims: Claim[]; citations: Citation[] } {
  const order = new Map<string, string>();
  const visit = (point: MemoPoint) => {
    for (const id of point.citations) if (!order.has(id)) order.set(id, `c${order.size + 1}`);
    for (const quote of point.quotes) if (!order.has(quote.id)) order.set(quote.id, `c${order.size + 1}`);
  };
  memo.summary.forEach(visit);
  for (const aspect of memo.aspects) for (const section of aspect.sections) [...section.points, ...section.more].forEach(visit);
  const id = (old: string) => order.get(old)!;
  const point = (p: MemoPoint): MemoPoint => ({ ...p, citations: p.citations.map(id), quotes: p.quotes.map((q) => ({ ...q, id: id(q.id) })) });
  return {
    memo: {
      ...memo,
      summary: memo.summary.map(point),
      aspects: memo.aspects.map((a) => ({ ...a, sections: a.sections.map((s) => ({ ...s, points: s.points.map(point), more: s.more.map(point) })) })),
    },
    claims: claims.map((c) => ({ ...c, citations: c.citations.map(id) })),
    citations: citations
      .filter((c) => order.has(c.id))
      .map((c) => ({ ...c, id: id(c.id) }))
      .sort((a, b) => Number(a.id.slice(1)) - Number(b.id.slice(1))),
  };
}

type Cite = (quotes: Quoted[], text: string, roles: readonly RoleSummary[], theme: string | undefined, shown: boolean) => MemoPoint;

/**
 * The memo's opening: what most sets each group apart (its strongest distinctive point), what
 * they share most, and what their offers pay when they say. Each sentence has its numbers and
 * the citations of the point it sums up.
 */
function summaryOf(
  roles: readonly RoleSummary[],
  best: ReadonlyMap<string, { point: MemoPoint; stat: ThemeStat; aspect: Aspect }>,
  shared: { point: MemoPoint; stat: ThemeStat } | undefined,
  input: ComposeInput,
  messages: Messages,
  cite: Cite,
): MemoPoint[] {
  const summary: MemoPoint[] = [];
  const label = (stat: ThemeStat) => labelInSentence(stat.label, input.themes.category(stat.theme));
  for (const role of roles) {
    const top = best.get(role.name);
    if (!top) continue;
    const text = messages.summaryStandsOut(role.name, label(top.stat), distinctiveCounts(top.stat, role, roles.filter((r) => r !== role), messages));
    summary.push(summaryPoint(text, top.point));
  }
  if (shared) {
    const withShare = unevenSizes(roles);
    summary.push(summaryPoint(messages.summaryShared(label(shared.stat), messages.list(roles.map((r) => roleCount(shared.stat, r, withShare, messages)))), shared.point));
  }
  // Pay opens the memo when the question is about it; otherwise the facts table shows it.
  const aboutPay = input.aspects.some((a) => a === 'pay' || a === 'benefits');
  for (const role of aboutPay ? roles : []) {
    if (summary.length >= 6) break;
    const pay = mainPay(role);
    const quotes = factQuotes(input, role, 'pay', [...new Set(input.aspects.flatMap(aspectSections))]);
    if (pay && quotes.length > 0) {
      summary.push(cite(quotes.slice(0, 1), messages.summaryPay(role.name, money(pay, messages), pay.offers, statedCount(role, role.facts!.payStated, messages)), [role], undefined, false));
    }
  }
  return summary.slice(0, 6);
}

function summaryPoint(text: string, point: MemoPoint): MemoPoint {
  return { text, groups: point.groups, citations: point.citations.slice(0, 2), quotes: [] };
}

/** The group's most common pay currency and period. */
function mainPay(role: RoleSummary): PaySummary | undefined {
  const pay = role.facts?.pay;
  return Array.isArray(pay) ? pay[0] : (pay ?? undefined);
}

function statedCount(role: RoleSummary, stated: number, messages: Messages): string {
  return messages.count(stated, role.facts?.offers ?? role.offers, role.name);
}

function money(pay: PaySummary, messages: Messages): string {
  const amount = (x: number) => Math.round(x).toLocaleString('en-US');
  return `${pay.currency} ${amount(pay.median)} / ${messages.facts.periods[pay.period] ?? pay.period} (${amount(pay.p25)}–${amount(pay.p75)})`;
}

/** The offers of a group whose text states a fact, as quotable evidence (ComposeInput.factEvidence). */
function factQuotes(input: ComposeInput, role: RoleSummary, fact: 'pay' | 'experienceYears', sections: readonly SectionKind[]): Quoted[] {
  // Only lines of the sections the question reads: an experience question quotes requirements, not the company blurb.
  const evidence = (input.factEvidence?.get(role.name)?.[fact] ?? []).filter((e) => sections.includes(e.section)).map((e) => ({ evidence: e, quote: normaliseSpace(e.text) }));
  // A line that reads on its own first; a bare amount ("$120k–$150k") only when no offer states pay in a sentence.
  const readable = evidence.filter((q) => isReadableQuote(q.quote));
  return pickQuotes([(readable.length > 0 || fact !== 'pay' ? readable : evidence).values()], 2);
}

/** Points a fact answers: pay for the pay aspect, years for the experience one, with the lines that state them. */
function factPoints(aspect: Aspect, input: ComposeInput, messages: Messages, cite: Cite): MemoPoint[] {
  const points: MemoPoint[] = [];
  for (const role of input.roles) {
    if (aspect === 'pay') {
      const pay = mainPay(role);
      const quotes = factQuotes(input, role, 'pay', aspectSections(aspect));
      if (pay && quotes.length > 0) points.push(cite(quotes, messages.paySentence(role.name, money(pay, messages), statedCount(role, role.facts!.payStated, messages)), [role], undefined, true));
    }
    if (aspect === 'experience') {
      const years = role.facts?.experienceYears;
      const quotes = factQuotes(input, role, 'experienceYears', aspectSections(aspect));
      if (years && quotes.length > 0) {
        points.push(cite(quotes, messages.experienceSentence(role.name, `${years.median} (${years.p25}–${years.p75})`, statedCount(role, years.offers, messages)), [role], undefined, true));
      }
    }
  }
  return points;
}

/** The facts table, one column per group: what their offers state of pay, experience, workplace, contract, education, languages. */
function factsTable(roles: readonly RoleSummary[], messages: Messages): MemoFacts | undefined {
  if (!roles.every((r) => r.facts)) return undefined;
  const f = messages.facts;
  const shares = (counts: Record<string, number>, total: number) =>
    Object.entries(counts)
      .filter(([, n]) => n > 0)
      .sort((a, b) => b[1] - a[1])
      .map(([key, n]) => `${f.values[key] ?? key} ${percent(total > 0 ? n / total : 0)}`)
      .join(' · ') || f.none;
  const row = (label: string, cell: (facts: GroupFacts, role: RoleSummary) => string) => ({ label, cells: roles.map((r) => cell(r.facts!, r)) });
  return {
    heading: messages.factsHeading,
    columns: roles.map((r) => r.name),
    rows: [
      row(f.offers, (facts) => String(facts.offers)),
      row(f.payStated, (facts) => `${facts.payStated} (${percent(facts.offers > 0 ? facts.payStated / facts.offers : 0)})`),
      row(f.pay, (_facts, role) => {
        const pay = mainPay(role);
        return pay ? money(pay, messages) : f.none;
      }),
      row(f.experience, (facts) => (facts.experienceYears ? `${facts.experienceYears.median} (${facts.experienceYears.p25}–${facts.experienceYears.p75}), ${facts.experienceYears.offers}` : f.none)),
      row(f.workplace, (facts) => shares(facts.workplace, facts.offers)),
      row(f.contract, (facts) => shares(facts.contract, facts.offers)),
      row(f.education, (facts) => shares(facts.education, facts.offers)),
      row(f.languages, (facts) => Object.entries(facts.languages).map(([code, n]) => `${code} ${n}`).join(' · ') || f.none),
    ],
  };
}
