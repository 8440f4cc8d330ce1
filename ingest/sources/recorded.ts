import { existsSync } from 'node:fs';
import type { SourceRecord } from '../../src/records/record-store.ts';
import type { WebSession } from '../fetch/web-session.ts';
import type { SourceItem } from './item.ts';
import { fileItem } from './local.ts';
import { recordedWebItem } from './web.ts';

/**
 * The item that reads a recorded source again (`offers reindex`), or undefined when it is gone.
 * URLs and ATS boards are read through `web` (the network, or the snapshots when it is offline);
 * whether they are gone is only known once fetched.
 */
export function recordedItem(record: SourceRecord, web: WebSession): SourceItem | undefined {
  if (record.kind === 'url' || record.kind === 'ats') return recordedWebItem(record, web);
  return existsSync(record.source) ? fileItem(record.source, { role: record.role }) : undefined;
}
