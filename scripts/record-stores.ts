/**
 * The two record stores side by side: the same offers ingested into the SQLite record and into a
 * Postgres record (each with a Chroma server of its own, started by the CLI's code), then the same
 * questions answered from each on a warm workspace. Prints ingest time, answer latency (p50, p95)
 * and whether every answer is identical, as JSON.
 *
 *   node --import tsx scripts/record-stores.ts [--offers 1000] [--rounds 10]
 *
 * Postgres is a throwaway cluster from Debian's packages (test/helpers/postgres.ts), or the
 * database OFFERS_DATABASE_URL names (its collection schema is then written to).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { ingestSources } from '../ingest/pipeline.ts';
import { percentile, round } from '../eval/measure.ts';
import { resolveConfig } from '../src/config.ts';
import { answerQuestion } from '../src/query/answer-question.ts';
import { startEmbeddedChroma } from '../src/store/chroma-server.ts';
import { openWorkspace } from '../src/workspace.ts';
import { startPostgres } from '../test/helpers/postgres.ts';
import { writeSyntheticCorpus } from '../test/helpers/synthetic-corpus.ts';

const QUESTIONS = [
  'Focusing on missions and requirements, what is the difference between the SRE and the DevOps engineer positions?',
  'What is the difference between SRE and DevOps engineer positions in terms of tools?',
  'What do SRE and DevOps engineer offers pay?',
];

const { values } = parseArgs({ options: { offers: { type: 'string', default: '1000' }, rounds: { type: 'string', default: '10' } } });
const offers = Number(values.offers);
const rounds = Number(values.rounds);

const scratch = await mkdtemp(path.join(os.tmpdir(), 'offers-record-stores-'));
const cluster = process.env.OFFERS_DATABASE_URL ? undefined : await startPostgres();
const databaseUrl = process.env.OFFERS_DATABASE_URL ?? (await cluster!.createDatabase());
const servers = await Promise.all(['sqlite', 'postgres'].map((name) => startEmbeddedChroma({ dataDir: path.join(scratch, `chroma-${name}`) })));
try {
  const corpus = path.join(scratch, 'offers');
  await writeSyntheticCorpus(corpus, { count: offers });
  const backends = [
    { name: 'sqlite', env: { CHROMA_URL: servers[0]!.url } },
    { name: 'postgres', env: { CHROMA_URL: servers[1]!.url, OFFERS_DATABASE_URL: databaseUrl } },
  ];
  const results: Record<string, unknown> = {};
  const answers = new Map<string, string[]>();
  for (const backend of backends) {
    const config = resolveConfig({ dataDir: path.join(scratch, backend.name) }, backend.env);
    let started = performance.now();
    const writer = await openWorkspace(config, { access: { mode: 'write', command: 'ingest' } });
    const ingested = await ingestSources(writer, [corpus]);
    await writer.close();
    const ingestSeconds = (performance.now() - started) / 1000;
    const reader = await openWorkspace(config, { access: { mode: 'read', command: 'query' } });
    const times: number[] = [];
    const byQuestion = QUESTIONS.map(() => [] as number[]);
    const texts: string[] = [];
    try {
      await answerQuestion(reader, { question: QUESTIONS[0]! });
      for (let round = 0; round < rounds; round++) {
        for (const [i, question] of QUESTIONS.entries()) {
          started = performance.now();
          const answer = await answerQuestion(reader, { question });
          times.push(performance.now() - started);
          byQuestion[i]!.push(performance.now() - started);
          if (round === 0) texts.push(JSON.stringify(answer));
        }
      }
    } finally {
      await reader.close();
    }
    answers.set(backend.name, texts);
    results[backend.name] = {
      offers: ingested.offers,
      ingestSeconds: round(ingestSeconds, 2),
      offersPerSecond: round(ingested.offers / ingestSeconds, 1),
      answerMs: { p50: round(percentile(times, 50), 1), p95: round(percentile(times, 95), 1), answers: times.length },
      // The seed question (the first) on its own: what issue 18 asks to compare.
      seedQuestionMs: { p50: round(percentile(byQuestion[0]!, 50), 1), p95: round(percentile(byQuestion[0]!, 95), 1) },
    };
  }
  const [sqlite, postgres] = [answers.get('sqlite')!, answers.get('postgres')!];
  results.identicalAnswers = `${sqlite.filter((text, i) => text === postgres[i]).length} of ${sqlite.length}`;
  console.log(JSON.stringify({ offers, rounds, questions: QUESTIONS, ...results }, null, 2));
} finally {
  await Promise.all(servers.map((server) => server.stop()));
  await cluster?.stop();
  await rm(scratch, { recursive: true, force: true });
}
