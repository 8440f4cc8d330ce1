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
