import { findRolesInText, OTHER_ROLE } from '../catalog/roles.ts';
import { UsageError } from '../errors.ts';
import { tagThemes, themeCategory, themeLabel, themeSpans } from '../catalog/themes.ts';
import { titleWords } from '../../ingest/title-family.ts';
import { MINING_POOL, mergeRedundant, minedCriticalZ, minePhrases, PHRASE_PREFIX, phraseSpans, type MinedOffer, type MinedPhrase } from './phrases.ts';
import { createRandom, sample } from '../util/random.ts';
import { mapInBatches } from '../util/retry.ts';
import type { Workspace } from '../workspace.ts';
import { composeAnswer, type ThemeLookup } from './compose.ts';
import { aspectSections, aspectThemeFilter, isAspect, minedAspects, parseQuestion, type Aspect } from './question.ts';
import { checkEvidence, type Refusal } from './refusal.ts';
import { retrieveThemeEvidence, type RetrieveOptions } from './retrieve.ts';
import { bootstrapStability, compareText, selectThemes, themeCountsOf, themeMentions } from './stats.ts';
import type { Answer, Evidence, RoleSummary, ThemeStat } from './types.ts';
import type { FactGroup, OfferThemes } from '../records/record-store.ts';
import type { SectionKind } from '../types.ts';
import { familiesInText, isResolved, parseGroupExpression, resolveGroup, type GroupSpec, type IndexedFamily, type ResolvedGroup, type UnresolvedGroup } from './groups.ts';
import { groupsFromQuestion } from './question-groups.ts';
import { summariseFacts, type GroupFacts } from './facts.ts';
import { isMemoLanguage, MEMO_LANGUAGES, MESSAGES, memoLanguage } from './messages.ts';
import { verifyAnswer } from './verify.ts';

export interface QuestionRequest {
  question: string;
  /** `--roles`: overrides the roles read from the question (a group per role). */
  roles?: string[] | undefined;
  /** `--group`, repeatable: group expressions (src/query/groups.ts); they override roles and the question. */
  groups?: string[] | undefined;
  /** `--aspects`: overrides the aspects read from the question. */
  aspects?: string[] | undefined;
  /** `--offers N`: compare a seeded sample of at most N offers per group. */
  offers?: number | undefined;
  seed?: string | undefined;
  /** `--lang`: the memo's language (default: the question's). */
  lang?: string | undefined;
}

/** Fewer offers than this for a group and there is nothing to compare: the query is refused. */
export const MIN_OFFERS_PER_ROLE = 5;
/** Themes quotes are retrieved for, per group and aspect: the memo writes every distinctive one, the first with quotes, the rest in one line with a citation. */
const EVIDENCE_SELECTION = { perRole: 12, shared: 8 };
/** Quotes retrieved per group and theme, before the memo picks from them. */
const EVIDENCE_PER_THEME = 6;
/** Retrievals run concurrently: enough to overlap Chroma round trips, few enough not to swamp a small server. */
const RETRIEVALS_IN_FLIGHT = 4;
/**
 * Offers of a filtered group or title family that its quotes are looked for in: a seeded sample,
 * so that retrieval reads a bounded list of ids whatever the group's size. Its statistics count
 * every offer of the group.
 */
const RETRIEVAL_POOL = 400;

/** A group with the offers it counts: the record's running totals for a whole catalogue role, its offers' ids otherwise. */
interface CountedGroup extends ResolvedGroup {
  offers: number;
  /** Undefined for a whole catalogue role (running totals). */
  profiles?: OfferThemes[];
}

/**
 * The query, from question to verified answer: the groups compared and the aspects, the offers of
 * each group (or a seeded sample), theme statistics counted over offers from the record, per-group
 * retrieval of quotes for the themes worth talking about, then the memo. Every citation of the
 * memo is checked against the offer's text before it is returned. A group that names nothing
 * indexed, or has too few offers, makes the result a Refusal instead.
 */
