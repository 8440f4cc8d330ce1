import { existsSync } from 'node:fs';
import path from 'node:path';
import type { SourceRecord } from '../src/records/record-store.ts';
import type { RawOffer } from '../src/types.ts';
import { byteLimitForExtension } from './parse/index.ts';
import { readSourceFile } from './read-file.ts';
import { recordedWebItem } from './fetch/web-sources.ts';
import type { WebSession } from './fetch/web-session.ts';

/**
 * A source is anything the pipeline can read offers from: a file, a fetched URL, an ATS board.
 * The pipeline only sees this shape, so a new kind of source is a new `load`, not a new pipeline.
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

export type SourceContent =
  /** Bytes for the parsers (files, web pages, PDFs). */
  | { bytes: Uint8Array; hint: { extension?: string; contentType?: string } }
  /** Offers that arrive already structured (ATS APIs), with a hash of the response. */
  | { offers: RawOffer[]; contentHash: string }
  /** The source says it no longer exists (a page answering 404 or 410): a removal, as a deleted file is. */
  | { gone: string };

export function fileItem(file: string, options: { role?: string | undefined; found?: boolean } = {}): SourceItem {
  const source = path.resolve(file);
  const extension = path.extname(source);
  return {
    source,
    kind: 'file',
    ...(options.role ? { role: options.role } : {}),
    ...(options.found ? { found: true } : {}),
    async load() {
      return { bytes: await readSourceFile(source, byteLimitForExtension(extension)), hint: { extension } };
    },
  };
}

/**
 * The item that reads a recorded source again (`offers reindex`), or undefined when it is gone.
 * URLs and ATS boards are read through `web` (the network, or the snapshots when it is offline);
 * whether they are gone is only known once fetched.
 */
export function recordedItem(record: SourceRecord, web: WebSession): SourceItem | undefined {
  if (record.kind === 'url' || record.kind === 'ats') return recordedWebItem(record, web);
  return existsSync(record.source) ? fileItem(record.source, { role: record.role }) : undefined;
}
