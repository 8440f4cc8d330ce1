import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { createRandom, randomIndex, type Random } from '../../src/util/random.ts';

/**
 * A seeded corpus of Markdown job offers for the crash-safety test: big enough that an ingest
 * takes a few seconds, varied enough that offers are not near-duplicates of each other (each
 * bullet combines a verb, an object, a tool and a figure), with a few exact reposts under another
 * file name so that duplicate handling is exercised too. The vocabulary is ours.
 */

const ROLES: Record<string, { titles: string[]; objects: string[] }> = {
  SRE: {
    titles: ['Site Reliability Engineer', 'Senior Site Reliability Engineer', 'Staff SRE'],
    objects: ['service level objectives', 'error budgets', 'the on-call rotation', 'incident reviews', 'alert routing', 'capacity forecasts', 'failover drills', 'latency dashboards'],
  },
  'DevOps Engineer': {
    titles: ['DevOps Engineer', 'Senior DevOps Engineer', 'DevOps Engineer (CI/CD)'],
    objects: ['build pipelines', 'release automation', 'infrastructure as code modules', 'artifact repositories', 'deployment gates', 'configuration management', 'container images', 'self-service environments'],
  },
  'Data Engineer': {
    titles: ['Data Engineer', 'Senior Data Engineer', 'Analytics Data Engineer'],
    objects: ['batch ingestion jobs', 'streaming pipelines', 'the data warehouse schema', 'data quality checks', 'dimensional models', 'lineage metadata', 'partitioned tables', 'backfill tooling'],
  },
  'Backend Engineer': {
    titles: ['Backend Engineer', 'Senior Backend Engineer', 'Backend Developer'],
    objects: ['public REST endpoints', 'payment workflows', 'the order service', 'database migrations', 'message consumers', 'rate limiting', 'API versioning', 'search indexing'],
  },
};

const VERBS = ['Design', 'Operate', 'Improve', 'Own', 'Automate', 'Review', 'Document', 'Scale', 'Harden', 'Measure', 'Simplify', 'Migrate'];
const TOOLS = ['Kubernetes', 'Terraform', 'Prometheus', 'Grafana', 'PostgreSQL', 'Kafka', 'Airflow', 'GitHub Actions', 'Ansible', 'Go', 'Python', 'Rust', 'AWS', 'GCP', 'Azure', 'Redis', 'Spark', 'dbt'];
const OUTCOMES = ['for {n} product teams', 'across {n} regions', 'serving {n} million requests a day', 'with {n} deploys a week', 'under a {n} minute recovery target', 'for {n} internal customers'];
const SKILLS = ['{n} years of hands-on experience with', 'Solid knowledge of', '{n} months or more of production experience running', 'A track record of teaching', 'Working familiarity with', 'The habit of writing tests for'];
const PERKS = ['{n} days of paid leave', 'a yearly learning budget of {n}00 euros', 'remote work up to {n} days a week', 'a {n}% pension match', 'parental leave of {n} weeks'];
const COMPANY_A = ['Brindle', 'Coppervale', 'Duskwater', 'Emberly', 'Foxglade', 'Gannet', 'Hollowmere', 'Ironbark', 'Juniper', 'Kestrel', 'Larchmont', 'Mossbank'];
const COMPANY_B = ['Freight', 'Health', 'Labs', 'Energy', 'Mutual', 'Robotics', 'Media', 'Foods', 'Transit', 'Software'];
const CITIES = ['Lyon', 'Porto', 'Leeds', 'Ghent', 'Tartu', 'Graz', 'Remote (EU)', 'Remote (worldwide)'];

export interface SyntheticCorpusOptions {
  count: number;
  seed?: number;
  /** One offer in `repostEvery` is also written again under another name (default 40). */
  repostEvery?: number;
}

/** Writes the corpus into `dir` and returns the file paths, in a stable order. */
export async function writeSyntheticCorpus(dir: string, options: SyntheticCorpusOptions): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const random = createRandom(options.seed ?? 7);
  const files: string[] = [];
  for (let i = 0; i < options.count; i++) {
    const text = syntheticOffer(random, i);
    const name = `offer-${String(i).padStart(5, '0')}.md`;
    await writeFile(path.join(dir, name), text);
    files.push(path.join(dir, name));
    if (i % (options.repostEvery ?? 40) === 7) {
      await writeFile(path.join(dir, `repost-${name}`), text);
      files.push(path.join(dir, `repost-${name}`));
    }
  }
  return files;
}

/** Rewrites one bullet of an offer file in place: its content changes, its identity does not. */
export function editOffer(text: string, marker: string): string {
  return text.replace(/^- (.*)$/m, (_line, bullet: string) => `- ${bullet} (${marker})`);
}

function syntheticOffer(random: Random, index: number): string {
  const roleNames = Object.keys(ROLES);
  const role = roleNames[index % roleNames.length]!;
  const { titles, objects } = ROLES[role]!;
  const pick = <T>(list: readonly T[]): T => list[randomIndex(random, list.length)]!;
  const figure = (template: string) => template.replace('{n}', String(2 + randomIndex(random, 48)));
  const company = `${pick(COMPANY_A)} ${pick(COMPANY_B)} ${index}`;
  const bullets = (n: number, make: () => string) => Array.from({ length: n }, () => `- ${make()}`).join('\n');
  return [
    '---',
    `title: ${pick(titles)}`,
    `company: ${company}`,
    `location: ${pick(CITIES)}`,
    `date: 2026-${String(1 + (index % 9)).padStart(2, '0')}-${String(10 + (index % 18)).padStart(2, '0')}`,
    '---',
    '',
    `# ${pick(titles)}`,
    '',
    `${company} builds ${pick(objects)} tooling with a team of ${figure('{n}')} engineers.`,
    '',
    '## What you will do',
    '',
    bullets(6, () => `${pick(VERBS)} ${pick(objects)} with ${pick(TOOLS)} ${figure(pick(OUTCOMES))}.`),
    '',
    '## What we are looking for',
    '',
    bullets(5, () => `${figure(pick(SKILLS))} ${pick(TOOLS)} and ${pick(objects)}.`),
    '',
    '## Nice to have',
    '',
    bullets(2, () => `Exposure to ${pick(TOOLS)} for ${pick(objects)}.`),
    '',
    '## Benefits',
    '',
    bullets(3, () => `${figure(pick(PERKS))}.`),
    '',
  ].join('\n');
}