export async function answerQuestion(workspace: Workspace, request: QuestionRequest): Promise<Answer | Refusal> {
  const understood = understand(workspace, request);
  if ('refused' in understood) return understood;
  const { groups: resolved, aspects, families } = understood;
  const language = memoLanguage(request.question, request.lang);
  const seed = request.seed ?? '1';
  const groups = resolved.map((group) => countGroup(workspace, group, request.offers, seed));
  const thin = refuseThin(workspace, request.question, groups, families);
  if (thin) return thin;
  const mined = mineGroups(workspace, groups, aspects, seed);
  const lookup = themeLookup(workspace, mined.phrases);
  const statsByAspect = new Map<string, ThemeStat[]>();
  for (const aspect of aspects) {
    const keep = aspectThemeFilter(aspect);
    const sections = aspectSections(aspect);
    const themes = (id: string) => keep(id, lookup.category(id));
    const counts = themeCountsOf(
      groups.map((group) => ({
        role: group.name,
        offers: group.offers,
        mentions: group.profiles ? themeMentions(group.profiles, sections) : workspace.records.countThemeMentions(group.role!, sections),
      })),
      themes,
    );
    const catalogued = bootstrapStability(counts, { sections, themes, label: lookup.label }, { seed, resamples: 200 });
    statsByAspect.set(aspect, [...catalogued, ...(mined.statsByAspect.get(aspect) ?? [])].sort((a, b) => b.score - a.score || compareText(a.theme, b.theme)));
  }

  const pools = new Map(groups.map((group) => [group.name, retrievalPool(group, seed)]));
  const evidenceByTheme = await gatherEvidence(workspace, request.question, aspects, statsByAspect, groups, pools);
  for (const [theme, byGroup] of mined.evidence) evidenceByTheme.set(theme, byGroup);
  const sections = [...new Set(aspects.flatMap(aspectSections))];
  const whose = new Map(groups.map((group) => [group.name, factGroup(group)]));
  const factsByGroup = new Map(groups.map((group) => [group.name, summariseFacts(workspace.records.factCounts(whose.get(group.name)!))]));
  const summaries: RoleSummary[] = groups.map((group) => ({
    name: group.name,
    definition: group.definition,
    offers: group.offers,
    facts: factsByGroup.get(group.name)!,
    chunks: workspace.records.lexical.countChunks({
      sections,
      ...(group.role ? { role: group.role } : {}),
      ...(group.profiles ? { offerIds: group.profiles.map((p) => p.offerId) } : {}),
    }),
  }));
  const answer = composeAnswer({
    question: request.question,
    aspects,
    roles: summaries,
    statsByAspect,
    evidenceByTheme,
    themes: lookup,
    language,
    factEvidence: factEvidence(workspace, whose, factsByGroup),
    phrasesTested: mined.tested,
    ...(request.offers !== undefined ? { sampleNote: MESSAGES[language].sampledWith(seed) } : {}),
  });
  const members = membership(groups);
  const cited = workspace.records.getOffers([...new Set(answer.citations.map((citation) => citation.offerId))]);
  const problems = verifyAnswer(answer, (offerId) => {
    const record = cited.get(offerId);
    return record && { role: members(offerId, record.role), text: record.offer.text };
  });
  return problems.length > 0 ? { ...answer, warnings: [...answer.warnings, ...problems.map((p) => `citation check: ${p}`)] } : answer;
}

/** Whose facts a group's table counts: a whole catalogue role's, or the offers it counts. */
function factGroup(group: CountedGroup): FactGroup {
  return group.profiles ? { offerIds: group.profiles.map((p) => p.offerId) } : { role: group.role! };
}

/** Offers quoted for a fact, per group: a few, in id order, so answers are reproducible. */
const FACT_QUOTES = 8;

/** The lines of each group's offers that state pay or years of experience, as evidence to cite. */
function factEvidence(
  workspace: Workspace,
  whose: ReadonlyMap<string, FactGroup>,
  factsByGroup: ReadonlyMap<string, GroupFacts>,
): Map<string, Partial<Record<'pay' | 'experienceYears', Evidence[]>>> {
  const result = new Map<string, Partial<Record<'pay' | 'experienceYears', Evidence[]>>>();
  for (const [group, facts] of factsByGroup) {
    const stating = { pay: facts.payStated, experienceYears: facts.experienceYears?.offers ?? 0 };
    const byFact: Partial<Record<'pay' | 'experienceYears', Evidence[]>> = {};
    for (const fact of ['pay', 'experienceYears'] as const) {
      // The facts say whether any offer states it; the record gives the lines of the first few.
      const stated = stating[fact] > 0 ? workspace.records.factEvidence(whose.get(group)!, fact, FACT_QUOTES) : [];
      const headers = workspace.records.offerHeaders(stated.map((s) => s.offerId));
      byFact[fact] = stated.flatMap(({ offerId, text, section }) => {
        const header = headers.get(offerId);
        return header ? [{ chunkId: `${offerId}:fact:${fact}`, offerId, role: group, section, ...header, text, themes: [], score: 0 }] : [];
      });
    }
    result.set(group, byFact);
  }
  return result;
}

