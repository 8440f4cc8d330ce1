import type { TitleFamily } from './record-store.ts';

/** One row of the facet rows grouped by family, label and role. */
export interface FamilyRow {
  family: string;
  label: string | null;
  role: string;
  offers: number;
}

/**
 * The title families from the grouped facet rows: offers summed per family, its most common label
 * (ties by byte order), its roles sorted; most offers first, then by family. The same for both
 * record stores, which differ only in how they group.
 */
export function countFamilies(rows: readonly FamilyRow[]): TitleFamily[] {
  const byFamily = new Map<string, { family: string; labels: Map<string, number>; roles: Set<string>; offers: number }>();
  for (const row of rows) {
    const entry = byFamily.get(row.family) ?? { family: row.family, labels: new Map(), roles: new Set(), offers: 0 };
    byFamily.set(row.family, entry);
    entry.offers += row.offers;
    entry.roles.add(row.role);
    if (row.label) entry.labels.set(row.label, (entry.labels.get(row.label) ?? 0) + row.offers);
  }
  return [...byFamily.values()]
    .map((entry) => ({
      family: entry.family,
      label: [...entry.labels].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0]?.[0] ?? entry.family,
      offers: entry.offers,
      roles: [...entry.roles].sort(),
    }))
    .sort((a, b) => b.offers - a.offers || (a.family < b.family ? -1 : 1));
}
