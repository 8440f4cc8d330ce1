import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Worker } from 'node:worker_threads';
import { waitForSignal } from '../../src/records/pg/sync-client.ts';

/**
 * The other thread: wakes the waiter without setting the signal (the late notify of a previous
 * call), retrying until a waiter was really woken, then sets the signal after a pause.
 */
const LATE_NOTIFY_THEN_SET = `
const { workerData } = require('node:worker_threads');
const signal = new Int32Array(workerData);
while (Atomics.notify(signal, 0) === 0) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1);
Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 50);
Atomics.store(signal, 0, 1);
Atomics.notify(signal, 0);
`;

describe('waiting for the record worker', () => {
  it('goes on waiting when woken before the signal is set, and returns once it is', async () => {
    const signal = new Int32Array(new SharedArrayBuffer(4));
    const worker = new Worker(LATE_NOTIFY_THEN_SET, { eval: true, workerData: signal.buffer });
    try {
      assert.equal(waitForSignal(signal, 30_000), true);
      assert.equal(Atomics.load(signal, 0), 1, 'returned on the stray wake-up, before the reply was there');
    } finally {
      await worker.terminate();
    }
  });

  it('says when the time is up without a signal', () => {
    assert.equal(waitForSignal(new Int32Array(new SharedArrayBuffer(4)), 20), false);
  });
});
