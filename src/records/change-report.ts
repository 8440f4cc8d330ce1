import type { ChangeReport, RoleChanges } from './change-types.ts';
import type { OfferState } from './record-store.ts';

/**
 * The per-role change report of a re-index: what the record says before and after the run,
 * compared offer by offer. Pure, so that it can't disagree with the record it is computed from.
 * src/report/change-report.ts renders it.
 */

/** The kinds of change, in the order the report lists them. */
export const CHANGE_KINDS = ['new', 'changed', 'removed', 'expired', 'unchanged', 'duplicates'] as const;

export function diffOfferStates(before: readonly OfferState[], after: readonly OfferState[]): ChangeReport {
  const previous = new Map(before.map((s) => [s.offerId, s]));
  const report: ChangeReport = {};
  for (const now of after) {
    const kind = classify(previous.get(now.offerId), now);
    if (!kind) continue;
    const role = (report[now.role] ??= { new: 0, changed: 0, removed: 0, expired: 0, unchanged: 0, duplicates: 0 });
    role[kind]++;
  }
  return report;
}

function classify(was: OfferState | undefined, now: OfferState): keyof RoleChanges | undefined {
  const wasIndexed = was?.status === 'active';
  switch (now.status) {
    case 'active':
      if (!wasIndexed) return 'new';
      return was.contentHash === now.contentHash && was.role === now.role ? 'unchanged' : 'changed';
    case 'removed':
      return was && was.status !== 'removed' && was.status !== 'expired' ? 'removed' : undefined;
    case 'expired':
      return was?.status === 'expired' ? undefined : 'expired';
    case 'duplicate':
      return was?.status === 'duplicate' ? undefined : 'duplicates';
  }
}

export function totalChanges(report: ChangeReport): RoleChanges {
  const total: RoleChanges = { new: 0, changed: 0, removed: 0, expired: 0, unchanged: 0, duplicates: 0 };
  for (const role of Object.values(report)) for (const kind of CHANGE_KINDS) total[kind] += role[kind];
  return total;
}
