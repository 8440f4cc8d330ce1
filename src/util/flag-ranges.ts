/**
 * The ranges the crawler's timing flags are taken in, checked at the CLI edge. Beyond them a
 * timer overflows: Node's setTimeout holds at most 2^31 - 1 ms (about 24.8 days) and fires at
 * once past that, so `--rate 0.0000001` meant no spacing at all and a 30-day `--timeout` timed
 * every request out immediately. A flag out of range is a usage error, never a silent default.
 */
import { UsageError } from '../errors.ts';

export interface FlagRange {
  flag: string;
  min: number;
  max: number;
  unit: string;
}

/** One request per 100 s per host at the slowest; the limiter's spacing is 1 / rate. */
export const RATE_RANGE: FlagRange = { flag: '--rate', min: 0.01, max: 1000, unit: 'requests per second' };
/** An hour per request at most: longer is a stuck server, not a slow one. */
export const TIMEOUT_RANGE: FlagRange = { flag: '--timeout', min: 1, max: 3600, unit: 'seconds' };

/** `text` as a number inside `range`, or a UsageError naming the flag and the range. */
export function numberInRange(range: FlagRange, text: string): number {
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value) || value < range.min || value > range.max) {
    throw new UsageError(`${range.flag} must be a number from ${range.min} to ${range.max} ${range.unit} (got "${text}")`);
  }
  return value;
}
