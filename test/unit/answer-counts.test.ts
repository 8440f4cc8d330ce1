import assert from 'node:assert/strict';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { ingestSources } from '../../ingest/pipeline.ts';
import { answerQuestion } from '../../src/query/answer-question.ts';
import { memoryWorkspace } from '../helpers/memory-workspace.ts';

const DEMO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../data/offers');
const QUESTION = 'Focusing on missions and requirements, what is the difference between SRE and DevOps engineer positions?';

describe('answerQuestion: the running totals and the offers agree', () => {
  let ws: Awaited<ReturnType<typeof memoryWorkspace>>;
  before(async () => {
    ws = await memoryWorkspace();
    await ingestSources(ws.workspace, [DEMO]);
  });
  after(() => ws.cleanup());

  it('gives the same statistics from the record\'s totals as from a "sample" holding every offer', async () => {
    // `--offers N` with N above every role's size samples every offer, and counts them one by one.
    const whole = await answerQuestion(ws.workspace, { question: QUESTION });
    const sampled = await answerQuestion(ws.workspace, { question: QUESTION, offers: 1000 });
    assert.ok(whole.themes.length > 10);
    assert.deepEqual(sampled.themes, whole.themes);
    assert.deepEqual(
      sampled.roles.map((r) => [r.name, r.offers, r.chunks]),
      whole.roles.map((r) => [r.name, r.offers, r.chunks]),
    );
  });
});