/** Every offer a group counts. */
function offerIdsOf(workspace: Workspace, group: CountedGroup): string[] {
  return group.profiles ? group.profiles.map((p) => p.offerId) : workspace.records.groupOffers({ roles: [group.role!] });
}

/** The groups an offer belongs to, by name: what a citation's `role` is checked against. */
function membership(groups: readonly CountedGroup[]): (offerId: string, role: string) => string[] {
  const byOffer = new Map<string, string[]>();
  for (const group of groups) for (const p of group.profiles ?? []) byOffer.set(p.offerId, [...(byOffer.get(p.offerId) ?? []), group.name]);
  const whole = groups.filter((g) => !g.profiles);
  return (offerId, role) => [...(byOffer.get(offerId) ?? []), ...whole.filter((g) => g.role === role).map((g) => g.name)];
}

function countGroup(workspace: Workspace, group: ResolvedGroup, offers: number | undefined, seed: string): CountedGroup {
  if (group.wholeRole && offers === undefined) return { ...group, offers: workspace.records.countActiveOffers(group.role!) };
  const ids = workspace.records.groupOffers(group.facets);
  const drawn = offers === undefined ? ids : seededSubset(ids, offers, `${seed}:${group.name}`);
  const profiles = workspace.records.profilesOf(drawn);
  return { ...group, offers: profiles.length, profiles };
}

/** At most n of these ids, drawn with the seed and kept in id order: the same seed draws the same offers. */
function seededSubset(ids: readonly string[], n: number, seed: string): string[] {
  return ids.length <= n ? [...ids] : sample([...ids], n, createRandom(seed)).sort((a, b) => (a < b ? -1 : 1));
}

/** The offers a group's quotes are looked for in; undefined for a whole catalogue role (filtered in the store). */
function retrievalPool(group: CountedGroup, seed: string): string[] | undefined {
  return group.profiles && seededSubset(group.profiles.map((p) => p.offerId), RETRIEVAL_POOL, `${seed}:pool:${group.name}`);
}

function understand(workspace: Workspace, request: QuestionRequest): { groups: ResolvedGroup[]; aspects: Aspect[]; families: IndexedFamily[] } | Refusal {
  const parsed = parseQuestion(request.question, (text) => findRolesInText(text, workspace.roles));
  const aspects = request.aspects ?? parsed.aspects;
  if (request.lang !== undefined && !isMemoLanguage(request.lang)) throw new UsageError(`--lang ${request.lang}: the memo is written in ${MEMO_LANGUAGES.join(' or ')}`);
  const unknownAspects = aspects.filter((a) => !isAspect(a));
  if (unknownAspects.length > 0) throw new UsageError(`unknown aspect ${unknownAspects.join(', ')}; use missions, requirements, nice_to_have, benefits, tools, experience, soft_skills, remote or pay`);
  const families = workspace.records.listFamilies();
  const specs = groupSpecs(workspace, request, families);
  const outcomes = specs.map((spec) => resolveGroup(spec, workspace.roles, families));
  const unresolved = outcomes.filter((o): o is UnresolvedGroup => !isResolved(o));
  if (unresolved.length > 0) {
    // Unknown groups always fall short: checkEvidence refuses them.
    return checkEvidence(
      request.question,
      unresolved.map((u) => ({ role: u.words, offers: 0, unknown: true, ...(u.closest.length > 0 ? { closest: u.closest } : {}) })),
      indexedGroups(workspace, families),
      MIN_OFFERS_PER_ROLE,
    )!;
  }
  const groups = [...new Map(outcomes.filter(isResolved).map((g) => [g.name, g])).values()];
  if (groups.length < 2) {
    const listed = indexedGroups(workspace, families).map((r) => r.role).slice(0, 20).join(', ') || 'none yet';
    throw new UsageError(
      (groups.length === 0
        ? 'the question names no role to compare; name two (e.g. "SRE vs DevOps engineer") or pass --roles "SRE,DevOps Engineer" or --group twice'
        : `the question names one group (${groups[0]!.name}); name a second one to compare it with, or pass --roles or --group`) +
        ` (indexed roles and title families: ${listed})`,
    );
  }
  return { groups, aspects: aspects as Aspect[], families };
}

/** What the user asked to compare: --group, else --roles, else the question's own comparison, else the roles and titles it names. */
function groupSpecs(workspace: Workspace, request: QuestionRequest, families: readonly IndexedFamily[]): GroupSpec[] {
  const levels = workspace.roles.data.seniority.map((s) => s.level);
  if (request.groups && request.groups.length > 0) return request.groups.map((expression) => parseGroupExpression(expression, levels));
  if (request.roles) return request.roles.map((words) => ({ words, filters: {} }));
  return groupsFromQuestion(request.question) ?? mentionedGroups(workspace, request.question, families);
}

