/**
 * The shape of a re-index's change report, types only: the record's history stores it
 * (reindex-history.ts, which the record store opens) and change-report.ts computes it from the
 * record's offer states, so neither imports the other through the record store.
 */

export interface RoleChanges {
  /** Offers indexed now and not before (first seen, or back after being removed or expired). */
  new: number;
  /** Indexed before and after, with another content. */
  changed: number;
  /** Indexed before, gone from their source now (kept in the record's history). */
  removed: number;
  expired: number;
  /** Indexed before and after, with the same content. */
  unchanged: number;
  /** Newly recorded as reposts of an indexed offer (not indexed, not counted). */
  duplicates: number;
}

export type ChangeReport = Record<string, RoleChanges>;
