import type { IndexStats } from '../index-stats.ts';

/** `offers stats` for people: the counts, the families outside the catalogue, warnings, the check's findings. */
export function renderStats(s: IndexStats): string {
  const lines = [`${s.offers} offers, ${s.chunks} chunks (store holds ${s.storeChunks ?? 'nothing it can read'}) in ${s.store}, embedder ${s.embedder}`, `record: ${s.record}`];
  lines.push('', 'role                               offers  chunks');
  for (const [role, r] of Object.entries(s.roles).sort((a, b) => b[1].offers - a[1].offers)) {
    lines.push(`${role.padEnd(34)} ${String(r.offers).padStart(6)}  ${String(r.chunks).padStart(6)}`);
  }
  const outside = s.families.filter((f) => f.roles.every((role) => role === 'Other'));
  if (outside.length > 0) {
    lines.push('', 'title families outside the catalogue  offers');
    for (const f of outside.slice(0, 40)) lines.push(`${f.label.padEnd(37)} ${String(f.offers).padStart(6)}`);
    if (outside.length > 40) lines.push(`… and ${outside.length - 40} more (offers stats --json lists them all)`);
  }
  lines.push('', `languages: ${Object.entries(s.languages).map(([k, v]) => `${k} ${v}`).join(', ')}`);
  lines.push(`sources: ${s.sources.files} files (${s.sources.failed} failed)`);
  lines.push(`not counted: ${s.duplicates} reposted duplicates, ${s.removed} removed, ${s.expired} expired`);
  for (const warning of s.warnings) lines.push('', `warning: ${warning}`);
  if (s.check) {
    const { check } = s;
    lines.push('', `check: ${check.consistent ? 'the store holds exactly the recorded chunks' : `${check.missing} recorded chunks missing from the store, ${check.extra} stored chunks the record does not list`} (record ${check.recordChunks}, store ${check.storeChunks})`);
    for (const id of check.missingIds) lines.push(`  missing: ${id}`);
    for (const id of check.extraIds) lines.push(`  extra:   ${id}`);
    if (check.repaired) lines.push(`repaired: ${check.repaired.reembedded} chunks embedded again from the record, ${check.repaired.deleted} strays deleted${check.repaired.unrepairable ? `, ${check.repaired.unrepairable} lost with their text` : ''}`);
  }
  if (s.history) {
    lines.push('', 'history (--include-removed)        removed  expired  duplicates');
    for (const [role, h] of Object.entries(s.history).sort((a, b) => a[0].localeCompare(b[0]))) {
      lines.push(`${role.padEnd(34)} ${String(h.removed).padStart(7)}  ${String(h.expired).padStart(7)}  ${String(h.duplicates).padStart(10)}`);
    }
  }
  return lines.join('\n');
}
