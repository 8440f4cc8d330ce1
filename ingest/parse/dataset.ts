/**
 * Datasets: one offer per record of a JSON array, a JSONL file or a CSV file, produced one at a
 * time as the file is read (a 100k-row CSV read whole, rows then offers, took 1 GB). A bad record
 * is a problem of its own; the others are still parsed. Only the first problems of a file are
 * listed, then one more says how many there were.
 *
 * Record sources are `${source}#${n}` where n is the 1-based record number in a JSON array and
 * the 1-based line number (where the record starts) in JSONL and CSV, so a user can open the file
 * at the line a problem names. In CSV the header is line 1, so the first record is `#2`.
 */
import { NotOffersError, SourceError } from '../../src/errors.ts';
import type { RawOffer } from '../../src/types.ts';
import { isJobPosting, jobPostingToOffer, locationText, textValue } from './json-ld.ts';
import { anyTextToLight } from './light-markdown.ts';
import { payFromFields } from '../facts.ts';
import { rawOffer, withPay } from './raw-offer.ts';

export type DatasetFormat = 'json' | 'jsonl' | 'csv';

type DatasetRecord = Record<string, unknown>;

/** Field aliases, compared after lower-casing and dropping `_`, `-` and spaces. */
const FIELD_ALIASES = {
  title: ['title', 'job_title', 'position', 'name'],
  description: ['description', 'body', 'text', 'content', 'job_description'],
  company: ['company', 'company_name', 'organization', 'employer', 'hiringOrganization'],
  location: ['location'],
  url: ['url', 'apply_url', 'job_url', 'job_url_direct', 'link'],
  datePosted: ['date', 'date_posted', 'datePosted', 'posted_at', 'created_at'],
  payMin: ['min_amount', 'salary_min', 'min_salary', 'salary_from'],
  payMax: ['max_amount', 'salary_max', 'max_salary', 'salary_to'],
  payCurrency: ['currency', 'salary_currency'],
  payPeriod: ['interval', 'salary_period', 'salary_interval', 'pay_period'],
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
    ...withPay(payFromFields({ min: fieldValue(fields, 'payMin'), max: fieldValue(fields, 'payMax'), currency: fieldValue(fields, 'payCurrency'), period: fieldValue(fields, 'payPeriod') })),
  });
}

interface NumberedRecord {
  /** Record number (JSON) or starting line number (JSONL, CSV). */
  n: number;
  record: unknown;
}

/** What a dataset yields: an offer, or a problem with one record (or the whole file). */
export type DatasetItem = RawOffer | SourceError;

/** Problems listed per file; the ones after them are only counted. */
export const MAX_LISTED_PROBLEMS = 20;

/**
 * Records → offers and problems. The problems met before the first offer are held (at most
 * MAX_LISTED_PROBLEMS of them): a file where every record fails the same way is not a dataset of
 * offers (a manifest, an export of something else), which one problem for the file says better.
 */
function* offersOf(records: Iterable<NumberedRecord | SourceError>, source: string, format: DatasetFormat): Generator<DatasetItem> {
  let offers = 0;
  let problems = 0;
  let sharedReason: string | undefined;
  let oneReason = true;
  const held: SourceError[] = [];
  for (const entry of records) {
    let item: DatasetItem;
    try {
      item = SourceError.isInstance(entry) ? entry : recordToOffer(entry.record, `${source}#${entry.n}`, format);
    } catch (error) {
      if (!SourceError.isInstance(error)) throw error;
      item = error;
    }
    if (!SourceError.isInstance(item)) {
      offers += 1;
      yield* held.splice(0);
      yield item;
      continue;
    }
    problems += 1;
    sharedReason ??= item.message;
    if (item.message !== sharedReason) oneReason = false;
    if (problems > MAX_LISTED_PROBLEMS) continue;
    if (offers === 0) held.push(item);
    else yield item;
  }
  if (offers === 0 && problems > 1 && oneReason) {
    yield new NotOffersError(source, `not a dataset of offers: all ${problems} records fail with "${sharedReason}"`);
    return;
  }
  yield* held;
  if (problems > MAX_LISTED_PROBLEMS) {
    yield new SourceError(source, `${problems - MAX_LISTED_PROBLEMS} more bad records, not listed (${problems} in all)`);
  }
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
  for (let index = 0; index < records.length; index += 1) {
    const record = records[index];
    // Dropped once read, so the parsed file shrinks as its offers are made, instead of both living on.
    records[index] = undefined;
    yield { n: index + 1, record };
  }
}

/** The lines of a text with their 1-based numbers, one at a time (not a split of the whole file). */
function* lines(text: string): Generator<{ line: string; n: number }> {
  let start = 0;
  for (let n = 1; start <= text.length; n += 1) {
    const end = text.indexOf('\n', start);
    const stop = end === -1 ? text.length : end;
    yield { line: text.slice(start, stop > start && text[stop - 1] === '\r' ? stop - 1 : stop), n };
    if (end === -1) return;
    start = end + 1;
  }
}

