import type { SectionKind } from '../types.ts';
import { binomial, createRandom, logFactorials, skipBinomials } from '../util/random.ts';
import type { OfferProfile, RoleShare, ThemeStat } from './types.ts';

/**
 * Per-role theme statistics: how many offers of each role mention a theme, and whether the
 * difference between roles is more than sampling noise. The unit is the offer, never the
 * chunk: an offer that says "Kubernetes" five times counts once, so one verbose employer
 * cannot make a theme look typical of a role.
 */

/** Two-sided 95%. */
export const Z_95 = 1.96;

/**
 * α0, the strength of the prior in offers: the pooled share is worth as much as 10 offers of
 * evidence. With 10 offers per role that halves the weight of the sample (7 of 10 vs 1 of 10
 * is not enough, 8 of 10 vs 1 of 10 is); with 100 per role the prior barely matters. It keeps
 * 1-vs-0 or 2-vs-0 differences on rare themes from reaching a large z.
 */
export const PRIOR_OFFERS = 10;

/** A role must mention a theme in at least this many offers for the theme to be "its" theme. */
export const MIN_DISTINCTIVE_OFFERS = 3;

export interface ThemeStatsOptions {
  /** The sections whose themes count (an aspect's sections). */
  sections: readonly SectionKind[];
  /** Keeps only the themes an aspect is about; all themes when absent. */
  themes?: (id: string) => boolean;
  label: (id: string) => string;
  /** Themes mentioned by fewer offers in all (default 2) are left out: one offer is an anecdote. */
  minOffers?: number;
  /** Critical value for intervals and tests (default 1.96). */
  z?: number;
  /**
   * Critical value of the distinctiveness test alone, when it must be stricter than the
   * intervals' (mined phrases: many candidates tested, see phrases.ts minedCriticalZ).
   */
  testZ?: number;
  /** α0 (default PRIOR_OFFERS). */
  priorOffers?: number;
}

interface Count {
  /** Offers mentioning the theme. */
  y: number;
  /** Offers. */
  n: number;
}

