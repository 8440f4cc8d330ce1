import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LocalEmbedder } from '../../src/embed/local-embedder.ts';
import { maximalMarginalRelevance, reciprocalRankFusion } from '../../src/query/rank.ts';
import { SqliteRecordStore } from '../../src/records/sqlite-record-store.ts';
import { planVectorSearch, retrieveThemeEvidence, type PlanLimits, type ThemeQuery } from '../../src/query/retrieve.ts';
import { MemoryStore } from '../../src/store/memory-store.ts';
import type { Evidence } from '../../src/query/types.ts';
import { scratchDir } from '../helpers/cli.ts';
import { offerRecord } from '../helpers/offer-record.ts';

describe('reciprocalRankFusion', () => {
  it('rewards agreement between rankings over a single top place', () => {
    const fused = reciprocalRankFusion([
      ['a', 'b', 'c'],
      ['d', 'b', 'c'],
    ]);
    assert.equal(fused[0]!.id, 'b');
    assert.deepEqual(new Set(fused.map((f) => f.id)), new Set(['a', 'b', 'c', 'd']));
  });
});

describe('maximalMarginalRelevance', () => {
  it('skips a near duplicate of what is already picked', () => {
    const picked = maximalMarginalRelevance(
      [
        { id: 'a', relevance: 1, terms: new Set(['terraform', 'modul', 'review']) },
        { id: 'a-copy', relevance: 0.95, terms: new Set(['terraform', 'modul', 'review', 'daili']) },
        { id: 'b', relevance: 0.8, terms: new Set(['ansibl', 'playbook']) },
      ],
      2,
    );
    assert.deepEqual(picked, ['a', 'b']);
  });

  it('with λ = 1 is plain relevance order', () => {
    const picked = maximalMarginalRelevance(
      [
        { id: 'a', relevance: 3, terms: new Set(['same']) },
        { id: 'b', relevance: 2, terms: new Set(['same']) },
        { id: 'c', relevance: 1, terms: new Set() },
      ],
      3,
      1,
    );
    assert.deepEqual(picked, ['a', 'b', 'c']);
  });
});

