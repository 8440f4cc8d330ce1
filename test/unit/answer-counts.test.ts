import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { ingestSources } from '../../ingest/pipeline.ts';
import { answerQuestion } from '../../src/query/answer-question.ts';
import { FatalError } from '../../src/errors.ts';
import { answered, isRefusal } from '../../src/query/refusal.ts';
import { memoryWorkspace } from '../helpers/memory-workspace.ts';
import { createRandom, sample, shuffle } from '../../src/util/random.ts';

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

  it('quotes a phrase distinctive in two aspects from each aspect\'s own sections', async () => {
    // Written for this test: two trades, the saddlers saying the same line in their missions and
    // in their requirements, each offer drawing its other lines from its trade's pool (seeded).
    const trades = {
      Saddler: {
        both: ['Hand stitching with waxed linen thread.', 'Hand stitching with waxed linen thread.'],
        missions: ['Cut leather panels for bridles and girths to measure.', 'Dye and burnish straps by hand for a fine finish.', 'Restore antique harness for museums and collectors.', 'Rivet buckles and fittings onto working straps.', 'Keep the leather store sorted by hide and weight.', 'Quote repairs to riding schools and yards.'],
        requirements: ['Fast and even stitching at a steady pace.', 'A good eye for the grain and stretch of leather.', 'Patience for slow and exact bench work.', 'A driving licence to visit yards across the county.', 'Care with sharp round knives and awls.', 'Knowledge of bridle and harness patterns.'],
      },
      Upholsterer: {
        both: ['Reupholster armchairs and sofas for clients of the showroom.', 'You have stuffed seats with horsehair and cotton wadding before.'],
        missions: ['Strip old fabric and springs from antique frames.', 'Tie coil springs by hand in the traditional way.', 'Cut and pattern-match fabric for headboards.', 'Fit foam and webbing to new dining chairs.', 'Advise clients on fabrics and fire rules.', 'Deliver and fit cushions for hotels and bars.'],
        requirements: ['Machine sewing of heavy fabrics and velvets.', 'A steady hand with the staple gun and tack hammer.', 'An eye for pattern and colour matching.', 'Strength to lift and turn sofa frames.', 'Knowledge of foam grades and fire safety rules.', 'Care with upholstery needles and shears.'],
      },
    };
    const random = createRandom('two-aspects');
    const { workspace, cleanup } = await memoryWorkspace();
    const dir = await mkdtemp(path.join(tmpdir(), 'offers-two-aspects-'));
    try {
      for (const [trade, lines] of Object.entries(trades)) {
        for (let i = 0; i < 25; i++) {
          const missions = [lines.both[0]!, ...sample(lines.missions, 3, random)];
          const requirements = [lines.both[1]!, ...sample(lines.requirements, 3, random)];
          const list = (items: string[]) => shuffle(items, random).map((line) => `- ${line}`).join('\n');
          await writeFile(path.join(dir, `${trade}-${i}.md`), `# ${trade}\n\n## Missions\n\n${list(missions)}\n\n## Requirements\n\n${list(requirements)}\n`);
        }
      }
      await ingestSources(workspace, [dir]);
      const answer = answered(await answerQuestion(workspace, { question: 'Focusing on missions and requirements, what is the difference between a saddler and an upholsterer?' }));
      const aspects = answer.themes.filter((t) => t.theme === 'phrase:stitching with waxed').map((t) => t.aspect).sort();
      assert.deepEqual(aspects, ['missions', 'requirements'], 'the phrase is distinctive in both aspects');
      for (const aspect of ['missions', 'requirements']) {
        const cited = answer.claims.some((c) => /stitching with waxed/i.test(c.text) && answer.citations.some((q) => c.citations.includes(q.id) && q.section === aspect));
        assert.ok(cited, `a cited point in ${aspect}: ${answer.warnings.join(' | ')}`);
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
      await cleanup();
    }
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
