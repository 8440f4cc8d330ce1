import assert from 'node:assert/strict';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { ingestSources } from '../../ingest/pipeline.ts';
import { answerQuestion } from '../../src/query/answer-question.ts';
import { FatalError } from '../../src/errors.ts';
import { answered, isRefusal } from '../../src/query/refusal.ts';
import { memoryWorkspace } from '../helpers/memory-workspace.ts';

const DEMO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../data/offers');
const QUESTION = 'Focusing on missions and requirements, what is the difference between SRE and DevOps engineer positions?';

describe('answerQuestion over the demo offers', () => {
  let ws: Awaited<ReturnType<typeof memoryWorkspace>>;
  before(async () => {
    ws = await memoryWorkspace();
    await ingestSources(ws.workspace, [DEMO]);
  });
  after(() => ws.cleanup());

  it('the running totals and the offers agree: the same statistics from the record\'s totals as from a "sample" holding every offer', async () => {
    // `--offers N` with N above every role's size samples every offer, and counts them one by one.
    const whole = answered(await answerQuestion(ws.workspace, { question: QUESTION }));
    const sampled = answered(await answerQuestion(ws.workspace, { question: QUESTION, offers: 1000 }));
    assert.ok(whole.themes.length > 10);
    assert.deepEqual(sampled.themes, whole.themes);
    assert.deepEqual(
      sampled.roles.map((r) => [r.name, r.offers, r.chunks]),
      whole.roles.map((r) => [r.name, r.offers, r.chunks]),
    );
  });

  it('a refusal is a result, not an error: resolves to the refusal of a role that names nothing indexed', async () => {
    const result = await answerQuestion(ws.workspace, { question: 'q', roles: ['SRE', 'Astronaut'] });
    assert.ok(isRefusal(result));
    assert.deepEqual(result.missing.map((m) => [m.role, m.offers, m.unknown]), [['Astronaut', 0, true]]);
  });

  it('a refusal is a result: resolves to the refusal of a group with too few offers, naming its count', async () => {
    const result = await answerQuestion(ws.workspace, { question: 'q', roles: ['SRE', 'DevOps Engineer'], offers: 3 });
    assert.ok(isRefusal(result));
    assert.deepEqual(result.missing.map((m) => [m.role, m.offers]), [['SRE', 3], ['DevOps Engineer', 3]]);
    assert.equal(result.minOffers, 5);
  });

  it('answered() turns a refusal into the run\'s failure, with its hint, and passes an answer through', async () => {
    const refusal = await answerQuestion(ws.workspace, { question: 'q', roles: ['SRE', 'Astronaut'] });
    assert.throws(() => answered(refusal), (error: unknown) => FatalError.isInstance(error) && /Astronaut/.test(error.message) && /indexed roles/.test(error.hint ?? ''));
    const answer = await answerQuestion(ws.workspace, { question: QUESTION });
    assert.equal(answered(answer), answer);
  });
});
