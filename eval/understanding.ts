/**
 * How well the pipeline understands an offer, measured on the shared corpus with hand-made labels:
 *  - sections: line-level precision / recall per kind against eval/labels/sections.json;
 *  - roles: accuracy of the inferred role against the corpus manifests' labels, mapped to the
 *    canonical roles, with the wrong manifest labels corrected in eval/labels/roles.json;
 *  - duplicates: the repost clusters of remotewlb, and precision / recall from the hand-checked
 *    pairs of eval/labels/duplicates.json;
 *  - languages: detected language against the manifests' language columns.
 *
 * Label files reference corpus paths and line ranges, never the corpus text.
 *
 *   npx tsx eval/understanding.ts --corpus ../shared/corpus [--json] [--sample-pairs N --seed S]
 */

import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { NearDuplicateIndex, signOffer, substanceText, type NearDuplicateOptions } from '../ingest/near-duplicate.ts';
import { SECTION_KINDS, type SectionKind } from '../src/types.ts';
import { createRandom, sample } from '../src/util/random.ts';
import { loadCorpus, type CorpusOffer } from './corpus-offers.ts';
import { foldedWords, lineWords } from './text-lines.ts';
import { loadRoleCatalog, OTHER_ROLE, type RoleCatalog } from '../src/catalog/roles.ts';
import { foldText, normalizePhrase, phraseSource } from '../src/catalog/normalize.ts';
import { loadThemeCatalog, tagThemes, type ThemeCatalog } from '../src/catalog/themes.ts';

const LABELS_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'labels');

// ---------------------------------------------------------------------------------------------
// Sections

/** One labelled offer: 1-based inclusive line ranges of the corpus file, each with its kind. */
export interface SectionLabel {
  path: string;
  ranges: Array<[number, number, SectionKind]>;
}

export interface SectionEvalOptions {
  /** The labelled offers, parsed (loadCorpus with `paths`). */
  offers: readonly CorpusOffer[];
  labels: readonly SectionLabel[];
  /** Reads a corpus file's lines (the labels point at them). */
  readLines: (corpusPath: string) => Promise<string[]>;
}

export interface KindScore {
  kind: SectionKind;
  /** Labelled lines of this kind. */
  support: number;
  precision: number;
  recall: number;
  f1: number;
}

export interface SectionEvalResult {
  offers: number;
  lines: number;
  /** Labelled lines found in no section of the parsed offer (dropped by the parser, or unmatched). */
  unmatched: number;
  perKind: KindScore[];
  /** gold kind → predicted kind → lines, for the confusions worth reading. */
  confusion: Record<string, Record<string, number>>;
}

/**
 * Each labelled line is looked up (folded, markdown removed) in the sections the pipeline made of
 * the parsed file; the kind of the first section holding it is the prediction.
 */
export async function evaluateSections(options: SectionEvalOptions): Promise<SectionEvalResult> {
  const byPath = new Map(options.offers.map((offer) => [offer.path, offer]));
  const confusion: Record<string, Record<string, number>> = {};
  let lines = 0;
  let unmatched = 0;
  for (const label of options.labels) {
    const offer = byPath.get(label.path);
    if (!offer) throw new Error(`sections label: ${label.path} is not in the corpus (or failed to parse)`);
    const sections = offer.offer.sections.map((s) => ({ kind: s.kind, key: lineKey(`${s.heading ?? ''}\n${s.text}`) }));
    const fileLines = await options.readLines(label.path);
    // Sections follow the file's order: looking from the section of the previous line on keeps a
    // short line ("Skills") from matching an earlier section that happens to contain its words.
    let cursor = 0;
    for (const [start, end, gold] of label.ranges) {
      for (let n = start; n <= end; n++) {
        const key = lineKey(fileLines[n - 1] ?? '', true);
        if (key.length < 3) continue;
        lines++;
        const found = sections.findIndex((s, i) => i >= cursor && s.key.includes(key));
        const index = found >= 0 ? found : sections.findIndex((s) => s.key.includes(key));
        if (found >= 0) cursor = found;
        const predicted = sections[index]?.kind ?? 'unmatched';
        if (predicted === 'unmatched') unmatched++;
        const row = (confusion[gold] ??= {});
        row[predicted] = (row[predicted] ?? 0) + 1;
      }
    }
  }
  const perKind = SECTION_KINDS.map((kind): KindScore => {
    const truePositive = confusion[kind]?.[kind] ?? 0;
    const support = Object.values(confusion[kind] ?? {}).reduce((a, b) => a + b, 0);
    const predicted = Object.values(confusion).reduce((sum, row) => sum + (row[kind] ?? 0), 0);
    const precision = predicted > 0 ? truePositive / predicted : 0;
    const recall = support > 0 ? truePositive / support : 0;
    const f1 = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
    return { kind, support, precision, recall, f1 };
  });
  return { offers: options.labels.length, lines, unmatched, perKind, confusion };
}

