import type { RawOffer } from '../../src/types.ts';

/**
 * A source is anything the pipeline can read offers from: a file, a fetched URL, an ATS board.
 * The pipeline only sees this shape, so a new kind of source is a new `load`, not a new pipeline.
 * Types only: every kind of source imports this, and this imports none of them.
 */
export interface SourceItem {
  /** The record key: an absolute file path, a URL, or an ATS board id such as `greenhouse:acme`. */
  source: string;
  kind: 'file' | 'url' | 'ats';
  /** `--role` forced on every offer of the source. */
  role?: string;
  /**
   * Found by walking a directory or matching a glob, not named: a file there that holds no offers
   * (a manifest.csv beside them) is skipped with a notice rather than failed.
   */
  found?: boolean;
  /** Reads the raw material; throws SourceError when it can't. */
  load(): Promise<SourceContent>;
}

/**
 * The sources of one run, read one at a time: an array, or a sequence that makes each item as it
 * is read and knows its length (the progress line's total; sequence.ts says what it saves).
 */
export type SourceItems = Iterable<SourceItem> & { readonly length: number };

export type SourceContent =
  /** Bytes for the parsers (files, web pages, PDFs). */
  | { bytes: Uint8Array; hint: { extension?: string; contentType?: string } }
  /** Offers that arrive already structured (ATS APIs), with a hash of the response. */
  | { offers: RawOffer[]; contentHash: string }
  /** The source says it no longer exists (a page answering 404 or 410): a removal, as a deleted file is. */
  | { gone: string };
