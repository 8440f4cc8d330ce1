import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { resolveConfig } from '../src/config.ts';
import { answerQuestion } from '../src/query/answer-question.ts';
import { answered } from '../src/query/refusal.ts';
import { aspectSections, isAspect } from '../src/query/question.ts';
import { isVerbatim } from '../src/query/quotes.ts';
import type { Answer } from '../src/query/types.ts';
import { renderMarkdown } from '../src/report/markdown.ts';
import type { SectionKind } from '../src/types.ts';
import { openWorkspace, type Workspace } from '../src/workspace.ts';
import { readManifest } from './corpus-offers.ts';
import { round, share } from './measure.ts';
import { NaiveIndex } from './naive-langchain.ts';
import { retrievalFigures, sectionShare, type RetrievalFigures } from './retrieval-figures.ts';

/**
 * Answer quality on an ingested corpus, for one comparative question:
 *  - citation validity: every citation's quote verbatim in its offer, and the offer of the
 *    citation's role (over the full answer and every sampled answer);
 *  - stability: the distinctive themes of `--offers N` answers drawn with different seeds,
 *    how often each comes back, and the mean Jaccard similarity of the sets between seeds;
 *  - a naive baseline: RecursiveCharacterTextSplitter + LangChain's Chroma similaritySearch
 *    (k = 8, no filter) over the same files, judged on the corpus's own role labels and on our
 *    segmenter's sections, beside the same figures for our own citations.
 *
 *   node --import tsx eval/answer-quality.ts --data-dir /tmp/offers-corpus --corpus ../shared/corpus
 */

export const SRE_DEVOPS_QUESTION =
  'Focusing on missions and requirements, what is the difference between the SRE and the DevOps engineer positions?';

/** remotewlb's manifest labels that name the SRE or DevOps roles (the question's roles). */
const RIGHT_LABELS: Record<string, readonly string[]> = {
  SRE: ['sre', 'sre+devops'],
  'DevOps Engineer': ['devops', 'sre+devops'],
};

export interface AnswerQualityOptions {
  /** Where `offers ingest` put the corpus (its record and embedded Chroma). */
  dataDir: string;
  /** The shared corpus root; the folder below is read for the naive baseline and its labels. */
  corpus: string;
  folder?: string;
  question?: string;
  /** Offers per role in each sampled answer (default 25). */
  sampleSize?: number;
  seeds?: readonly string[];
  /** The naive baseline's k (default 8); 0 skips the baseline. */
  naiveK?: number;
}

export interface CitationValidity {
  citations: number;
  valid: number;
  share: number | null;
  problems: string[];
}

export interface StabilityResult {
  sampleSize: number;
  seeds: string[];
  /** Per seed, the distinctive themes as "aspect/theme → role". */
  distinctiveBySeed: string[][];
  /** Each distinctive theme seen, with the share of seeds that found it. */
  perTheme: Array<{ key: string; seeds: number }>;
  /** Mean Jaccard similarity of the distinctive sets over all pairs of seeds. */
  meanJaccard: number | null;
  /** Distinctive themes found by every seed. */
  inEverySeed: string[];
}

export interface AnswerQualityResult {
  question: string;
  roles: Array<{ name: string; offers: number }>;
  citationValidity: CitationValidity;
  stability: StabilityResult;
  /** Our citations, judged as the naive chunks are: labelled role, share of text in missions/requirements. */
  ours: RetrievalFigures;
  naive?: RetrievalFigures & { k: number; chunks: number };
  /** The full answer, as `offers query` prints it. */
  markdown: string;
}

export async function measureAnswerQuality(options: AnswerQualityOptions): Promise<AnswerQualityResult> {
  const question = options.question ?? SRE_DEVOPS_QUESTION;
  const folder = options.folder ?? 'remotewlb';
  const sampleSize = options.sampleSize ?? 25;
  const seeds = [...(options.seeds ?? ['1', '2', '3', '4', '5'])];
  const workspace = await openWorkspace(resolveConfig({ dataDir: options.dataDir }));
  try {
    const full = answered(await answerQuestion(workspace, { question }));
    const sampled: Answer[] = [];
    for (const seed of seeds) sampled.push(answered(await answerQuestion(workspace, { question, offers: sampleSize, seed })));
    const labels = await manifestLabels(path.join(options.corpus, folder));
    const wanted = new Set<SectionKind>(full.aspects.filter(isAspect).flatMap(aspectSections));
    const sectionsOf = sectionIndex(workspace);
    const ours = retrievalFigures(
      full.citations.map((c) => ({
        offer: c.offerId,
        roleOk: judgeRole(labels, c.source, c.role),
        inSections: sectionShare(c.quote, sectionsOf(c.source) ?? [], wanted),
      })),
    );
    const naiveK = options.naiveK ?? 8;
    const naive = naiveK > 0 ? await naiveBaseline(workspace, path.join(options.corpus, folder), question, naiveK, labels, sectionsOf, wanted, full.roles.map((r) => r.name)) : undefined;
    return {
      question,
      roles: full.roles.map((r) => ({ name: r.name, offers: r.offers })),
      citationValidity: citationValidity(workspace, [full, ...sampled]),
      stability: stability(sampled, seeds, sampleSize),
      ours,
      ...(naive ? { naive } : {}),
      markdown: renderMarkdown(full),
    };
  } finally {
    await workspace.close();
  }
}

