/**
 * Datasets: one offer per record of a JSON array, a JSONL file or a CSV file. A bad record is a
 * problem of its own; the others are still parsed.
 *
 * Record sources are `${source}#${n}` where n is the 1-based record number in a JSON array and
 * the 1-based line number (where the record starts) in JSONL and CSV, so a user can open the file
 * at the line a problem names. In CSV the header is line 1, so the first record is `#2`.
 */
import { SourceError } from '../../src/errors.ts';
import type { RawOffer } from '../../src/types.ts';
import type { ParseResult } from './index.ts';
import { isJobPosting, jobPostingToOffer, locationText, textValue } from './json-ld.ts';
import { anyTextToLight } from './light-markdown.ts';
import { rawOffer } from './raw-offer.ts';

export type DatasetFormat = 'json' | 'jsonl' | 'csv';

type DatasetRecord = Record<string, unknown>;

/** Field aliases, compared after lower-casing and dropping `_`, `-` and spaces. */
const FIELD_ALIASES = {
  title: ['title', 'job_title', 'position', 'name'],
  description: ['description', 'body', 'text', 'content', 'job_description'],
  company: ['company', 'company_name', 'organization', 'employer', 'hiringOrganization'],
  location: ['location'],
  url: ['url', 'apply_url', 'link'],
  datePosted: ['date', 'date_posted', 'datePosted'],
  validThrough: ['valid_through', 'validThrough', 'expires'],
  language: ['language', 'lang'],
} as const;
type Field = keyof typeof FIELD_ALIASES;

const normaliseKey = (key: string) => key.toLowerCase().replace(/[\s_-]+/g, '');

const ARRAY_KEYS = ['jobs', 'offers', 'postings', 'data', 'items', 'results'];

function fieldValue(record: DatasetRecord, field: Field): unknown {
  const wanted = FIELD_ALIASES[field].map(normaliseKey);
  const keys = Object.keys(record);
  for (const alias of wanted) {
    const key = keys.find((k) => normaliseKey(k) === alias);
    if (key !== undefined && record[key] !== null && record[key] !== '') return record[key];
  }
  return undefined;
}

function recordToOffer(record: unknown, source: string, format: DatasetFormat): RawOffer {
  if (typeof record !== 'object' || record === null || Array.isArray(record)) {
    throw new SourceError(source, 'record is not an object');
  }
  if (isJobPosting(record)) return jobPostingToOffer(record, source, { format });
  const fields = record as DatasetRecord;

  const title = textValue(fieldValue(fields, 'title'));
  if (!title) throw new SourceError(source, `record has no title (looked for ${FIELD_ALIASES.title.join(', ')})`);
  const rawDescription = textValue(fieldValue(fields, 'description'));
  if (!rawDescription) {
    throw new SourceError(source, `record has no description (looked for ${FIELD_ALIASES.description.join(', ')})`);
  }
  const location = fieldValue(fields, 'location');
  return rawOffer({
    source,
    format,
    title,
    company: textValue(fieldValue(fields, 'company')),
    location: typeof location === 'object' && location !== null ? locationText({ jobLocation: location }) : textValue(location),
    url: textValue(fieldValue(fields, 'url')),
    datePosted: textValue(fieldValue(fields, 'datePosted')),
    validThrough: textValue(fieldValue(fields, 'validThrough')),
    language: textValue(fieldValue(fields, 'language')),
    description: anyTextToLight(rawDescription),
  });
}

interface NumberedRecord {
  /** Record number (JSON) or starting line number (JSONL, CSV). */
  n: number;
  record: unknown;
}

/** Collects offers and per-record problems; a whole-file problem is thrown by the readers. */
function collect(records: Iterable<NumberedRecord | SourceError>, source: string, format: DatasetFormat): ParseResult {
  const result: ParseResult = { offers: [], problems: [] };
  for (const entry of records) {
    if (entry instanceof SourceError) {
      result.problems.push(entry);
      continue;
    }
    try {
      result.offers.push(recordToOffer(entry.record, `${source}#${entry.n}`, format));
    } catch (error) {
      if (!(error instanceof SourceError)) throw error;
      result.problems.push(error);
    }
  }
  // A file where every record fails the same way is not a dataset of offers (a manifest, an
  // export of something else): one problem for the file says so better than one per record.
  const reasons = new Set(result.problems.map((p) => p.message));
  if (result.offers.length === 0 && result.problems.length > 1 && reasons.size === 1) {
    return { offers: [], problems: [new SourceError(source, `not a dataset of offers: all ${result.problems.length} records fail with "${[...reasons][0]}"`)] };
  }
  return result;
}

