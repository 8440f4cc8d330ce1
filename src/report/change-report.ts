import { CHANGE_KINDS, totalChanges } from '../records/change-report.ts';
import type { ChangeReport, RoleChanges } from '../records/change-types.ts';

/** A table for people: one line per role with any offer, busiest first, then the totals. */
export function renderChangeReport(report: ChangeReport): string {
  const rows = Object.entries(report).sort((a, b) => activity(b[1]) - activity(a[1]) || a[0].localeCompare(b[0]));
  const width = Math.max(4, ...rows.map(([role]) => role.length));
  const line = (label: string, c: RoleChanges) => `${label.padEnd(width)} ${CHANGE_KINDS.map((k) => String(c[k]).padStart(k.length)).join('  ')}`;
  return [`${'role'.padEnd(width)} ${CHANGE_KINDS.join('  ')}`, ...rows.map(([role, c]) => line(role, c)), line('total', totalChanges(report))].join('\n');
}

/** Roles with changes sort before roles that only have unchanged offers. */
function activity(c: RoleChanges): number {
  return (c.new + c.changed + c.removed + c.expired + c.duplicates) * 1e6 + c.unchanged;
}
