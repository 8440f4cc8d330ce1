import { renderCitationList } from '../query/compose.ts';
import type { Answer } from '../query/types.ts';
import { markdownText, plainText } from './sanitize.ts';

/**
 * The terminal / markdown form of an answer: the memo, its sources, then anything to warn about.
 * Offer text is escaped where the memo and the sources are written; warnings are plain text, so
 * escaped here; and no control character reaches the terminal, whatever slipped in.
 */
export function renderMarkdown(answer: Answer): string {
  const parts = [answer.answer.trim()];
  if (answer.citations.length > 0) parts.push(`### Sources\n\n${renderCitationList(answer)}`);
  if (answer.warnings.length > 0) parts.push(`### Warnings\n\n${answer.warnings.map((w) => `- ${markdownText(w)}`).join('\n')}`);
  return plainText(`${parts.join('\n\n')}\n`);
}
