import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { NotOffersError, SourceError } from '../../src/errors.ts';
import { type DatasetFormat, MAX_LISTED_PROBLEMS, parseCsv, parseDataset } from '../../ingest/parse/dataset.ts';
import type { ParseResult } from '../../ingest/parse/index.ts';

/** Every offer and problem of a dataset. */
function parse(text: string, source: string, format: DatasetFormat): ParseResult {
  const result: ParseResult = { offers: [], problems: [] };
  for (const item of parseDataset(text, source, format)) {
    if (item instanceof SourceError) result.problems.push(item);
    else result.offers.push(item);
  }
  return result;
}

const problemsOf = (result: { problems: SourceError[] }) => result.problems.map((p) => [p.source, p.message]);

describe('parseDataset: JSON', () => {
  it('reads an array of records, matching field names case-insensitively through aliases', () => {
    const json = JSON.stringify([
      {
        Job_Title: 'SRE',
        JOB_DESCRIPTION: '<p>Keep <b>uptime</b> high.</p><ul><li>On-call</li></ul>',
        company_name: 'Harbourlight',
        Location: 'Oslo',
        apply_url: 'https://h.example/1',
        datePosted: '2025-01-02',
        expires: '2025-02-02',
        lang: 'no',
      },
      { position: 'DevOps', body: 'Plain text body.\nSecond line.', employer: { name: 'Gullwing' }, location: { address: { addressLocality: 'Bergen' } } },
    ]);
    const { offers, problems } = parse(json, 'jobs.json', 'json');
    assert.deepEqual(problems, []);
    assert.deepEqual(offers, [
      {
        source: 'jobs.json#1',
        format: 'json',
        title: 'SRE',
        company: 'Harbourlight',
        location: 'Oslo',
        url: 'https://h.example/1',
        datePosted: '2025-01-02',
        validThrough: '2025-02-02',
        language: 'no',
        description: 'Keep uptime high.\n\n- On-call',
      },
      { source: 'jobs.json#2', format: 'json', title: 'DevOps', company: 'Gullwing', location: 'Bergen', description: 'Plain text body.\nSecond line.' },
    ]);
  });

  it('finds the records under jobs/offers/postings/data/items/results', () => {
    for (const key of ['jobs', 'Offers', 'postings', 'data', 'items', 'results']) {
      const { offers } = parse(JSON.stringify({ total: 1, [key]: [{ title: 'T', description: 'D' }] }), 'x.json', 'json');
      assert.equal(offers.length, 1, key);
    }
  });

  it('reads JobPosting records as JSON-LD', () => {
    const record = { '@type': 'JobPosting', title: 'Platform Engineer', hiringOrganization: 'Brightwater', description: 'Run it.', jobBenefits: 'Bikes.' };
    const { offers } = parse(JSON.stringify([record]), 'x.json', 'json');
    assert.equal(offers[0]?.company, 'Brightwater');
    assert.deepEqual(offers[0]?.sections, [{ kind: 'benefits', text: 'Bikes.' }]);
  });

  it('reports records without a title or a description, and keeps the others', () => {
    const json = JSON.stringify([{ title: 'Ok', text: 'Fine.' }, { description: 'No title' }, { title: 'No body' }, 'not an object']);
    const result = parse(json, 'x.json', 'json');
    assert.deepEqual(result.offers.map((o) => o.source), ['x.json#1']);
    assert.deepEqual(problemsOf(result), [
      ['x.json#2', 'record has no title (looked for title, job_title, position, name)'],
      ['x.json#3', 'record has no description (looked for description, body, text, content, job_description)'],
      ['x.json#4', 'record is not an object'],
    ]);
  });

  it('reports invalid JSON and JSON without records as one problem', () => {
    assert.match(parse('{"jobs": [', 'x.json', 'json').problems[0]?.message ?? '', /^invalid JSON/);
    assert.match(parse('{"count": 3}', 'x.json', 'json').problems[0]?.message ?? '', /no records found/);
  });
});

describe('parseDataset: JSONL', () => {
  it('parses every good line and reports the bad one by line number', () => {
    const jsonl = '{"title":"A","description":"First."}\n\n{"title": "B", broken\n{"title":"C","description":"Third."}\r\n';
    const result = parse(jsonl, 'feed.jsonl', 'jsonl');
    assert.deepEqual(result.offers.map((o) => [o.source, o.title]), [['feed.jsonl#1', 'A'], ['feed.jsonl#4', 'C']]);
    assert.equal(result.problems.length, 1);
    assert.ok(result.problems[0] instanceof SourceError);
    assert.equal(result.problems[0]?.source, 'feed.jsonl#3');
    assert.match(result.problems[0]?.message ?? '', /^invalid JSON on line 3/);
  });
});

