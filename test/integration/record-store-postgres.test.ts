/** The record store suite (test/helpers/record-store-suite.ts) on Postgres, the team's shared record (src/records/pg/). */
import { PgRecordStore } from '../../src/records/pg/pg-record-store.ts';
import { usePostgres } from '../helpers/postgres.ts';
import { recordStoreSuite } from '../helpers/record-store-suite.ts';

const postgres = usePostgres();

recordStoreSuite('RecordStore suite: Postgres', async () => {
  // A database per test, as the SQLite run has a file per test.
  const url = await postgres.createDatabase();
  const records = PgRecordStore.open(url, 'offers-test', 'suite');
  return {
    records,
    close: async () => records.close(),
    // Another connection to the same record, as another machine's process would open it.
    async connect() {
      const other = PgRecordStore.open(url, 'offers-test', 'suite-other');
      return { records: other, close: async () => other.close() };
    },
  };
});
