import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { diffOfferStates, totalChanges } from '../../src/records/change-report.ts';
import { renderChangeReport } from '../../src/report/change-report.ts';
import type { OfferState } from '../../src/records/record-store.ts';

const state = (offerId: string, role: string, status: OfferState['status'], contentHash = 'h1'): OfferState => ({ offerId, role, status, contentHash });

describe('change report', () => {
  const before = [
    state('same', 'SRE', 'active'),
    state('edited', 'SRE', 'active'),
    state('gone', 'DevOps Engineer', 'active'),
    state('old-history', 'DevOps Engineer', 'removed'),
    state('back', 'SRE', 'removed'),
    state('lapsing', 'SRE', 'active'),
    state('relabelled', 'SRE', 'active'),
  ];
  const after = [
    state('same', 'SRE', 'active'),
    state('edited', 'SRE', 'active', 'h2'),
    state('gone', 'DevOps Engineer', 'removed'),
    state('old-history', 'DevOps Engineer', 'removed'),
    state('back', 'SRE', 'active'),
    state('lapsing', 'SRE', 'expired'),
    state('relabelled', 'Platform Engineer', 'active'),
    state('fresh', 'DevOps Engineer', 'active'),
    state('repost', 'DevOps Engineer', 'duplicate'),
  ];

  it('classifies each offer by what the record said before and after, per role', () => {
    assert.deepEqual(diffOfferStates(before, after), {
      SRE: { new: 1, changed: 1, removed: 0, expired: 1, unchanged: 1, duplicates: 0 },
      'DevOps Engineer': { new: 1, changed: 0, removed: 1, expired: 0, unchanged: 0, duplicates: 1 },
      'Platform Engineer': { new: 0, changed: 1, removed: 0, expired: 0, unchanged: 0, duplicates: 0 },
    });
  });

  it('leaves out history that did not move (an offer removed in an earlier run)', () => {
    const report = diffOfferStates([state('x', 'SRE', 'removed')], [state('x', 'SRE', 'removed')]);
    assert.deepEqual(report, {});
  });

  it('renders roles with changes first, then the totals', () => {
    const report = diffOfferStates(before, after);
    const lines = renderChangeReport(report).split('\n');
    assert.match(lines[0]!, /^role\s+new\s+changed\s+removed\s+expired\s+unchanged\s+duplicates$/);
    assert.match(lines.at(-1)!, /^total\s+2\s+2\s+1\s+1\s+1\s+1$/);
    assert.deepEqual(totalChanges(report), { new: 2, changed: 2, removed: 1, expired: 1, unchanged: 1, duplicates: 1 });
    assert.equal(lines.length, 5);
  });
});