/** Catalogue roles and indexed title families named anywhere in the question, in order of mention. */
function mentionedGroups(workspace: Workspace, question: string, families: readonly IndexedFamily[]): GroupSpec[] {
  const roles = findRolesInText(question, workspace.roles).filter((role) => role !== OTHER_ROLE);
  // Two catalogue roles named: that is the comparison ("engineers" in "SRE and DevOps engineers" is not a third group).
  const outside = roles.length >= 2 ? [] : familiesInText(question, families.filter((f) => f.roles.every((role) => role === OTHER_ROLE)));
  return [...roles, ...outside].map((words) => ({ words, filters: {} }));
}

/** Never invent an answer: a group with too few offers is named with what is indexed. */
function refuseThin(workspace: Workspace, question: string, groups: readonly CountedGroup[], families: readonly IndexedFamily[]): Refusal | undefined {
  return checkEvidence(
    question,
    groups.map((g) => ({ role: g.name, offers: g.offers })),
    indexedGroups(workspace, families),
    MIN_OFFERS_PER_ROLE,
  );
}

/** Catalogue roles, then the title families of offers outside the catalogue: what can be compared. */
function indexedGroups(workspace: Workspace, families: readonly IndexedFamily[]): Array<{ role: string; offers: number }> {
  const roles = workspace.records
    .countByRole()
    .filter((r) => r.status === 'active' && r.role !== OTHER_ROLE)
    .map((r) => ({ role: r.role, offers: r.offers }));
  const outside = families.filter((f) => f.roles.every((role) => role === OTHER_ROLE)).slice(0, 30);
  return [...roles, ...outside.map((f) => ({ role: f.label, offers: f.offers }))];
}

/** Quotes for each theme the memo may talk about, retrieved per role with role, section and theme filters. */
async function gatherEvidence(
  workspace: Workspace,
  question: string,
  aspects: readonly Aspect[],
  statsByAspect: Map<string, ThemeStat[]>,
  groups: readonly CountedGroup[],
  pools: ReadonlyMap<string, string[] | undefined>,
): Promise<Map<string, Map<string, Evidence[]>>> {
  const roles = groups.map((g) => g.name);
  // One retrieval per aspect and role, for all of its themes at once (a theme both singled out
  // for a role and shared is asked once).
  const tasks = aspects.flatMap((aspect) => {
    // Mined phrases bring their own evidence (phrases.ts); the store is asked for catalogue themes.
    const selection = selectThemes((statsByAspect.get(aspect) ?? []).filter((s) => !s.theme.startsWith(PHRASE_PREFIX)), EVIDENCE_SELECTION);
    const wanted: Array<[ThemeStat, string[]]> = [
      ...[...selection.byRole].flatMap(([role, stats]) => stats.map((s): [ThemeStat, string[]] => [s, [role]])),
      ...selection.shared.map((s): [ThemeStat, string[]] => [s, [...roles]]),
    ];
    return roles.flatMap((role) => {
      const stats = [...new Map(wanted.filter(([, forRoles]) => forRoles.includes(role)).map(([s]) => [s.theme, s])).values()];
      return stats.length > 0 ? [{ aspect, role, stats }] : [];
    });
  });
  // Independent retrievals, a few in flight at once (each is one filtered vector query, a round
  // trip to Chroma); merged below in task order, so the answer does not depend on timing.
  const found = await mapInBatches(tasks, { batchSize: 1, concurrency: RETRIEVALS_IN_FLIGHT }, ([task]) =>
    retrieveThemeEvidence(
      workspace.store,
      workspace.embedder,
      workspace.records,
      task!.stats.map((s) => ({ theme: s.theme, text: `${s.label}. ${question}` })),
      retrieveOptions(groups.find((g) => g.name === task!.role)!, pools.get(task!.role), aspectSections(task!.aspect)),
    ).then((evidence) => [evidence]),
  );
  const evidenceByTheme = new Map<string, Map<string, Evidence[]>>();
  tasks.forEach(({ stats, role }, i) =>
    stats.forEach((stat, j) => {
      const byRole = evidenceByTheme.get(stat.theme) ?? new Map<string, Evidence[]>();
      evidenceByTheme.set(stat.theme, byRole);
      const known = new Set((byRole.get(role) ?? []).map((e) => e.chunkId));
      byRole.set(role, [...(byRole.get(role) ?? []), ...found[i]![j]!.filter((e) => !known.has(e.chunkId))]);
    }),
  );
  return evidenceByTheme;
}

