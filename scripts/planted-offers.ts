import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createRandom, randomIndex, shuffle, type Random } from '../src/util/random.ts';
import { foldText } from '../src/catalog/normalize.ts';

/**
 * Offers of job families the catalogue does not know, written by this script, with phrases
 * planted at known rates: some distinctive of one family, some said equally by both. The
 * open-world eval and tests ingest them and check what the comparison finds: every planted
 * distinctive phrase surfaced with the right direction, no other phrase called distinctive, and
 * counts equal to the planted ones. The rest of each offer is a neutral vocabulary that both
 * families share at exactly equal rates, with words that no planted phrase uses, and a few
 * numbers that make each offer its own (so none is taken for a repost of another).
 *
 *   node --import tsx scripts/planted-offers.ts <dir> [--seed S] [--per-family N] [--lang en|fr]
 */

export interface PlantedPhrase {
  phrase: string;
  /** Planted in this share of each family's offers (exactly round(share × n) offers). */
  rates: [number, number];
  section: 'missions' | 'requirements';
}

export interface PlantedSet {
  language: 'en' | 'fr';
  families: [PlantedFamily, PlantedFamily];
  phrases: PlantedPhrase[];
  neutral: { missions: string[]; requirements: string[]; benefits: string[] };
  headings: { missions: string; requirements: string; benefits: string };
  /** How a planted phrase is put in a sentence. */
  frame: (phrase: string) => string;
  /** Facts of one offer in numbers, so that no two offers read as reposts of one another (ingest/near-duplicate.ts). */
  details: (a: number, b: number, c: number) => string[];
}

interface PlantedFamily {
  /** How a question names it. */
  name: string;
  titles: string[];
}

