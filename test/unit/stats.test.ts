import assert from 'node:assert/strict';
import fc from 'fast-check';
import { describe, it } from 'node:test';
import {
  bootstrapStability,
  computeThemeStats,
  conclusiveDifference,
  countThemes,
  differenceLowerBound,
  logOddsZ,
  selectThemes,
  themeCountsOf,
  themeStats,
  wilsonInterval,
} from '../../src/query/stats.ts';
import type { OfferProfile, ThemeStat } from '../../src/query/types.ts';
import { seeded } from '../helpers/property.ts';
import { binomial, createRandom, logFactorials, randomIndex, sample, shuffle, type Random } from '../../src/util/random.ts';

/** `n` offers of a role, the first `k` mentioning `theme` in their requirements. */
function offers(role: string, n: number, mentions: Record<string, number>): OfferProfile[] {
  return Array.from({ length: n }, (_, i) => ({
    offerId: `${role}-${i}`,
    role,
    company: `${role} company ${i}`,
    themesBySection: {
      requirements: Object.entries(mentions)
        .filter(([, k]) => i < k)
        .map(([theme]) => theme),
    },
  }));
}

const label = (id: string) => id.toUpperCase();
const options = { sections: ['requirements' as const], label };

function statOf(stats: ThemeStat[], theme: string): ThemeStat {
  const stat = stats.find((s) => s.theme === theme);
  assert.ok(stat, `no stat for ${theme}`);
  return stat;
}

describe('wilsonInterval', () => {
  it('matches published values', () => {
    // Newcombe (1998), table I: 81/263 → 0.2553–0.3662; 15/148 → 0.0624–0.1605.
    const a = wilsonInterval(81, 263);
    assert.ok(Math.abs(a.low - 0.2553) < 5e-4 && Math.abs(a.high - 0.3662) < 5e-4, JSON.stringify(a));
    const b = wilsonInterval(15, 148);
    assert.ok(Math.abs(b.low - 0.0624) < 5e-4 && Math.abs(b.high - 0.1605) < 5e-4, JSON.stringify(b));
  });

  it('stays inside [0, 1] at the edges and is uninformative without trials', () => {
    assert.equal(wilsonInterval(0, 10).low, 0);
    assert.equal(wilsonInterval(10, 10).high, 1);
    assert.ok(wilsonInterval(0, 10).high > 0.2);
    assert.deepEqual(wilsonInterval(0, 0), { low: 0, high: 1 });
  });
});

describe('logOddsZ and differenceLowerBound', () => {
  it('is antisymmetric and zero when there is nothing to compare', () => {
    const z = logOddsZ({ y: 9, n: 14 }, { y: 1, n: 14 }, 10 / 28);
    assert.ok(Math.abs(z - 2.332) < 1e-3, String(z));
    assert.ok(Math.abs(logOddsZ({ y: 1, n: 14 }, { y: 9, n: 14 }, 10 / 28) + z) < 1e-12);
    assert.equal(logOddsZ({ y: 5, n: 5 }, { y: 5, n: 5 }, 1), 0);
    assert.equal(logOddsZ({ y: 0, n: 5 }, { y: 0, n: 5 }, 0), 0);
  });

  it('shrinks small samples: 2 of 2 vs 0 of 2 scores below 40 of 50 vs 10 of 50', () => {
    assert.ok(logOddsZ({ y: 2, n: 2 }, { y: 0, n: 2 }, 0.5) < logOddsZ({ y: 40, n: 50 }, { y: 10, n: 50 }, 0.5));
  });

  it("matches Newcombe's method 10 example", () => {
    // Newcombe (1998), table II, example (a): 56/70 − 48/80, interval 0.0524 to 0.3339.
    assert.ok(Math.abs(differenceLowerBound({ y: 56, n: 70 }, { y: 48, n: 80 }) - 0.0524) < 5e-4);
  });
});

