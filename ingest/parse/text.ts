/**
 * Plain-text offers: the first line is the title when it is short, and "Company: X" /
 * "Location: Y" lines near the top are metadata rather than description.
 */
import type { RawOffer } from '../../src/types.ts';
import { takeByline } from './byline.ts';
import { plainTextToLight } from './light-markdown.ts';
import { rawOffer, type RawOfferFields } from './raw-offer.ts';

const MAX_TITLE_CHARS = 120;
/** Metadata lines are only looked for this close to the top. */
const HEADER_LINES = 8;

const HEADER_FIELDS: Array<{ field: 'company' | 'location'; pattern: RegExp }> = [
  { field: 'company', pattern: /^(?:company|employer|organi[sz]ation|entreprise)\s*:\s*(.+)$/i },
  { field: 'location', pattern: /^(?:location|city|lieu|localisation)\s*:\s*(.+)$/i },
];

export function parseText(text: string, source: string): RawOffer {
  const lines = text.split(/\r\n?|\n/);
  const offer: RawOfferFields = { source, format: 'txt', description: '' };

  const firstIndex = lines.findIndex((line) => line.trim());
  const first = lines[firstIndex]?.trim() ?? '';
  let start = firstIndex;
  if (first.length > 0 && first.length < MAX_TITLE_CHARS) {
    offer.title = first.replace(/^#+\s*/, '');
    start += 1;
  }

  const { byline, lines: rest } = takeByline(lines.slice(Math.max(0, start)));
  const body: string[] = [];
  rest.forEach((line, index) => {
    const header = index < HEADER_LINES ? HEADER_FIELDS.find(({ pattern }) => pattern.test(line.trim())) : undefined;
    if (header && offer[header.field] === undefined) {
      offer[header.field] = header.pattern.exec(line.trim())![1];
    } else {
      body.push(line);
    }
  });

  offer.company ??= byline?.company;
  offer.location ??= byline?.location;
  return rawOffer({ ...offer, description: plainTextToLight(body.join('\n')) });
}
