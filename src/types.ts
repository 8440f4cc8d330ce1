/**
 * The data model shared by every stage. Pure data: no behaviour, no I/O.
 *
 * Invariant that the whole tool relies on: every `Section.text` is a verbatim
 * substring of its offer's `text`, and every chunk text is a verbatim substring
 * of its section text. Quotes are cut from chunks, so a quote can always be
 * found again in the offer it cites (the contract compares after collapsing
 * runs of white space).
 */

export const SECTION_KINDS = ['missions', 'requirements', 'nice_to_have', 'benefits', 'company', 'other'] as const;
export type SectionKind = (typeof SECTION_KINDS)[number];

export interface Section {
  kind: SectionKind;
  /** The employer's own heading, when there was one ("What you'll do"). */
  heading?: string;
  text: string;
}

export type PayPeriod = 'hour' | 'day' | 'week' | 'month' | 'year';

/** Pay as an offer states it: one amount (min = max) or a range, in one currency and period. */
export interface PayFact {
  currency: string;
  period: PayPeriod;
  min: number;
  max: number;
}

/** What an offer states of its terms (ingest/facts.ts); a fact it does not state is absent. */
export interface OfferFacts {
  pay?: PayFact;
  /** The most years of experience it asks for as a minimum. */
  experienceYears?: number;
  workplace?: 'remote' | 'hybrid' | 'onsite';
  contract?: 'permanent' | 'fixed_term' | 'contract' | 'internship' | 'part_time';
  /** The highest degree it names. */
  education?: 'bachelor' | 'master' | 'doctorate';
  /** Languages it requires (ISO 639-1). */
  languages?: string[];
  /** Where the offer's text states a fact: the verbatim line, and its section (a citation of the fact). */
  evidence?: Partial<Record<'pay' | 'experienceYears', { text: string; section: SectionKind }>>;
}

/** What a parser extracts from one source record, before normalisation. */
export interface RawOffer {
  /** File path or URL the offer came from; with `#n` for the n-th record of a dataset. */
  source: string;
  /** The id a job board gives the posting (ATS APIs): with the board, the offer's identity. */
  postingId?: string;
  /** The format that produced it: md, txt, html, jsonld, pdf, json, jsonl, csv. */
  format: string;
  title?: string;
  company?: string;
  location?: string;
  /** Apply or canonical URL when the source names one. */
  url?: string;
  datePosted?: string;
  validThrough?: string;
  /** Language declared by the source (JSON-LD, front matter, html lang); detection is the fallback. */
  language?: string;
  /** Pay from the source's own fields (JSON-LD baseSalary, ATS compensation, dataset columns); the text is the fallback. */
  pay?: PayFact;
  /** The description as plain text with line breaks and "- " bullets preserved. */
  description: string;
  /**
   * Sections the source itself delimits (JSON-LD `responsibilities`, `qualifications`, …).
   * When present the segmenter only splits `description` and appends these.
   */
  sections?: Section[];
}

export interface RoleMatch {
  /** Canonical role label, e.g. "SRE", "DevOps Engineer", "Other". */
  role: string;
  seniority?: string;
  /** What the title says the role is about, beside the role ("front end" in "Front End Platform Engineer"). */
  specialisation?: string;
  /** Why: "title", "title+text", "forced" or "text". */
  via: string;
}

/** A normalised offer: the unit that is indexed, counted and cited. */
export interface Offer {
  /** Stable: derived from the source and the offer's identity, the same on every run. */
  offerId: string;
  role: string;
  seniority?: string;
  specialisation?: string;
  title: string;
  company: string;
  location?: string;
  source: string;
  url?: string;
  language: string;
  /** The posting date as an ISO day (YYYY-MM-DD), when the source gives one. */
  datePosted?: string;
  validThrough?: string;
  /** The title family (ingest/title-family.ts): folded title words, e.g. "staff nurse". */
  family?: string;
  /** The title's own words for its family, e.g. "Staff Nurse". */
  familyLabel?: string;
  /** Remote, hybrid or on site, when the location or the text says so. */
  workplace?: 'remote' | 'hybrid' | 'onsite';
  /** Pay, experience, workplace, contract, education and languages, as the offer states them. */
  facts?: OfferFacts;
  sections: Section[];
  /** The normalised full text that sections, chunks and quotes are cut from. */
  text: string;
  /** Hash of everything that affects the index (text, metadata): unchanged hash, nothing to do. */
  contentHash: string;
}

/** Scalar metadata stored beside each chunk in the vector store. */
export type ChunkMetadata = Record<string, string | number | boolean>;

export interface Chunk {
  /** `${offerId}:${contentHash}:${sectionIndex}:${chunkIndex}`: deterministic, so upserts are idempotent. */
  id: string;
  offerId: string;
  role: string;
  section: SectionKind;
  text: string;
  /** Theme ids found in this chunk (kept in the record: src/records/lexical-index.ts). */
  themes: string[];
  /** How many times the text mentions each of its themes (1 when absent). */
  mentions?: Record<string, number>;
  /** The offer's title and the section's heading: context prefixed to the text when it is embedded. */
  title: string;
  heading?: string;
}
