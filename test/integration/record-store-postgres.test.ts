/** The record store suite (test/helpers/record-store-suite.ts) on Postgres, the team's shared record (src/records/pg/). */
import { PgRecordStore } from '../../src/records/pg/pg-record-store.ts';
import { usePostgres } from '../helpers/postgres.ts';
import { recordStoreSuite } from '../helpers/record-store-suite.ts';

const postgres = usePostgres();
let database: Promise<string> | undefined;
let tests = 0;

recordStoreSuite('RecordStore suite: Postgres', async () => {
  // A collection (a schema of its own) per test, as the SQLite run has a file per test: in one
  // database, since creating one per test took most of the suite's time.
  const url = await (database ??= postgres.createDatabase());
  const collection = `offers-test-${++tests}`;
  const records = PgRecordStore.open(url, collection, 'suite');
  return {
    records,
    close: async () => records.close(),
    // Another connection to the same record, as another machine's process would open it.
    async connect() {
      const other = PgRecordStore.open(url, collection, 'suite-other');
      return { records: other, close: async () => other.close() };
    },
  };
});
