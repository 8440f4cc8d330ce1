import path from 'node:path';
import Database from 'better-sqlite3';
import type { OfferRecord, OfferStatus } from '../../src/records/record-store.ts';
import { SECTION_KINDS, type Offer, type SectionKind } from '../../src/types.ts';
import { randomIndex, type Random } from '../../src/util/random.ts';

/**
 * An offer record as the record store holds it, with only what a test sets: an active offer
 * of `role` whose offer JSON has a title and a company, seen on one fixed day.
 */
export function offerRecord(fields: Pick<OfferRecord, 'offerId' | 'role'> & Partial<OfferRecord> & { title?: string; company?: string }): OfferRecord {
  const { title, company, ...record } = fields;
  return {
    source: `${fields.offerId}.md`,
    contentHash: fields.offerId,
    fingerprint: '',
    status: 'active',
    chunkIds: [],
    offer: { title: title ?? fields.role, company: company ?? 'Acme' } as Offer,
    themesBySection: {},
    firstSeen: '2026-01-01',
    lastSeen: '2026-01-01',
    lastChanged: '2026-01-01',
    ...record,
  };
}

/**
 * Runs raw SQL on a record file, as an older version (or a hand edit) would have left it. A record
 * of a version before schema versions were recorded has `user_version` 0: say so in the SQL
 * (`PRAGMA user_version = 0`) to have the next opening upgrade it (src/records/migrations.ts).
 */
export function alterRecordFile(dataDir: string, collection: string, sql: string): void {
  const db = new Database(path.join(dataDir, 'index', `${collection}.sqlite`));
  try {
    db.exec(sql);
  } finally {
    db.close();
  }
}

/** Offers to browse and search (`searchOffers`): two roles and Other, two languages, accents, one undated. */
export const LISTED_OFFERS = [
  { id: 'o01', role: 'SRE', title: 'Site Reliability Engineer', company: 'Ferngrove Labs', language: 'en', datePosted: '2024-03-04', text: 'Run Kubernetes clusters and own the SLOs.' },
  { id: 'o02', role: 'SRE', title: 'Ingénieur·e SRE', company: 'Bâtisseurs Réunis', language: 'fr', datePosted: '2024-04-10', text: 'Gérer la fiabilité des services et les astreintes.' },
  { id: 'o03', role: 'DevOps Engineer', title: 'DevOps Engineer', company: 'Ferngrove Labs', language: 'en', datePosted: '2024-03-20', text: 'Build CI/CD pipelines with GitLab.' },
  { id: 'o04', role: 'DevOps Engineer', title: 'DevOps Engineer', company: 'Quietwater', language: 'en', text: 'Terraform modules and kubernetes upgrades.' },
  { id: 'o05', role: 'Other', title: 'Barista', company: 'Ferngrove Café', language: 'en', datePosted: '2024-03-01', text: 'Pull espresso shots.' },
];

export type ListedOffer = (typeof LISTED_OFFERS)[number];

/** The record of a listed offer, its source `<id>.md`. */
export function listedOfferRecord(listed: ListedOffer, status: OfferStatus = 'active'): OfferRecord {
  const { id, ...offer } = listed;
  return { ...offerRecord({ offerId: id, role: listed.role, status }), offer: { offerId: id, sections: [], source: `${id}.md`, contentHash: id, ...offer } as Offer };
}

/** The roles of randomOfferRecord. */
export const RANDOM_ROLES = ['SRE', 'DevOps Engineer', 'Platform Engineer'];
const RANDOM_STATUSES: OfferStatus[] = ['active', 'active', 'active', 'duplicate', 'removed'];
const RANDOM_THEMES = ['k8s', 'terraform', 'slo', 'oncall', 'python'];

/** A random offer `o<id>` of one of RANDOM_ROLES, mostly active, with random themes per section and 1 to 4 chunks. */
export function randomOfferRecord(random: Random, id: number): OfferRecord {
  const themesBySection: Partial<Record<SectionKind, string[]>> = {};
  for (const section of SECTION_KINDS) {
    const themes = RANDOM_THEMES.filter(() => random() < 0.3);
    if (themes.length > 0) themesBySection[section] = themes;
  }
  return offerRecord({
    offerId: `o${id}`,
    role: RANDOM_ROLES[randomIndex(random, RANDOM_ROLES.length)]!,
    contentHash: String(random()),
    status: randomStatus(random),
    chunkIds: Array.from({ length: 1 + randomIndex(random, 4) }, (_, i) => `o${id}:${i}`),
    themesBySection,
  });
}

/** A status as randomOfferRecord draws them: mostly active. */
export function randomStatus(random: Random): OfferStatus {
  return RANDOM_STATUSES[randomIndex(random, RANDOM_STATUSES.length)]!;
}

/** What the running totals must say of a role's theme mentions, counted the slow way from the offers. */
export function recountThemes(records: Iterable<OfferRecord>, role: string, sections: readonly SectionKind[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const record of records) {
    if (record.role !== role || record.status !== 'active') continue;
    for (const theme of new Set(sections.flatMap((s) => record.themesBySection[s] ?? []))) counts.set(theme, (counts.get(theme) ?? 0) + 1);
  }
  return counts;
}
