/**
 * Opening the record (src/records/record-store.ts).
 *  - Beside writers (several `offers stats` started at once, each installing the schema, or a
 *    reader opening during a writer's batch): the opening waits for its turn, then succeeds. It
 *    used to fail with "database is locked": the schema installation ran as a deferred
 *    transaction, which reads first, and in WAL mode a read transaction that then wants to write
 *    while another connection holds the write lock, or after it committed, fails at once
 *    (SQLITE_BUSY, SQLITE_BUSY_SNAPSHOT), whatever the busy timeout.
 *  - Read-only, as a reader of a read-only data dir does: an explicit read-only open, which this
 *    test can check anywhere, even as root (test/integration/faults.test.ts mounts a read-only
 *    copy when it may).
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { FatalError } from '../../src/errors.ts';
import { RECORD_SCHEMA_VERSION } from '../../src/records/migrations.ts';
import { SqliteRecordStore } from '../../src/records/sqlite-record-store.ts';
import { ROOT, scratchDir } from '../helpers/cli.ts';

/**
 * Another process holding the record's write lock for `holdMs` (a writer's batch, or another
 * opening installing the schema), then committing. Resolves once it holds the lock.
 */
async function holdWriteLock(file: string, holdMs: number): Promise<{ exited: Promise<number | null> }> {
  const script = `
    const Database = require('better-sqlite3');
    const db = new Database(${JSON.stringify(file)});
    db.exec('BEGIN IMMEDIATE');
    db.prepare("INSERT OR REPLACE INTO roots (root, role, added) VALUES ('held', NULL, 'now')").run();
    process.stdout.write('locked\\n');
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ${holdMs});
    db.exec('COMMIT');
    db.close();`;
  const child = spawn(process.execPath, ['-e', script], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = once(child, 'exit').then(([code]) => code as number | null);
  for await (const chunk of child.stdout) if (String(chunk).includes('locked')) break;
  // Wrapped: an async function returning a promise would wait for it.
  return { exited };
}

describe('opening the record beside writers', () => {
  let scratch: Awaited<ReturnType<typeof scratchDir>>;
  before(async () => {
    scratch = await scratchDir('offers-record-open-');
    SqliteRecordStore.open(scratch.dir, 'test').close();
  });
  after(() => scratch.cleanup());

  it('waits for its turn instead of failing with "database is locked"', async () => {
    const file = path.join(scratch.dir, 'index', 'test.sqlite');
    for (let round = 0; round < 3; round++) {
      const { exited } = await holdWriteLock(file, 500);
      // Synchronous: waits in SQLite's busy handler while the other process holds the lock.
      const record = SqliteRecordStore.open(scratch.dir, 'test');
      try {
        assert.deepEqual(record.listRoots().map((r) => r.root), ['held'], 'it opened after the other process committed');
      } finally {
        record.close();
      }
      assert.equal(await exited, 0);
    }
  });
});

describe('opening the record read-only', () => {
  let scratch: Awaited<ReturnType<typeof scratchDir>>;
  before(async () => {
    scratch = await scratchDir('offers-record-readonly-');
    const record = SqliteRecordStore.open(scratch.dir, 'test');
    record.putRoot('/offers', 'SRE');
    // Closed cleanly: the WAL is checkpointed and its -wal and -shm files removed, as on a copy.
    record.close();
  });
  after(() => scratch.cleanup());

  it('reads a WAL record that has no -shm file, and refuses to write it', () => {
    const file = path.join(scratch.dir, 'index', 'test.sqlite');
    assert.equal(existsSync(`${file}-shm`), false);
    const record = SqliteRecordStore.open(scratch.dir, 'test', { readOnly: true });
    try {
      assert.deepEqual(record.listRoots(), [{ root: '/offers', role: 'SRE' }]);
      assert.throws(() => record.putRoot('/more'), /readonly/);
    } finally {
      record.close();
    }
    assert.equal(existsSync(`${file}-shm`), false, 'nothing was created beside it');
  });

  it('names what is wrong when there is no record, or one it would have to upgrade', () => {
    assert.throws(() => SqliteRecordStore.open(scratch.dir, 'missing', { readOnly: true }), (error: unknown) => error instanceof FatalError && /no index record at .* the data dir is read-only/.test(error.message));
    const old = new Database(path.join(scratch.dir, 'index', 'old.sqlite'));
    old.exec('CREATE TABLE offers (offer_id TEXT PRIMARY KEY)');
    old.close();
    assert.throws(
      () => SqliteRecordStore.open(scratch.dir, 'old', { readOnly: true }),
      (error: unknown) => error instanceof FatalError && /is read-only and was written by an older version/.test(error.message) && /writable/.test(error.hint ?? ''),
    );
  });
});

describe('schema versions of the SQLite record (src/records/migrations.ts)', () => {
  it('stamps a new record with the newest version, and refuses one a newer offers wrote, naming both versions', async () => {
    const scratch = await scratchDir('offers-record-version-');
    try {
      SqliteRecordStore.open(scratch.dir, 'v').close();
      const file = path.join(scratch.dir, 'index', 'v.sqlite');
      const db = new Database(file);
      assert.equal(db.pragma('user_version', { simple: true }), RECORD_SCHEMA_VERSION);
      db.pragma(`user_version = ${RECORD_SCHEMA_VERSION + 1}`);
      db.close();
      assert.throws(
        () => SqliteRecordStore.open(scratch.dir, 'v'),
        (error: Error) => FatalError.isInstance(error) && error.message.includes(`at schema ${RECORD_SCHEMA_VERSION + 1}, newer than this version of offers knows (${RECORD_SCHEMA_VERSION})`),
      );
    } finally {
      await scratch.cleanup();
    }
  });
});