function citationValidity(workspace: Workspace, answers: readonly Answer[]): CitationValidity {
  const problems: string[] = [];
  let citations = 0;
  let valid = 0;
  for (const answer of answers) {
    for (const c of answer.citations) {
      citations++;
      const record = workspace.records.getOffer(c.offerId);
      const problem = !record
        ? 'offer not indexed'
        : !isVerbatim(c.quote, record.offer.text)
          ? 'quote not verbatim'
          : record.role !== c.role
            ? `offer is ${record.role}, cited as ${c.role}`
            : undefined;
      if (problem) problems.push(`${c.id} (${c.offerId}): ${problem}`);
      else valid++;
    }
  }
  return { citations, valid, share: share(valid, citations), problems };
}

/** The distinctive themes an answer can talk about (stable in at least half the resamples). */
export function distinctiveKeys(answer: Answer): string[] {
  return answer.themes
    .filter((t) => t.distinctiveFor !== undefined && (t.stability === undefined || t.stability >= 0.5))
    .map((t) => `${t.aspect}/${t.theme} → ${t.distinctiveFor}`)
    .sort();
}

export function stability(answers: readonly Answer[], seeds: readonly string[], sampleSize: number): StabilityResult {
  const sets = answers.map(distinctiveKeys);
  const counts = new Map<string, number>();
  for (const set of sets) for (const key of set) counts.set(key, (counts.get(key) ?? 0) + 1);
  const jaccards: number[] = [];
  for (let i = 0; i < sets.length; i++) {
    for (let j = i + 1; j < sets.length; j++) {
      const a = new Set(sets[i]);
      const b = new Set(sets[j]);
      const union = new Set([...a, ...b]).size;
      jaccards.push(union === 0 ? 1 : [...a].filter((x) => b.has(x)).length / union);
    }
  }
  return {
    sampleSize,
    seeds: [...seeds],
    distinctiveBySeed: sets,
    perTheme: [...counts].map(([key, n]) => ({ key, seeds: round(n / sets.length) })).sort((a, b) => b.seeds - a.seeds || (a.key < b.key ? -1 : 1)),
    meanJaccard: jaccards.length ? round(jaccards.reduce((x, y) => x + y, 0) / jaccards.length) : null,
    inEverySeed: [...counts].filter(([, n]) => n === sets.length).map(([key]) => key).sort(),
  };
}

/** Absolute file path → the manifest's label. */
async function manifestLabels(folder: string): Promise<Map<string, string>> {
  const manifestPath = path.join(folder, 'manifest.csv');
  const rows = readManifest(await readFile(manifestPath, 'utf8'), manifestPath);
  return new Map(rows.map((row) => [path.resolve(folder, row.file ?? ''), row.label ?? '']));
}

function judgeRole(labels: ReadonlyMap<string, string>, source: string, role: string | readonly string[]): boolean | null {
  const label = labels.get(source);
  if (label === undefined) return null;
  const roles = typeof role === 'string' ? [role] : role;
  return roles.some((r) => (RIGHT_LABELS[r] ?? []).includes(label));
}

/** Source path → the sections our segmenter cut, from the record (active offers and reposts). */
function sectionIndex(workspace: Workspace): (source: string) => ReadonlyArray<{ kind: SectionKind; text: string }> | undefined {
  const bySource = new Map(Array.from(workspace.records.listOffers({ status: ['active', 'duplicate'] }), (r) => [r.source, r.offer.sections]));
  return (source) => bySource.get(source);
}

async function naiveBaseline(
  workspace: Workspace,
  folder: string,
  question: string,
  k: number,
  labels: ReadonlyMap<string, string>,
  sectionsOf: ReturnType<typeof sectionIndex>,
  wanted: ReadonlySet<SectionKind>,
  roles: readonly string[],
): Promise<RetrievalFigures & { k: number; chunks: number }> {
  const files = (await readdir(folder, { recursive: true })).filter((f) => f.endsWith('.md')).map((f) => path.join(folder, f)).sort();
  const index = NaiveIndex.open({ chromaUrl: workspace.storeUrl, collectionName: `naive-answer-quality-${process.pid}`, embedder: workspace.embedder });
  try {
    const ingested = await index.ingestFiles(files);
    const documents = await index.search(question, k);
    const figures = retrievalFigures(
      documents.map((d) => {
        const source = String(d.metadata.source);
        return { offer: source, roleOk: judgeRole(labels, source, roles), inSections: sectionShare(d.pageContent, sectionsOf(source) ?? [], wanted) };
      }),
    );
    return { ...figures, k, chunks: ingested.chunks };
  } finally {
    await index.drop();
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      'data-dir': { type: 'string' },
      corpus: { type: 'string', default: '../shared/corpus' },
      question: { type: 'string' },
      offers: { type: 'string', default: '25' },
      seeds: { type: 'string', default: '1,2,3,4,5' },
      k: { type: 'string', default: '8' },
      'answer-out': { type: 'string' },
    },
  });
  if (!values['data-dir']) throw new Error('usage: eval/answer-quality.ts --data-dir DIR [--corpus DIR] [--offers 25] [--seeds 1,2,3] [--k 8] [--answer-out FILE]');
  const result = await measureAnswerQuality({
    dataDir: values['data-dir'],
    corpus: values.corpus ?? '../shared/corpus',
    ...(values.question ? { question: values.question } : {}),
    sampleSize: Number(values.offers),
    seeds: (values.seeds ?? '').split(',').filter(Boolean),
    naiveK: Number(values.k),
  });
  if (values['answer-out']) await writeFile(values['answer-out'], result.markdown);
  const { markdown: _markdown, ...figures } = result;
  process.stdout.write(`${JSON.stringify(figures, null, 2)}\n`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  main().then(
    () => process.exit(0),
    (error: unknown) => {
      process.stderr.write(`answer-quality: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(1);
    },
  );
}
