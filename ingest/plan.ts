import type { OfferRecord } from '../src/records/record-store.ts';
import type { Offer } from '../src/types.ts';
import { signOffer, type OfferSignature } from './near-duplicate.ts';

/** What one offer read from a source does to the index. */
export type OfferPlan =
  | { action: 'expire' }
  | { action: 'unchanged' }
  | { action: 'duplicate'; of: string; signature: OfferSignature }
  | { action: 'write'; signature: OfferSignature };

/**
 * The pipeline's one decision per offer, pure (ingestItems applies it):
 *  - `expire`: its `validThrough` is past, so it leaves the index (its history stays);
 *  - `unchanged`: the record holds it with the same content hash, indexed or as a repost: nothing
 *    is embedded or written;
 *  - `duplicate`: a repost of another offer, which `sameJob` finds by its signature (among the
 *    offers of this run and the record's: near-duplicate.ts); kept as an alternate source;
 *  - `write`: new or changed.
 * Only the source that lists an offer gets to plan it (ownership.ts decides that before).
 */
export function planOffer(
  offer: Offer,
  existing: Pick<OfferRecord, 'contentHash' | 'status'> | undefined,
  sameJob: (signature: OfferSignature) => string | undefined,
  now: Date,
): OfferPlan {
  if (offer.validThrough && Date.parse(offer.validThrough) < now.getTime()) return { action: 'expire' };
  if (existing && existing.contentHash === offer.contentHash && (existing.status === 'active' || existing.status === 'duplicate')) return { action: 'unchanged' };
  const signature = signOffer(offer);
  const of = sameJob(signature);
  return of !== undefined && of !== offer.offerId ? { action: 'duplicate', of, signature } : { action: 'write', signature };
}
