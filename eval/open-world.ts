import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { ingestSources } from '../ingest/pipeline.ts';
import { plantedCorpus, scorePlanted, writePlantedCorpus, type PlantedScore } from '../scripts/planted-offers.ts';
import { resolveConfig } from '../src/config.ts';
import { answerQuestion } from '../src/query/answer-question.ts';
import { answered, isRefusal } from '../src/query/refusal.ts';
import type { Answer } from '../src/query/types.ts';
import { openWorkspace, type Workspace } from '../src/workspace.ts';
import { share, writeReport } from './measure.ts';

/**
 * The open-world tier of the eval: comparisons of groups the role catalogue knows nothing of.
 *
 *  1. Planted: offers of invented job families (scripts/planted-offers.ts), English and French,
 *     several seeds; recall of the planted distinctive phrases (right direction), false
 *     distinctive claims (must be 0) and count accuracy (exact).
 *  2. Corpus pairs (with --corpus): groups of real offers outside infrastructure, named by title
 *     words and filters in eval/open-world.json; per pair the groups and their counts, the top
 *     mined themes, and citation validity (every quote verbatim in an offer of its group).
 *
 *   npm run eval:open-world -- [--corpus ../shared/corpus] [--seeds 3] [--gate] [--out DIR]
 *
 * With --gate it exits 1 when planted recall is below 0.9, any false claim or wrong count is
 * found, or a citation is not valid.
 */

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');

interface CorpusPair {
  id: string;
  /** Sub-folders of the corpus to ingest. */
  corpora: string[];
  groups: string[];
  aspects?: string[];
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      corpus: { type: 'string' },
      seeds: { type: 'string', default: '3' },
      'per-family': { type: 'string', default: '60' },
      out: { type: 'string', default: path.join(ROOT, 'eval', 'results') },
      gate: { type: 'boolean', default: false },
    },
  });
  const log = (line: string) => process.stderr.write(`eval:open-world: ${line}\n`);
  const seeds = Number(values.seeds);
  const perFamily = Number(values['per-family']);
  const planted: Array<{ language: string; seed: number } & PlantedScore & { citations: number; invalid: number }> = [];
  for (const language of ['en', 'fr'] as const) {
    for (let seed = 1; seed <= seeds; seed++) {
      log(`planted ${language}, seed ${seed}`);
      const corpus = plantedCorpus({ language, perFamily, seed });
      await withWorkspace(async (workspace, scratch) => {
        const dir = path.join(scratch, 'offers', language);
        writePlantedCorpus(dir, corpus);
        await ingestSources(workspace, [dir]);
        const [a, b] = corpus.set.families.map((f) => f.name);
        const answer = answered(await answerQuestion(workspace, { question: `What is the difference between ${a} and ${b}?` }));
        const names = answer.roles.map((r) => r.name) as [string, string];
        planted.push({ language, seed, ...scorePlanted(corpus, names, answer.themes), ...citationCheck(workspace, answer) });
      });
    }
  }

  const pairs: Array<Record<string, unknown>> = [];
  if (values.corpus) {
    const config = JSON.parse(await readFile(path.join(ROOT, 'eval', 'open-world.json'), 'utf8')) as { pairs: CorpusPair[] };
    const byCorpora = new Map<string, CorpusPair[]>();
    for (const pair of config.pairs) byCorpora.set(pair.corpora.join(','), [...(byCorpora.get(pair.corpora.join(',')) ?? []), pair]);
    for (const [corpora, list] of byCorpora) {
      await withWorkspace(async (workspace) => {
        log(`ingesting ${corpora}`);
        await ingestSources(workspace, corpora.split(',').map((c) => path.join(path.resolve(values.corpus!), c)));
        for (const pair of list) {
          log(`pair ${pair.id}`);
          const answer = await answerQuestion(workspace, { question: pair.id, groups: pair.groups, ...(pair.aspects ? { aspects: pair.aspects } : {}) });
          if (isRefusal(answer)) {
            pairs.push({ id: pair.id, refused: answer.reason });
            continue;
          }
          const mined = answer.themes.filter((t) => t.theme.startsWith('phrase:') && t.distinctiveFor);
          pairs.push({
            id: pair.id,
            groups: answer.roles.map((r) => ({ name: r.name, offers: r.offers, definition: r.definition })),
            topMined: mined.slice(0, 6).map((t) => ({ phrase: t.label, for: t.distinctiveFor, offers: Object.fromEntries(Object.entries(t.perRole).map(([g, s]) => [g, s.offers])) })),
            distinctive: answer.themes.filter((t) => t.distinctiveFor).length,
            ...citationCheck(workspace, answer),
          });
        }
      });
    }
  }

  const sum = (key: 'recalled' | 'distinctive' | 'citations' | 'invalid') => planted.reduce((n, r) => n + r[key], 0);
  const pairCitations = pairs.reduce((n, p) => n + ((p.citations as number) ?? 0), 0);
  const pairInvalid = pairs.reduce((n, p) => n + ((p.invalid as number) ?? 0), 0);
  const report = {
    date: new Date().toISOString(),
    planted: {
      runs: planted.length,
      perFamily,
      recall: share(sum('recalled'), sum('distinctive')),
      falseClaims: planted.reduce((n, r) => n + r.falseClaims.length, 0),
      wrongCounts: planted.reduce((n, r) => n + r.wrongCounts.length, 0),
      citationValidity: share(sum('citations') - sum('invalid'), sum('citations')),
      runsDetail: planted,
    },
    pairs: { citationValidity: share(pairCitations - pairInvalid, pairCitations), list: pairs },
  };
  const base = await writeReport(values.out, 'open-world', report, markdown(report));
  log(`written to ${base}.json and ${base}.md`);
  if (values.gate) {
    const failures = [
      (report.planted.recall ?? 0) < 0.9 ? `planted recall ${report.planted.recall} < 0.9` : '',
      report.planted.falseClaims > 0 ? `${report.planted.falseClaims} false distinctive claims` : '',
      report.planted.wrongCounts > 0 ? `${report.planted.wrongCounts} wrong counts` : '',
      report.planted.citationValidity !== 1 && report.planted.citationValidity !== null ? `planted citation validity ${report.planted.citationValidity}` : '',
      report.pairs.citationValidity !== 1 && report.pairs.citationValidity !== null ? `corpus pairs citation validity ${report.pairs.citationValidity}` : '',
    ].filter(Boolean);
    if (failures.length > 0) {
      process.stderr.write(`eval:open-world: gate failed: ${failures.join('; ')}\n`);
      process.exitCode = 1;
    }
  }
}

