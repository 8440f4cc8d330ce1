import { findRolesInText, resolveRoleName } from '../catalog/roles.ts';
import { UsageError } from '../errors.ts';
import { themeCategory, themeLabel, themeSpans } from '../themes.ts';
import { createRandom, sample } from '../util/random.ts';
import { mapInBatches } from '../util/retry.ts';
import type { Workspace } from '../workspace.ts';
import { composeAnswer, type ThemeLookup } from './compose.ts';
import { aspectSections, aspectThemeFilter, isAspect, parseQuestion, type Aspect } from './question.ts';
import { checkEvidence, RefusalError } from './refusal.ts';
import { retrieveThemeEvidence } from './retrieve.ts';
import { bootstrapStability, countThemes, selectThemes, themeCountsOf } from './stats.ts';
import type { Answer, Evidence, OfferProfile, RoleSummary, ThemeStat } from './types.ts';
import { verifyAnswer } from './verify.ts';

export interface QuestionRequest {
  question: string;
  /** `--roles`: overrides the roles read from the question. */
  roles?: string[];
  /** `--aspects`: overrides the aspects read from the question. */
  aspects?: string[];
  /** `--offers N`: compare a seeded sample of at most N offers per role. */
  offers?: number;
  seed?: string;
}

/** Fewer offers than this for a role and there is nothing to compare: the query is refused. */
export const MIN_OFFERS_PER_ROLE = 5;
/** Quotes retrieved per role and theme, before the memo picks from them. */
const EVIDENCE_PER_THEME = 6;
/** Retrievals run concurrently: enough to overlap Chroma round trips, few enough not to swamp a small server. */
const RETRIEVALS_IN_FLIGHT = 4;

/**
 * The query, from question to verified answer: roles and aspects, the offers of each role (or a
 * seeded sample), theme statistics counted over offers from the record, per-role retrieval of
 * quotes for the themes worth talking about, then the memo. Every citation of the memo is checked
 * against the offer's text before it is returned.
 */
export async function answerQuestion(workspace: Workspace, request: QuestionRequest): Promise<Answer> {
  const { roles: resolvedRoles, aspects } = understand(workspace, request);
  const roles = resolvedRoles.map((r) => r.name);
  const seed = request.seed ?? '1';
  // A sample (`--offers N`) is counted from its offers; the whole index from the record's running totals.
  const samples = request.offers === undefined ? undefined : sampleOffers(workspace, roles, request.offers, seed);
  const offersPerRole = new Map(roles.map((role) => [role, samples ? samples.get(role)!.length : workspace.records.countActiveOffers(role)]));
  refuseThin(workspace, request.question, resolvedRoles, offersPerRole);
  const lookup = themeLookup(workspace);
  const statsByAspect = new Map<string, ThemeStat[]>();
  for (const aspect of aspects) {
    const keep = aspectThemeFilter(aspect);
    const sections = aspectSections(aspect);
    const themes = (id: string) => keep(id, lookup.category(id));
    const counts = samples
      ? countThemes(samples, { sections, themes })
      : themeCountsOf(
          roles.map((role) => ({ role, offers: offersPerRole.get(role)!, mentions: workspace.records.countThemeMentions(role, sections) })),
          themes,
        );
    statsByAspect.set(aspect, bootstrapStability(counts, { sections, themes, label: lookup.label }, { seed, resamples: 200 }));
  }

  const sampleIds = samples && new Map([...samples].map(([role, offers]) => [role, offers.map((offer) => offer.offerId)]));
  const evidenceByTheme = await gatherEvidence(workspace, request.question, aspects, statsByAspect, roles, sampleIds);
  const summaries: RoleSummary[] = roles.map((name) => ({
    name,
    offers: offersPerRole.get(name)!,
    chunks: workspace.records.lexical.countChunks({
      role: name,
      sections: [...new Set(aspects.flatMap(aspectSections))],
      ...(sampleIds ? { offerIds: sampleIds.get(name)! } : {}),
    }),
  }));
  const answer = composeAnswer({
    question: request.question,
    aspects,
    roles: summaries,
    statsByAspect,
    evidenceByTheme,
    themes: lookup,
    ...(samples ? { sampleNote: `Offers were sampled with seed ${seed}.` } : {}),
  });
  const problems = verifyAnswer(answer, (offerId) => {
    const record = workspace.records.getOffer(offerId);
    return record && { role: record.role, text: record.offer.text };
  });
  return problems.length > 0 ? { ...answer, warnings: [...answer.warnings, ...problems.map((p) => `citation check: ${p}`)] } : answer;
}

