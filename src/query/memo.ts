import type { MemoLanguage } from './messages.ts';

/**
 * The memo as data (decided in src/query/compose.ts, rendered by src/report/*): a summary, the
 * facts table, then per aspect the points of each group and the shared ones. Every point with
 * citations is also one of the answer's claims; a compact point without any is a statistic of
 * the `themes` table, listed so that nothing distinctive is hidden.
 */

export interface MemoQuote {
  id: string;
  quote: string;
  /** The company, or the words for an unknown one. */
  company: string;
}

export interface MemoPoint {
  text: string;
  groups: string[];
  citations: string[];
  /** Shown under the point; empty for a compact point. */
  quotes: MemoQuote[];
  /** The theme it is about, when it is about one. */
  theme?: string;
}

export interface MemoSection {
  heading: string;
  /** The group it is about; none for the shared section. */
  group?: string;
  points: MemoPoint[];
  /** One-line points after the written-out ones, under `moreHeading`. */
  more: MemoPoint[];
  moreHeading: string;
  /** Said when there is no point: what was tested and found. */
  note?: string;
}

export interface MemoAspect {
  aspect: string;
  heading: string;
  sections: MemoSection[];
}

export interface MemoFacts {
  heading: string;
  /** The groups, in order. */
  columns: string[];
  rows: Array<{ label: string; cells: string[] }>;
}

export interface Memo {
  language: MemoLanguage;
  intro: string;
  summaryHeading: string;
  summary: MemoPoint[];
  facts?: MemoFacts;
  aspects: MemoAspect[];
  /** The closing line on sample sizes. */
  sample: string;
  labels: { sources: string; warnings: string };
}
