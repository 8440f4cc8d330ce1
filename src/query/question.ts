import { SECTION_KINDS, type SectionKind } from '../types.ts';
import { foldText } from '../catalog/normalize.ts';

/**
 * What a question asks about. Section kinds are aspects in their own right; the others are
 * lenses that read across sections (tools are named in missions as often as in requirements).
 */
export const LENSES = ['tools', 'experience', 'soft_skills', 'remote', 'pay'] as const;
export const ASPECTS = [...SECTION_KINDS, ...LENSES] as const;
export type Aspect = (typeof ASPECTS)[number];

export const DEFAULT_ASPECTS: readonly Aspect[] = ['missions', 'requirements'];

export function isAspect(value: string): value is Aspect {
  return (ASPECTS as readonly string[]).includes(value);
}

/**
 * Words that name an aspect, English and French, matched on accent-folded lower case.
 * Longer phrases come first and mask what they cover, so "soft skills" is not also "skills"
 * and "nice to have" is not also "have".
 */
const ASPECT_WORDS: ReadonlyArray<readonly [Aspect, string]> = [
  ['soft_skills', 'soft skills?'],
  ['soft_skills', 'savoir[- ]etre'],
  ['nice_to_have', 'nice[- ]to[- ]haves?'],
  ['nice_to_have', 'bonus points?'],
  ['nice_to_have', 'un plus'],
  ['missions', 'what (?:they|you|people) (?:actually )?do'],
  ['missions', 'day[- ]to[- ]day'],
  ['missions', 'missions?'],
  ['missions', 'responsibilit(?:y|ies)'],
  ['missions', 'responsabilites?'],
  ['missions', 'duties'],
  ['missions', 'taches?'],
  ['requirements', 'requirements?'],
  ['requirements', 'profile?s?'],
  ['requirements', 'skills?'],
  ['requirements', 'competences?'],
  ['requirements', 'qualifications?'],
  ['requirements', 'prerequis'],
  ['requirements', 'exigences?'],
  ['benefits', 'benefits?'],
  ['benefits', 'perks?'],
  ['benefits', 'avantages?'],
  ['tools', 'tools?'],
  ['tools', 'tooling'],
  ['tools', '(?:tech )?stacks?'],
  ['tools', 'outils?'],
  ['tools', 'technolog(?:y|ies?)'],
  ['experience', 'experiences?'],
  ['experience', 'seniority'],
  ['experience', 'years?'],
  ['experience', 'ans|annees'],
  ['remote', 'remote'],
  ['remote', 'locations?'],
  ['remote', 'teletravail'],
  ['remote', 'a distance'],
  ['remote', 'hybrid|hybride'],
  ['pay', 'pay|paid|salar(?:y|ies)|earn(?:s|ings)?|compensation|wages?|remuneration|salaires?|paye|gagnent|gagne|payes?|payees?'],
];

/** Any word that names an aspect, as one alternation over folded lower case (question-groups.ts reads sides past them). */
export const ASPECT_WORD_PATTERN = ASPECT_WORDS.map(([, pattern]) => `(?:${pattern})`).join('|');

/**
 * The offers' fold (foldText), so that "tâches" and "taches", "l’équipe" and "l'equipe" read the
 * same. Composed first: a question pasted with decomposed accents ("e" + U+0301) would keep its
 * marks, which foldText leaves where stripping them would change the length.
 */
function fold(text: string): string {
  return foldText(text.normalize('NFC'));
}

/**
 * The roles and aspects a question names. Aspects come in the order the question asks them;
 * when it names none, missions and requirements (what people compare first).
 */
export function parseQuestion(
  question: string,
  findRoles: (text: string) => string[],
): { roles: string[]; aspects: Aspect[] } {
  let text = fold(question);
  const firstSeen = new Map<Aspect, number>();
  for (const [aspect, pattern] of ASPECT_WORDS) {
    const regex = new RegExp(`(?<![\\p{L}\\p{N}])(?:${pattern})(?![\\p{L}\\p{N}])`, 'gu');
    text = text.replace(regex, (match, offset: number) => {
      const seen = firstSeen.get(aspect);
      if (seen === undefined || offset < seen) firstSeen.set(aspect, offset);
      return ' '.repeat(match.length);
    });
  }
  const aspects = [...firstSeen.entries()].sort((a, b) => a[1] - b[1]).map(([aspect]) => aspect);
  return {
    roles: [...new Set(findRoles(question))],
    aspects: aspects.length > 0 ? aspects : [...DEFAULT_ASPECTS],
  };
}

const ALL_BUT_COMPANY = SECTION_KINDS.filter((kind) => kind !== 'company');

/** The aspects whose themes are also mined from the groups' own words: the sections. Lenses (tools, remote, …) are catalogue categories. */
export function minedAspects(aspects: readonly Aspect[]): SectionKind[] {
  return aspects.filter((a): a is SectionKind => (SECTION_KINDS as readonly string[]).includes(a));
}

/** The sections whose text answers an aspect. */
export function aspectSections(aspect: Aspect): SectionKind[] {
  switch (aspect) {
    case 'tools':
      return ['missions', 'requirements', 'nice_to_have'];
    case 'experience':
    case 'soft_skills':
      return ['requirements', 'nice_to_have'];
    case 'remote':
    case 'pay':
      return [...ALL_BUT_COMPANY];
    default:
      return [aspect];
  }
}

/**
 * Theme ids about experience rather than character: years, seniority, degrees. The theme
 * catalogue keeps them in the "soft" category beside communication and ownership, so the id
 * tells them apart (ids are English words joined by "_" or "-").
 */
const EXPERIENCE_THEME = /year|senior|junior|degree|diploma|education|experience|background/;
const REMOTE_THEME = /remote|hybrid|on[-_]?site|office|location|relocat|time[-_]?zone|travel/;
const PAY_THEME = /compens|salar|pay|wage|equity|bonus|stock|pension|retire|401k/;

/**
 * Which themes an aspect is about, given a theme's id and catalogue category. Section
 * aspects take every theme: the section already says what the question is about.
 */
export function aspectThemeFilter(aspect: Aspect): (id: string, category: string) => boolean {
  switch (aspect) {
    case 'tools':
      return (_id, category) => category === 'tool';
    case 'experience':
      return (id, category) => category === 'soft' && EXPERIENCE_THEME.test(id);
    case 'soft_skills':
      return (id, category) => category === 'soft' && !EXPERIENCE_THEME.test(id);
    case 'remote':
      return (id) => REMOTE_THEME.test(id);
    case 'pay':
      return (id) => PAY_THEME.test(id);
    default:
      return () => true;
  }
}

const ASPECT_LABELS: Record<Aspect, string> = {
  missions: 'Missions',
  requirements: 'Requirements',
  nice_to_have: 'Nice to have',
  benefits: 'Benefits',
  company: 'Company',
  other: 'Other',
  tools: 'Tools',
  experience: 'Experience',
  soft_skills: 'Soft skills',
  remote: 'Remote work and location',
  pay: 'Pay',
};

/** The heading an aspect gets in the memo. */
export function aspectLabel(aspect: Aspect): string {
  return ASPECT_LABELS[aspect];
}