function retrieveOptions(group: CountedGroup, pool: string[] | undefined, sections: SectionKind[]): RetrieveOptions {
  return { group: group.name, sections, k: EVIDENCE_PER_THEME, ...(group.role ? { role: group.role } : {}), ...(pool ? { offerIds: pool } : {}) };
}

function themeLookup(workspace: Workspace, mined: ReadonlyMap<string, MinedPhrase>): ThemeLookup {
  return {
    label: (id) => mined.get(id)?.label ?? themeLabel(id, workspace.themes),
    category: (id) => (mined.has(id) ? 'phrase' : themeCategory(id, workspace.themes)),
    spans: (text, id) => {
      const phrase = mined.get(id);
      return phrase ? phraseSpans(text, phrase.key) : themeSpans(text, id, workspace.themes);
    },
  };
}

/** Offers per group that quotes for mined phrases may come from, per group and phrase. */
interface MinedThemes {
  statsByAspect: Map<string, ThemeStat[]>;
  /** Per aspect, the phrases tested: all the candidates, distinctive or not. */
  tested: Map<string, number>;
  phrases: Map<string, MinedPhrase>;
  evidence: Map<string, Map<string, Evidence[]>>;
}

/**
 * Themes found in the groups' own words (phrases.ts), for the aspects that are sections: the
 * phrases distinctive of a group after the multiple-testing correction, and those every group
 * says often, each merged with the phrases saying the same thing. Lenses (tools, remote, …) are
 * catalogue categories, so they are not mined.
 */
function mineGroups(workspace: Workspace, groups: readonly CountedGroup[], aspects: readonly Aspect[], seed: string): MinedThemes {
  const result: MinedThemes = { statsByAspect: new Map(), tested: new Map(), phrases: new Map(), evidence: new Map() };
  const sectionAspects = minedAspects(aspects);
  if (sectionAspects.length === 0) return result;
  const offers = groups.map((group) => {
    const ids = offerIdsOf(workspace, group);
    return { name: group.name, offers: loadMinedOffers(workspace, seededSubset(ids, MINING_POOL, `${seed}:mine:${group.name}`)) };
  });
  const groupWords = groups.flatMap((g) => [...titleWords(g.definition.role), ...(g.families ?? []).flatMap((f) => f.split(' '))]);
  for (const aspect of sectionAspects) {
    const sections = [aspect];
    const mining = minePhrases({ groups: offers, sections, covered: (surface) => tagThemes(surface, workspace.themes).length > 0, groupWords });
    const label = (id: string) => mining.phrases.get(id)?.label ?? id;
    const stats = bootstrapStability(mining.counts, { sections, label, testZ: minedCriticalZ(mining.phrases.size) }, { seed, resamples: 200, distinctiveOnly: true });
    // Only what sets a group apart: what every group says in its own words is mostly the ad's frame
    // ("on a regular basis"); the catalogue's shared themes say what the groups have in common.
    const selection = selectThemes(stats, { perRole: Number.MAX_SAFE_INTEGER, shared: 0 });
    const reportable = mergeRedundant([...selection.byRole.values()].flat(), mining.phrases);
    result.statsByAspect.set(aspect, reportable);
    result.tested.set(aspect, mining.phrases.size);
    for (const stat of reportable) {
      // A phrase reported for two aspects (missions and requirements) keeps each aspect's quotes:
      // the memo picks a point's quotes from its own sections, so the second must not replace the first.
      if (!result.phrases.has(stat.theme)) result.phrases.set(stat.theme, mining.phrases.get(stat.theme)!);
      const byGroup = result.evidence.get(stat.theme) ?? new Map<string, Evidence[]>();
      for (const [group, evidence] of mining.evidence(stat.theme)) byGroup.set(group, [...(byGroup.get(group) ?? []), ...evidence]);
      result.evidence.set(stat.theme, byGroup);
    }
  }
  return result;
}

function loadMinedOffers(workspace: Workspace, ids: readonly string[]): MinedOffer[] {
  const records = workspace.records.getOffers(ids);
  return ids.flatMap((id) => {
    const record = records.get(id);
    if (!record) return [];
    const { title, company, source, sections, url } = record.offer;
    return [{ offerId: id, title, company, source, sections, ...(url ? { url } : {}) }];
  });
}