describe('parseDataset: CSV', () => {
  it('handles quotes, doubled quotes, newlines inside quotes and CRLF', () => {
    const csv =
      'Title,Company,Description\r\n' +
      '"Ops, Senior",Redfern,"Says ""hello"".\r\nSecond line."\r\n' +
      'Dev,"Blue ""Fish""",Short\r\n';
    const { offers, problems } = parse(csv, 'jobs.csv', 'csv');
    assert.deepEqual(problems, []);
    assert.deepEqual(
      offers.map((o) => [o.source, o.title, o.company, o.description]),
      [
        ['jobs.csv#2', 'Ops, Senior', 'Redfern', 'Says "hello".\nSecond line.'],
        ['jobs.csv#4', 'Dev', 'Blue "Fish"', 'Short'],
      ],
    );
  });

  it('reads semicolon-separated files', () => {
    const { offers } = parse('title;description\nA;Text, with comma\n', 'x.csv', 'csv');
    assert.deepEqual(offers.map((o) => o.description), ['Text, with comma']);
  });

  it('reports an unterminated quote from its row onward, keeping earlier rows', () => {
    const csv = 'title,description\nGood,Fine text\nBad,"never closed\nNext,row\n';
    const result = parse(csv, 'x.csv', 'csv');
    assert.deepEqual(result.offers.map((o) => o.title), ['Good']);
    assert.deepEqual(problemsOf(result), [
      ['x.csv#3', 'unterminated quoted field (quote opened on line 3); the rest of the file from line 3 was skipped'],
    ]);
  });

  it('reports a file without a header row', () => {
    assert.match(parse('\n\n', 'x.csv', 'csv').problems[0]?.message ?? '', /no header row/);
  });
});

describe('parseCsv', () => {
  it('numbers rows by the line they start on and skips blank lines', () => {
    const { rows } = parseCsv('a,b\n\n"x\ny",z\nlast,"q"', 'x.csv');
    assert.deepEqual(rows, [
      { fields: ['a', 'b'], line: 1 },
      { fields: ['x\ny', 'z'], line: 3 },
      { fields: ['last', 'q'], line: 5 },
    ]);
  });

  it('reads a pathological file to its end (its time grows linearly: hostile-inputs.test.ts)', () => {
    const { rows, problem } = parseCsv(`h\n${'"'.repeat(200_001)}`, 'x.csv');
    assert.equal(rows.length, 1);
    assert.ok(problem);
  });
});

describe('parseDataset: files that are not offers, and many bad records', () => {
  it('tells a file that holds no offers: a CSV without the columns, records that all fail alike', () => {
    const manifest = parse('file,label\na.md,sre\n', 'manifest.csv', 'csv');
    assert.deepEqual(manifest.offers, []);
    assert.ok(manifest.problems[0] instanceof NotOffersError);
    assert.equal(manifest.problems[0]?.message, 'not a dataset of offers: no title column (looked for title, job_title, position, name)');
    const people = parse(JSON.stringify([{ name: 'Ada' }, { name: 'Grace' }]), 'people.json', 'json');
    assert.deepEqual(problemsOf(people), [
      ['people.json', 'not a dataset of offers: all 2 records fail with "record has no description (looked for description, body, text, content, job_description)"'],
    ]);
    assert.ok(people.problems[0] instanceof NotOffersError);
  });

  it('lists the first bad records, then how many more, and keeps every offer', () => {
    const lines = [...Array.from({ length: MAX_LISTED_PROBLEMS + 5 }, () => 'not json'), JSON.stringify({ title: 'Pilot', description: 'Guide the ships in.' })];
    const result = parse(lines.join('\n'), 'feed.jsonl', 'jsonl');
    assert.deepEqual(result.offers.map((o) => o.title), ['Pilot']);
    assert.equal(result.problems.length, MAX_LISTED_PROBLEMS + 1);
    assert.equal(result.problems[0]?.source, 'feed.jsonl#1');
    assert.deepEqual(problemsOf(result).at(-1), ['feed.jsonl', `5 more bad records, not listed (${MAX_LISTED_PROBLEMS + 5} in all)`]);
  });
});
