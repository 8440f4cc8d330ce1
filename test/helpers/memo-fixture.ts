import { composeAnswer, type ThemeLookup } from '../../src/query/compose.ts';
import { aspectSections, type Aspect } from '../../src/query/question.ts';
import { computeThemeStats } from '../../src/query/stats.ts';
import type { Answer, Evidence, OfferProfile, RoleSummary, ThemeStat } from '../../src/query/types.ts';
import type { SectionKind } from '../../src/types.ts';

/**
 * Hand-made offers (the team's own wording) for two roles, with known theme counts:
 *  - SLOs: 9 of 14 SRE vs 1 of 14 DevOps (requirements) → distinctive for SRE;
 *  - Terraform: 12 of 14 DevOps vs 3 of 14 SRE (missions) → distinctive for DevOps Engineer;
 *  - CI/CD: 10 of 14 SRE and 11 of 14 DevOps (missions) → shared;
 *  - on-call: 2 of 14 SRE vs 1 of 14 DevOps (missions) → too small to be distinctive.
 */

const THEMES: Record<string, { label: string; category: string; pattern: RegExp }> = {
  slo: { label: 'SLOs and error budgets', category: 'practice', pattern: /\bSLOs?\b|error budgets?/g },
  terraform: { label: 'Terraform', category: 'tool', pattern: /\bTerraform\b/g },
  cicd: { label: 'CI/CD pipelines', category: 'practice', pattern: /\bCI\/CD\b/g },
  oncall: { label: 'On-call', category: 'practice', pattern: /\bon-call\b/gi },
};

export const fixtureThemes: ThemeLookup = {
  label: (id) => THEMES[id]?.label ?? id,
  category: (id) => THEMES[id]?.category ?? 'other',
  spans: (text, id) => {
    const pattern = THEMES[id]?.pattern;
    if (!pattern) return [];
    return [...text.matchAll(new RegExp(pattern))].map((m): [number, number] => [m.index, m.index + m[0].length]);
  },
};

function themesIn(text: string): string[] {
  return Object.keys(THEMES).filter((id) => fixtureThemes.spans(text, id).length > 0);
}

export interface FixtureOffer {
  offerId: string;
  role: string;
  title: string;
  company: string;
  text: string;
  sections: Array<{ kind: SectionKind; text: string }>;
}

const SLO_LINES = [
  'You have agreed SLOs with product owners and kept an error budget honest.',
  'You know how to turn user journeys into SLOs, and how to alert on burn rate.',
  'Experience running services against an error budget is expected.',
];
const TERRAFORM_LINES = [
  'Describe our cloud accounts as code with Terraform modules.',
  'Own the Terraform code that provisions every environment.',
];

function offer(role: string, i: number, has: Record<string, boolean>): FixtureOffer {
  const slug = role === 'SRE' ? 'sre' : 'devops';
  const missions = [
    '- Keep the booking platform fast and boring.',
    has.cicd ? '- Maintain the CI/CD pipelines that ship every merge to production.' : '',
    has.terraform ? `- ${TERRAFORM_LINES[i % TERRAFORM_LINES.length]}` : '',
    has.oncall ? '- Join the on-call rotation, one week in six, with a paid allowance.' : '',
  ].filter(Boolean).join('\n');
  const requirements = [
    has.slo ? SLO_LINES[i % SLO_LINES.length] : '',
    'Clear written English. Curiosity about how things break.',
  ].filter(Boolean).join(' ');
  const title = role === 'SRE' ? 'Site Reliability Engineer' : 'DevOps Engineer';
  const company = `${role === 'SRE' ? 'Northwind' : 'Contoso'} ${i + 1}`;
  const text = `${title}\n${company}\n\nWhat you will do\n${missions}\n\nWhat we look for\n${requirements}\n`;
  return {
    offerId: `${slug}-${i + 1}`,
    role,
    title,
    company,
    text,
    sections: [
      { kind: 'missions', text: missions },
      { kind: 'requirements', text: requirements },
    ],
  };
}

/** Offers 0..k-1 of a role have the theme. */
function first(k: number, i: number): boolean {
  return i < k;
}

export const fixtureOffers: FixtureOffer[] = [
  ...Array.from({ length: 14 }, (_, i) =>
    offer('SRE', i, { slo: first(9, i), terraform: i >= 11, cicd: first(10, i), oncall: first(2, i) }),
  ),
  ...Array.from({ length: 14 }, (_, i) =>
    offer('DevOps Engineer', i, { slo: first(1, i), terraform: first(12, i), cicd: i >= 3, oncall: first(1, i) }),
  ),
];

export const fixtureRoles = ['SRE', 'DevOps Engineer'];

export function fixtureProfiles(offers: readonly FixtureOffer[] = fixtureOffers): Map<string, OfferProfile[]> {
  return new Map(
    [...new Set(offers.map((o) => o.role))].map((role) => [
      role,
      offers
        .filter((o) => o.role === role)
        .map((o) => ({
          offerId: o.offerId,
          role,
          company: o.company,
          themesBySection: Object.fromEntries(o.sections.map((s) => [s.kind, themesIn(s.text)])),
        })),
    ]),
  );
}

/** Every section of every offer as one chunk, indexed by theme then role, best first. */
export function fixtureEvidence(offers: readonly FixtureOffer[] = fixtureOffers): Map<string, Map<string, Evidence[]>> {
  const byTheme = new Map<string, Map<string, Evidence[]>>();
  offers.forEach((o, n) => {
    o.sections.forEach((section, s) => {
      const themes = themesIn(section.text);
      const evidence: Evidence = {
        chunkId: `${o.offerId}:${s}:0`,
        offerId: o.offerId,
        role: o.role,
        section: section.kind,
        title: o.title,
        company: o.company,
        source: `fixtures/${o.offerId}.md`,
        text: section.text,
        themes,
        score: 1 - n / 100,
      };
      for (const theme of themes) {
        const byRole = byTheme.get(theme) ?? new Map<string, Evidence[]>();
        byRole.set(o.role, [...(byRole.get(o.role) ?? []), evidence]);
        byTheme.set(theme, byRole);
      }
    });
  });
  return byTheme;
}

export function fixtureStats(aspects: readonly Aspect[], profiles = fixtureProfiles()): Map<string, ThemeStat[]> {
  return new Map(
    aspects.map((aspect) => [aspect, computeThemeStats(profiles, { sections: aspectSections(aspect), label: fixtureThemes.label })]),
  );
}

export function fixtureRoleSummaries(offers: readonly FixtureOffer[] = fixtureOffers): RoleSummary[] {
  return fixtureRoles.map((name) => {
    const own = offers.filter((o) => o.role === name);
    return { name, offers: own.length, chunks: own.length * 2 };
  });
}

/** The offline answer to "SRE vs DevOps: missions and requirements" over the fixture. */
export function fixtureAnswer(aspects: readonly Aspect[] = ['missions', 'requirements']): Answer {
  return composeAnswer({
    question: 'What is the difference between SRE and DevOps Engineer missions and requirements?',
    aspects,
    roles: fixtureRoleSummaries(),
    statsByAspect: fixtureStats(aspects),
    evidenceByTheme: fixtureEvidence(),
    themes: fixtureThemes,
  });
}

export function fixtureLookup(offerId: string): { role: string; text: string } | undefined {
  return fixtureOffers.find((o) => o.offerId === offerId);
}
