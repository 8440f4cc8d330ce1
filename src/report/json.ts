import { jsonSafe } from './sanitize.ts';

/** `--format json`: the value as it is (quotes stay verbatim), with nothing a terminal would act on left raw. */
export function renderJson(value: unknown): string {
  return `${jsonSafe(JSON.stringify(value, null, 2))}\n`;
}