/** Folded words padded with spaces (so keys match whole words inside section keys); empty for no words. */
function lineKey(text: string, rawLine = false): string {
  const words = rawLine ? lineWords(text) : foldedWords(text);
  return words ? ` ${words} ` : '';
}

// ---------------------------------------------------------------------------------------------
// Roles

/** A manifest label accepts these canonical roles; "non-core" labels accept any role outside a set. */
type Accepts = { roles: readonly string[] } | { not: readonly string[] };

const CORE = ['SRE', 'DevOps Engineer', 'Platform Engineer', 'Cloud / Infrastructure Engineer', 'Data Engineer', 'Backend Engineer'];
const OPS = ['SRE', 'DevOps Engineer', 'Platform Engineer', 'Cloud / Infrastructure Engineer'];

/**
 * The corpus folders' label vocabularies (regular expressions over the title) in canonical roles.
 * remotewlb's "platform" matched "platform" and "infrastructure"; cds-snc's and betagouv's ops
 * labels cover infrastructure and DevOps; "other" means none of the roles the folder labels.
 */
export const MANIFEST_LABELS: Record<string, Record<string, Accepts>> = {
  remotewlb: {
    sre: { roles: ['SRE'] },
    devops: { roles: ['DevOps Engineer'] },
    'sre+devops': { roles: ['SRE', 'DevOps Engineer'] },
    platform: { roles: ['Platform Engineer', 'Cloud / Infrastructure Engineer'] },
    backend: { roles: ['Backend Engineer'] },
    data_engineer: { roles: ['Data Engineer'] },
    other: { not: CORE },
  },
  'cds-snc': {
    sre: { roles: ['SRE'] },
    infra_ops: { roles: ['Cloud / Infrastructure Engineer', 'DevOps Engineer'] },
    backend_or_data: { roles: ['Backend Engineer', 'Data Engineer'] },
    other: { not: CORE },
  },
  betagouv: {
    sre: { roles: ['SRE'] },
    devops_ops: { roles: ['DevOps Engineer', 'Cloud / Infrastructure Engineer'] },
    tech_other: { not: OPS },
  },
  dfe: {
    sre: { roles: ['SRE'] },
    devops: { roles: ['DevOps Engineer'] },
    data_engineer: { roles: ['Data Engineer'] },
    developer: { not: [...OPS, 'Data Engineer'] },
    other: { not: CORE },
  },
};

export interface RoleCorrection {
  role: string;
  reason: string;
}

export interface RoleEvalOptions {
  offers: readonly CorpusOffer[];
  /** Hand-checked corrections of manifest labels: corpus path → role. */
  corrections?: Readonly<Record<string, RoleCorrection>>;
}

export interface RoleConfusion {
  path: string;
  title: string;
  expected: string;
  predicted: string;
  alsoRoles?: string[];
}

export interface RoleEvalResult {
  offers: number;
  /** The inferred role, or for a hybrid title one of the roles it names, is the label's. */
  correct: number;
  accuracy: number;
  /** The same with the first-named role only. */
  strictAccuracy: number;
  /** Offers whose label a correction replaced. */
  corrected: number;
  confusions: RoleConfusion[];
}

