import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { planOffer } from '../../ingest/plan.ts';
import type { Offer } from '../../src/types.ts';

const NOW = new Date('2026-06-01T00:00:00Z');

function offer(fields: Partial<Offer> = {}): Offer {
  const text = 'Missions\nTend forty hives through the season.\nRequirements\nTwo years with bees.';
  return {
    offerId: 'apiary-1',
    source: 'apiary-1.md',
    title: 'Beekeeper',
    company: 'Meadow Apiaries',
    location: '',
    role: 'Other',
    language: 'en',
    contentHash: 'hash-1',
    text,
    sections: [
      { kind: 'missions', text: 'Tend forty hives through the season.' },
      { kind: 'requirements', text: 'Two years with bees.' },
    ],
    ...fields,
  } as Offer;
}

const nobody = () => undefined;

describe('planOffer', () => {
  it('expires an offer whose validThrough is past, before anything else', () => {
    assert.deepEqual(planOffer(offer({ validThrough: '2026-05-31' }), { contentHash: 'hash-1', status: 'active' }, nobody, NOW), { action: 'expire' });
  });

  it('leaves an offer the record holds with the same content, indexed or as a repost', () => {
    for (const status of ['active', 'duplicate'] as const) {
      assert.deepEqual(planOffer(offer(), { contentHash: 'hash-1', status }, nobody, NOW), { action: 'unchanged' });
    }
  });

  it('writes a new offer, a changed one, and one coming back after removal', () => {
    for (const existing of [undefined, { contentHash: 'hash-0', status: 'active' as const }, { contentHash: 'hash-1', status: 'removed' as const }]) {
      const plan = planOffer(offer({ validThrough: '2026-07-01' }), existing, nobody, NOW);
      assert.equal(plan.action, 'write');
      assert.ok(plan.action === 'write' && plan.signature.bandKeys.length > 0);
    }
  });

  it('records a repost of the offer the signature finds, never of itself', () => {
    const plan = planOffer(offer(), undefined, () => 'apiary-0', NOW);
    assert.equal(plan.action, 'duplicate');
    assert.ok(plan.action === 'duplicate' && plan.of === 'apiary-0');
    assert.equal(planOffer(offer(), undefined, () => 'apiary-1', NOW).action, 'write');
  });
});
