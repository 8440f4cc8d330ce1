import { detectLanguage } from '../../ingest/language.ts';

/**
 * Every word the memo writes, per language: English and French, and a new language is one more
 * entry of MESSAGES (the compiler lists what it must say). Sentences are built from whole
 * templates with their own word order and plurals, never by concatenating English fragments.
 * Quotes stay in their offers' language.
 */

export const MEMO_LANGUAGES = ['en', 'fr'] as const;
export type MemoLanguage = (typeof MEMO_LANGUAGES)[number];

export function isMemoLanguage(value: string): value is MemoLanguage {
  return (MEMO_LANGUAGES as readonly string[]).includes(value);
}

/** The memo's language: `--lang`, else the question's own (English when it is neither). */
export function memoLanguage(question: string, override?: string): MemoLanguage {
  if (override && isMemoLanguage(override)) return override;
  const detected = detectLanguage(question);
  return isMemoLanguage(detected) ? detected : 'en';
}

/** How an aspect's sentences talk: what they count and what offers do with a theme. */
export interface AspectWords {
  heading: string;
  /** "SRE offers ask for X more often", "Les offres SRE demandent X plus souvent". */
  more(group: string, label: string, far: boolean): string;
  /** "Offers of both groups ask for X", "Les offres des deux groupes demandent X". */
  shared(groups: number, label: string): string;
}

export interface Messages {
  aspects: Record<string, AspectWords>;
  /** Between a sentence and its counts: ": " in English, " : " in French. */
  colon: string;
  /** Between a group's counts and the others': "vs", "contre". */
  versus: string;
  list(items: readonly string[]): string;
  /** "9 of 14 SRE offers", with "(64%)" when sizes differ. */
  count(offers: number, total: number, group: string, share?: string): string;
  offers(n: number, group?: string): string;
  intro(groups: string, aspects: string): string;
  distinctiveHeading(group: string): string;
  sharedHeading: string;
  alsoDistinctive(group: string): string;
  alsoShared: string;
  /** `phrases`: the groups' own phrases tested too (mined), with the stricter z their number calls for. */
  nothingDistinctive(group: string, tested: { themes: number; phrases: number; phraseZ: string }): string;
  tentative(stability: string): string;
  /** Why a visible gap is not called distinctive, from the test itself. */
  gapNoise(z: string): string;
  gapUnstable(stability: string): string;
  gapNotEveryGroup: string;
  summaryHeading: string;
  summaryStandsOut(group: string, label: string, counts: string): string;
  summaryShared(label: string, counts: string): string;
  /** `pay` is the median and quartiles in the group's most common currency and period; `within` how many offers state it so. */
  summaryPay(group: string, pay: string, within: number, stated: string): string;
  summaryExperience(group: string, years: string, stated: string): string;
  factsHeading: string;
  facts: {
    offers: string;
    payStated: string;
    pay: string;
    experience: string;
    workplace: string;
    contract: string;
    education: string;
    languages: string;
    none: string;
    values: Record<string, string>;
    periods: Record<string, string>;
  };
  payHeading: string;
  experienceHeading: string;
  paySentence(group: string, pay: string, stated: string): string;
  experienceSentence(group: string, years: string, stated: string): string;
  sample(list: string): string;
  tooSmall: string;
  notConclusiveBelow(points: number): string;
  notConclusiveUpTo(smallest: number, largest: number): string;
  noDifferencePossible: string;
  sampledWith(seed: string): string;
  sources: string;
  warnings: string;
  unknownCompany: string;
}