describe('computeThemeStats', () => {
  const profiles = new Map([
    ['SRE', offers('SRE', 14, { slo: 9, oncall: 2, linux: 10 })],
    ['DevOps Engineer', offers('DevOps Engineer', 14, { slo: 1, oncall: 1, linux: 11, terraform: 12 })],
  ]);
  const stats = computeThemeStats(profiles, options);

  it('counts offers, shares and intervals per role', () => {
    const slo = statOf(stats, 'slo');
    assert.equal(slo.label, 'SLO');
    assert.deepEqual(
      { offers: slo.perRole.SRE?.offers, total: slo.perRole.SRE?.total, share: slo.perRole.SRE?.share },
      { offers: 9, total: 14, share: 9 / 14 },
    );
    assert.equal(slo.perRole['DevOps Engineer']?.offers, 1);
    const sre = slo.perRole.SRE!;
    assert.ok(sre.low < sre.share && sre.share < sre.high);
  });

  it('calls a large difference distinctive and a 2-vs-1 difference not', () => {
    assert.equal(statOf(stats, 'slo').distinctiveFor, 'SRE');
    assert.equal(statOf(stats, 'terraform').distinctiveFor, 'DevOps Engineer');
    assert.equal(statOf(stats, 'oncall').distinctiveFor, undefined);
    assert.equal(statOf(stats, 'linux').distinctiveFor, undefined);
  });

  it('sorts by score and counts an offer once however many sections mention the theme', () => {
    assert.deepEqual(
      stats.map((s) => s.score),
      [...stats].map((s) => s.score).sort((a, b) => b - a),
    );
    const twice: OfferProfile = { offerId: 'x', role: 'A', company: 'X', themesBySection: { missions: ['k8s'], requirements: ['k8s'] } };
    const once = computeThemeStats(new Map([['A', [twice, twice]], ['B', offers('B', 2, {})]]), {
      sections: ['missions', 'requirements'],
      label,
    });
    assert.equal(statOf(once, 'k8s').perRole.A?.offers, 2);
  });

  it('only reads the chosen sections and themes, and drops themes seen in fewer than minOffers offers', () => {
    const missionsOnly = computeThemeStats(profiles, { sections: ['missions'], label });
    assert.equal(missionsOnly.length, 0);
    const noSlo = computeThemeStats(profiles, { ...options, themes: (id) => id !== 'slo' });
    assert.ok(!noSlo.some((s) => s.theme === 'slo'));
    const rare = computeThemeStats(new Map([['A', offers('A', 5, { rare: 1 })], ['B', offers('B', 5, {})]]), options);
    assert.equal(rare.length, 0);
  });

  it('never calls a theme distinctive for 7 vs 1 in 10 offers (the prior is worth 10 offers), but does for 8 vs 1', () => {
    const seven = computeThemeStats(new Map([['A', offers('A', 10, { t: 7 })], ['B', offers('B', 10, { t: 1 })]]), options);
    assert.equal(statOf(seven, 't').distinctiveFor, undefined);
    const eight = computeThemeStats(new Map([['A', offers('A', 10, { t: 8 })], ['B', offers('B', 10, { t: 1 })]]), options);
    assert.equal(statOf(eight, 't').distinctiveFor, 'A');
  });

  it('needs at least 3 offers of the role, whatever the z', () => {
    const tiny = computeThemeStats(new Map([['A', offers('A', 2, { t: 2 })], ['B', offers('B', 60, {})]]), options);
    assert.equal(statOf(tiny, 't').distinctiveFor, undefined);
  });

  it('with three roles, is not distinctive for a role another role matches', () => {
    const three = new Map([
      ['A', offers('A', 20, { t: 15 })],
      ['B', offers('B', 20, { t: 14 })],
      ['C', offers('C', 20, { t: 0 })],
    ]);
    const stat = statOf(computeThemeStats(three, options), 't');
    assert.equal(stat.distinctiveFor, undefined);
    assert.ok(stat.score > 1.96, 'A does stand out against the pool of B and C');
    const clear = statOf(computeThemeStats(new Map([...three, ['B', offers('B', 20, { t: 2 })]]), options), 't');
    assert.equal(clear.distinctiveFor, 'A');
  });

  it('survives a role without offers', () => {
    const stats = computeThemeStats(new Map([['A', offers('A', 10, { t: 9 })], ['B', []]]), options);
    assert.equal(statOf(stats, 't').distinctiveFor, undefined);
    assert.equal(statOf(stats, 't').perRole.B?.share, 0);
  });
});