/** Two families per language, neither of them in the role catalogue nor in the shared corpus. */
export const PLANTED_SETS: Record<'en' | 'fr', PlantedSet> = {
  en: {
    language: 'en',
    families: [
      { name: 'beekeeper', titles: ['Beekeeper', 'Senior Beekeeper (m/f/d)', 'Beekeeper - Summer Season', 'Lead Beekeeper', 'Beekeeper, Upland Apiaries'] },
      { name: 'tree surgeon', titles: ['Tree Surgeon', 'Junior Tree Surgeon', 'Tree Surgeon (Climbing Team)', 'Tree Surgeon - North District', 'Senior Tree Surgeon'] },
    ],
    phrases: [
      { phrase: 'hive inspections', rates: [0.7, 0.1], section: 'missions' },
      { phrase: 'queen rearing', rates: [0.5, 0], section: 'missions' },
      { phrase: 'honey extraction', rates: [0.6, 0.05], section: 'missions' },
      { phrase: 'swarm control', rates: [0.55, 0.1], section: 'requirements' },
      { phrase: 'rope access', rates: [0.05, 0.7], section: 'requirements' },
      { phrase: 'crown reduction', rates: [0.1, 0.65], section: 'missions' },
      { phrase: 'stump grinding', rates: [0, 0.5], section: 'missions' },
      { phrase: 'aerial rescue', rates: [0.1, 0.6], section: 'requirements' },
      { phrase: 'weekend rota', rates: [0.4, 0.4], section: 'requirements' },
      { phrase: 'muddy boots', rates: [0.3, 0.3], section: 'missions' },
    ],
    neutral: {
      missions: [
        'Keep daily records in the shared logbook.',
        'Travel between sites in a company van.',
        'Brief visitors about the morning plan.',
        'Order supplies when stock runs low.',
        'Clean and store every tool after use.',
        'Report problems to the site coordinator.',
      ],
      requirements: [
        'A full driving licence held for a year.',
        'Good physical fitness for long days outside.',
        'Comfort working outdoors in any weather.',
        'Clear spoken English for talking with visitors.',
        'A calm and patient manner with everyone around.',
      ],
      benefits: ['Paid overtime for every extra hour worked.', 'A pension scheme with matched contributions.', 'Twenty-five days of annual leave each year.', 'A uniform allowance paid every spring.'],
    },
    headings: { missions: "What you'll do", requirements: 'What we look for', benefits: 'What we offer' },
    frame: (phrase) => `You will take care of ${phrase} on a regular basis.`,
    details: (a, b, c) => [`Our crew of ${a} people looks after ${b} sites.`, `The season lasts ${c} weeks, starting each spring.`],
  },
  fr: {
    language: 'fr',
    families: [
      { name: 'apiculteur', titles: ['Apiculteur H/F', 'Apicultrice', 'Apiculteur confirmé (H/F)', 'Apiculteur - Saison estivale', 'Apiculteur·rice'] },
      { name: 'élagueur', titles: ['Élagueur H/F', 'Élagueuse', 'Élagueur grimpeur', 'Élagueur - Secteur Nord', 'Élagueur confirmé'] },
    ],
    phrases: [
      { phrase: 'visite des ruches', rates: [0.7, 0.1], section: 'missions' },
      { phrase: 'élevage de reines', rates: [0.5, 0], section: 'missions' },
      { phrase: 'récolte du miel', rates: [0.6, 0.05], section: 'missions' },
      { phrase: 'transhumance', rates: [0.55, 0.1], section: 'requirements' },
      { phrase: 'travail sur corde', rates: [0.05, 0.7], section: 'requirements' },
      { phrase: 'taille douce', rates: [0.1, 0.65], section: 'missions' },
      { phrase: 'rognage de souches', rates: [0, 0.5], section: 'missions' },
      { phrase: 'secours en hauteur', rates: [0.1, 0.6], section: 'requirements' },
      { phrase: 'astreinte du samedi', rates: [0.4, 0.4], section: 'requirements' },
      { phrase: 'bottes crottées', rates: [0.3, 0.3], section: 'missions' },
    ],
    neutral: {
      missions: [
        'Tenir le carnet de bord commun chaque jour.',
        'Se déplacer entre les sites en camionnette.',
        'Accueillir les visiteurs le matin avec le planning.',
        'Commander les fournitures manquantes auprès du magasin.',
        'Nettoyer et ranger le matériel après usage.',
        'Signaler les problèmes au coordinateur du site.',
      ],
      requirements: ['Permis de conduire obtenu depuis un an.', 'Bonne condition physique pour les longues journées.', 'Goût pour le plein air par tous les temps.', 'Esprit calme et patient avec chacun.', 'Sens du travail soigné et bien fini.'],
      benefits: ['Heures supplémentaires payées à chaque fois.', 'Mutuelle prise en charge par l’employeur.', 'Vingt-cinq jours de congés chaque année.', 'Tenue de travail fournie chaque printemps.'],
    },
    headings: { missions: 'Vos missions', requirements: 'Votre profil', benefits: 'Nos avantages' },
    frame: (phrase) => `Vous assurez régulièrement la ${phrase} sur le terrain.`,
    details: (a, b, c) => [`Notre équipe de ${a} personnes s'occupe de ${b} sites.`, `La saison dure ${c} semaines, à partir du printemps.`],
  },
};

export interface PlantedOffer {
  name: string;
  family: 0 | 1;
  text: string;
}

export interface PlantedCorpus {
  set: PlantedSet;
  offers: PlantedOffer[];
  /** Per phrase, the offers of each family it was planted in. */
  counts: Array<{ phrase: string; section: PlantedPhrase['section']; planted: [number, number]; distinctiveFor?: 0 | 1 }>;
}

/** Places, and the workplace words a location field carries: groups by workplace and date need both. */
const LOCATIONS = ['Remote', 'Hybrid - Northfield', 'Northfield', 'Eastbrook', 'Westmere (on-site)'];

const SYLLABLES = ['ka', 'lo', 'mi', 'ren', 'tal', 'vo', 'sen', 'bri', 'dal', 'mor', 'pel', 'qui', 'zan', 'tor', 'ves'];

