import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LocalEmbedder } from '../../src/embed/local-embedder.ts';
import { maximalMarginalRelevance, reciprocalRankFusion } from '../../src/query/rank.ts';
import { RecordStore } from '../../src/records/record-store.ts';
import { retrieveThemeEvidence, type ThemeQuery } from '../../src/query/retrieve.ts';
import { MemoryStore } from '../../src/store/memory-store.ts';
import type { Evidence } from '../../src/query/types.ts';
import { scratchDir } from '../helpers/cli.ts';

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
        { id: 'a', relevance: 1, embedding: [1, 0] },
        { id: 'a-copy', relevance: 0.95, embedding: [1, 0.01] },
        { id: 'b', relevance: 0.8, embedding: [0, 1] },
      ],
      2,
    );
    assert.deepEqual(picked, ['a', 'b']);
  });

  it('with λ = 1 is plain relevance order', () => {
    const picked = maximalMarginalRelevance(
      [
        { id: 'a', relevance: 3, embedding: [1, 0] },
        { id: 'b', relevance: 2, embedding: [1, 0] },
        { id: 'c', relevance: 1 },
      ],
      3,
      1,
    );
    assert.deepEqual(picked, ['a', 'b', 'c']);
  });
});

describe('retrieveThemeEvidence (hybrid, in-memory store)', () => {
  const embedder = new LocalEmbedder({ dimension: 128 });
  const chunk = (id: string, offerId: string, role: string, text: string) => ({
    id,
    document: text,
    metadata: { offerId, role, section: 'requirements', title: `${role} at ${offerId}`, company: offerId, source: `${offerId}.md`, t_terraform: true },
  });
  const records = [
    chunk('o1:1', 'o1', 'DevOps Engineer', 'Write Terraform modules and review them.'),
    chunk('o1:2', 'o1', 'DevOps Engineer', 'Terraform modules for our Terraform estate, Terraform everywhere.'),
    chunk('o2:1', 'o2', 'DevOps Engineer', 'Terraform modules written with care for every environment.'),
    chunk('o3:1', 'o3', 'DevOps Engineer', 'Terraform modules written with care for every environment!'),
    chunk('o4:1', 'o4', 'DevOps Engineer', 'You know Terraform, Ansible or Pulumi.'),
    chunk('s1:1', 's1', 'SRE', 'Terraform modules, all day long.'),
  ];

  type Chunk = ReturnType<typeof chunk> | { id: string; document: string; metadata: Omit<ReturnType<typeof chunk>['metadata'], 't_terraform'> & { t_ansible: true } };
  /** Retrieves `queries` from an in-memory store and lexical index holding `chunks`. */
  async function retrieve(chunks: readonly Chunk[], queries: ThemeQuery[]): Promise<Evidence[][]> {
    const store = new MemoryStore({ embedderId: embedder.id, dimension: embedder.dimension });
    const embeddings = await embedder.embedDocuments(chunks.map((r) => r.document));
    await store.upsert(chunks.map((r, i) => ({ ...r, embedding: embeddings[i]! })));
    const scratch = await scratchDir();
    const record = RecordStore.open(scratch.dir, 'test');
    try {
      record.lexical.insert(
        chunks.map((r) => ({ id: r.id, offerId: r.metadata.offerId, role: r.metadata.role, section: 'requirements', themes: 't_ansible' in r.metadata ? ['ansible'] : ['terraform'], text: r.document })),
      );
      return await retrieveThemeEvidence(store, embedder, record.lexical, queries, { role: 'DevOps Engineer', sections: ['requirements'], k: 3 });
    } finally {
      record.close();
      await scratch.cleanup();
    }
  }

  it('keeps to the role, one chunk per offer, and puts a reposted wording last', async () => {
    const [found] = await retrieve(records, [{ theme: 'terraform', text: 'Terraform modules' }]);
    checkFound(found!);
  });

  it('answers several themes from one vector query, each list keeping to its theme', async () => {
    const ansible = (id: string, offerId: string, text: string): Chunk => {
      const { t_terraform: _, ...metadata } = chunk(id, offerId, 'DevOps Engineer', text).metadata;
      return { id, document: text, metadata: { ...metadata, t_ansible: true } };
    };
    const [terraform, ansibleFound] = await retrieve(
      [...records, ansible('o5:1', 'o5', 'Ansible playbooks and Terraform modules alike.'), ansible('o6:1', 'o6', 'Ansible roles for the fleet.')],
      [
        { theme: 'terraform', text: 'Terraform modules' },
        { theme: 'ansible', text: 'Ansible playbooks' },
      ],
    );
    checkFound(terraform!);
    assert.ok(terraform!.every((e) => e.themes.includes('terraform')), 'an Ansible chunk that mentions Terraform is not Terraform evidence');
    assert.deepEqual(ansibleFound!.map((e) => e.chunkId).sort(), ['o5:1', 'o6:1']);
  });
});

function checkFound(found: Evidence[]): void {
  assert.equal(found.length, 3);
  assert.ok(found.every((e) => e.role === 'DevOps Engineer'));
    assert.equal(new Set(found.map((e) => e.offerId)).size, 3, 'at most one chunk per offer');
    const copies = found.filter((e) => e.offerId === 'o2' || e.offerId === 'o3');
    assert.equal(copies.length, 1, `MMR keeps one of two near-identical chunks: ${found.map((e) => e.chunkId).join(', ')}`);
}