describe('bootstrapStability', () => {
  const profiles = new Map([
    ['A', offers('A', 30, { strong: 27, borderline: 12 })],
    ['B', offers('B', 30, { strong: 2, borderline: 4 })],
  ]);

  it('is high for a clear difference, lower for a borderline one, and reproducible', () => {
    const stats = bootstrapStability(countThemes(profiles, options), options, { resamples: 100, seed: 7 });
    const strong = statOf(stats, 'strong');
    const borderline = statOf(stats, 'borderline');
    assert.equal(strong.distinctiveFor, 'A');
    assert.ok(strong.stability! > 0.95, String(strong.stability));
    assert.ok(borderline.stability! < strong.stability!, `${borderline.stability} vs ${strong.stability}`);
    assert.deepEqual(bootstrapStability(countThemes(profiles, options), options, { resamples: 100, seed: 7 }), stats);
  });

  it('agrees with its definition: the share of resampled offers where computeThemeStats gives the same verdict', () => {
    // The definition, by brute force: redraw each role's offers with replacement and recompute.
    // Counts drawn from binomials must give the same stability up to Monte Carlo error
    // (2,000 resamples each: a standard error under 0.016 on the difference, so 0.05 is 3σ).
    const mixed = new Map([
      ['A', offers('A', 25, { strong: 20, borderline: 12, rare: 2, even: 10 })],
      ['B', offers('B', 18, { strong: 3, borderline: 3, rare: 0, even: 7 })],
      ['C', offers('C', 12, { strong: 1, borderline: 2, rare: 1, even: 5 })],
    ]);
    const resamples = 2000;
    const stats = bootstrapStability(countThemes(mixed, options), options, { resamples, seed: 'x' });
    const random = createRandom('reference');
    const agreements = new Map<string, number>();
    for (let r = 0; r < resamples; r++) {
      const drawn = new Map([...mixed].map(([role, list]) => [role, resample(list, random)]));
      const verdicts = new Map(computeThemeStats(drawn, options).map((s) => [s.theme, s.distinctiveFor]));
      for (const stat of stats) if (verdicts.get(stat.theme) === stat.distinctiveFor) agreements.set(stat.theme, (agreements.get(stat.theme) ?? 0) + 1);
    }
    for (const stat of stats) {
      const reference = (agreements.get(stat.theme) ?? 0) / resamples;
      assert.ok(Math.abs(stat.stability! - reference) <= 0.05, `${stat.theme}: ${stat.stability} vs ${reference} by redrawing offers`);
    }
    assert.ok(stats.some((stat) => stat.stability! < 0.9), 'some verdict must be unstable, or the comparison proves little');
  });

  it('reads counts, so running totals and the offers themselves give the same answer', () => {
    const fromOffers = bootstrapStability(countThemes(profiles, options), options, { resamples: 50, seed: 3 });
    const totals = themeCountsOf([
      { role: 'A', offers: 30, mentions: new Map([['strong', 27], ['borderline', 12]]) },
      { role: 'B', offers: 30, mentions: new Map([['strong', 2], ['borderline', 4]]) },
    ]);
    assert.deepEqual(bootstrapStability(totals, options, { resamples: 50, seed: 3 }), fromOffers);
  });

  it('resamples only the distinctive themes when asked, and gives them exactly the stability of a full run', () => {
    // Counts that include shares of 0 and 1 (no draw) and every kind of verdict, drawn with a fixed seed.
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 40 }), fc.integer({ min: 0, max: 40 }), fc.integer({ min: 0, max: 40 })), { minLength: 1, maxLength: 30 }),
        fc.integer({ min: 0, max: 40 }),
        fc.integer({ min: 1, max: 40 }),
        (mentions, nA, nB) => {
          const roles = ['A', 'B', 'C'];
          const sizes = [nA, nB, 25];
          const totals = themeCountsOf(
            roles.map((role, r) => ({ role, offers: sizes[r]!, mentions: new Map(mentions.map((ys, t) => [`t${t}`, Math.min(ys[r]!, sizes[r]!)])) })),
          );
          const full = bootstrapStability(totals, options, { resamples: 20, seed: 5 });
          const partial = bootstrapStability(totals, options, { resamples: 20, seed: 5, distinctiveOnly: true });
          assert.deepEqual(partial, full.map(({ stability, ...stat }) => (stat.distinctiveFor === undefined ? stat : { ...stat, stability })));
        },
      ),
      seeded({ numRuns: 200 }),
    );
  });
});

