import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RetryableError } from '../../src/errors.ts';
import { mapInBatches, withRetry } from '../../src/util/retry.ts';

const noSleep = async () => {};

describe('withRetry', () => {
  it('retries retryable failures, then succeeds', async () => {
    let calls = 0;
    const result = await withRetry(
      async () => {
        calls++;
        if (calls < 3) throw new RetryableError('busy');
        return 'ok';
      },
      { sleep: noSleep },
    );
    assert.equal(result, 'ok');
    assert.equal(calls, 3);
  });

  it('does not retry other errors, and gives up after the budget', async () => {
    let calls = 0;
    await assert.rejects(withRetry(async () => { calls++; throw new Error('bad'); }, { sleep: noSleep }), /bad/);
    assert.equal(calls, 1);
    calls = 0;
    await assert.rejects(withRetry(async () => { calls++; throw new RetryableError('busy'); }, { retries: 2, sleep: noSleep }), /busy/);
    assert.equal(calls, 3);
  });

  it('waits at least what Retry-After asks', async () => {
    const delays: number[] = [];
    let calls = 0;
    await withRetry(
      async () => {
        if (calls++ === 0) throw new RetryableError('slow down', 1500);
        return 1;
      },
      { sleep: async (ms) => void delays.push(ms), minDelayMs: 10 },
    );
    assert.ok(delays[0]! >= 1500);
  });
});

describe('mapInBatches', () => {
  it('keeps input order across concurrent batches', async () => {
    const items = Array.from({ length: 23 }, (_, i) => i);
    const sizes: number[] = [];
    const out = await mapInBatches(items, { batchSize: 5, concurrency: 3 }, async (batch) => {
      sizes.push(batch.length);
      await new Promise((r) => setTimeout(r, Math.random() * 5));
      return batch.map((x) => x * 2);
    });
    assert.deepEqual(out, items.map((x) => x * 2));
    assert.deepEqual([...sizes].sort((a, b) => a - b), [3, 5, 5, 5, 5]);
  });
});