const en: Messages = {
  colon: ': ',
  versus: 'vs',
  aspects: {
    missions: aspect('Missions', 'missions involve', 'involve'),
    requirements: aspect('Requirements', 'offers ask for', 'ask for'),
    nice_to_have: aspect('Nice to have', 'nice-to-haves include', 'include'),
    benefits: aspect('Benefits', 'benefits mention', 'mention'),
    company: aspect('Company', 'offers mention', 'mention'),
    other: aspect('Other', 'offers mention', 'mention'),
    tools: aspect('Tools', 'offers name', 'name'),
    experience: aspect('Experience', 'offers ask for', 'ask for'),
    soft_skills: aspect('Soft skills', 'offers ask for', 'ask for'),
    remote: aspect('Remote work and location', 'offers mention', 'mention'),
    pay: aspect('Pay', 'offers mention', 'mention'),
  },
  list: (items) => (items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`),
  count: (offers, total, group, share) => `${offers} of ${total} ${group} offer${total === 1 ? '' : 's'}${share ? ` (${share})` : ''}`,
  offers: (n, group) => `${n} ${group ? `${group} ` : ''}offer${n === 1 ? '' : 's'}`,
  intro: (groups, aspects) => `Comparing ${groups} on ${aspects}, from what their job offers say.`,
  distinctiveHeading: (group) => `Distinctive for ${group}`,
  sharedHeading: 'Shared by all',
  alsoDistinctive: (group) => `Also distinctive for ${group}`,
  alsoShared: 'Also shared',
  nothingDistinctive: (group, { themes, phrases, phraseZ }) =>
    `Nothing is distinctive for ${group}: of ${themes} ${phrases > 0 ? 'catalogue ' : ''}theme${themes === 1 ? '' : 's'}${phrases > 0 ? ` and ${phrases} phrase${phrases === 1 ? '' : 's'} mined from the offers,` : ' tested,'} none is both significantly more frequent (log-odds z ≥ 1.96${phrases > 0 ? `, or ${phraseZ} for a phrase, corrected for the ${phrases} tested` : ''}, 95% interval of the difference above zero against every other group) and mentioned by at least 3 of its offers.`,
  tentative: (stability) => `; it holds in only ${stability} of bootstrap resamples, so treat it as tentative`,
  gapNoise: (z) => `, a gap within sampling noise here (z = ${z}, below 1.96)`,
  gapUnstable: (stability) => `, a gap that holds in only ${stability} of bootstrap resamples`,
  gapNotEveryGroup: ', a gap whose 95% interval does not exclude zero against every group',
  summaryHeading: 'Summary',
  summaryStandsOut: (group, label, counts) => `What most sets ${group} apart is ${label}: ${counts}.`,
  summaryShared: (label, counts) => `They share ${label}: ${counts}.`,
  summaryPay: (_group, pay, within, stated) => `${stated} state pay; the ${within} that state it in this currency and period give a median of ${pay}.`,
  summaryExperience: (group, years, stated) => `${group} offers ask for a median of ${years} of experience (${stated} say how many years).`,
  factsHeading: 'Facts',
  facts: {
    offers: 'offers',
    payStated: 'state pay',
    pay: 'pay, median (quartiles)',
    experience: 'years of experience asked, median (quartiles)',
    workplace: 'workplace',
    contract: 'contract',
    education: 'degree named',
    languages: 'languages required',
    none: '—',
    values: {
      remote: 'remote', hybrid: 'hybrid', onsite: 'on site', unknown: 'unknown', permanent: 'permanent', fixed_term: 'fixed term', contract: 'contract',
      internship: 'internship', part_time: 'part time', none_stated: 'none stated', bachelor: 'bachelor', master: 'master', doctorate: 'doctorate',
    },
    periods: { hour: 'hour', day: 'day', week: 'week', month: 'month', year: 'year' },
  },
  payHeading: 'Stated pay',
  experienceHeading: 'Years of experience asked',
  paySentence: (_group, pay, stated) => `${stated} state pay, with a median of ${pay} in their most common currency and period.`,
  experienceSentence: (group, years, stated) => `${group} offers ask for a median of ${years} of experience; ${stated} say how many years.`,
  sample: (list) => `Sample: ${list}.`,
  tooSmall: 'These samples are too small to conclude on most themes.',
  notConclusiveBelow: (points) => `With these samples, differences below ${points} percentage points are not conclusive.`,
  notConclusiveUpTo: (smallest, largest) => `With these samples, differences below ${smallest} percentage points are not conclusive, and up to ${largest} points may not be, depending on the shares.`,
  noDifferencePossible: 'With so few offers, no difference between groups can be called distinctive.',
  sampledWith: (seed) => `Offers were sampled with seed ${seed}.`,
  sources: 'Sources',
  warnings: 'Warnings',
  unknownCompany: 'unknown company',
};

const fr: Messages = {
  colon: ' : ',
  versus: 'contre',
  aspects: {
    missions: aspectFr('Missions', 'les missions', 'comportent'),
    requirements: aspectFr('Exigences', 'les offres', 'demandent'),
    nice_to_have: aspectFr('Atouts appréciés', 'les atouts des offres', 'comprennent'),
    benefits: aspectFr('Avantages', 'les avantages des offres', 'mentionnent'),
    company: aspectFr('Entreprise', 'les offres', 'mentionnent'),
    other: aspectFr('Autre', 'les offres', 'mentionnent'),
    tools: aspectFr('Outils', 'les offres', 'citent'),
    experience: aspectFr('Expérience', 'les offres', 'demandent'),
    soft_skills: aspectFr('Savoir-être', 'les offres', 'demandent'),
    remote: aspectFr('Télétravail et lieu', 'les offres', 'mentionnent'),
    pay: aspectFr('Rémunération', 'les offres', 'mentionnent'),
  },
  list: (items) => (items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} et ${items.at(-1)}`),
  count: (offers, total, group, share) => `${offers} offre${offers === 1 ? '' : 's'} ${group} sur ${total}${share ? ` (${share})` : ''}`,
  offers: (n, group) => `${n} offre${n === 1 ? '' : 's'}${group ? ` ${group}` : ''}`,
  intro: (groups, aspects) => `Comparaison de ${groups} sur ${aspects}, d'après leurs offres d'emploi.`,
  distinctiveHeading: (group) => `Propre à ${group}`,
  sharedHeading: 'Commun à tous',
  alsoDistinctive: (group) => `Également propre à ${group}`,
  alsoShared: 'Également commun',
  nothingDistinctive: (group, { themes, phrases, phraseZ }) =>
    `Rien n'est propre à ${group} : sur ${themes} thème${themes === 1 ? '' : 's'}${phrases > 0 ? ` du catalogue et ${phrases} expression${phrases === 1 ? '' : 's'} tirée${phrases === 1 ? '' : 's'} des offres` : ` testé${themes === 1 ? '' : 's'}`}, aucun n'est à la fois nettement plus fréquent (z du log-odds ≥ 1,96${phrases > 0 ? `, ou ${phraseZ.replace('.', ',')} pour une expression, corrigé pour les ${phrases} testées` : ''}, intervalle à 95 % de l'écart au-dessus de zéro face à chaque autre groupe) et cité par au moins 3 de ses offres.`,
  tentative: (stability) => ` ; ce résultat ne tient que dans ${stability} des rééchantillonnages, il est donc provisoire`,
  gapNoise: (z) => `, un écart dans le bruit d'échantillonnage ici (z = ${z}, sous 1,96)`,
  gapUnstable: (stability) => `, un écart qui ne tient que dans ${stability} des rééchantillonnages`,
  gapNotEveryGroup: ", un écart dont l'intervalle à 95 % n'exclut pas zéro face à chaque groupe",
  summaryHeading: 'Synthèse',
  summaryStandsOut: (group, label, counts) => `Ce qui distingue le plus ${group} : ${label}, ${counts}.`,
  summaryShared: (label, counts) => `Points communs : ${label}, ${counts}.`,
  summaryPay: (_group, pay, within, stated) => `${stated} indiquent une rémunération ; les ${within} qui l'indiquent dans cette devise et cette période donnent une médiane de ${pay}.`,
  summaryExperience: (group, years, stated) => `Les offres ${group} demandent une médiane de ${years} d'expérience (${stated} le précisent).`,
  factsHeading: 'Faits',
  facts: {
    offers: 'offres',
    payStated: 'indiquent la rémunération',
    pay: 'rémunération, médiane (quartiles)',
    experience: "années d'expérience demandées, médiane (quartiles)",
    workplace: 'lieu de travail',
    contract: 'contrat',
    education: 'diplôme cité',
    languages: 'langues demandées',
    none: '—',
    values: {
      remote: 'à distance', hybrid: 'hybride', onsite: 'sur site', unknown: 'inconnu', permanent: 'CDI', fixed_term: 'CDD', contract: 'freelance',
      internship: 'stage ou alternance', part_time: 'temps partiel', none_stated: 'non précisé', bachelor: 'licence', master: 'master', doctorate: 'doctorat',
    },
    periods: { hour: 'heure', day: 'jour', week: 'semaine', month: 'mois', year: 'an' },
  },
  payHeading: 'Rémunération indiquée',
  experienceHeading: "Années d'expérience demandées",
  paySentence: (_group, pay, stated) => `${stated} indiquent une rémunération, avec une médiane de ${pay} dans leur devise et période les plus courantes.`,
  experienceSentence: (group, years, stated) => `Les offres ${group} demandent une médiane de ${years} d'expérience ; ${stated} le précisent.`,
  sample: (list) => `Échantillon : ${list}.`,
  tooSmall: 'Ces échantillons sont trop petits pour conclure sur la plupart des thèmes.',
  notConclusiveBelow: (points) => `Avec ces échantillons, les écarts de moins de ${points} points ne sont pas concluants.`,
  notConclusiveUpTo: (smallest, largest) =>
    `Avec ces échantillons, les écarts de moins de ${smallest} points ne sont pas concluants, et jusqu'à ${largest} points peuvent ne pas l'être, selon les parts.`,
  noDifferencePossible: "Avec si peu d'offres, aucun écart entre groupes ne peut être dit distinctif.",
  sampledWith: (seed) => `Les offres ont été échantillonnées avec la graine ${seed}.`,
  sources: 'Sources',
  warnings: 'Avertissements',
  unknownCompany: 'entreprise inconnue',
};

export const MESSAGES: Record<MemoLanguage, Messages> = { en, fr };

function aspect(heading: string, subject: string, verb: string): AspectWords {
  return {
    heading,
    more: (group, label, far) => `${group} ${subject} ${label} ${far ? 'far ' : ''}more often`,
    shared: (groups, label) => `${capitalise(subject.split(' ')[0]!)} of ${groups === 2 ? 'both roles' : `all ${groups} roles`} ${verb} ${label}`,
  };
}

function aspectFr(heading: string, subject: string, verb: string): AspectWords {
  return {
    heading,
    more: (group, label, far) => `Pour ${group}, ${subject} ${verb} ${label} ${far ? 'bien ' : ''}plus souvent`,
    shared: (groups, label) => `Pour ${groups === 2 ? 'les deux groupes' : `les ${groups} groupes`}, ${subject} ${verb} ${label}`,
  };
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