export function evaluateRoles(options: RoleEvalOptions): RoleEvalResult {
  const corrections = options.corrections ?? {};
  const titled = options.offers.filter((o) => (o.manifest.title ?? '').trim() !== '' || o.raw.title !== undefined);
  let correct = 0;
  let strict = 0;
  let corrected = 0;
  const confusions: RoleConfusion[] = [];
  for (const offer of titled) {
    const correction = corrections[offer.path];
    if (correction) corrected++;
    const accepts: Accepts | undefined = correction ? { roles: [correction.role] } : MANIFEST_LABELS[offer.folder]?.[offer.manifest.label ?? ''];
    if (!accepts) throw new Error(`no canonical role for ${offer.folder} label "${offer.manifest.label}" (${offer.path})`);
    const accepted = (role: string) => ('roles' in accepts ? accepts.roles.includes(role) : !accepts.not.includes(role));
    const { role, alsoRoles } = offer.inference;
    if (accepted(role)) strict++;
    if (accepted(role) || (alsoRoles ?? []).some(accepted)) {
      correct++;
      continue;
    }
    const expected = 'roles' in accepts ? accepts.roles.join(' | ') : `not ${accepts.not.join(', ')}`;
    confusions.push({ path: offer.path, title: offer.offer.title, expected, predicted: role, ...(alsoRoles ? { alsoRoles } : {}) });
  }
  const ratio = (n: number) => (titled.length > 0 ? n / titled.length : 0);
  return { offers: titled.length, correct, accuracy: ratio(correct), strictAccuracy: ratio(strict), corrected, confusions };
}

// ---------------------------------------------------------------------------------------------
// Duplicates

export interface DuplicateJudgement {
  a: string;
  b: string;
  /** How the pair was drawn: from the clusters, or same title and company but not clustered. */
  sample: 'clustered' | 'unclustered';
  verdict: 'same' | 'different';
  note?: string;
}

export interface DuplicateEvalOptions extends NearDuplicateOptions {
  offers: readonly CorpusOffer[];
  judgements?: readonly DuplicateJudgement[];
}

export interface DuplicateEvalResult {
  offers: number;
  /** Clusters of two or more offers, and the offers they hold. */
  clusters: number;
  clusteredOffers: number;
  /** Offers counted once each (what every statistic counts). */
  distinctJobs: number;
  largestClusters: Array<{ size: number; title: string; company: string }>;
  /** Pairs sharing title and company (the manifest's same_title_company_count), in one cluster or not. */
  sameTitleCompanyPairs: { clustered: number; unclustered: number };
  /** Judged pairs still in one cluster that were judged the same job. */
  precision?: { judged: number; same: number; value: number };
  /** Estimated over same title + company pairs, from the judged unclustered ones. */
  recall?: { judged: number; missed: number; value: number };
  /** cluster id (its first offer's path) for each offer path. */
  clusterOf: Map<string, string>;
}

/** Clusters in corpus order: each offer joins the cluster of the first earlier offer that is the same job. */
export function clusterDuplicates(offers: readonly CorpusOffer[], options: NearDuplicateOptions = {}): Map<string, string> {
  const index = new NearDuplicateIndex(options);
  const clusterOf = new Map<string, string>();
  for (const offer of offers) {
    const signature = signOffer(offer.offer);
    const canonical = index.find(signature);
    clusterOf.set(offer.path, canonical ? (clusterOf.get(canonical) ?? canonical) : offer.path);
    index.add(offer.path, signature);
  }
  return clusterOf;
}