function companyName(random: Random): string {
  const word = () => Array.from({ length: 2 + randomIndex(random, 2) }, () => SYLLABLES[randomIndex(random, SYLLABLES.length)]).join('');
  const name = word();
  return `${name.charAt(0).toUpperCase()}${name.slice(1)} ${['Farms', 'Works', 'Estates', 'Services', 'Cooperative'][randomIndex(random, 5)]}`;
}

/** A planted phrase is distinctive when one family's rate is at least 0.4 above the other's. */
function direction(rates: [number, number]): 0 | 1 | undefined {
  if (rates[0] - rates[1] >= 0.4) return 0;
  if (rates[1] - rates[0] >= 0.4) return 1;
  return undefined;
}

/** The corpus: `perFamily` offers of each family, Markdown, seeded. */
export function plantedCorpus(options: { language: 'en' | 'fr'; perFamily: number; seed: number | string }): PlantedCorpus {
  const set = PLANTED_SETS[options.language];
  const random = createRandom(`${options.seed}:${options.language}`);
  // Exactly round(rate × n) offers of each family carry each phrase, at seeded places.
  const carriers = set.phrases.map((p) =>
    p.rates.map((rate) => new Set(shuffle([...Array(options.perFamily).keys()], random).slice(0, Math.round(rate * options.perFamily)))),
  );
  // The neutral vocabulary at exactly equal rates in both families (each sentence in half of each
  // family's offers): the null the comparison must not call distinctive, with no sampling luck.
  const carry = (share: number) => [0, 1].map(() => new Set(shuffle([...Array(options.perFamily).keys()], random).slice(0, Math.round(share * options.perFamily))));
  const neutral = {
    missions: set.neutral.missions.map((line) => ({ line, carriers: carry(0.5) })),
    requirements: set.neutral.requirements.map((line) => ({ line, carriers: carry(0.5) })),
    benefits: set.neutral.benefits.map((line) => ({ line, carriers: carry(0.5) })),
  };
  const offers: PlantedOffer[] = [];
  for (const family of [0, 1] as const) {
    const { titles } = set.families[family];
    for (let i = 0; i < options.perFamily; i++) {
      const planted = (section: PlantedPhrase['section']) =>
        set.phrases.flatMap((p, k) => (p.section === section && carriers[k]![family]!.has(i) ? [set.frame(p.phrase)] : []));
      const pick = (pool: ReadonlyArray<{ line: string; carriers: Set<number>[] }>) => pool.filter((n) => n.carriers[family]!.has(i)).map((n) => n.line);
      const details = set.details(3 + randomIndex(random, 40), 2 + randomIndex(random, 60), 8 + randomIndex(random, 30));
      const missions = shuffle([...pick(neutral.missions), details[0]!, ...planted('missions')], random);
      const requirements = shuffle([...pick(neutral.requirements), ...planted('requirements')], random);
      const title = titles[randomIndex(random, titles.length)]!;
      const month = 1 + randomIndex(random, 24);
      const text = [
        '---',
        `title: ${title}`,
        `company: ${companyName(random)}`,
        `location: ${LOCATIONS[randomIndex(random, LOCATIONS.length)]}`,
        `date: ${2024 + Math.floor((month - 1) / 12)}-${String(((month - 1) % 12) + 1).padStart(2, '0')}-15`,
        '---',
        '',
        `# ${title}`,
        '',
        `## ${set.headings.missions}`,
        '',
        ...missions.map((line) => `- ${line}`),
        '',
        `## ${set.headings.requirements}`,
        '',
        ...requirements.map((line) => `- ${line}`),
        '',
        `## ${set.headings.benefits}`,
        '',
        ...[...pick(neutral.benefits), details[1]!].map((line) => `- ${line}`),
        '',
      ].join('\n');
      offers.push({ name: `${options.language}-${family}-${String(i).padStart(3, '0')}.md`, family, text });
    }
  }
  return {
    set,
    offers,
    counts: set.phrases.map((p, k) => {
      const d = direction(p.rates);
      return { phrase: p.phrase, section: p.section, planted: [carriers[k]![0]!.size, carriers[k]![1]!.size], ...(d === undefined ? {} : { distinctiveFor: d }) };
    }),
  };
}

