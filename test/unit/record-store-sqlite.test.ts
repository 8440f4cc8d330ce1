/** The record store suite (test/helpers/record-store-suite.ts) on SQLite, the embedded default. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { SqliteRecordStore } from '../../src/records/sqlite-record-store.ts';
import { recordStoreSuite } from '../helpers/record-store-suite.ts';

recordStoreSuite('RecordStore suite: SQLite', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'offers-record-suite-'));
  const records = SqliteRecordStore.open(dir, 'offers-test');
  return {
    records,
    async close() {
      records.close();
      await rm(dir, { recursive: true, force: true });
    },
    // Another connection to the same file, as another command's process would open it.
    async connect() {
      const other = SqliteRecordStore.open(dir, 'offers-test');
      return { records: other, close: async () => other.close() };
    },
  };
});