export function evaluateDuplicates(options: DuplicateEvalOptions): DuplicateEvalResult {
  const clusterOf = clusterDuplicates(options.offers, options);
  const members = new Map<string, CorpusOffer[]>();
  for (const offer of options.offers) {
    const id = clusterOf.get(offer.path) as string;
    members.set(id, [...(members.get(id) ?? []), offer]);
  }
  const multi = [...members.values()].filter((m) => m.length > 1).sort((a, b) => b.length - a.length);
  const pairs = sameTitleCompanyPairs(options.offers);
  const clustered = pairs.filter(([a, b]) => clusterOf.get(a.path) === clusterOf.get(b.path)).length;

  const result: DuplicateEvalResult = {
    offers: options.offers.length,
    clusters: multi.length,
    clusteredOffers: multi.reduce((sum, m) => sum + m.length, 0),
    distinctJobs: members.size,
    largestClusters: multi.slice(0, 5).map((m) => ({ size: m.length, title: m[0]!.offer.title, company: m[0]!.offer.company })),
    sameTitleCompanyPairs: { clustered, unclustered: pairs.length - clustered },
    clusterOf,
  };
  const judged = options.judgements ?? [];
  const inCluster = judged.filter((j) => j.sample === 'clustered' && clusterOf.get(j.a) === clusterOf.get(j.b) && clusterOf.has(j.a));
  if (inCluster.length > 0) {
    const same = inCluster.filter((j) => j.verdict === 'same').length;
    result.precision = { judged: inCluster.length, same, value: same / inCluster.length };
  }
  const apart = judged.filter((j) => j.sample === 'unclustered' && clusterOf.has(j.a) && clusterOf.get(j.a) !== clusterOf.get(j.b));
  if (apart.length > 0) {
    const missed = apart.filter((j) => j.verdict === 'same').length;
    // Found = clustered same-title pairs that are right; missed = the unclustered ones, scaled by the judged miss rate.
    const found = clustered * (result.precision?.value ?? 1);
    const lost = result.sameTitleCompanyPairs.unclustered * (missed / apart.length);
    result.recall = { judged: apart.length, missed, value: found + lost > 0 ? found / (found + lost) : 1 };
  }
  return result;
}

/** Pairs to judge by hand: `n` from the clusters and `n` same title + company pairs left apart. */
export function sampleDuplicatePairs(offers: readonly CorpusOffer[], clusterOf: ReadonlyMap<string, string>, n: number, seed: number): Array<Omit<DuplicateJudgement, 'verdict'>> {
  const random = createRandom(seed);
  const byCluster = new Map<string, string[]>();
  for (const offer of offers) {
    const id = clusterOf.get(offer.path) as string;
    byCluster.set(id, [...(byCluster.get(id) ?? []), offer.path]);
  }
  const clusteredPairs = [...byCluster.values()].flatMap((paths) => paths.slice(1).map((p) => [paths[0]!, p] as const));
  const apart = sameTitleCompanyPairs(offers).filter(([a, b]) => clusterOf.get(a.path) !== clusterOf.get(b.path));
  return [
    ...sample(clusteredPairs, n, random).map(([a, b]) => ({ a, b, sample: 'clustered' as const })),
    ...sample(apart, n, random).map(([a, b]) => ({ a: a.path, b: b.path, sample: 'unclustered' as const })),
  ];
}

function sameTitleCompanyPairs(offers: readonly CorpusOffer[]): Array<[CorpusOffer, CorpusOffer]> {
  const groups = new Map<string, CorpusOffer[]>();
  // Offers without a company name are of many companies: they pair with nothing.
  for (const offer of offers.filter((o) => o.raw.company !== undefined)) {
    const key = `${foldText(offer.offer.title)}\n${foldText(offer.offer.company)}`;
    groups.set(key, [...(groups.get(key) ?? []), offer]);
  }
  return [...groups.values()].flatMap((group) => group.flatMap((a, i) => group.slice(i + 1).map((b): [CorpusOffer, CorpusOffer] => [a, b])));
}

// ---------------------------------------------------------------------------------------------
// Themes

export interface CircularThemeOptions {
  offers: readonly CorpusOffer[];
  themes: ThemeCatalog;
  roles: RoleCatalog;
  /** Flag a theme when naming the role accounts for at least this share of the role's offers (default 0.05). */
  minShare?: number;
  /** Only roles with at least this many offers (default 20). */
  minOffers?: number;
}

export interface CircularTheme {
  role: string;
  theme: string;
  /** Share of the role's offers tagged with the theme, and the same once the role's own names are blanked out. */
  share: number;
  withoutRoleNames: number;
}

/**
 * A theme is circular for a role when offers mention it only because they name the role (a
 * "reliability" pattern in every SRE offer): tagging each offer's missions and requirements
 * again with the role's own names blanked out shows how much of the theme's share they make.
 */