function* jsonlRecords(text: string, source: string): Generator<NumberedRecord | SourceError> {
  for (const { line, n } of lines(text)) {
    if (!line.trim()) continue;
    try {
      yield { n, record: JSON.parse(line) };
    } catch (error) {
      yield new SourceError(`${source}#${n}`, `invalid JSON on line ${n}: ${(error as Error).message}`, { cause: error });
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
  const end = text.search(/\r|\n/);
  const header = (end === -1 ? text : text.slice(0, end)).replace(/"[^"]*"/g, '');
  const counts = [',', ';', '\t'].map((d) => [d, header.split(d).length - 1] as const);
  return counts.reduce((best, candidate) => (candidate[1] > best[1] ? candidate : best))[0];
}

const countLineBreaks = (text: string, from: number, to: number) => {
  let count = 0;
  for (let at = text.indexOf('\n', from); at !== -1 && at < to; at = text.indexOf('\n', at + 1)) count += 1;
  return count;
};

/**
 * Rows one at a time, in one pass that cuts fields out as slices (a character appended at a time,
 * a 20 MB file became millions of string pieces): quoted fields with doubled quotes, line breaks
 * inside quotes, CRLF or LF. Text after a closing quote, or a stray quote inside an unquoted
 * field, is kept as text. A quote left open at the end of the file is a problem naming the line
 * where the broken row starts, after every row before it.
 */
export function* csvRows(text: string, source: string, delimiter = sniffDelimiter(text)): Generator<CsvRow | SourceError, void> {
  let at = 0;
  let line = 1;
  const isRowEnd = (code: number) => code === 10 || code === 13;
  const delimiterCode = delimiter.charCodeAt(0);
  while (at < text.length) {
    const rowLine = line;
    const fields: string[] = [];
    for (;;) {
      let field = '';
      if (text[at] === '"') {
        const quoteLine = line;
        let from = at + 1;
        for (;;) {
          const quote = text.indexOf('"', from);
          if (quote === -1) {
            yield new SourceError(
              `${source}#${rowLine}`,
              `unterminated quoted field (quote opened on line ${quoteLine}); the rest of the file from line ${rowLine} was skipped`,
            );
            return;
          }
          line += countLineBreaks(text, from, quote);
          field += text.slice(from, quote);
          if (text[quote + 1] !== '"') {
            at = quote + 1;
            break;
          }
          field += '"';
          from = quote + 2;
        }
      }
      const start = at;
      while (at < text.length && text.charCodeAt(at) !== delimiterCode && !isRowEnd(text.charCodeAt(at))) at += 1;
      fields.push(field + text.slice(start, at));
      if (at < text.length && text.charCodeAt(at) === delimiterCode) {
        at += 1;
        continue;
      }
      // The end of the row: CRLF, CR or LF, or the end of the file.
      if (text[at] === '\r' && text[at + 1] === '\n') at += 1;
      if (at < text.length) {
        at += 1;
        line += 1;
      }
      break;
    }
    if (fields.length > 1 || fields[0]!.trim()) yield { fields, line: rowLine };
  }
}

/** Every row at once, and the problem that ended them (the manifest readers of the evaluation). */
export function parseCsv(text: string, source: string, delimiter?: string): { rows: CsvRow[]; problem?: SourceError } {
  const rows: CsvRow[] = [];
  for (const row of csvRows(text, source, delimiter)) {
    if (SourceError.isInstance(row)) return { rows, problem: row };
    rows.push(row);
  }
  return { rows };
}

const hasColumn = (names: readonly string[], field: Field) => FIELD_ALIASES[field].some((alias) => names.some((name) => normaliseKey(name) === normaliseKey(alias)));

function* csvRecords(text: string, source: string): Generator<NumberedRecord | SourceError> {
  const rows = csvRows(text, source);
  const header = rows.next().value;
  if (SourceError.isInstance(header)) throw header;
  if (!header) throw new SourceError(source, 'CSV has no header row');
  const names = header.fields.map((name) => name.trim());
  // Told from the header at once: a CSV without these columns holds no offers (a manifest).
  for (const field of ['title', 'description'] as const) {
    if (!hasColumn(names, field)) throw new NotOffersError(source, `not a dataset of offers: no ${field} column (looked for ${FIELD_ALIASES[field].join(', ')})`);
  }
  for (const row of rows) {
    if (SourceError.isInstance(row)) {
      yield row;
      continue;
    }
    const record: DatasetRecord = {};
    names.forEach((name, index) => {
      if (name) record[name] = row.fields[index]?.trim() ?? '';
    });
    yield { n: row.line, record };
  }
}

const READERS = { json: jsonRecords, jsonl: jsonlRecords, csv: csvRecords } satisfies Record<
  DatasetFormat,
  (text: string, source: string) => Iterable<NumberedRecord | SourceError>
>;

/** A dataset's offers and problems, one at a time; a problem with the whole file ends them. */
export function* parseDataset(text: string, source: string, format: DatasetFormat): Generator<DatasetItem> {
  try {
    yield* offersOf(READERS[format](text, source), source, format);
  } catch (error) {
    if (!SourceError.isInstance(error)) throw error;
    yield error;
  }
}