/** A workspace on a scratch data dir, closed and removed after. */
async function withWorkspace(run: (workspace: Workspace, scratch: string) => Promise<void>): Promise<void> {
  const scratch = await mkdtemp(path.join(os.tmpdir(), 'offers-open-world-'));
  try {
    const workspace = await openWorkspace(resolveConfig({ dataDir: path.join(scratch, 'data') }, {}));
    try {
      await run(workspace, scratch);
    } finally {
      await workspace.close();
    }
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

/** Citations whose quote is not verbatim in its offer, or whose offer is not in the cited group (the answer's own check). */
function citationCheck(workspace: Workspace, answer: Answer): { citations: number; invalid: number } {
  const collapse = (text: string) => text.replace(/\s+/g, ' ');
  const flagged = new Set(answer.warnings.filter((w) => w.startsWith('citation check:')).map((w) => /\b(c\d+)\b/.exec(w)?.[1]));
  const invalid = answer.citations.filter((c) => {
    const offer = workspace.records.getOffer(c.offerId);
    return !offer || !collapse(offer.offer.text).includes(collapse(c.quote)) || flagged.has(c.id);
  });
  return { citations: answer.citations.length, invalid: invalid.length };
}

function markdown(report: { date: string; planted: { runs: number; perFamily: number; recall: number | null; falseClaims: number; wrongCounts: number; citationValidity: number | null }; pairs: { citationValidity: number | null; list: Array<Record<string, unknown>> } }): string {
  const p = report.planted;
  const lines = [
    `# Open-world eval ${report.date.slice(0, 10)}`,
    '',
    `Planted themes: ${p.runs} runs (English and French, ${p.perFamily} offers per family).`,
    '',
    '| figure | value |',
    '|---|---|',
    `| recall of planted distinctive phrases (right direction) | ${p.recall} |`,
    `| false distinctive claims | ${p.falseClaims} |`,
    `| surfaced phrases with wrong counts | ${p.wrongCounts} |`,
    `| citation validity | ${p.citationValidity} |`,
    '',
  ];
  if (report.pairs.list.length > 0) {
    lines.push(`Corpus pairs (citation validity ${report.pairs.citationValidity}):`, '', '| pair | groups (offers) | top mined themes | distinctive | citations valid |', '|---|---|---|---|---|');
    for (const pair of report.pairs.list) {
      if (pair.refused) {
        lines.push(`| ${pair.id} | refused: ${pair.refused} | | | |`);
        continue;
      }
      const groups = (pair.groups as Array<{ name: string; offers: number }>).map((g) => `${g.name} (${g.offers})`).join(' vs ');
      const mined = (pair.topMined as Array<{ phrase: string; for: string; offers: Record<string, number> }>)
        .map((m) => `"${m.phrase}" → ${m.for} (${Object.values(m.offers).join(' vs ')})`)
        .join('; ');
      lines.push(`| ${pair.id} | ${groups} | ${mined || 'none'} | ${pair.distinctive} | ${pair.citations as number - (pair.invalid as number)}/${pair.citations} |`);
    }
  }
  return `${lines.join('\n')}\n`;
}

await main().catch((error: unknown) => {
  process.stderr.write(`eval:open-world: ${(error as Error).stack ?? String(error)}\n`);
  process.exitCode = 1;
});
