/**
 * Pay extraction measured on hand-labelled corpus offers (eval/labels/pay.json: corpus paths and
 * the pay each states, or null; no offer text). Each file goes through the real parser and
 * normaliser (loadCorpus), and the normalised offer's `facts.pay` is compared with the label:
 * correct when currency and period are equal and min and max are within 1%.
 *
 *  - precision: correct extractions / extractions (an extraction on a null-labelled offer is wrong);
 *  - recall: correct extractions / offers labelled with a pay;
 *  - false positives: extractions on offers labelled null.
 *
 *   node --import tsx eval/pay.ts --corpus ../shared/corpus [--out DIR] [--labels FILE]
 *
 * Results go to <out>/<date>-<labels file name>.json and .md (pay.json → <date>-pay.json).
 */

import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import type { PayFact } from '../src/types.ts';
import { loadCorpus } from './corpus-offers.ts';
import { share, writeReport } from './measure.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export interface PayLabel {
  file: string;
  pay: PayFact | null;
  note?: string;
}

export interface PayOutcome {
  file: string;
  expected: PayFact | null;
  got: PayFact | null;
  correct: boolean;
}

export interface PayCounts {
  offers: number;
  /** Offers labelled with a pay. */
  labelled: number;
  /** Offers with an extracted pay. */
  extracted: number;
  correct: number;
  /** Extractions on offers labelled null. */
  falsePositives: number;
  precision: number | null;
  recall: number | null;
}

/** Same currency and period, min and max within 1% of the label's. */
export function payMatches(expected: PayFact, got: PayFact): boolean {
  const near = (a: number, b: number) => Math.abs(a - b) <= 0.01 * Math.abs(a);
  return expected.currency === got.currency && expected.period === got.period && near(expected.min, got.min) && near(expected.max, got.max);
}

export function payCounts(outcomes: readonly PayOutcome[]): PayCounts {
  const labelled = outcomes.filter((o) => o.expected).length;
  const extracted = outcomes.filter((o) => o.got).length;
  const correct = outcomes.filter((o) => o.correct).length;
  const falsePositives = outcomes.filter((o) => o.got && !o.expected).length;
  return { offers: outcomes.length, labelled, extracted, correct, falsePositives, precision: share(correct, extracted), recall: share(correct, labelled) };
}

export function formatPay(pay: PayFact | null): string {
  if (!pay) return 'none';
  return `${pay.currency} ${pay.period} ${pay.min === pay.max ? pay.min : `${pay.min}–${pay.max}`}`;
}

function markdown(report: { date: string; corpus: string; labels: string; overall: PayCounts; bySource: Record<string, PayCounts>; mismatches: PayOutcome[]; problems: string[] }): string {
  const cell = (value: number | null) => (value === null ? 'n/a' : value.toFixed(3));
  const row = (name: string, c: PayCounts) =>
    `| ${name} | ${c.offers} | ${c.labelled} | ${c.extracted} | ${c.correct} | ${cell(c.precision)} | ${cell(c.recall)} | ${c.falsePositives} / ${c.offers - c.labelled} |`;
  return [
    `# Pay extraction ${report.date.slice(0, 10)}`,
    '',
    `Hand-labelled offers of ${report.corpus} (${report.labels}), through the parsers and the normaliser.`,
    '',
    '| source | offers | with pay | extracted | correct | precision | recall | false positives / null-labelled |',
    '|---|---|---|---|---|---|---|---|',
    ...Object.entries(report.bySource).map(([name, counts]) => row(name, counts)),
    row('**all**', report.overall),
    '',
    `Mismatches (${report.mismatches.length}):`,
    '',
    ...report.mismatches.map((m) => `- ${m.file}: expected ${formatPay(m.expected)} got ${formatPay(m.got)}`),
    ...(report.problems.length > 0 ? ['', 'Problems:', '', ...report.problems.map((p) => `- ${p}`)] : []),
    '',
  ].join('\n');
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      corpus: { type: 'string' },
      labels: { type: 'string', default: path.join(ROOT, 'eval', 'labels', 'pay.json') },
      out: { type: 'string', default: path.join(ROOT, 'eval', 'results') },
    },
  });
  if (!values.corpus) {
    process.stderr.write('usage: node --import tsx eval/pay.ts --corpus ../shared/corpus [--out DIR]\n');
    process.exit(2);
  }
  const { labels } = JSON.parse(await readFile(values.labels, 'utf8')) as { labels: PayLabel[] };
  const paths = new Set(labels.map((l) => l.file));
  const folders = [...new Set(labels.map((l) => l.file.split('/')[0]!))];
  const { offers, problems } = await loadCorpus({ corpus: values.corpus, folders, paths });
  const byPath = new Map(offers.map((o) => [o.path, o.offer]));
  const outcomes: PayOutcome[] = [];
  for (const label of labels) {
    const offer = byPath.get(label.file);
    if (!offer) {
      if (!problems.some((p) => p.startsWith(label.file))) problems.push(`${label.file}: not in the manifest`);
      continue;
    }
    const got = offer.facts?.pay ?? null;
    outcomes.push({ file: label.file, expected: label.pay, got, correct: !!(label.pay && got && payMatches(label.pay, got)) });
  }
  const bySource = Object.fromEntries(folders.map((folder) => [folder, payCounts(outcomes.filter((o) => o.file.startsWith(`${folder}/`)))]));
  const report = {
    date: new Date().toISOString(),
    corpus: values.corpus,
    labels: path.relative(ROOT, path.resolve(values.labels)),
    overall: payCounts(outcomes),
    bySource,
    mismatches: outcomes.filter((o) => !o.correct && (o.expected || o.got)),
    problems,
  };
  const base = await writeReport(values.out, path.basename(values.labels, '.json'), report, markdown(report));
  process.stderr.write(`eval:pay: written to ${base}.json and ${base}.md\n`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) await main();