export function findCircularThemes(options: CircularThemeOptions): CircularTheme[] {
  const byRole = new Map<string, CorpusOffer[]>();
  for (const offer of options.offers) byRole.set(offer.offer.role, [...(byRole.get(offer.offer.role) ?? []), offer]);
  const found: CircularTheme[] = [];
  for (const [role, offers] of byRole) {
    const entry = options.roles.data.roles.find((r) => r.role === role);
    if (!entry || role === OTHER_ROLE || offers.length < (options.minOffers ?? 20)) continue;
    const names = new RegExp([entry.role, ...entry.aliases].map((name) => phraseSource(normalizePhrase(name)).replace(/ /g, '[^a-z0-9]+')).join('|'), 'g');
    const counts = new Map<string, [number, number]>();
    for (const offer of offers) {
      const text = foldText(substanceText(offer.offer));
      const without = new Set(tagThemes(text.replace(names, (m) => ' '.repeat(m.length)), options.themes));
      for (const theme of tagThemes(text, options.themes)) {
        const [all, kept] = counts.get(theme) ?? [0, 0];
        counts.set(theme, [all + 1, kept + (without.has(theme) ? 1 : 0)]);
      }
    }
    for (const [theme, [all, kept]] of counts) {
      if ((all - kept) / offers.length >= (options.minShare ?? 0.05)) found.push({ role, theme, share: all / offers.length, withoutRoleNames: kept / offers.length });
    }
  }
  return found.sort((a, b) => b.share - b.withoutRoleNames - (a.share - a.withoutRoleNames));
}

// ---------------------------------------------------------------------------------------------
// Languages

export interface LanguageEvalResult {
  /** Offers whose manifest names a language (one of en, fr, de, es, pt…). */
  offers: number;
  agree: number;
  accuracy: number;
  /** "manifest → detected": count, for the disagreements. */
  disagreements: Record<string, number>;
}

export function evaluateLanguages(offers: readonly CorpusOffer[]): LanguageEvalResult {
  let total = 0;
  let agree = 0;
  const disagreements: Record<string, number> = {};
  for (const offer of offers) {
    const expected = (offer.manifest.lang ?? offer.manifest.lang_guess ?? '').trim();
    if (!/^[a-z]{2}$/.test(expected)) continue;
    total++;
    if (offer.offer.language === expected) agree++;
    else disagreements[`${expected} → ${offer.offer.language}`] = (disagreements[`${expected} → ${offer.offer.language}`] ?? 0) + 1;
  }
  return { offers: total, agree, accuracy: total > 0 ? agree / total : 0, disagreements };
}

// ---------------------------------------------------------------------------------------------
// Everything, from label files

export interface UnderstandingEvalOptions {
  corpus: string;
  /** Folder of sections.json, roles.json, duplicates.json (default: eval/labels). */
  labelsDir?: string;
}

export interface UnderstandingEvalResult {
  sections: SectionEvalResult;
  roles: RoleEvalResult;
  duplicates: Omit<DuplicateEvalResult, 'clusterOf'>;
  languages: LanguageEvalResult;
  circularThemes: CircularTheme[];
  /** Corpus files that failed to parse. */
  problems: string[];
}

export async function evaluateUnderstanding(options: UnderstandingEvalOptions): Promise<UnderstandingEvalResult> {
  const labelsDir = options.labelsDir ?? LABELS_DIR;
  const { offers, problems } = await loadCorpus({ corpus: options.corpus });
  const sectionLabels = (await readJson<{ offers: SectionLabel[] }>(path.join(labelsDir, 'sections.json'))).offers;
  const corrections = (await readJson<{ corrections: Record<string, RoleCorrection> }>(path.join(labelsDir, 'roles.json'))).corrections;
  const judgements = (await readJson<{ pairs: DuplicateJudgement[] }>(path.join(labelsDir, 'duplicates.json'))).pairs;
  const sections = await evaluateSections({
    offers,
    labels: sectionLabels,
    readLines: async (file) => (await readFile(path.join(options.corpus, file), 'utf8')).split(/\r?\n/),
  });
  const { clusterOf: _clusters, ...duplicates } = evaluateDuplicates({ offers: offers.filter((o) => o.folder === 'remotewlb'), judgements });
  const circularThemes = findCircularThemes({ offers, themes: loadThemeCatalog(), roles: loadRoleCatalog() });
  return { sections, roles: evaluateRoles({ offers, corrections }), duplicates, languages: evaluateLanguages(offers), circularThemes, problems };
}