/** Writes a corpus as Markdown files under `dir`, with its truth as `planted.json` beside them. */
export function writePlantedCorpus(dir: string, corpus: PlantedCorpus): void {
  mkdirSync(dir, { recursive: true });
  for (const offer of corpus.offers) writeFileSync(path.join(dir, offer.name), offer.text);
  writeFileSync(path.join(dir, '..', `planted-${corpus.set.language}.json`), `${JSON.stringify({ families: corpus.set.families.map((f) => f.name), counts: corpus.counts }, null, 2)}\n`);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [dir, ...rest] = process.argv.slice(2);
  const flag = (name: string, fallback: string) => {
    const i = rest.indexOf(name);
    return i >= 0 && rest[i + 1] ? rest[i + 1]! : fallback;
  };
  if (!dir) {
    process.stderr.write('usage: planted-offers.ts <dir> [--seed S] [--per-family N] [--lang en|fr]\n');
    process.exit(2);
  }
  const language = flag('--lang', 'en') === 'fr' ? 'fr' : 'en';
  const corpus = plantedCorpus({ language, perFamily: Number(flag('--per-family', '60')), seed: flag('--seed', '1') });
  writePlantedCorpus(path.join(dir, language), corpus);
  process.stderr.write(`wrote ${corpus.offers.length} offers to ${path.join(dir, language)}\n`);
}

/** What a comparison of a planted corpus found, against the truth. */
export interface PlantedScore {
  /** Planted distinctive phrases surfaced as distinctive of the right family. */
  recalled: number;
  distinctive: number;
  /** Themes called distinctive that were not planted as such (phrases at equal rates included). */
  falseClaims: string[];
  /** Surfaced planted phrases whose counts differ from the planted ones. */
  wrongCounts: string[];
  missed: string[];
}

const foldSpaced = (s: string) => foldText(s.normalize('NFC')).replace(/\s+/g, ' ');

/**
 * Scores an answer's themes (the contract's `themes`, groups in the corpus's family order). A
 * planted phrase counts as surfaced under its own words or a part of them, the form the merge of
 * redundant phrases may keep ("rope" for "rope access" when both are said by the same offers).
 */
export function scorePlanted(
  corpus: PlantedCorpus,
  groups: readonly [string, string],
  themes: ReadonlyArray<{ label: string; aspect?: string; distinctiveFor?: string; perRole: Record<string, { offers: number }> }>,
): PlantedScore {
  const score: PlantedScore = { recalled: 0, distinctive: 0, falseClaims: [], wrongCounts: [], missed: [] };
  const holds = (phrase: string, label: string) => foldSpaced(phrase).includes(foldSpaced(label));
  for (const truth of corpus.counts) {
    if (truth.distinctiveFor === undefined) continue;
    score.distinctive++;
    const stat = themes.find((t) => t.aspect === truth.section && t.distinctiveFor === groups[truth.distinctiveFor!] && holds(truth.phrase, t.label));
    if (!stat) {
      score.missed.push(truth.phrase);
      continue;
    }
    score.recalled++;
    if (groups.some((g, i) => stat.perRole[g]?.offers !== truth.planted[i])) score.wrongCounts.push(truth.phrase);
  }
  const planted = corpus.counts.filter((c) => c.distinctiveFor !== undefined);
  for (const theme of themes) {
    if (!theme.distinctiveFor) continue;
    const truth = planted.find((c) => holds(c.phrase, theme.label) && c.section === theme.aspect);
    if (!truth || groups[truth.distinctiveFor!] !== theme.distinctiveFor) score.falseClaims.push(`${theme.label} (${theme.aspect})`);
  }
  return score;
}
