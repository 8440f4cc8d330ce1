import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { reindex } from '../../src/commands/reindex.ts';
import { resolveConfig } from '../../src/config.ts';
import { memoryOutput } from '../../src/output.ts';
import { SqliteRecordStore } from '../../src/records/sqlite-record-store.ts';
import { KEPT_RUNS, type ReindexRun } from '../../src/records/reindex-history.ts';
import { openWorkspace } from '../../src/workspace.ts';
import { scratchDir } from '../helpers/cli.ts';

/**
 * The re-index history `offers serve` shows (GET /api/history): each run's counts and per-role
 * change report, kept in the record by the run itself, newest first.
 */

const run = (n: number): ReindexRun => ({
  finishedAt: `2026-01-01T00:00:${String(n % 60).padStart(2, '0')}.000Z`,
  seconds: n,
  new: n,
  changed: 0,
  removed: 0,
  expired: 0,
  unchanged: 1,
  failed: 0,
  failures: [],
  roles: { SRE: { new: n, changed: 0, removed: 0, expired: 0, unchanged: 1, duplicates: 0 } },
});

describe('re-index history', () => {
  let scratch: Awaited<ReturnType<typeof scratchDir>>;
  before(async () => (scratch = await scratchDir()));
  after(async () => scratch.cleanup());

  it('lists runs newest first, as they were recorded, and keeps only the newest KEPT_RUNS', () => {
    const records = SqliteRecordStore.open(scratch.dir, 'history-test');
    try {
      records.history.add(run(1));
      records.history.add(run(2));
      assert.deepEqual(records.history.list(10), [run(2), run(1)]);
      records.transaction(() => {
        for (let n = 3; n <= KEPT_RUNS + 5; n++) records.history.add(run(n));
      });
      const kept = records.history.list(KEPT_RUNS + 100);
      assert.equal(kept.length, KEPT_RUNS);
      assert.deepEqual(kept[0], run(KEPT_RUNS + 5));
      assert.deepEqual(kept.at(-1), run(6));
    } finally {
      records.close();
    }
  });

  it('is written by `offers reindex` itself, with what --json prints', async () => {
    const dataDir = `${scratch.dir}/data`;
    const output = memoryOutput();
    // An empty data dir: nothing to read, so the run needs no Chroma server.
    assert.equal(await reindex({ dataDir, json: true, output }), 0);
    const printed = JSON.parse(output.stdout.join('')) as Omit<ReindexRun, 'finishedAt'>;
    const workspace = await openWorkspace(resolveConfig({ dataDir }, {}));
    try {
      const [recorded, ...rest] = workspace.records.history.list(10);
      assert.equal(rest.length, 0);
      const { finishedAt, ...counts } = recorded!;
      assert.deepEqual(counts, printed);
      assert.ok(!Number.isNaN(Date.parse(finishedAt)));
    } finally {
      await workspace.close();
    }
  });
});
