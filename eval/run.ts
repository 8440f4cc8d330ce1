import { readFile, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { ingestSources } from '../ingest/pipeline.ts';
import { describeError, OffersError } from '../src/errors.ts';
import { resolveConfig } from '../src/config.ts';
import { answerQuestion } from '../src/query/answer-question.ts';
import { answered } from '../src/query/refusal.ts';
import { aspectSections, type Aspect } from '../src/query/question.ts';
import type { Answer } from '../src/query/types.ts';
import { claimProblems, verifyAnswer } from '../src/query/verify.ts';
import type { SectionKind } from '../src/types.ts';
import { openWorkspace, type Workspace } from '../src/workspace.ts';
import { CORPUS_FOLDERS, readManifest } from './corpus-offers.ts';
import { addQuality, quoteQuality, type QuoteQuality } from './quote-quality.ts';
import { MIN_QUOTE_WORDS } from '../src/query/quotes.ts';
import { round, share, writeReport } from './measure.ts';
import { stability } from './answer-quality.ts';
import { NaiveIndex } from './naive-langchain.ts';
import { meanFigures, retrievalFigures, sectionShare, type JudgedEvidence, type RetrievalFigures } from './retrieval-figures.ts';
import { evaluateUnderstanding, MANIFEST_LABELS, type RoleCorrection } from './understanding.ts';

/**
 * `npm run eval -- --corpus ../shared/corpus [--per-label N] [--gate]`
 *
 * Ingests the corpus (every file its manifests list, or the first N of each manifest label) into
 * a temporary data dir with the real pipeline, then reports:
 *  - understanding: role accuracy against the manifest labels, section figures from eval/labels
 *    (eval/understanding.ts, on the whole corpus: parsing only, no store);
 *  - for each question of eval/questions.json, our answer's evidence (its citations) and the
 *    naive LangChain pipeline's top-k (naive-langchain.ts, same files, same embedder): role purity,
 *    section precision and distinct-offer share (retrieval-figures.ts);
 *  - answer checks: citation validity, cited claims, and how stable the distinctive themes are
 *    across sampling seeds.
 * Writes eval/results/<date>-eval.json and <date>-eval.md. With --gate it exits 1 when citation
 * validity is below 100% or role accuracy below 0.95 (the CI quality gate).
 *
 * Results hold figures, ids and corpus paths, never corpus text.
 */

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const ROLE_ACCURACY_GATE = 0.95;
/** Offers per role in the seeded samples whose distinctive themes are compared across seeds. */
const STABILITY_SAMPLE = 25;
const STABILITY_SEEDS = ['1', '2', '3'];
/** Naive top-k when our answer has no citations to match in number. */
const DEFAULT_NAIVE_K = 10;

interface EvalQuestion {
  id: string;
  question: string;
  roles: string[];
  aspects: Aspect[];
}

/** A corpus file with its manifest label. */
interface CorpusFile {
  /** Corpus-relative path ("remotewlb/sre/….md"), the key of every label file. */
  path: string;
  absolute: string;
  folder: string;
  label: string;
}

interface QuestionResult {
  id: string;
  roles: string[];
  aspects: string[];
  error?: string;
  ours?: RetrievalFigures;
  naive?: RetrievalFigures;
  citations?: number;
  invalidCitations?: number;
  claims?: number;
  uncitedClaims?: number;
  /** Mean Jaccard similarity of the distinctive (theme, role) pairs between seeds. */
  themeStability?: number | null;
  quoteQuality?: QuoteQuality;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      corpus: { type: 'string' },
      'per-label': { type: 'string' },
      questions: { type: 'string', default: path.join(ROOT, 'eval', 'questions.json') },
      out: { type: 'string', default: path.join(ROOT, 'eval', 'results') },
      gate: { type: 'boolean', default: false },
    },
  });
  if (!values.corpus) {
    process.stderr.write('usage: npm run eval -- --corpus ../shared/corpus [--per-label N] [--gate] [--out DIR]\n');
    process.exitCode = 2;
    return;
  }
  const corpus = path.resolve(values.corpus);
  const perLabel = values['per-label'] === undefined ? undefined : Number(values['per-label']);
  const log = (line: string) => process.stderr.write(`eval: ${line}\n`);
  const started = performance.now();

  const files = await corpusFiles(corpus, perLabel);
  const questions = (JSON.parse(await readFile(values.questions, 'utf8')) as { questions: EvalQuestion[] }).questions;
  log(`understanding figures on ${corpus}`);
  const understanding = await evaluateUnderstanding({ corpus });
  const corrections = (JSON.parse(await readFile(path.join(ROOT, 'eval', 'labels', 'roles.json'), 'utf8')) as { corrections: Record<string, RoleCorrection> }).corrections;
  const roleOk = roleJudge(files, corrections);

  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'offers-eval-'));
  let report: Record<string, unknown>;
  try {
    const workspace = await openWorkspace(resolveConfig({ dataDir }, {}), { log });
    try {
      log(`ingesting ${files.length} files`);
      const ingest = await ingestSources(workspace, files.map((f) => f.absolute));
      const naive = NaiveIndex.open({ chromaUrl: workspace.storeUrl, collectionName: 'eval-naive', embedder: workspace.embedder });
      log('naive LangChain pipeline: ingesting the same files');
      const naiveIngest = await naive.ingestFiles(files.map((f) => f.absolute));
      const results: QuestionResult[] = [];
      for (const question of questions) {
        log(`question ${question.id}`);
        results.push(await evaluateQuestion(workspace, naive, question, roleOk));
      }
      const answered = results.filter((r) => !r.error);
      const sum = (key: 'citations' | 'invalidCitations' | 'claims' | 'uncitedClaims') => answered.reduce((n, r) => n + (r[key] ?? 0), 0);
      const stabilities = answered.map((r) => r.themeStability).filter((x): x is number => typeof x === 'number');
      report = {
        date: new Date().toISOString(),
        corpus,
        subset: perLabel === undefined ? 'every manifest file' : `first ${perLabel} files of each manifest label`,
        seconds: 0,
        ingest: {
          files: files.length,
          offers: ingest.offers,
          chunks: ingest.chunks,
          duplicates: ingest.duplicates,
          failed: ingest.failed.length,
          seconds: ingest.seconds,
          naive: { chunks: naiveIngest.chunks, seconds: round(naiveIngest.seconds, 2) },
        },
        understanding: {
          roles: { ...understanding.roles, confusions: understanding.roles.confusions.length },
          sections: { offers: understanding.sections.offers, lines: understanding.sections.lines, perKind: understanding.sections.perKind },
          duplicates: { precision: understanding.duplicates.precision ?? null, recall: understanding.duplicates.recall ?? null },
          languages: { accuracy: understanding.languages.accuracy },
        },
        retrieval: { ours: meanFigures(answered.map((r) => r.ours!)), naive: meanFigures(answered.map((r) => r.naive!)) },
        answers: {
          questions: results.length,
          answered: answered.length,
          citationValidity: share(sum('citations') - sum('invalidCitations'), sum('citations')),
          claimsCited: share(sum('claims') - sum('uncitedClaims'), sum('claims')),
          themeStability: share(stabilities.reduce((a, b) => a + b, 0), stabilities.length),
          ...quoteFigures(answered.map((r) => r.quoteQuality!).reduce(addQuality, { quotes: 0, whole: 0, boilerplate: 0, stableDistinctive: 0, stableShown: 0 })),
        },
        questions: results,
      };
      await naive.drop();
    } finally {
      await workspace.close();
    }
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
  report.seconds = round((performance.now() - started) / 1000, 1);

  const base = await writeReport(values.out, 'eval', report, markdownReport(report));
  log(`written to ${base}.json and ${base}.md`);

  if (values.gate) {
    const failures = gateFailures(report);
    for (const failure of failures) log(`GATE FAILED: ${failure}`);
    if (failures.length > 0) process.exitCode = 1;
  }
}