async function readJson<T>(file: string): Promise<T> {
  return JSON.parse(await readFile(file, 'utf8')) as T;
}

// ---------------------------------------------------------------------------------------------
// CLI

export function formatUnderstanding(result: UnderstandingEvalResult): string {
  const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
  const { sections, roles, duplicates, languages } = result;
  const lines = [
    `Sections: ${sections.offers} offers, ${sections.lines} labelled lines (${sections.unmatched} not found in the parsed text)`,
    ...sections.perKind.map((k) => `  ${k.kind.padEnd(13)} P ${pct(k.precision).padStart(6)}  R ${pct(k.recall).padStart(6)}  F1 ${k.f1.toFixed(3)}  (${k.support} lines)`),
    `Roles: ${roles.correct}/${roles.offers} = ${pct(roles.accuracy)} (first-named role only: ${pct(roles.strictAccuracy)}; ${roles.corrected} manifest labels corrected)`,
    ...roles.confusions.map((c) => `  ${c.title} → ${c.predicted}${c.alsoRoles ? ` (+${c.alsoRoles.join(', ')})` : ''}, expected ${c.expected}  [${c.path}]`),
    `Duplicates (remotewlb): ${duplicates.clusters} clusters holding ${duplicates.clusteredOffers} offers; ${duplicates.distinctJobs} distinct jobs of ${duplicates.offers}`,
    `  same title + company pairs: ${duplicates.sameTitleCompanyPairs.clustered} clustered, ${duplicates.sameTitleCompanyPairs.unclustered} not`,
    ...duplicates.largestClusters.map((c) => `  ${c.size} × ${c.title} (${c.company})`),
    duplicates.precision ? `  precision ${pct(duplicates.precision.value)} (${duplicates.precision.same}/${duplicates.precision.judged} judged pairs are the same job)` : '  precision: no judged pairs',
    duplicates.recall ? `  recall ≈ ${pct(duplicates.recall.value)} (${duplicates.recall.missed}/${duplicates.recall.judged} judged unclustered same-title pairs were the same job)` : '  recall: no judged pairs',
    `Languages: ${languages.agree}/${languages.offers} = ${pct(languages.accuracy)} agree with the manifests`,
    ...Object.entries(languages.disagreements).map(([k, v]) => `  ${k}: ${v}`),
    `Circular themes (mentioned only because the offer names its role): ${result.circularThemes.length}`,
    ...result.circularThemes.map((c) => `  ${c.theme} in ${c.role}: ${pct(c.share)} of offers, ${pct(c.withoutRoleNames)} without the role's names`),
  ];
  if (result.problems.length > 0) lines.push(`Unparsed corpus files: ${result.problems.length}`, ...result.problems.map((p) => `  ${p}`));
  return lines.join('\n');
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { corpus: { type: 'string' }, json: { type: 'boolean' }, 'sample-pairs': { type: 'string' }, seed: { type: 'string', default: '1' } },
  });
  if (!values.corpus) {
    process.stderr.write('usage: npx tsx eval/understanding.ts --corpus ../shared/corpus [--json] [--sample-pairs N --seed S]\n');
    process.exitCode = 2;
    return;
  }
  if (values['sample-pairs']) {
    const { offers } = await loadCorpus({ corpus: values.corpus, folders: ['remotewlb'] });
    const clusterOf = clusterDuplicates(offers);
    const pairs = sampleDuplicatePairs(offers, clusterOf, Number(values['sample-pairs']), Number(values.seed));
    process.stdout.write(`${JSON.stringify(pairs, null, 1)}\n`);
    return;
  }
  const result = await evaluateUnderstanding({ corpus: values.corpus });
  process.stdout.write(values.json ? `${JSON.stringify(result, null, 2)}\n` : `${formatUnderstanding(result)}\n`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  });
}
