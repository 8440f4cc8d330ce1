import { markdownInlineToText } from './light-markdown.ts';

/**
 * The line many offers put under their title, whatever the format (Markdown, text, PDF):
 * "**Acme** — Berlin (hybrid) — Full-time", "Acme · Austin, TX", "Acme | Sydney | Permanent",
 * "Company: Acme", or a `### Acme` sub-heading.
 */
export interface Byline {
  company?: string;
  location?: string;
}

const SEPARATOR = /\s+[—–·|]\s+|\s+-\s+/;
const LABELLED = /^(?:\*\*)?(?:company|entreprise|employer|organisation|organization)\s*:?\s*(?:\*\*)?\s*:?\s*(.+)$/i;

/**
 * Only a short line of that shape counts, so a first paragraph is never mistaken for a company
 * name: at most 160 characters, no final full stop, and a first part of at most six words.
 */
export function parseByline(line: string | undefined): Byline | undefined {
  const text = line?.trim() ?? '';
  if (!text || text.length > 160) return undefined;
  const labelled = LABELLED.exec(text);
  if (labelled) return { company: markdownInlineToText(labelled[1]!) };
  const heading = /^###\s+(.+)$/.exec(text);
  if (heading) return { company: markdownInlineToText(heading[1]!) };
  const parts = text.split(SEPARATOR).map((part) => markdownInlineToText(part).trim());
  if (parts.length < 2 || /[.!?]$/.test(text) || parts[0]!.split(/\s+/).length > 6) return undefined;
  return { company: parts[0]!, location: parts[1]! };
}

/** Reads a byline from the first non-empty line (within the first two) and removes it from the lines. */
export function takeByline(lines: string[]): { byline: Byline | undefined; lines: string[] } {
  const first = lines.findIndex((line) => line.trim() !== '');
  const byline = first >= 0 && first <= 1 ? parseByline(lines[first]) : undefined;
  return { byline, lines: byline ? lines.slice(first + 1) : lines };
}
