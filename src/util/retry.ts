import { RetryableError } from '../errors.ts';

/**
 * Batching, retries and concurrency live here and nowhere else (STYLE 6): embedding calls,
 * store writes and (later) HTTP fetches all go through these two helpers.
 */

export interface RetryOptions {
  /** Attempts after the first one. */
  retries?: number;
  minDelayMs?: number;
  maxDelayMs?: number;
  /** Which failures are worth another try; by default only RetryableError. */
  isRetryable?: (error: unknown) => boolean;
  onRetry?: (error: unknown, attempt: number, delayMs: number) => void;
  /** Injected so tests don't sleep. */
  sleep?: (ms: number) => Promise<void>;
}

/** Waits `ms` milliseconds: the default of every helper that accepts an injected sleep (tests pass a fake one). */
export const defaultSleep = (ms: number): Promise<void> => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Retry-After (seconds, fractions accepted, or an HTTP date) → milliseconds from `now`; anything
 * else is undefined. One reading for the crawler's responses and the OpenAI-compatible services'.
 */
export function parseRetryAfter(value: string | null | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+(?:\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Exponential backoff with full jitter; a server's Retry-After wins when it asks for longer. */
export async function withRetry<T>(fn: (attempt: number) => Promise<T>, options: RetryOptions = {}): Promise<T> {
  const { retries = 3, minDelayMs = 200, maxDelayMs = 10_000, sleep = defaultSleep } = options;
  const isRetryable = options.isRetryable ?? ((error: unknown) => RetryableError.isInstance(error));
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn(attempt);
    } catch (error) {
      if (attempt >= retries || !isRetryable(error)) throw error;
      const backoff = Math.min(maxDelayMs, minDelayMs * 2 ** attempt) * Math.random();
      const asked = RetryableError.isInstance(error) ? (error.retryAfterMs ?? 0) : 0;
      const delayMs = Math.max(backoff, Math.min(asked, maxDelayMs * 6));
      options.onRetry?.(error, attempt + 1, delayMs);
      await sleep(delayMs);
    }
  }
}

export interface BatchOptions {
  batchSize: number;
  /** Batches in flight at once. */
  concurrency?: number;
  retry?: RetryOptions;
}

/**
 * Maps `fn` over `items` in batches, `concurrency` batches at a time, retrying each batch on
 * transient failures, and returns the results in input order.
 */
export async function mapInBatches<T, R>(
  items: readonly T[],
  options: BatchOptions,
  fn: (batch: T[], batchIndex: number) => Promise<R[]>,
): Promise<R[]> {
  const size = Math.max(1, options.batchSize);
  const batches: T[][] = [];
  for (let i = 0; i < items.length; i += size) batches.push(items.slice(i, i + size));
  const results: R[][] = new Array(batches.length);
  let next = 0;
  const worker = async () => {
    while (next < batches.length) {
      const index = next++;
      const batch = batches[index]!;
      results[index] = await withRetry(() => fn(batch, index), options.retry);
    }
  };
  const workers = Array.from({ length: Math.min(options.concurrency ?? 1, batches.length) }, worker);
  await Promise.all(workers);
  return results.flat();
}