/** The files the corpus manifests list (the first `perLabel` of each label when given), in manifest order. */
async function corpusFiles(corpus: string, perLabel: number | undefined): Promise<CorpusFile[]> {
  const files: CorpusFile[] = [];
  for (const folder of CORPUS_FOLDERS) {
    const manifestPath = path.join(corpus, folder, 'manifest.csv');
    const text = await readFile(manifestPath, 'utf8').catch(() => undefined);
    if (text === undefined) continue;
    const taken = new Map<string, number>();
    for (const row of readManifest(text, manifestPath)) {
      const label = row.label ?? '';
      const n = taken.get(label) ?? 0;
      if (perLabel !== undefined && n >= perLabel) continue;
      taken.set(label, n + 1);
      files.push({ path: `${folder}/${row.file}`, absolute: path.join(corpus, folder, row.file ?? ''), folder, label });
    }
  }
  if (files.length === 0) throw new Error(`no manifest.csv under ${corpus} (expected folders ${CORPUS_FOLDERS.join(', ')})`);
  return files;
}

/**
 * Whether an offer from `source` (an absolute corpus path) may be used as evidence about `role`,
 * by its manifest label (or its hand correction); null for a file the manifests don't label.
 */
function roleJudge(files: readonly CorpusFile[], corrections: Readonly<Record<string, RoleCorrection>>): (source: string, role: string) => boolean | null {
  const bySource = new Map(files.map((f) => [f.absolute, f]));
  return (source, role) => {
    const file = bySource.get(source.replace(/#\d+$/, ''));
    if (!file) return null;
    const correction = corrections[file.path];
    if (correction) return correction.role === role;
    const accepts = MANIFEST_LABELS[file.folder]?.[file.label];
    if (!accepts) return null;
    return 'roles' in accepts ? accepts.roles.includes(role) : !accepts.not.includes(role);
  };
}

async function evaluateQuestion(
  workspace: Workspace,
  naive: NaiveIndex,
  question: EvalQuestion,
  roleOk: (source: string, role: string) => boolean | null,
): Promise<QuestionResult> {
  const base = { id: question.id, roles: question.roles, aspects: question.aspects };
  const wanted = new Set<SectionKind>(question.aspects.flatMap(aspectSections));
  const request = { question: question.question, roles: question.roles, aspects: question.aspects };
  let answer: Answer;
  try {
    answer = answered(await answerQuestion(workspace, request));
  } catch (error) {
    if (!OffersError.isInstance(error)) throw error;
    return { ...base, error: describeError(error) };
  }

  const ours: JudgedEvidence[] = answer.citations.map((citation) => {
    const record = workspace.records.getOffer(citation.offerId);
    return {
      offer: citation.offerId,
      roleOk: record ? roleOk(record.source, citation.role) : null,
      inSections: record ? sectionShare(citation.quote, record.offer.sections, wanted) : null,
    };
  });
  const hits = await naive.search(question.question, answer.citations.length || DEFAULT_NAIVE_K);
  const naiveEvidence: JudgedEvidence[] = hits.map((hit) => {
    const source = String(hit.metadata.source);
    const [record] = workspace.records.listOffers({ source });
    const judgements = question.roles.map((role) => roleOk(source, role));
    return {
      offer: source,
      roleOk: judgements.every((j) => j === null) ? null : judgements.some((j) => j === true),
      inSections: record ? sectionShare(hit.pageContent, record.offer.sections, wanted) : null,
    };
  });

  const problems = verifyAnswer(answer, (offerId) => {
    const record = workspace.records.getOffer(offerId);
    return record && { role: record.role, text: record.offer.text };
  });
  const invalid = new Set(problems.map((p) => /^(c\d+):/.exec(p)?.[1]).filter(Boolean));
  const citations = new Map(answer.citations.map((c) => [c.id, c]));
  return {
    ...base,
    ours: retrievalFigures(ours),
    naive: retrievalFigures(naiveEvidence),
    citations: answer.citations.length,
    invalidCitations: invalid.size,
    claims: answer.claims.length,
    uncitedClaims: answer.claims.filter((claim) => claim.citations.length === 0 || claimProblems(claim, citations).length > 0).length,
    themeStability: await themeStability(workspace, request),
    quoteQuality: quoteQuality(answer, (offerId) => workspace.records.getOffer(offerId)?.offer.text),
  };
}

/** Mean pairwise Jaccard similarity of the distinctive themes of seeded samples (answer-quality's definition). */
async function themeStability(workspace: Workspace, request: { question: string; roles: string[]; aspects: Aspect[] }): Promise<number | null> {
  const answers: Answer[] = [];
  for (const seed of STABILITY_SEEDS) answers.push(answered(await answerQuestion(workspace, { ...request, offers: STABILITY_SAMPLE, seed })));
  return stability(answers, STABILITY_SEEDS, STABILITY_SAMPLE).meanJaccard;
}

/** Quote quality as report figures: shares of whole and of boilerplate quotes, and of stable distinctive themes shown. */
function quoteFigures(q: QuoteQuality) {
  return { quotes: q.quotes, wholeQuotes: share(q.whole, q.quotes), boilerplateQuotes: share(q.boilerplate, q.quotes), stableDistinctiveShown: share(q.stableShown, q.stableDistinctive) };
}

/** The quote-quality gate: whole sentences or items, no boilerplate, every stable distinctive theme in the memo. */
export const WHOLE_QUOTES_GATE = 0.98;

function gateFailures(report: Record<string, unknown>): string[] {
  const answers = report.answers as { citationValidity: number | null; wholeQuotes: number | null; boilerplateQuotes: number | null; stableDistinctiveShown: number | null };
  const roles = (report.understanding as { roles: { accuracy: number } }).roles;
  const failures: string[] = [];
  if (answers.citationValidity === null || answers.citationValidity < 1) failures.push(`citation validity ${answers.citationValidity ?? 'n/a'} < 1`);
  if (answers.wholeQuotes !== null && answers.wholeQuotes < WHOLE_QUOTES_GATE) failures.push(`whole-sentence quotes ${answers.wholeQuotes} < ${WHOLE_QUOTES_GATE}`);
  if (answers.boilerplateQuotes !== null && answers.boilerplateQuotes > 0) failures.push(`boilerplate quotes ${answers.boilerplateQuotes} > 0`);
  if (answers.stableDistinctiveShown !== null && answers.stableDistinctiveShown < 1) failures.push(`stable distinctive themes shown ${answers.stableDistinctiveShown} < 1`);
  if (roles.accuracy < ROLE_ACCURACY_GATE) failures.push(`role accuracy ${round(roles.accuracy)} < ${ROLE_ACCURACY_GATE}`);
  return failures;
}

function fmt(x: number | null | undefined): string {
  return x === null || x === undefined ? 'n/a' : x.toFixed(3);
}

function figureCells(f: RetrievalFigures): string {
  return `${f.evidence}, ${fmt(f.rolePurity)} / ${fmt(f.sectionPrecision)} / ${fmt(f.distinctOfferShare)}`;
}

function markdownReport(report: Record<string, unknown>): string {
  const u = report.understanding as { roles: { accuracy: number; offers: number }; sections: { perKind: Array<{ kind: string; precision: number; recall: number; f1: number }> } };
  const r = report.retrieval as { ours: RetrievalFigures; naive: RetrievalFigures };
  const a = report.answers as {
    citationValidity: number | null;
    claimsCited: number | null;
    themeStability: number | null;
    answered: number;
    questions: number;
    wholeQuotes: number | null;
    boilerplateQuotes: number | null;
    stableDistinctiveShown: number | null;
  };
  const ingest = report.ingest as { files: number; offers: number; chunks: number; seconds: number };
  const lines = [
    `# Eval ${String(report.date).slice(0, 10)}`,
    '',
    `Corpus ${String(report.corpus)} (${String(report.subset)}): ${ingest.files} files → ${ingest.offers} offers, ${ingest.chunks} chunks in ${ingest.seconds} s. Whole run ${String(report.seconds)} s.`,
    '',
    '| figure | ours | naive LangChain |',
    '|---|---|---|',
    `| role accuracy (${u.roles.offers} labelled offers) | ${fmt(u.roles.accuracy)} | |`,
    `| evidence role purity | ${fmt(r.ours.rolePurity)} | ${fmt(r.naive.rolePurity)} |`,
    `| evidence section precision | ${fmt(r.ours.sectionPrecision)} | ${fmt(r.naive.sectionPrecision)} |`,
    `| evidence from distinct offers | ${fmt(r.ours.distinctOfferShare)} | ${fmt(r.naive.distinctOfferShare)} |`,
    `| citation validity | ${fmt(a.citationValidity)} | |`,
    `| claims cited | ${fmt(a.claimsCited)} | |`,
    `| distinctive themes stable across seeds (Jaccard) | ${fmt(a.themeStability)} | |`,
    `| quotes that are whole sentences or items (≥ ${MIN_QUOTE_WORDS} words) | ${fmt(a.wholeQuotes)} | |`,
    `| boilerplate quotes | ${fmt(a.boilerplateQuotes)} | |`,
    `| distinctive themes with stability ≥ 0.8 shown in the memo | ${fmt(a.stableDistinctiveShown)} | |`,
    `| questions answered | ${a.answered} / ${a.questions} | |`,
    '',
    '| section (eval/labels) | precision | recall | F1 |',
    '|---|---|---|---|',
    ...u.sections.perKind.map((k) => `| ${k.kind} | ${fmt(k.precision)} | ${fmt(k.recall)} | ${fmt(k.f1)} |`),
    '',
    '| question | ours: evidence, purity / sections / distinct | naive: evidence, purity / sections / distinct |',
    '|---|---|---|',
    ...(report.questions as QuestionResult[]).map((q) =>
      q.error
        ? `| ${q.id} | not answered: ${q.error.split('\n')[0]} | |`
        : `| ${q.id} | ${figureCells(q.ours!)} | ${figureCells(q.naive!)} |`,
    ),
    '',
  ];
  return lines.join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
