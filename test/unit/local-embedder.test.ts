import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LocalEmbedder } from '../../src/embed/local-embedder.ts';
import { stem, tokenize } from '../../src/embed/tokenize.ts';

const cosine = (a: number[], b: number[]) => a.reduce((sum, x, i) => sum + x * b[i]!, 0);

describe('tokenize', () => {
  it('folds case and accents, drops stop words, keeps tool names whole', () => {
    assert.deepEqual(tokenize('Vous gérerez la CI/CD et Node.js, C++ et C#'), ['gererez', 'ci/cd', 'node.js', 'c++', 'c#']);
  });

  it('stems inflections together but leaves short words alone', () => {
    assert.equal(stem('deployments'), stem('deployment'));
    assert.equal(stem('deploying'), 'deploy');
    assert.equal(stem('policies'), 'policy');
    assert.equal(stem('aws'), 'aws');
    assert.equal(stem('k8s'), 'k8s');
  });
});

describe('LocalEmbedder', () => {
  const embedder = new LocalEmbedder();

  it('is deterministic and unit length', async () => {
    const [a] = await embedder.embedDocuments(['Run Kubernetes clusters on call']);
    const b = await embedder.embedQuery('Run Kubernetes clusters on call');
    assert.deepEqual(a, b);
    assert.equal(a!.length, 512);
    assert.ok(Math.abs(cosine(a!, a!) - 1) < 1e-9);
  });

  it('ranks a related text above an unrelated one', () => {
    const query = embedder.embed('error budgets and SLOs for production services');
    const related = embedder.embed('You will define SLOs and track error budgets with product teams.');
    const unrelated = embedder.embed('We offer a generous parental leave and a learning budget.');
    assert.ok(cosine(query, related) > cosine(query, unrelated) + 0.1);
  });

  it('gives aliases a shared direction through concepts', () => {
    const concepts = (text: string) => (/\b(k8s|kubernetes)\b/i.test(text) ? ['kubernetes'] : []);
    const withConcepts = new LocalEmbedder({ concepts });
    const plain = cosine(embedder.embed('experience with k8s'), embedder.embed('kubernetes clusters'));
    const conceptual = cosine(withConcepts.embed('experience with k8s'), withConcepts.embed('kubernetes clusters'));
    assert.ok(conceptual > plain + 0.2, `${conceptual} vs ${plain}`);
    assert.notEqual(withConcepts.id, embedder.id, 'another recipe must be another embedding space');
  });

  it('embeds an empty text as a zero vector instead of NaN', () => {
    assert.ok(embedder.embed('').every((x) => x === 0));
  });
});
