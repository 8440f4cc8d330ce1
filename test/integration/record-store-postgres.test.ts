/** The record store suite (test/helpers/record-store-suite.ts) on Postgres, the team's shared record (src/records/pg/). */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import pg from 'pg';
import { FatalError } from '../../src/errors.ts';
import { RECORD_MIGRATIONS, RECORD_SCHEMA_VERSION } from '../../src/records/migrations.ts';
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

describe('schema versions of the Postgres record (src/records/migrations.ts)', () => {
  it('records each version once, as two openings at once find it, and refuses a record a newer offers wrote', async () => {
    const url = await (database ??= postgres.createDatabase());
    const [first, second] = [PgRecordStore.open(url, 'offers-versions', 'first'), PgRecordStore.open(url, 'offers-versions', 'second')];
    first.close();
    second.close();
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const { rows } = await client.query<{ version: number }>('SELECT version FROM "offers-versions".schema_migrations ORDER BY version');
      assert.deepEqual(rows.map((row) => row.version), RECORD_MIGRATIONS.map((migration) => migration.version));
      await client.query(`INSERT INTO "offers-versions".schema_migrations (version, name, applied) VALUES ($1, 'from the future', 'now')`, [RECORD_SCHEMA_VERSION + 1]);
    } finally {
      await client.end();
    }
    assert.throws(
      () => PgRecordStore.open(url, 'offers-versions', 'third'),
      (error: Error) => FatalError.isInstance(error) && error.message.includes(`newer than this version of offers knows (${RECORD_SCHEMA_VERSION})`),
    );
  });
});