/** A role asked about: its catalogue name when `resolved`, else the user's own words. */
interface ResolvedRole {
  name: string;
  resolved: boolean;
}

function understand(workspace: Workspace, request: QuestionRequest): { roles: ResolvedRole[]; aspects: Aspect[] } {
  const parsed = parseQuestion(request.question, (text) => findRolesInText(text, workspace.roles));
  const asked: ResolvedRole[] = request.roles
    ? request.roles.map((name) => {
        const resolved = resolveRoleName(name, workspace.roles);
        return { name: resolved ?? name, resolved: resolved !== undefined };
      })
    : parsed.roles.map((name) => ({ name, resolved: true }));
  const roles = [...new Map(asked.map((r) => [r.name, r])).values()];
  const aspects = request.aspects ?? parsed.aspects;
  const unknown = aspects.filter((a) => !isAspect(a));
  if (unknown.length > 0) throw new UsageError(`unknown aspect ${unknown.join(', ')}; use missions, requirements, nice_to_have, benefits, tools, experience, soft_skills or remote`);
  if (roles.length < 2) {
    const listed = indexedRoles(workspace).sort((a, b) => b.offers - a.offers).map((r) => r.role).join(', ') || 'none yet';
    throw new UsageError(
      (roles.length === 0
        ? 'the question names no role to compare; name two (e.g. "SRE vs DevOps engineer") or pass --roles "SRE,DevOps Engineer"'
        : `the question names one role (${roles[0]!.name}); name a second one to compare it with, or pass --roles`) +
        ` (indexed roles: ${listed})`,
    );
  }
  return { roles, aspects: aspects as Aspect[] };
}

/** A seeded sample of at most N offers of each role: the same seed always draws the same offers. */
function sampleOffers(workspace: Workspace, roles: readonly string[], n: number, seed: string): Map<string, OfferProfile[]> {
  return new Map(
    roles.map((role) => {
      const all = workspace.records.listProfiles(role).map((profile) => ({ ...profile, role }));
      const drawn = all.length <= n ? all : sample(all, n, createRandom(`${seed}:${role}`)).sort((a, b) => (a.offerId < b.offerId ? -1 : 1));
      return [role, drawn];
    }),
  );
}

/** Never invent an answer: an unknown role, or one with too few offers, is named with the roles that are indexed. */
function refuseThin(workspace: Workspace, question: string, roles: readonly ResolvedRole[], offersByRole: ReadonlyMap<string, number>): void {
  const indexed = indexedRoles(workspace);
  const known = new Set(indexed.map((r) => r.role));
  const refusal = checkEvidence(
    question,
    roles.map(({ name, resolved }) => ({
      role: name,
      offers: offersByRole.get(name) ?? 0,
      ...(resolved || known.has(name) ? {} : { unknown: true }),
    })),
    indexed,
    MIN_OFFERS_PER_ROLE,
  );
  if (refusal) throw new RefusalError(refusal);
}

function indexedRoles(workspace: Workspace): Array<{ role: string; offers: number }> {
  return workspace.records
    .countByRole()
    .filter((r) => r.status === 'active')
    .map((r) => ({ role: r.role, offers: r.offers }));
}

/** Quotes for each theme the memo may talk about, retrieved per role with role, section and theme filters. */
async function gatherEvidence(
  workspace: Workspace,
  question: string,
  aspects: readonly Aspect[],
  statsByAspect: Map<string, ThemeStat[]>,
  roles: readonly string[],
  sampleIds: ReadonlyMap<string, string[]> | undefined,
): Promise<Map<string, Map<string, Evidence[]>>> {
  // One retrieval per aspect and role, for all of its themes at once (a theme both singled out
  // for a role and shared is asked once).
  const tasks = aspects.flatMap((aspect) => {
    const selection = selectThemes(statsByAspect.get(aspect) ?? []);
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
      {
        role: task!.role,
        sections: aspectSections(task!.aspect),
        k: EVIDENCE_PER_THEME,
        ...(sampleIds ? { offerIds: sampleIds.get(task!.role)! } : {}),
      },
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

function themeLookup(workspace: Workspace): ThemeLookup {
  return {
    label: (id) => themeLabel(id, workspace.themes),
    category: (id) => themeCategory(id, workspace.themes),
    spans: (text, id) => themeSpans(text, id, workspace.themes),
  };
}