describe('binomial', () => {
  it('is exact: frequencies of 40,000 draws match the probabilities of Binomial(12, 0.3)', () => {
    const random = createRandom(11);
    const table = logFactorials(12);
    const seen = new Array<number>(13).fill(0);
    for (let i = 0; i < 40_000; i++) seen[binomial(random, 12, 0.3, table)]!++;
    for (let k = 0; k <= 12; k++) {
      const p = Math.exp(table[12]! - table[k]! - table[12 - k]! + k * Math.log(0.3) + (12 - k) * Math.log(0.7));
      // 4 standard errors of a frequency over 40,000 draws, plus a floor for the far tails.
      assert.ok(Math.abs(seen[k]! / 40_000 - p) <= 4 * Math.sqrt((p * (1 - p)) / 40_000) + 1e-4, `k=${k}: ${seen[k]! / 40_000} vs ${p}`);
    }
  });

  it('has the mean and variance of a large binomial, and the edge cases of a degenerate one', () => {
    const random = createRandom(5);
    const table = logFactorials(50_000);
    const draws = Array.from({ length: 4000 }, () => binomial(random, 50_000, 0.02, table));
    const mean = draws.reduce((a, b) => a + b, 0) / draws.length;
    const variance = draws.reduce((a, b) => a + (b - mean) ** 2, 0) / (draws.length - 1);
    assert.ok(Math.abs(mean - 1000) < 4 * Math.sqrt(980 / 4000), String(mean));
    assert.ok(Math.abs(variance / 980 - 1) < 0.1, String(variance));
    assert.equal(binomial(random, 10, 0, table), 0);
    assert.equal(binomial(random, 10, 1, table), 10);
    assert.equal(binomial(random, 0, 0.5, table), 0);
  });
});

describe('conclusiveDifference', () => {
  it('shrinks as samples grow and is undefined when nothing can be shown', () => {
    const ten = conclusiveDifference(10, 10)!;
    const fifty = conclusiveDifference(50, 50)!;
    assert.ok(ten.smallest <= ten.largest);
    assert.ok(fifty.largest < ten.smallest);
    assert.equal(conclusiveDifference(2, 2), undefined);
    assert.equal(conclusiveDifference(0, 10), undefined);
  });

  it('agrees with computeThemeStats at its boundary', () => {
    const { smallest } = conclusiveDifference(10, 10)!;
    // 6 of 10 vs 0 of 10 is the smallest distinctive difference at n = 10.
    assert.ok(Math.abs(smallest - 0.6) < 1e-9);
    const at = computeThemeStats(new Map([['A', offers('A', 10, { t: 6 })], ['B', offers('B', 10, {})]]), options);
    assert.equal(statOf(at, 't').distinctiveFor, 'A');
    const below = computeThemeStats(new Map([['A', offers('A', 10, { t: 5 })], ['B', offers('B', 10, {})]]), options);
    assert.equal(statOf(below, 't').distinctiveFor, undefined);
  });

  it('past 400 offers, gives what trying every count gives', () => {
    // Brute force from the definition, through themeStats: for every count of the second role,
    // the first count of the first role that is distinctive for it.
    const [nA, nB] = [520, 430];
    const distinctive = (k1: number, k2: number, n1: number, n2: number) =>
      themeStats(themeCountsOf([{ role: 'A', offers: n1, mentions: new Map([['t', k1]]) }, { role: 'B', offers: n2, mentions: new Map([['t', k2]]) }]), options)[0]
        ?.distinctiveFor === 'A';
    const differences: number[] = [];
    for (const [n1, n2] of [[nA, nB], [nB, nA]] as const) {
      for (let k2 = 0; k2 <= n2; k2++) {
        for (let k1 = Math.ceil((k2 / n2) * n1); k1 <= n1; k1++) {
          if (distinctive(k1, k2, n1, n2)) {
            differences.push(k1 / n1 - k2 / n2);
            break;
          }
        }
      }
    }
    const fast = conclusiveDifference(nA, nB)!;
    assert.ok(Math.abs(fast.smallest - Math.min(...differences)) < 1e-9, `${fast.smallest} vs ${Math.min(...differences)}`);
    assert.ok(Math.abs(fast.largest - Math.max(...differences)) < 1e-9, `${fast.largest} vs ${Math.max(...differences)}`);
  });
});

