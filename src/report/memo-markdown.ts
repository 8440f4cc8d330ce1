import type { Memo, MemoPoint } from '../query/memo.ts';
import { markdownText, plainText } from './sanitize.ts';

/**
 * The memo as markdown: the `answer` of the JSON contract and the body of the terminal report.
 * Sentences are ours (group names escaped where they were written); quotes are offer text,
 * escaped here, so an offer's "[c9]" or "**" is shown as text and only our markers link.
 */
export function renderMemoMarkdown(memo: Memo): string {
  const lines: string[] = [memo.intro];
  if (memo.summary.length > 0) {
    lines.push('', `## ${memo.summaryHeading}`, '');
    for (const point of memo.summary) lines.push(`- ${sentence(point)}`);
  }
  if (memo.facts) {
    const { heading, columns, rows } = memo.facts;
    lines.push('', `## ${heading}`, '', `| | ${columns.map(cell).join(' | ')} |`, `|---|${columns.map(() => '---').join('|')}|`);
    for (const row of rows) lines.push(`| ${cell(row.label)} | ${row.cells.map(cell).join(' | ')} |`);
  }
  for (const aspect of memo.aspects) {
    lines.push('', `## ${aspect.heading}`);
    for (const section of aspect.sections) {
      lines.push('', `### ${markdownText(section.heading)}`);
      if (section.note) lines.push(`- ${section.note}`);
      for (const point of section.points) {
        lines.push(`- ${sentence(point)}`);
        for (const quote of point.quotes) lines.push(`  > "${markdownText(quote.quote)}" (${markdownText(quote.company)}) [${quote.id}]`);
      }
      if (section.more.length > 0) {
        lines.push(`- ${markdownText(section.moreHeading)}:`);
        for (const point of section.more) lines.push(`  - ${sentence(point)}`);
      }
    }
  }
  lines.push('', `_${memo.sample}_`);
  return lines.join('\n');
}

/** A point's sentence, escaped (group names and mined labels come from offer titles and text), with our citation markers. */
function sentence(point: MemoPoint): string {
  const markers = point.citations.map((id) => `[${id}]`).join('');
  return `${markdownText(point.text.replace(/\.$/, ''))}${markers ? ` ${markers}` : ''}`;
}

/** A table cell: inline markup escaped like markdownText, no block markers to escape (a cell never starts a line), pipes escaped. */
function cell(text: string): string {
  return plainText(text).replace(/\s+/g, ' ').trim().replace(/[\\`*_[\]<>|]/g, (c) => `\\${c}`);
}