function* jsonRecords(text: string, source: string): Generator<NumberedRecord> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new SourceError(source, `invalid JSON: ${(error as Error).message}`, { cause: error });
  }
  let records: unknown[] | undefined;
  if (Array.isArray(parsed)) {
    records = parsed;
  } else if (typeof parsed === 'object' && parsed !== null) {
    const object = parsed as DatasetRecord;
    const key = Object.keys(object).find((k) => ARRAY_KEYS.includes(k.toLowerCase()) && Array.isArray(object[k]));
    // A lone object that has a title is a dataset of one.
    records = key !== undefined ? (object[key] as unknown[]) : fieldValue(object, 'title') ? [object] : undefined;
  }
  if (!records) {
    throw new SourceError(source, `no records found: expected an array, or an object with an array under ${ARRAY_KEYS.join('/')}`);
  }
  for (const [index, record] of records.entries()) yield { n: index + 1, record };
}

function* jsonlRecords(text: string, source: string): Generator<NumberedRecord | SourceError> {
  const lines = text.split(/\r?\n/);
  for (const [index, line] of lines.entries()) {
    if (!line.trim()) continue;
    try {
      yield { n: index + 1, record: JSON.parse(line) };
    } catch (error) {
      yield new SourceError(`${source}#${index + 1}`, `invalid JSON on line ${index + 1}: ${(error as Error).message}`, {
        cause: error,
      });
    }
  }
}

// ---------------------------------------------------------------------------------------------
// CSV (RFC 4180, leniently)
// ---------------------------------------------------------------------------------------------

export interface CsvRow {
  fields: string[];
  /** 1-based line where the row starts. */
  line: number;
}

/** The delimiter used most in the header line, outside quotes: `,` unless `;` or tab win. */
function sniffDelimiter(text: string): string {
  const header = (text.split(/\r?\n/, 1)[0] ?? '').replace(/"[^"]*"/g, '');
  const counts = [',', ';', '\t'].map((d) => [d, header.split(d).length - 1] as const);
  return counts.reduce((best, candidate) => (candidate[1] > best[1] ? candidate : best))[0];
}

/**
 * A single pass over the characters (so nothing can hang): quoted fields with doubled quotes,
 * line breaks inside quotes, CRLF or LF. A quote left open at the end of the file is a problem
 * naming the line where the broken row starts; every row before it is returned.
 */
export function parseCsv(text: string, source: string, delimiter = sniffDelimiter(text)): { rows: CsvRow[]; problem?: SourceError } {
  const rows: CsvRow[] = [];
  let fields: string[] = [];
  let field = '';
  let inQuotes = false;
  let line = 1;
  let rowLine = 1;
  let quoteLine = 1;

  const endRow = () => {
    fields.push(field);
    if (fields.length > 1 || fields[0]!.trim()) rows.push({ fields, line: rowLine });
    fields = [];
    field = '';
  };

  for (let i = 0; i < text.length; i += 1) {
    const ch = text[i]!;
    if (inQuotes) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i += 1;
      } else if (ch === '"') {
        inQuotes = false;
      } else {
        if (ch === '\n') line += 1;
        field += ch;
      }
    } else if (ch === '"' && field === '') {
      inQuotes = true;
      quoteLine = line;
    } else if (ch === delimiter) {
      fields.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i += 1;
      endRow();
      line += 1;
      rowLine = line;
    } else {
      field += ch; // a stray quote inside an unquoted field is kept as text
    }
  }
  if (inQuotes) {
    const problem = new SourceError(
      `${source}#${rowLine}`,
      `unterminated quoted field (quote opened on line ${quoteLine}); the rest of the file from line ${rowLine} was skipped`,
    );
    return { rows, problem };
  }
  if (field !== '' || fields.length > 0) endRow();
  return { rows };
}

function* csvRecords(text: string, source: string): Generator<NumberedRecord | SourceError> {
  const { rows, problem } = parseCsv(text, source);
  const [header, ...data] = rows;
  if (!header) throw new SourceError(source, 'CSV has no header row');
  const names = header.fields.map((name) => name.trim());
  for (const row of data) {
    const record: DatasetRecord = {};
    names.forEach((name, index) => {
      if (name) record[name] = row.fields[index]?.trim() ?? '';
    });
    yield { n: row.line, record };
  }
  if (problem) yield problem;
}

const READERS = { json: jsonRecords, jsonl: jsonlRecords, csv: csvRecords } satisfies Record<
  DatasetFormat,
  (text: string, source: string) => Iterable<NumberedRecord | SourceError>
>;

export function parseDataset(text: string, source: string, format: DatasetFormat): ParseResult {
  try {
    return collect(READERS[format](text, source), source, format);
  } catch (error) {
    if (!(error instanceof SourceError)) throw error;
    return { offers: [], problems: [error] };
  }
}
