import { renderCitationList } from '../query/compose.ts';
import type { Answer } from '../query/types.ts';

/** The terminal / markdown form of an answer: the memo, its sources, then anything to warn about. */
export function renderMarkdown(answer: Answer): string {
  const parts = [answer.answer.trim()];
  if (answer.citations.length > 0) parts.push(`### Sources\n\n${renderCitationList(answer)}`);
  if (answer.warnings.length > 0) parts.push(`### Warnings\n\n${answer.warnings.map((w) => `- ${w}`).join('\n')}`);
  return `${parts.join('\n\n')}\n`;
}
