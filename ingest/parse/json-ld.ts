/**
 * schema.org JobPosting → RawOffer. Shared by the HTML parser (JSON-LD scripts) and the dataset
 * parser (records that are themselves JobPostings). Values in the wild are loose: a field can be
 * a string, an object, or an array of either, and descriptions are HTML or plain text.
 * Also the one reader of a page's JSON-LD scripts, for the parser and for the crawler deciding
 * whether a page is a job page or a listing: two readers disagreed on the same page.
 */
import { isRecord } from '../../src/util/guards.ts';
import type { CheerioAPI } from 'cheerio';
import type { PayFact, RawOffer, Section, SectionKind } from '../../src/types.ts';
import { anyTextToLight } from './light-markdown.ts';
import { payFromFields } from '../facts.ts';
import { rawOffer, withPay } from './raw-offer.ts';

type JsonObject = Record<string, unknown>;

const isObject = (value: unknown): value is JsonObject => isRecord(value);

const asArray = (value: unknown): unknown[] => (Array.isArray(value) ? value : value === undefined ? [] : [value]);

/** A display string from a string, number, or `{ name }`-like object (first element of an array). */
export function textValue(value: unknown): string | undefined {
  for (const item of asArray(value)) {
    if (typeof item === 'string' && item.trim()) return item.trim();
    if (typeof item === 'number') return String(item);
    if (isObject(item)) {
      const named = textValue(item.name ?? item.alternateName ?? item['@value']);
      if (named) return named;
    }
  }
  return undefined;
}

export function isJobPosting(value: unknown): value is JsonObject {
  return isObject(value) && asArray(value['@type']).some((t) => typeof t === 'string' && /(^|[/:])JobPosting$/.test(t));
}

/** How far into nested objects JobPostings are looked for (WebPage.mainEntity, ItemList…). */
const MAX_SEARCH_DEPTH = 6;

/** Every JobPosting in a parsed JSON-LD value: objects, arrays, `@graph`, nested entities. */
export function findJobPostings(root: unknown): JsonObject[] {
  const found: JsonObject[] = [];
  const stack: Array<{ value: unknown; depth: number }> = [{ value: root, depth: 0 }];
  while (stack.length > 0) {
    const { value, depth } = stack.pop()!;
    if (isJobPosting(value)) {
      found.push(value);
      continue;
    }
    if (depth >= MAX_SEARCH_DEPTH) continue;
    const children = Array.isArray(value) ? value : isObject(value) ? Object.values(value) : [];
    for (let i = children.length - 1; i >= 0; i -= 1) stack.push({ value: children[i], depth: depth + 1 });
  }
  return found;
}

/** Parses one JSON-LD script leniently: comment/CDATA wrappers and raw newlines in strings are common. */
function parseJsonLd(raw: string): unknown {
  const cleaned = raw
    .trim()
    .replace(/^(?:<!--|\/\/\s*<!\[CDATA\[|<!\[CDATA\[)/, '')
    .replace(/(?:-->|\/\/\s*\]\]>|\]\]>)$/, '');
  try {
    return JSON.parse(cleaned);
  } catch {
    try {
      return JSON.parse(cleaned.replace(/[\u0000-\u001f]+/g, ' '));
    } catch {
      return undefined; // malformed JSON-LD: the page content is the fallback
    }
  }
}

/** Every JobPosting of a page's JSON-LD scripts, in document order. */
export function pageJobPostings($: CheerioAPI): JsonObject[] {
  return $('script[type="application/ld+json" i]')
    .toArray()
    .flatMap((script) => findJobPostings(parseJsonLd($(script).text())));
}

function placeText(place: unknown): string | undefined {
  if (typeof place === 'string') return place.trim() || undefined;
  if (!isObject(place)) return undefined;
  const address = place.address ?? place;
  if (typeof address === 'string') return address.trim() || undefined;
  if (!isObject(address)) return textValue(place.name);
  const parts = [address.addressLocality, address.addressRegion, address.addressCountry]
    .map(textValue)
    .filter((part): part is string => Boolean(part));
  return parts.length > 0 ? [...new Set(parts)].join(', ') : textValue(place.name);
}

/** All locations, "Remote" added for telecommute jobs, joined with "; ". */
export function locationText(posting: JsonObject): string | undefined {
  const places = asArray(posting.jobLocation).map(placeText);
  if (asArray(posting.jobLocationType).some((t) => typeof t === 'string' && /telecommute/i.test(t))) {
    places.push('Remote');
  }
  const unique = [...new Set(places.filter((p): p is string => Boolean(p)))];
  return unique.length > 0 ? unique.join('; ') : undefined;
}

const SECTION_FIELDS: Array<[field: string, kind: SectionKind]> = [
  ['responsibilities', 'missions'],
  ['qualifications', 'requirements'],
  ['skills', 'requirements'],
  ['experienceRequirements', 'requirements'],
  ['educationRequirements', 'requirements'],
  ['jobBenefits', 'benefits'],
];

/** One entry of a section field: a string (maybe HTML) or a typed object (credential, experience). */
function entryText(entry: unknown): string | undefined {
  if (typeof entry === 'string') return anyTextToLight(entry) || undefined;
  if (!isObject(entry)) return undefined;
  const described = textValue(entry.description) ?? textValue(entry.name) ?? textValue(entry.credentialCategory);
  if (described) return anyTextToLight(described) || undefined;
  const months = Number(entry.monthsOfExperience);
  return Number.isFinite(months) && months > 0 ? `${months} months of experience` : undefined;
}

function sectionsOf(posting: JsonObject): Section[] {
  const sections: Section[] = [];
  for (const [field, kind] of SECTION_FIELDS) {
    const entries = asArray(posting[field]).map(entryText).filter((t): t is string => Boolean(t));
    if (entries.length === 0) continue;
    // Several entries are a list; a single one keeps its own structure.
    const text = entries.length === 1 ? entries[0]! : entries.map((e) => `- ${e.replace(/\s*\n+\s*/g, ' ')}`).join('\n');
    sections.push({ kind, text });
  }
  return sections;
}

function languageOf(value: unknown): string | undefined {
  if (isObject(value)) return textValue(value.alternateName) ?? textValue(value.name);
  return textValue(value);
}

export function jobPostingToOffer(
  posting: JsonObject,
  source: string,
  options: { format?: string; language?: string | undefined } = {},
): RawOffer {
  const description = typeof posting.description === 'string' ? anyTextToLight(posting.description) : '';
  return rawOffer({
    source,
    format: options.format ?? 'jsonld',
    title: textValue(posting.title) ?? textValue(posting.name),
    company: textValue(posting.hiringOrganization),
    location: locationText(posting),
    url: textValue(posting.url),
    datePosted: textValue(posting.datePosted),
    validThrough: textValue(posting.validThrough),
    language: languageOf(posting.inLanguage) ?? options.language,
    description,
    sections: sectionsOf(posting),
    ...withPay(baseSalary(posting.baseSalary)),
  });
}

/** JSON-LD `baseSalary`: a MonetaryAmount whose `value` is a QuantitativeValue (or a number). */
function baseSalary(value: unknown): PayFact | undefined {
  const amount = asArray(value).find(isObject);
  if (!amount) return undefined;
  const quantity = isObject(amount.value) ? amount.value : { value: amount.value };
  return payFromFields({
    min: quantity.minValue ?? quantity.value,
    max: quantity.maxValue ?? quantity.value,
    currency: amount.currency,
    period: quantity.unitText ?? amount.unitText,
  });
}
