/**
 * The record and the store drifting apart, through the real CLI and the real embedded Chroma:
 * with the Chroma data deleted and the record kept, queries used to answer silently from lexical
 * retrieval only, and neither ingest nor reindex repaired it (`chunks=238 storeChunks=0` for
 * good). Now every answer and `stats` warn, `stats --check` lists the difference (exit 1), and
 * the next reindex (or `stats --check --repair`) embeds the lost chunks again from the record.
 *
 * The commands run in process, each opening the data dir's embedded Chroma server itself and
 * stopping it at its end, as a CLI run does (runCommand, test/helpers/in-process.ts): deleting the Chroma data
 * between two commands is then what it is between two CLI runs, without a process per command.
 */
import assert from 'node:assert/strict';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ingest } from '../../src/commands/ingest.ts';
import { query } from '../../src/commands/query.ts';
import { reindex } from '../../src/commands/reindex.ts';
import { stats as statsCommand, type StatsOptions } from '../../src/commands/stats.ts';
import type { Answer } from '../../src/query/types.ts';
import { DEMO_OFFERS, scratchDir } from '../helpers/cli.ts';
import { runCommand } from '../helpers/in-process.ts';
import { startFakeOpenAI } from '../helpers/fake-openai.ts';

interface Stats {
  chunks: number;
  storeChunks: number;
  warnings: string[];
  check?: { consistent: boolean; missing: number; extra: number; repaired?: { reembedded: number; deleted: number } };
}

describe('record and store drifting apart', () => {
  let scratch: Awaited<ReturnType<typeof scratchDir>>;
  let dataDir: string;
  const stats = async (flags: Pick<StatsOptions, 'check' | 'repair'> = {}): Promise<{ code: number; stats: Stats; stderr: string }> => {
    const run = await runCommand(statsCommand, { dataDir, json: true, ...flags });
    return { code: run.code, stats: JSON.parse(run.stdout) as Stats, stderr: run.stderr };
  };
  const ask = () => runCommand(query, { dataDir, question: 'What is the difference between SRE and DevOps engineer positions?', format: 'json' });

  before(async () => {
    scratch = await scratchDir('offers-drift-');
    dataDir = path.join(scratch.dir, 'data');
    const run = await runCommand(ingest, { dataDir, sources: [DEMO_OFFERS] });
    assert.equal(run.code, 0, run.stderr);
  });
  after(async () => {
    await scratch.cleanup();
  });

  it('with the Chroma data deleted, every answer and stats warn, and --check lists the difference', async () => {
    await rm(path.join(dataDir, 'chroma'), { recursive: true });
    const asked = await ask();
    assert.equal(asked.code, 0, asked.stderr);
    const answer = JSON.parse(asked.stdout) as Answer;
    assert.ok(answer.warnings.some((w) => /the vector store .* lacks chunks the record lists: it holds 0 chunks/.test(w)), JSON.stringify(answer.warnings));

    const plain = await stats();
    assert.equal(plain.code, 0);
    assert.equal(plain.stats.storeChunks, 0);
    assert.ok(plain.stats.chunks > 0);
    assert.match(plain.stats.warnings.join('\n'), /offers stats --check --repair/);

    const checked = await stats({ check: true });
    assert.equal(checked.code, 1);
    assert.deepEqual([checked.stats.check?.consistent, checked.stats.check?.missing, checked.stats.check?.extra], [false, plain.stats.chunks, 0]);
    assert.match(checked.stderr, /fix: offers stats --check --repair/);
  });

  it('the next reindex repairs it, though no source changed', async () => {
    const reindexed = await runCommand(reindex, { dataDir, json: true });
    assert.equal(reindexed.code, 0, reindexed.stderr);
    assert.match(reindexed.stderr, /repaired the vector store: \d+ chunks the store had lost embedded again from the record/);
    const after = await stats({ check: true });
    assert.equal(after.code, 0, after.stderr);
    assert.equal(after.stats.storeChunks, after.stats.chunks);
    assert.deepEqual(after.stats.warnings, []);
    assert.equal(after.stats.check?.consistent, true);
  });

  it('stats --check --repair repairs it too', async () => {
    await rm(path.join(dataDir, 'chroma'), { recursive: true });
    const repaired = await stats({ check: true, repair: true });
    assert.equal(repaired.code, 0, repaired.stderr);
    assert.equal(repaired.stats.check?.repaired?.reembedded, repaired.stats.chunks);
    assert.equal(repaired.stats.check?.consistent, true);
    assert.equal(repaired.stats.storeChunks, repaired.stats.chunks);
    assert.deepEqual((JSON.parse((await ask()).stdout) as Answer).warnings.filter((w) => /vector store/.test(w)), []);
  });

  it('with another embedder configured, stats says the offers were indexed with another one, and the fix', async () => {
    const fake = await startFakeOpenAI();
    try {
      const env = { OFFERS_EMBEDDINGS: 'openai', OPENAI_BASE_URL: fake.baseUrl, OFFERS_EMBEDDING_MODEL: 'fake-embedder' };
      const json = await runCommand(statsCommand, { dataDir, json: true, env });
      assert.equal(json.code, 0, json.stderr);
      const counted = JSON.parse(json.stdout) as Stats & { offers: number };
      assert.equal(counted.offers, 0);
      assert.equal(counted.warnings.length, 1, JSON.stringify(counted.warnings));
      assert.match(counted.warnings[0]!, /^no offers are indexed with \S*fake-embedder\S* \(\d+d\), but this data dir holds an index built with another embedder \(offers-local-[^)]+\); set OFFERS_EMBEDDINGS and OFFERS_EMBEDDING_MODEL back/);
      const text = await runCommand(statsCommand, { dataDir, env });
      assert.match(text.stdout, /\nwarning: no offers are indexed with /);
    } finally {
      await fake.close();
    }
  });
});
