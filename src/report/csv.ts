import type { Answer } from '../query/types.ts';
import { plainText } from './sanitize.ts';

/**
 * `--format csv`: the theme table for spreadsheets, one row per theme, aspect and group:
 * `theme, aspect, group, offers, share, low, high, z, verdict, stability` (RFC 4180 quoting).
 * A cell that a spreadsheet would run as a formula (=, +, -, @ first) is prefixed with a quote:
 * labels of mined themes come from offer text.
 */
export const CSV_COLUMNS = ['theme', 'aspect', 'group', 'offers', 'share', 'low', 'high', 'z', 'verdict', 'stability'] as const;

export function renderCsv(answer: Answer): string {
  const rows: string[][] = [[...CSV_COLUMNS]];
  for (const theme of answer.themes) {
    for (const group of answer.roles.map((r) => r.name)) {
      const share = theme.perRole[group];
      if (!share) continue;
      const verdict = theme.distinctiveFor === undefined ? 'not distinctive' : theme.distinctiveFor === group ? 'distinctive' : `distinctive for ${theme.distinctiveFor}`;
      rows.push([
        theme.label,
        theme.aspect ?? '',
        group,
        String(share.offers),
        share.share.toFixed(4),
        share.low.toFixed(4),
        share.high.toFixed(4),
        theme.score.toFixed(3),
        verdict,
        theme.stability === undefined ? '' : theme.stability.toFixed(3),
      ]);
    }
  }
  return `${rows.map((row) => row.map(csvCell).join(',')).join('\r\n')}\r\n`;
}

function csvCell(value: string): string {
  const text = plainText(value).replace(/^[=+\-@\t\r]/, (c) => `'${c}`);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
