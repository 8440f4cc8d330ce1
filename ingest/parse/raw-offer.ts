/** The one place parsers build a RawOffer, so every format drops empty fields the same way. */
import { SourceError } from '../../src/errors.ts';
import type { PayFact, RawOffer } from '../../src/types.ts';

const METADATA_FIELDS = ['title', 'company', 'location', 'url', 'datePosted', 'validThrough', 'language'] as const;

/** `{ pay }` when there is pay, nothing otherwise: for spreading into rawOffer's fields. */
export function withPay(pay: PayFact | undefined): { pay?: PayFact } {
  return pay ? { pay } : {};
}

/** What a parser hands `rawOffer`: any field but the source, format and text may be undefined (absent). */
export type RawOfferFields = { [K in keyof RawOffer]: K extends 'source' | 'format' | 'description' ? RawOffer[K] : RawOffer[K] | undefined };

/**
 * Trims metadata to single-line values and leaves out the empty ones (no `title: undefined`).
 * An offer without any text is useless downstream, so that is the parser's SourceError.
 */
export function rawOffer(fields: RawOfferFields): RawOffer {
  if (!fields.description.trim() && !fields.sections?.some((section) => section.text.trim())) {
    throw new SourceError(fields.source, 'no offer text found');
  }
  const offer: RawOffer = { source: fields.source, format: fields.format, description: fields.description };
  for (const key of METADATA_FIELDS) {
    const value = fields[key]?.replace(/\s+/g, ' ').trim();
    if (value) offer[key] = value;
  }
  if (fields.sections && fields.sections.length > 0) offer.sections = fields.sections;
  if (fields.pay) offer.pay = fields.pay;
  return offer;
}