describe('selectThemes', () => {
  const stat = (theme: string, score: number, shares: Record<string, number>, distinctiveFor?: string, stability?: number): ThemeStat => ({
    theme,
    label: theme,
    score,
    ...(distinctiveFor ? { distinctiveFor } : {}),
    ...(stability !== undefined ? { stability } : {}),
    perRole: Object.fromEntries(Object.entries(shares).map(([r, share]) => [r, { offers: share * 10, total: 10, share, low: 0, high: 1 }])),
  });

  it('picks distinctive themes per role by z, and shared ones by their lowest share', () => {
    const stats = [
      stat('a1', 3, { A: 0.9, B: 0.1 }, 'A'),
      stat('a2', 4, { A: 0.8, B: 0.1 }, 'A'),
      stat('a3', 2.5, { A: 0.7, B: 0.1 }, 'A'),
      stat('b1', 2.2, { A: 0.1, B: 0.7 }, 'B'),
      stat('s1', 0.2, { A: 0.5, B: 0.6 }),
      stat('s2', 0.1, { A: 0.9, B: 0.8 }),
      stat('rare', 0.1, { A: 0.3, B: 0.9 }),
    ];
    const selection = selectThemes(stats, { perRole: 2, shared: 4 });
    assert.deepEqual(selection.byRole.get('A')?.map((s) => s.theme), ['a2', 'a1']);
    assert.deepEqual(selection.byRole.get('B')?.map((s) => s.theme), ['b1']);
    assert.deepEqual(selection.shared.map((s) => s.theme), ['s2', 's1']);
  });

  it('breaks ties by theme id and skips unstable verdicts', () => {
    const stats = [stat('zeta', 3, { A: 1, B: 0 }, 'A'), stat('alpha', 3, { A: 1, B: 0 }, 'A'), stat('shaky', 5, { A: 1, B: 0 }, 'A', 0.3)];
    assert.deepEqual(selectThemes(stats).byRole.get('A')?.map((s) => s.theme), ['alpha', 'zeta']);
  });
});

describe('random', () => {
  it('is reproducible for a seed, different across seeds, and uniform enough', () => {
    const a = createRandom('42');
    const b = createRandom('42');
    const draws = Array.from({ length: 1000 }, () => a());
    assert.deepEqual(draws, Array.from({ length: 1000 }, () => b()));
    assert.notDeepEqual(draws.slice(0, 5), Array.from({ length: 5 }, createRandom('43')));
    assert.ok(draws.every((x) => x >= 0 && x < 1));
    const mean = draws.reduce((s, x) => s + x, 0) / draws.length;
    assert.ok(Math.abs(mean - 0.5) < 0.05, String(mean));
  });

  it('samples without replacement in input order, shuffles and resamples with replacement', () => {
    const items = Array.from({ length: 20 }, (_, i) => i);
    const picked = sample(items, 5, createRandom(1));
    assert.equal(new Set(picked).size, 5);
    assert.deepEqual(picked, [...picked].sort((x, y) => x - y));
    assert.deepEqual(sample(items, 50, createRandom(1)), items);
    assert.deepEqual([...shuffle(items, createRandom(2))].sort((x, y) => x - y), items);
    const drawn = resample(items, createRandom(3));
    assert.equal(drawn.length, 20);
    assert.ok(new Set(drawn).size < 20, 'twenty draws with replacement repeat something');
  });
});

/** The brute-force reference of bootstrapStability: as many items as the input, drawn with replacement. */
function resample<T>(items: readonly T[], random: Random): T[] {
  return items.map(() => items[randomIndex(random, items.length)]!);
}