describe('retrieveThemeEvidence (hybrid, in-memory store)', () => {
  const embedder = new LocalEmbedder({ dimension: 128 });
  interface TestChunk {
    id: string;
    offerId: string;
    role: string;
    text: string;
    themes: string[];
  }
  const chunk = (id: string, offerId: string, role: string, text: string, themes = ['terraform']): TestChunk => ({ id, offerId, role, text, themes });
  const records = [
    chunk('o1:1', 'o1', 'DevOps Engineer', 'Write Terraform modules and review them.'),
    chunk('o1:2', 'o1', 'DevOps Engineer', 'Terraform modules for our Terraform estate, Terraform everywhere.'),
    chunk('o2:1', 'o2', 'DevOps Engineer', 'Terraform modules written with care for every environment.'),
    chunk('o3:1', 'o3', 'DevOps Engineer', 'Terraform modules written with care for every environment!'),
    chunk('o4:1', 'o4', 'DevOps Engineer', 'You know Terraform, Ansible or Pulumi.'),
    chunk('s1:1', 's1', 'SRE', 'Terraform modules, all day long.'),
  ];

  /**
   * Retrieves `queries` from an in-memory store (vectors and filters, as the pipeline writes
   * them) and a record holding the offers and their chunks.
   */
  async function retrieve(
    chunks: readonly TestChunk[],
    queries: ThemeQuery[],
    limits?: PlanLimits,
    options: { k?: number; unlisted?: ReadonlySet<string> } = {},
  ): Promise<Evidence[][]> {
    const store = new MemoryStore({ embedderId: embedder.id, dimension: embedder.dimension });
    const embeddings = await embedder.embedDocuments(chunks.map((c) => c.text));
    await store.upsert(chunks.map((c, i) => ({ id: c.id, embedding: embeddings[i]!, metadata: { offerId: c.offerId, role: c.role, section: 'requirements' } })));
    const scratch = await scratchDir();
    const record = SqliteRecordStore.open(scratch.dir, 'test');
    try {
      for (const c of chunks) {
        const chunkIds = chunks.filter((other) => other.offerId === c.offerId).map((other) => other.id);
        record.putOffer(offerRecord({ offerId: c.offerId, role: c.role, chunkIds, title: `${c.role} at ${c.offerId}`, company: c.offerId }));
      }
      record.lexical.insert(chunks.map((c) => ({ ...c, section: 'requirements' })));
      // Chunks the record proposes but no longer describes, as when an ingest replaces them meanwhile.
      const describe = record.lexical.describe.bind(record.lexical);
      record.lexical.describe = (ids) => new Map([...describe(ids)].filter(([id]) => !options.unlisted?.has(id)));
      return await retrieveThemeEvidence(store, embedder, record, queries, { role: 'DevOps Engineer', sections: ['requirements'], k: options.k ?? 3, ...(limits ? { limits } : {}) });
    } finally {
      record.close();
      await scratch.cleanup();
    }
  }

  it('keeps to the role, one chunk per offer, and puts a reposted wording last', async () => {
    const [found] = await retrieve(records, [{ theme: 'terraform', text: 'Terraform modules' }]);
    checkFound(found!);
    assert.deepEqual(
      found!.map((e) => [e.title, e.company, e.source]),
      found!.map((e) => [`${e.role} at ${e.offerId}`, e.offerId, `${e.offerId}.md`]),
      'what evidence shows of its offer comes from the record',
    );
  });

  it('answers several themes from one vector query, each list keeping to its theme', async () => {
    const [terraform, ansibleFound] = await retrieve(
      [
        ...records,
        chunk('o5:1', 'o5', 'DevOps Engineer', 'Ansible playbooks and Terraform modules alike.', ['ansible']),
        chunk('o6:1', 'o6', 'DevOps Engineer', 'Ansible roles for the fleet.', ['ansible']),
      ],
      [
        { theme: 'terraform', text: 'Terraform modules' },
        { theme: 'ansible', text: 'Ansible playbooks' },
      ],
    );
    checkFound(terraform!);
    assert.ok(terraform!.every((e) => e.themes.includes('terraform')), 'an Ansible chunk that mentions Terraform is not Terraform evidence');
    assert.deepEqual(ansibleFound!.map((e) => e.chunkId).sort(), ['o5:1', 'o6:1']);
  });

  // The same small index read both ways the planner chooses between: lowering its threshold
  // makes this 8-chunk index "large".
  it('finds the same evidence with the candidates plan as with the filtered query', async () => {
    const more = [
      ...records,
      chunk('o5:1', 'o5', 'DevOps Engineer', 'Ansible playbooks and Terraform modules alike.', ['ansible', 'terraform']),
      chunk('s2:1', 's2', 'SRE', 'Ansible playbooks, nothing but Ansible playbooks.', ['ansible']),
    ];
    const queries = [{ theme: 'terraform', text: 'Terraform modules' }, { theme: 'ansible', text: 'Ansible playbooks' }];
    const ids = (found: Evidence[][]) => found.map((list) => list.map((e) => e.chunkId));
    const candidates = await retrieve(more, queries, { filteredUpToChunks: 0 });
    assert.deepEqual(ids(candidates), ids(await retrieve(more, queries)));
    assert.deepEqual(ids(candidates)[1], ['o5:1'], 'the SRE chunks are out of scope');
  });

  it('reads further down the candidates past chunks the record no longer lists, as the filtered query does', async () => {
    // k 1 reads the first 4 candidates of each ranking; all but one weak match are hidden, and
    // there are more strong ones than both rankings' first 4, so it is found only by reading on.
    const strong = Array.from({ length: 12 }, (_, i) => chunk(`t${i}:1`, `t${i}`, 'DevOps Engineer', `Terraform modules, Terraform module review ${i}.`));
    const weak = chunk('w:1', 'w', 'DevOps Engineer', 'Among many other duties you will now and then touch Terraform, with a long list of unrelated tools and practices.');
    const many = [...strong, weak];
    const unlisted = new Set(strong.map((c) => c.id));
    const queries = [{ theme: 'terraform', text: 'Terraform modules' }];
    const ids = (found: Evidence[][]) => found[0]!.map((e) => e.chunkId);
    const candidates = ids(await retrieve(many, queries, { filteredUpToChunks: 0 }, { k: 1, unlisted }));
    assert.deepEqual(candidates, ['w:1']);
    assert.deepEqual(candidates, ids(await retrieve(many, queries, undefined, { k: 1, unlisted })));
  });
});

describe('planVectorSearch', () => {
  const limits = { filteredUpToChunks: 20_000 };
  it('filters on a small index', () => {
    assert.deepEqual(planVectorSearch({ chunks: 20_000 }, 96, limits), { kind: 'filtered', k: 96 });
  });
  it("ranks the record's candidates on a larger one, as many as the evidence wants whatever its size", () => {
    assert.deepEqual(planVectorSearch({ chunks: 20_001 }, 96, limits), { kind: 'candidates', k: 96 });
    assert.deepEqual(planVectorSearch({ chunks: 500_000 }, 96, limits), { kind: 'candidates', k: 96 });
  });
});

function checkFound(found: Evidence[]): void {
  assert.equal(found.length, 3);
  assert.ok(found.every((e) => e.role === 'DevOps Engineer'));
    assert.equal(new Set(found.map((e) => e.offerId)).size, 3, 'at most one chunk per offer');
    const copies = found.filter((e) => e.offerId === 'o2' || e.offerId === 'o3');
    assert.equal(copies.length, 1, `MMR keeps one of two near-identical chunks: ${found.map((e) => e.chunkId).join(', ')}`);
}
