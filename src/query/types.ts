import type { GroupFacts } from './facts.ts';
import type { Memo } from './memo.ts';
import type { SectionKind } from '../types.ts';

/** One retrieved chunk, with what a citation needs to name its offer. */
export interface Evidence {
  chunkId: string;
  offerId: string;
  role: string;
  section: SectionKind;
  title: string;
  company: string;
  source: string;
  /** The offer's public URL (apply or page URL), when known. */
  url?: string;
  /** The chunk text: a verbatim substring of the offer text. */
  text: string;
  themes: string[];
  /** Higher is better; comparable within one role's list only. */
  score: number;
}

/** What statistics need of one offer: the themes each of its sections mentions. */
export interface OfferProfile {
  offerId: string;
  role: string;
  company: string;
  themesBySection: Partial<Record<SectionKind, string[]>>;
}

export interface RoleSummary {
  /** The group's name, as claims and citations name it ("SRE", "junior SRE", "Barista"). */
  name: string;
  /** The group as resolved: the catalogue role or title family, and its filters (src/query/groups.ts). */
  definition?: { role: string; filters: Record<string, string> };
  offers: number;
  chunks: number;
  /** What the group's offers state of pay, experience, workplace, contract, education and languages. */
  facts?: GroupFacts;
}

export interface RoleShare {
  offers: number;
  /** Offers of the role in the sample: the denominator of `share`. */
  total?: number;
  share: number;
  /** 95% Wilson interval of the share. */
  low: number;
  high: number;
}

export interface ThemeStat {
  theme: string;
  label: string;
  /** The aspect whose sections were counted, when the stats of several aspects are listed together. */
  aspect?: string;
  perRole: Record<string, RoleShare>;
  /** The role this theme distinguishes, when the difference is not noise; otherwise absent. */
  distinctiveFor?: string;
  /** Fightin' Words z-score of the most over-represented role against the others. */
  score: number;
  /** Share of bootstrap resamples in which it stays distinctive for the same role (when computed). */
  stability?: number;
}

export interface Citation {
  id: string;
  offerId: string;
  role: string;
  section: SectionKind;
  title: string;
  company: string;
  source: string;
  /** The offer's public URL when known (apply URL, page URL, dataset job_url): what a shared report links to. */
  url?: string;
  quote: string;
}

export interface Claim {
  text: string;
  roles: string[];
  citations: string[];
}

/** The contract's `offers query --format json` object. */
export interface Answer {
  question: string;
  roles: RoleSummary[];
  /** Aspects asked: section kinds (missions, requirements, …) or topical lenses (tools, experience, remote, …). */
  aspects: string[];
  answer: string;
  claims: Claim[];
  citations: Citation[];
  themes: ThemeStat[];
  warnings: string[];
  /** The closing line on sample sizes (what differences they can and cannot show). */
  sample?: string;
  /** The memo as data (src/query/memo.ts), which `answer` and the html report are rendered from. */
  memo?: Memo;
}
