/**
 * Every offer belongs to the source that lists it (the record's sources table, indexed by
 * src/records/offer-sources.ts), and only that source writes or retires it. Offer ids are
 * namespaced by their source (ingest/normalise.ts: offerKey), so two sources meet on one id only
 * through a fault: an ATS posting whose URL names a local file, a page whose second JobPosting is
 * `url#2` while another seed is that very URL with a fragment, a record an older version wrote.
 * Such a write is refused and reported, never applied: it used to replace the other source's text.
 */
import { SourceError } from '../src/errors.ts';
import type { RecordStore } from '../src/records/record-store.ts';
import type { Offer } from '../src/types.ts';

export class OfferOwnership {
  /** Offers written in this run, by source: the record lists them once their batch commits. */
  private readonly claimed = new Map<string, string>();

  constructor(private readonly records: RecordStore) {}

  /** The sources other than `source` that hold each of these offers (this run's writes included). */
  private othersHolding(source: string, offerIds: readonly string[]): Map<string, string> {
    const others = this.records.otherSourcesListing(source, offerIds);
    for (const id of offerIds) {
      const claimant = this.claimed.get(id);
      if (claimant !== undefined && claimant !== source) others.set(id, claimant);
    }
    return others;
  }

  /**
   * What `source` may do with its offers, given the ids the record lists for it: the ids an older
   * version gave them that no other source holds (normaliseOffer keeps those), which of its new
   * offers it may write, and which of its old ones it may retire.
   */
  forSource(source: string, previousIds: readonly string[]) {
    const shared = this.othersHolding(source, previousIds);
    return {
      legacyIds: new Set(previousIds.filter((id) => !shared.has(id))),
      /** The offers this source may write, and a SourceError for each one another source holds. */
      claim: (offers: readonly Offer[]): { mine: Offer[]; refused: SourceError[] } => {
        const others = this.othersHolding(source, offers.map((offer) => offer.offerId));
        const mine: Offer[] = [];
        const refused: SourceError[] = [];
        for (const offer of offers) {
          const owner = others.get(offer.offerId);
          if (owner === undefined) {
            mine.push(offer);
            this.claimed.set(offer.offerId, source);
          } else {
            refused.push(new SourceError(source, `"${offer.title}" has the id of an offer of ${owner} (${offer.offerId}): not written, that offer is left as it is`));
          }
        }
        return { mine, refused };
      },
      /** Of the offers the source held and holds no more, those no other source holds. */
      retirable: (current: ReadonlySet<string>): string[] => previousIds.filter((id) => !current.has(id) && !shared.has(id)),
    };
  }
}
