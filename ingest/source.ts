import { existsSync } from 'node:fs';
import { open } from 'node:fs/promises';
import path from 'node:path';
import { SourceError } from '../src/errors.ts';
import type { SourceRecord } from '../src/records/record-store.ts';
import type { RawOffer } from '../src/types.ts';
import { fileSizeProblem } from './parse/index.ts';
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

export function fileItem(file: string, role?: string): SourceItem {
  const source = path.resolve(file);
  return {
    source,
    kind: 'file',
    ...(role ? { role } : {}),
    async load() {
      const cannotRead = (error: NodeJS.ErrnoException) => {
        throw new SourceError(source, `cannot read: ${error.code ?? error.message}`, { cause: error });
      };
      // One open for the size check and the read: a 5 GB file named .html must be refused on its
      // size, not read whole first, and the file measured is the file read.
      const handle = await open(source).catch(cannotRead);
      try {
        const tooLarge = fileSizeProblem(source, (await handle.stat().catch(cannotRead)).size);
        if (tooLarge) throw tooLarge;
        const bytes = await handle.readFile().catch(cannotRead);
        return { bytes, hint: { extension: path.extname(source) } };
      } finally {
        await handle.close();
      }
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
  return existsSync(record.source) ? fileItem(record.source, record.role) : undefined;
}
