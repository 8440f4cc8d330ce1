/**
 * A disk that fills up in the middle of an ingest, injected: the store's writes fail with ENOSPC
 * from the second batch on (test/integration/faults.test.ts fills a real tmpfs when it may mount
 * one). The run stops with a fatal error and its fix; the next run, with room again, recovers and
 * leaves a consistent index. Also: which system errors become fatal errors with a fix.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ingestSources } from '../../ingest/pipeline.ts';
import { FatalError } from '../../src/errors.ts';
import type { VectorStore } from '../../src/store/vector-store.ts';
import { storageFatal } from '../../src/util/storage-errors.ts';
import { generateOffers } from '../../scripts/generate-offers.ts';
import { memoryWorkspace } from '../helpers/memory-workspace.ts';
import { wrapStore } from '../helpers/store-wrapper.ts';

const systemError = (code: string, message: string) => Object.assign(new Error(message), { code });

/** A store whose disk fills up after `upserts` successful upserts: later writes fail with ENOSPC. */
function fillsUpAfter(upserts: number): { wrap: (store: VectorStore) => VectorStore; makeRoom(): void } {
  let left = upserts;
  let roomAgain = false;
  return {
    makeRoom: () => void (roomAgain = true),
    wrap: (inner) =>
      wrapStore(inner, {
        upsert: async (records) => {
          if (!roomAgain && left-- <= 0) throw systemError('ENOSPC', 'ENOSPC: no space left on device, write');
          return inner.upsert(records);
        },
      }),
  };
}

describe('storageFatal', () => {
  it('turns a read-only or full data dir into a fatal error with a fix', () => {
    const cases: Array<[Error, RegExp]> = [
      [systemError('EACCES', "EACCES: permission denied, open '/data/offers.lock'"), /permission denied/],
      [systemError('EROFS', 'EROFS: read-only file system, mkdir /data/index'), /read-only file system/],
      [systemError('ENOSPC', 'ENOSPC: no space left on device, write'), /no space left on device/],
      [systemError('SQLITE_FULL', 'database or disk is full'), /no space left for the index record/],
      [systemError('SQLITE_READONLY_DBMOVED', 'attempt to write a readonly database'), /index record is read-only/],
    ];
    for (const [error, message] of cases) {
      const fatal = storageFatal(error);
      assert.ok(fatal instanceof FatalError, error.message);
      assert.match(fatal.message, message);
      assert.match(fatal.hint ?? '', /--data-dir|disk space/);
      assert.equal(fatal.cause, error);
    }
  });

  it('leaves other errors alone', () => {
    assert.equal(storageFatal(new Error('boom')), undefined);
    assert.equal(storageFatal(systemError('ECONNREFUSED', 'refused')), undefined);
    assert.equal(storageFatal(new FatalError('already fatal')), undefined);
    assert.equal(storageFatal('a string'), undefined);
  });
});

describe('a disk that fills up mid-ingest (ENOSPC injected into the store)', () => {
  let corpus = '';
  before(async () => {
    corpus = await mkdtemp(path.join(tmpdir(), 'offers-enospc-'));
    await generateOffers(corpus, 300, 'enospc'); // ~1,500 chunks: two write batches
  });
  after(() => rm(corpus, { recursive: true, force: true }));

  it('stops the run with a fatal error and its fix; the next run recovers to a consistent index', async () => {
    const disk = fillsUpAfter(1);
    const { workspace, memory, cleanup } = await memoryWorkspace({ wrapStore: disk.wrap });
    try {
      const failure = await ingestSources(workspace, [corpus]).then(
        () => assert.fail('the run should have failed'),
        (error: unknown) => error,
      );
      const fatal = storageFatal(failure);
      assert.ok(fatal, String(failure));
      assert.match(fatal.hint ?? '', /free some disk space/);
      const committed = [...workspace.records.listOffers({ status: ['active'] })];
      assert.ok(committed.length > 0 && committed.length < 300, `committed ${committed.length}`);

      disk.makeRoom();
      const result = await ingestSources(workspace, [corpus]);
      assert.deepEqual(result.failed, []);
      assert.equal(result.offers, 300);
      assert.ok(result.recovered > 0, 'the half-written batch was rolled back');
      const recorded = [...workspace.records.listOffers({ status: ['active'] })].flatMap((o) => o.chunkIds);
      assert.equal(await memory.count(), recorded.length);
    } finally {
      await cleanup();
    }
  });
});
