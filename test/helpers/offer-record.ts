import path from 'node:path';
import Database from 'better-sqlite3';
import type { OfferRecord } from '../../src/records/record-store.ts';
import type { Offer } from '../../src/types.ts';

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

/** Runs raw SQL on a record file, as an older version (or a hand edit) would have left it. */
export function alterRecordFile(dataDir: string, collection: string, sql: string): void {
  const db = new Database(path.join(dataDir, 'index', `${collection}.sqlite`));
  try {
    db.exec(sql);
  } finally {
    db.close();
  }
}
