/**
 * Opening the record while other processes write to it (several `offers stats` started at once,
 * each installing the schema, or a reader opening beside a writer's batch): the opening waits
 * for its turn, then succeeds. It used to fail with "database is locked": the schema
 * installation ran as a deferred transaction, which reads first; in WAL mode a read transaction
 * that then wants to write while another connection holds the write lock, or after it committed,
 * fails at once (SQLITE_BUSY, SQLITE_BUSY_SNAPSHOT), whatever the busy timeout.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { RecordStore } from '../../src/records/record-store.ts';
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
    RecordStore.open(scratch.dir, 'test').close();
  });
  after(() => scratch.cleanup());

  it('waits for its turn instead of failing with "database is locked"', async () => {
    const file = path.join(scratch.dir, 'index', 'test.sqlite');
    for (let round = 0; round < 3; round++) {
      const { exited } = await holdWriteLock(file, 500);
      // Synchronous: waits in SQLite's busy handler while the other process holds the lock.
      const record = RecordStore.open(scratch.dir, 'test');
      try {
        assert.deepEqual(record.listRoots().map((r) => r.root), ['held'], 'it opened after the other process committed');
      } finally {
        record.close();
      }
      assert.equal(await exited, 0);
    }
  });
});