/** Wilson score interval of k successes in n trials; [0, 1] when there are no trials. */
export function wilsonInterval(k: number, n: number, z = Z_95): { low: number; high: number } {
  if (n <= 0) return { low: 0, high: 1 };
  const p = k / n;
  const z2 = z * z;
  const denominator = 1 + z2 / n;
  const centre = (p + z2 / (2 * n)) / denominator;
  const half = (z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / denominator;
  return { low: Math.max(0, centre - half), high: Math.min(1, centre + half) };
}

/**
 * Fightin' Words (Monroe, Colaresi & Quinn 2008, "Fightin' Words: Lexical Feature Selection
 * and Evaluation for Identifying the Content of Political Conflict", §3.5), adapted from word
 * counts to offer counts.
 *
 * In the paper each group is a bag of words and a word's log-odds is log(y/(n−y)), smoothed by
 * a Dirichlet prior whose pseudo-counts α_w are proportional to the word's frequency in a
 * background corpus. Here each offer is one Bernoulli trial (mentions the theme or not), so
 * the vocabulary has two outcomes and the Dirichlet is a Beta(α_w, α0 − α_w) with
 * α_w = α0 · (pooled share of offers mentioning the theme), the pooled sample being the
 * background. The posterior log-odds of a mention in group i is
 *   ω_i = log((y_i + α_w) / (n_i + α0 − y_i − α_w))
 * and the statistic is δ = ω_i − ω_j, role i against the pooled other roles j. The variance of
 * a log-odds with pseudo-counts a and b is ≈ 1/a + 1/b; the paper keeps only the 1/(y + α_w)
 * terms because its n is a whole corpus, whereas here n is a handful of offers and the
 * "not mentioned" count matters just as much, so all four terms stay:
 *   σ² ≈ 1/(y_i+α_w) + 1/(n_i+α0−y_i−α_w) + 1/(y_j+α_w) + 1/(n_j+α0−y_j−α_w),  z = δ/σ.
 * Why this rather than a plain two-proportion test: the prior shrinks small samples towards
 * the pooled share, so a theme seen in 2 offers of one role and 0 of another does not rank
 * above a theme seen in 40 of 50 against 10 of 50.
 */
export function logOddsZ(target: Count, rest: Count, pooledShare: number, priorOffers = PRIOR_OFFERS): number {
  // Everyone or no one mentions it: no difference to measure (and the prior would divide by 0).
  if (pooledShare <= 0 || pooledShare >= 1) return 0;
  // Plain arithmetic, no helper closures: the bootstrap calls this a few hundred thousand times per question.
  const alpha = priorOffers * pooledShare;
  const targetMentions = target.y + alpha;
  const targetSilences = target.n + priorOffers - target.y - alpha;
  const restMentions = rest.y + alpha;
  const restSilences = rest.n + priorOffers - rest.y - alpha;
  const delta = Math.log(targetMentions / targetSilences) - Math.log(restMentions / restSilences);
  const variance = 1 / targetMentions + 1 / targetSilences + 1 / restMentions + 1 / restSilences;
  return delta / Math.sqrt(variance);
}

/**
 * Lower bound of Newcombe's hybrid score interval for the difference of two shares
 * (Newcombe 1998, method 10), built from the two Wilson intervals. A positive bound means
 * that `a`'s share is higher at the chosen confidence. It is the right question ("is the
 * difference non-zero?") where comparing whether two Wilson intervals overlap is needlessly
 * strict; it still behaves well with 0 or n successes, where a Wald interval does not.
 */
export function differenceLowerBound(a: Count, b: Count, z = Z_95): number {
  const pa = a.y / a.n;
  const pb = b.y / b.n;
  const wa = wilsonInterval(a.y, a.n, z);
  const wb = wilsonInterval(b.y, b.n, z);
  return pa - pb - Math.sqrt((pa - wa.low) ** 2 + (wb.high - pb) ** 2);
}

interface Verdict {
  /** Index of the most over-represented role. */
  best?: number;
  score: number;
  distinctive: boolean;
}

/**
 * The most over-represented role and whether it is distinctive. Three guards must all hold,
 * so that noise is never called distinctive:
 *  1. its Fightin' Words z against the pooled other roles is ≥ z (1.96: two-sided 95%);
 *  2. it mentions the theme in at least MIN_DISTINCTIVE_OFFERS offers;
 *  3. against every other role taken alone, the 95% interval of the share difference
 *     (Newcombe) excludes zero, so "distinctive for A" is not said of a theme that B
 *     mentions as often and only C lacks.
 */
function judge(counts: readonly Count[], z: number, priorOffers: number): Verdict {
  // Loops rather than map/filter/reduce: the bootstrap judges every theme 200 times per aspect.
  let roles = 0;
  let totalY = 0;
  let totalN = 0;
  for (const c of counts) {
    if (c.n <= 0) continue;
    roles++;
    totalY += c.y;
    totalN += c.n;
  }
  if (roles < 2) return { score: 0, distinctive: false };
  const pooledShare = totalY / totalN;
  let best = -1;
  let bestZ = -Infinity;
  for (let i = 0; i < counts.length; i++) {
    const c = counts[i]!;
    if (c.n <= 0) continue;
    const zi = logOddsZ(c, { y: totalY - c.y, n: totalN - c.n }, pooledShare, priorOffers);
    if (zi > bestZ) {
      best = i;
      bestZ = zi;
    }
  }
  if (best < 0) return { score: 0, distinctive: false };
  const target = counts[best]!;
  let distinctive = bestZ >= z && target.y >= MIN_DISTINCTIVE_OFFERS;
  for (let i = 0; distinctive && i < counts.length; i++) {
    if (i !== best && counts[i]!.n > 0 && differenceLowerBound(target, counts[i]!, z) <= 0) distinctive = false;
  }
  return { best, score: bestZ, distinctive };
}

/** Offers mentioning each theme, per role: all that the statistics read. */
export interface ThemeCounts {
  roles: string[];
  /** Offers of each role (the order of `roles`). */
  offers: number[];
  /** Theme → offers of each role that mention it (the order of `roles`). */
  mentions: Map<string, number[]>;
}

/** Counts from per-role totals (the record's running totals), keeping the themes `keep` admits. */
export function themeCountsOf(
  perRole: ReadonlyArray<{ role: string; offers: number; mentions: ReadonlyMap<string, number> }>,
  keep?: (theme: string) => boolean,
): ThemeCounts {
  const mentions = new Map<string, number[]>();
  perRole.forEach(({ mentions: byTheme }, i) => {
    for (const [theme, y] of byTheme) {
      if (keep && !keep(theme)) continue;
      const ys = mentions.get(theme) ?? perRole.map(() => 0);
      ys[i] = y;
      mentions.set(theme, ys);
    }
  });
  return { roles: perRole.map((r) => r.role), offers: perRole.map((r) => r.offers), mentions };
}

/** Offers mentioning each theme in these sections: an offer counts once per theme, whatever the sections. */
export function themeMentions(offers: ReadonlyArray<Pick<OfferProfile, 'themesBySection'>>, sections: readonly SectionKind[]): Map<string, number> {
  const byTheme = new Map<string, number>();
  for (const offer of offers) {
    const themes = new Set(sections.flatMap((section) => offer.themesBySection[section] ?? []));
    for (const theme of themes) byTheme.set(theme, (byTheme.get(theme) ?? 0) + 1);
  }
  return byTheme;
}

/** Counts from the offers themselves (a group's offers, a seeded sample, tests). */
export function countThemes(profiles: Map<string, OfferProfile[]>, options: Pick<ThemeStatsOptions, 'sections' | 'themes'>): ThemeCounts {
  return themeCountsOf(
    [...profiles].map(([role, offers]) => ({ role, offers: offers.length, mentions: themeMentions(offers, options.sections) })),
    options.themes,
  );
}

/** Statistics of every counted theme, most distinctive first. */
export function themeStats(counts: ThemeCounts, options: ThemeStatsOptions): ThemeStat[] {
  const z = options.z ?? Z_95;
  const priorOffers = options.priorOffers ?? PRIOR_OFFERS;
  const minOffers = options.minOffers ?? 2;
  const stats: ThemeStat[] = [];
  for (const [theme, ys] of counts.mentions) {
    if (ys.reduce((a, b) => a + b, 0) < minOffers) continue;
    const perTheme = ys.map((y, i) => ({ y, n: counts.offers[i] ?? 0 }));
    const perRole: Record<string, RoleShare> = {};
    perTheme.forEach((c, i) => {
      perRole[counts.roles[i] as string] = {
        offers: c.y,
        total: c.n,
        share: c.n > 0 ? c.y / c.n : 0,
        ...wilsonInterval(c.y, c.n, z),
      };
    });
    const verdict = judge(perTheme, options.testZ ?? z, priorOffers);
    stats.push({
      theme,
      label: options.label(theme),
      perRole,
      ...(verdict.distinctive && verdict.best !== undefined ? { distinctiveFor: counts.roles[verdict.best] } : {}),
      score: verdict.score,
    });
  }
  return stats.sort((a, b) => b.score - a.score || compareText(a.theme, b.theme));
}

/** Code-unit order: the same on every machine, unlike localeCompare. */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Statistics of every theme the chosen sections mention, most distinctive first. Roles keep
 * the map's order.
 */
export function computeThemeStats(profiles: Map<string, OfferProfile[]>, options: ThemeStatsOptions): ThemeStat[] {
  return themeStats(countThemes(profiles, options), options);
}

/**
 * The statistics of themeStats with `stability` set: the share of bootstrap resamples (offers
 * drawn with replacement within each role, so role sizes stay fixed) in which the theme keeps
 * the same `distinctiveFor` — distinctive for the same role, or not distinctive. A verdict that
 * flips in half the resamples rests on one or two offers.
 *
 * A theme's verdict reads only its own counts, and drawing a role's n offers with replacement
 * makes the number that mention the theme Binomial(n, y/n), independently across roles. So each
 * resample draws those counts directly (util/random.ts `binomial`): the same distribution as
 * redrawing offers, at a cost that depends on the themes and not on the offers (redrawing
 * 10k offers 200 times was most of a query's time at that scale).
 */
export function bootstrapStability(
  counts: ThemeCounts,
  options: ThemeStatsOptions,
  bootstrap: {
    resamples?: number;
    seed: number | string;
    /**
     * Resample only the distinctive themes; the others get no stability. For mined phrases, of
     * which thousands are tested and only the distinctive are ever reported: their resamples
     * were most of a mined question's time.
     */
    distinctiveOnly?: boolean;
  },
): ThemeStat[] {
  const stats = themeStats(counts, options);
  const resamples = bootstrap.resamples ?? 200;
  const z = options.testZ ?? options.z ?? Z_95;
  const priorOffers = options.priorOffers ?? PRIOR_OFFERS;
  const minOffers = Math.max(1, options.minOffers ?? 2);
  const random = createRandom(bootstrap.seed);
  const logFactorial = logFactorials(Math.max(0, ...counts.offers));
  const roles = counts.roles;
  return stats.map((stat) => {
    const expected = stat.distinctiveFor === undefined ? -1 : roles.indexOf(stat.distinctiveFor);
    const ys = counts.mentions.get(stat.theme)!;
    const share = (n: number, i: number) => (n > 0 ? ys[i]! / n : 0);
    if (bootstrap.distinctiveOnly && stat.distinctiveFor === undefined) {
      // The numbers its resamples would have drawn are used up all the same, so that every other
      // theme's resamples, and its stability, are exactly those of a full run.
      counts.offers.forEach((n, i) => skipBinomials(random, n, share(n, i), resamples));
      return stat;
    }
    let agreements = 0;
    for (let r = 0; r < resamples; r++) {
      const drawn = counts.offers.map((n, i) => ({ y: binomial(random, n, share(n, i), logFactorial), n }));
      // Below minOffers in a resample, the theme is not reported there: not distinctive.
      const total = drawn.reduce((sum, c) => sum + c.y, 0);
      const verdict = total < minOffers ? undefined : judge(drawn, z, priorOffers);
      if ((verdict?.distinctive && verdict.best !== undefined ? verdict.best : -1) === expected) agreements++;
    }
    return { ...stat, stability: resamples > 0 ? agreements / resamples : 1 };
  });
}

/**
 * What differences the test above can call distinctive between a role of `nA` offers and one
 * of `nB`, in share (0–1). The difference needed depends on the shares themselves (intervals
 * are narrow near 0% and 100%, widest near 50%): `smallest` is the least needed anywhere, so
 * any smaller difference is inconclusive; `largest` is the most needed anywhere, so a larger
 * one is conclusive whatever the shares. Undefined when no difference can be distinctive
 * (too few offers).
 */
/** Up to this many offers, conclusiveDifference tries every count; beyond, sharesToTry and a bisection. */
const EXACT_UP_TO = 400;

/**
 * The mention counts of a role of n offers that conclusiveDifference tries: all of them up to
 * EXACT_UP_TO offers; beyond, every count within EXACT_UP_TO / 2 of 0 and of n (where the
 * difference needed is smallest and changes fastest) and EXACT_UP_TO evenly spread between
 * (where it varies smoothly), so the sample line costs the same at 100k offers as at 1k.
 */
function sharesToTry(n: number): number[] {
  if (n <= EXACT_UP_TO) return Array.from({ length: n + 1 }, (_, k) => k);
  const edge = EXACT_UP_TO / 2;
  const counts = new Set<number>();
  for (let k = 0; k <= edge; k++) counts.add(k).add(n - k);
  for (let step = 0; step <= EXACT_UP_TO; step++) counts.add(Math.round((step / EXACT_UP_TO) * n));
  return [...counts];
}

export function conclusiveDifference(
  nA: number,
  nB: number,
  options: { z?: number; priorOffers?: number } = {},
): { smallest: number; largest: number } | undefined {
  const z = options.z ?? Z_95;
  const priorOffers = options.priorOffers ?? PRIOR_OFFERS;
  if (nA <= 0 || nB <= 0) return undefined;
  const distinctive = (k1: number, n1: number, k2: number, n2: number) => {
    const verdict = judge([{ y: k1, n: n1 }, { y: k2, n: n2 }], z, priorOffers);
    return verdict.distinctive && verdict.best === 0;
  };
  /** The smallest distinctive difference above a role of n2 offers with k2 mentions. */
  const needed = (n1: number, n2: number, k2: number): number | undefined => {
    let low = Math.ceil((k2 / n2) * n1);
    if (n1 <= EXACT_UP_TO) {
      for (let k1 = low; k1 <= n1; k1++) if (distinctive(k1, n1, k2, n2)) return k1 / n1 - k2 / n2;
      return undefined;
    }
    // Large roles: more mentions above the same share only widen the gap, so the first
    // distinctive count is found by bisection.
    if (!distinctive(n1, n1, k2, n2)) return undefined;
    let high = n1;
    while (low < high) {
      const middle = Math.floor((low + high) / 2);
      if (distinctive(middle, n1, k2, n2)) high = middle;
      else low = middle + 1;
    }
    return low / n1 - k2 / n2;
  };
  const differences: number[] = [];
  for (const [n1, n2] of [[nA, nB], [nB, nA]] as const) {
    for (const k2 of sharesToTry(n2)) {
      const difference = needed(n1, n2, k2);
      if (difference !== undefined) differences.push(difference);
    }
  }
  if (differences.length === 0) return undefined;
  return { smallest: Math.min(...differences), largest: Math.max(...differences) };
}

export interface ThemeSelection {
  /** Distinctive themes of each role, highest z first. */
  byRole: Map<string, ThemeStat[]>;
  /** Themes every role mentions often and none owns, most widely shared first. */
  shared: ThemeStat[];
}

export interface SelectOptions {
  perRole?: number;
  shared?: number;
  /** A shared theme is mentioned by at least this share of every role's offers (default 0.4). */
  sharedShare?: number;
  /**
   * When bootstrap stability was computed, distinctive themes below it (default 0.5) are not
   * selected: the verdict flips in most resamples.
   */
  minStability?: number;
}

/** The themes a memo talks about. Deterministic: ties are broken by theme id. */
export function selectThemes(stats: readonly ThemeStat[], options: SelectOptions = {}): ThemeSelection {
  const perRole = options.perRole ?? 4;
  const sharedShare = options.sharedShare ?? 0.4;
  const minStability = options.minStability ?? 0.5;
  const byRole = new Map<string, ThemeStat[]>();
  const distinctive = stats
    .filter((s) => s.distinctiveFor !== undefined && (s.stability === undefined || s.stability >= minStability))
    .sort((a, b) => b.score - a.score || compareText(a.theme, b.theme));
  for (const stat of distinctive) {
    const role = stat.distinctiveFor as string;
    const list = byRole.get(role) ?? [];
    if (list.length < perRole) list.push(stat);
    byRole.set(role, list);
  }
  const minShare = (s: ThemeStat) => Math.min(...Object.values(s.perRole).map((r) => r.share));
  const shared = stats
    .filter((s) => s.distinctiveFor === undefined && Object.keys(s.perRole).length > 0 && minShare(s) >= sharedShare)
    .sort((a, b) => minShare(b) - minShare(a) || compareText(a.theme, b.theme))
    .slice(0, options.shared ?? 4);
  return { byRole, shared };
}
