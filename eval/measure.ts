import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
/** Small pure helpers shared by the eval and the benchmark. */

/** The p-th percentile (0–100) by nearest rank; NaN for no values. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

/** A rate rounded for reports: `count` per second over `seconds`. */
export function perSecond(count: number, seconds: number): number {
  return seconds > 0 ? round(count / seconds, 1) : Number.NaN;
}

export function round(value: number, digits = 3): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

/** Share of `part` in `total`, or null when there is nothing to measure (shown as "n/a"). */
export function share(part: number, total: number): number | null {
  return total > 0 ? round(part / total) : null;
}

/** Today as YYYY-MM-DD, for result file names. */
export function dateStamp(now = new Date()): string {
  return now.toISOString().slice(0, 10);
}

/**
 * Writes a report as `<out>/<date>-<name>.json` and `.md`, prints the markdown on stdout, and
 * returns the base path (without extension) for the log line.
 */
export async function writeReport(out: string, name: string, report: unknown, table: string): Promise<string> {
  await mkdir(out, { recursive: true });
  const base = path.join(out, `${dateStamp()}-${name}`);
  await writeFile(`${base}.json`, `${JSON.stringify(report, null, 2)}\n`);
  await writeFile(`${base}.md`, table);
  process.stdout.write(table);
  return base;
}
