/**
 * Trailing markers stripped in one backward pass. The obvious regexes (`/\s*:+$/`, `/\s*#+$/`)
 * are retried by V8 from every position of a long run of blanks or markers, each try rescanning
 * the run: quadratic, minutes on a 1 MB line. These loops read the end of the text once.
 */

/** `text` without its trailing characters that pass `test`. */
export function trimEndWhile(text: string, test: (ch: string) => boolean): string {
  let end = text.length;
  while (end > 0 && test(text[end - 1]!)) end -= 1;
  return end === text.length ? text : text.slice(0, end);
}

/** What `text.replace(/\s*M+$/, '')` does for the one-character marker M ("Benefits ::" → "Benefits"). */
export function stripTrailingRun(text: string, marker: string): string {
  const before = trimEndWhile(text, (ch) => ch === marker);
  return before.length === text.length ? text : before.trimEnd();
}

/**
 * What one offer's description (and each of its sections) may weigh: a runaway record (a 10 MB
 * description) is cut here, by the parsers as they read and by normalise for offers that come
 * from no parser (an ATS API's), so that nothing downstream holds more.
 */
export const MAX_DESCRIPTION_CHARS = 100_000;

/** `text` within MAX_DESCRIPTION_CHARS, cut at a line break when one is close, so the last line is whole. */
export function capDescription(text: string): string {
  if (text.length <= MAX_DESCRIPTION_CHARS) return text;
  const cut = text.lastIndexOf('\n', MAX_DESCRIPTION_CHARS);
  return text.slice(0, cut > MAX_DESCRIPTION_CHARS * 0.9 ? cut : MAX_DESCRIPTION_CHARS).trimEnd();
}
