import type { Answer } from '../query/types.ts';
import { markdownSource, markdownText, plainText } from './sanitize.ts';

/**
 * The terminal / markdown form of an answer: the memo, its sources, then anything to warn about.
 * Offer text is escaped where the memo and the sources are written; warnings are plain text, so
 * escaped here; and no control character reaches the terminal, whatever slipped in.
 */
export function renderMarkdown(answer: Answer, options: { width?: number } = {}): string {
  const labels = answer.memo?.labels ?? { sources: 'Sources', warnings: 'Warnings' };
  const parts = [answer.answer.trim()];
  if (answer.citations.length > 0) parts.push(`### ${labels.sources}\n\n${renderCitationList(answer)}`);
  if (answer.warnings.length > 0) parts.push(`### ${labels.warnings}\n\n${answer.warnings.map((w) => `- ${markdownText(w)}`).join('\n')}`);
  const text = plainText(`${parts.join('\n\n')}\n`);
  return options.width && options.width >= 40 ? wrapLines(text, options.width) : text;
}

/**
 * Lines longer than the terminal, broken between words; a continuation is indented under the
 * text of its bullet or quote, so the memo still reads as a list. Tables are left whole: a
 * broken row is no longer a row.
 */
export function wrapLines(text: string, width: number): string {
  return text
    .split('\n')
    .flatMap((line) => {
      if (line.length <= width || line.startsWith('|')) return [line];
      const indent = ' '.repeat(/^(\s*(?:[-*] |> |\d+\. )?)/.exec(line)![1]!.length);
      const out: string[] = [];
      let current = '';
      for (const word of line.split(/(?<=\S) (?=\S)/)) {
        if (current && current.length + 1 + word.length > width) {
          out.push(current);
          current = `${indent}${word.trimStart()}`;
        } else current = current ? `${current} ${word}` : word;
      }
      out.push(current);
      return out;
    })
    .join('\n');
}

/** `- [c1] "quote" — Title, Company (section) <source>`, one line per citation, offer text escaped. */
export function renderCitationList(answer: Answer): string {
  return answer.citations
    .map((c) => {
      const where = [c.title, c.company].filter((s) => s.trim() !== '').map(markdownText).join(', ');
      return `- [${c.id}] "${markdownText(c.quote)}" — ${where} (${c.section.replace(/_/g, ' ')}) ${markdownSource(c.url ?? c.source)}`;
    })
    .join('\n');
}
