import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CorpusOffer } from '../../eval/corpus-offers.ts';
import { evaluateDuplicates, evaluateRoles, evaluateSections } from '../../eval/understanding.ts';
import { normaliseOffer } from '../../ingest/normalise.ts';
import { parseMarkdown } from '../../ingest/parse/markdown.ts';
import { inferRole, loadRoleCatalog } from '../../src/catalog/roles.ts';

const roles = loadRoleCatalog();

function corpusOffer(path: string, markdown: string, manifest: Record<string, string>): CorpusOffer {
  const raw = parseMarkdown(markdown, path);
  const offer = normaliseOffer(raw, { roles });
  return { path, folder: path.split('/')[0]!, manifest, raw, offer, inference: inferRole({ title: offer.title, text: offer.text }, roles) };
}

const FILE = `# Site Reliability Engineer

## What you'll do
- Run the on-call rotation
- Write postmortems

## Requirements
- Three years with Kubernetes
- Terraform

## Benefits
- Four weeks of holidays`;

describe('understanding eval', () => {
  it('scores sections line by line against labelled ranges', async () => {
    const offer = corpusOffer('remotewlb/sre/a.md', FILE, { label: 'sre' });
    // Lines 3–9 labelled; the "Terraform" line deliberately labelled as a mission: one error.
    const result = await evaluateSections({
      offers: [offer],
      labels: [{ path: 'remotewlb/sre/a.md', ranges: [[3, 5, 'missions'], [7, 8, 'requirements'], [9, 9, 'missions']] }],
      readLines: async () => FILE.split('\n'),
    });
    assert.equal(result.lines, 6);
    const missions = result.perKind.find((k) => k.kind === 'missions')!;
    const requirements = result.perKind.find((k) => k.kind === 'requirements')!;
    assert.deepEqual([missions.precision, missions.recall], [1, 0.75]);
    assert.deepEqual([requirements.precision, requirements.recall], [2 / 3, 1]);
    assert.equal(result.confusion.missions?.requirements, 1);
  });

  it('maps manifest labels to canonical roles, applies corrections and accepts a hybrid title', () => {
    const offers = [
      corpusOffer('remotewlb/sre/a.md', '# Site Reliability Engineer\n\nText.', { label: 'sre' }),
      corpusOffer('remotewlb/sre/b.md', '# Platform Engineer / SRE\n\nText.', { label: 'sre' }),
      corpusOffer('remotewlb/other/c.md', '# Senior Backend Engineer\n\nText.', { label: 'other' }),
      corpusOffer('remotewlb/platform/d.md', '# Kotlin Multiplatform Engineer\n\nText.', { label: 'platform' }),
    ];
    const result = evaluateRoles({ offers, corrections: { 'remotewlb/platform/d.md': { role: 'Other', reason: 'mobile' } } });
    assert.equal(result.offers, 4);
    assert.equal(result.correct, 3);
    assert.equal(result.strictAccuracy, 0.5);
    assert.deepEqual(result.confusions.map((c) => c.path), ['remotewlb/other/c.md']);
  });

  it('clusters reposts and measures precision from judged pairs', () => {
    const body = '## Responsibilities\n- Run the on-call rotation for the payments platform and lead incident reviews\n- Define service level objectives and track error budgets with product teams\n\n## Requirements\n- Five years operating Linux services in production at scale';
    const offers = [
      corpusOffer('remotewlb/sre/a.md', `# [SRE](https://x.example/a)\n### Harbourline\n#### Berlin\n\n${body}`, { label: 'sre' }),
      corpusOffer('remotewlb/sre/b.md', `# [SRE](https://x.example/b)\n### Harbourline\n#### Lisbon\n\n${body}`, { label: 'sre' }),
      corpusOffer('remotewlb/sre/c.md', '# [SRE](https://x.example/c)\n### Harbourline\n#### Porto\n\n## Responsibilities\n- Answer the phone at the front desk', { label: 'sre' }),
    ];
    const result = evaluateDuplicates({ offers, judgements: [{ a: 'remotewlb/sre/a.md', b: 'remotewlb/sre/b.md', sample: 'clustered', verdict: 'same' }] });
    assert.equal(result.clusters, 1);
    assert.equal(result.distinctJobs, 2);
    assert.deepEqual(result.sameTitleCompanyPairs, { clustered: 1, unclustered: 2 });
    assert.equal(result.precision?.value, 1);
  });
});
