import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { SourceError } from '../../src/errors.ts';
import { parseFrontMatter, parseMarkdown } from '../../ingest/parse/markdown.ts';
import { parseText } from '../../ingest/parse/text.ts';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/parse/${name}`, import.meta.url), 'utf8');

describe('parseMarkdown', () => {
  it('reads YAML front matter and converts the body', () => {
    const offer = parseMarkdown(fixture('front-matter.md'), 'jobs/front-matter.md');
    assert.deepEqual(offer, {
      source: 'jobs/front-matter.md',
      format: 'md',
      title: 'Site Reliability Engineer, Payments',
      company: 'Fernhill Logistics',
      location: 'Nantes, France',
      url: 'https://jobs.fernhill.example/sre-payments',
      datePosted: '2025-02-03',
      validThrough: '2025-04-30',
      language: 'en',
      description: [
        'Fernhill moves parcels for small shops. Our payments platform must never sleep.',
        '',
        '## What you will do',
        '',
        '- Own the error budget of the checkout API',
        '- Write runbooks that a tired person can follow',
        '- Improve alerting with the team',
        '',
        '## Who you are',
        '',
        '- Three years running production services',
        '- Comfortable with Terraform and PostgreSQL',
        '',
        '## Benefits',
        '',
        '- A four-day week in summer',
        '- Learning budget & conference travel',
      ].join('\n'),
    });
  });

  it('reads the ATS export header: linked title, company, decorated location', () => {
    const offer = parseMarkdown(fixture('ats.md'), 'ats.md');
    assert.equal(offer.title, 'Platform Engineer (Remote)');
    assert.equal(offer.url, 'https://apply.example.org/jobs/platform-engineer-4821');
    assert.equal(offer.company, 'Quillmate');
    assert.equal(offer.location, 'Remote, Portugal');
    assert.equal(
      offer.description,
      '## About the role\n\nQuillmate builds note-taking tools for research labs. You will run the platform that keeps them online.\n\n' +
        '## Main duties\n\n- Run our Kubernetes clusters on two clouds\n- Keep deploys under ten minutes and make them boring\n\n' +
        '## Requirements\n\n- Go or Python\n- On-call experience',
    );
  });

  it('takes the ATS location without backticks, and none when the line is empty', () => {
    const base = '# [Ops Lead](https://x.example/1)\n### Acme\n';
    assert.equal(parseMarkdown(`${base}#### 🌍 Berlin, Germany\n\nText.`, 'a.md').location, 'Berlin, Germany');
    assert.equal(parseMarkdown(`${base}####\n\nText.`, 'a.md').location, undefined);
    assert.equal(parseMarkdown(`${base}\nText.`, 'a.md').company, 'Acme');
  });

  it('uses a leading H1 as the title and keeps it out of the description', () => {
    const offer = parseMarkdown('# Data **Engineer**\n\n## Role\n\nMove data.', 'x.md');
    assert.equal(offer.title, 'Data Engineer');
    assert.equal(offer.description, '## Role\n\nMove data.');
  });

  it('falls back to the humanised file name, and its date', () => {
    const offer = parseMarkdown('We need help with our servers.', '/posts/2024-05-06-senior_cloud-engineer.md');
    assert.equal(offer.title, 'Senior cloud engineer');
    assert.equal(offer.datePosted, '2024-05-06');
  });

  it('reads the position from `roles` when there is no title (Jekyll job posts)', () => {
    const offer = parseMarkdown('---\nroles: Développeuse ou développeur backend\nstartup: carto-verte\n---\nTexte.', 'a.md');
    assert.equal(offer.title, 'Développeuse ou développeur backend');
    assert.equal(offer.company, 'carto-verte');
  });

  it('rejects a file with no text besides its title', () => {
    assert.throws(() => parseMarkdown('# Only a title\n', 'a.md'), SourceError);
  });
});

describe('parseFrontMatter', () => {
  it('reads quoted values, block scalars and skips lists and comments', () => {
    assert.deepEqual(parseFrontMatter("title: 'It''s \"fine\"'\nurl: \"https://x.example/a\"\nsummary: >-\n  one\n  two\ntags:\n  - a\ncity: Lyon # comment"), {
      title: 'It\'s "fine"',
      url: 'https://x.example/a',
      summary: 'one two',
      city: 'Lyon',
    });
  });
});

describe('parseText', () => {
  it('takes a short first line as title and Company/Location lines as metadata', () => {
    const text = '\n  DevOps Engineer  \nCompany: Oakridge Labs\nLocation: Remote (EU)\n\nWe test seeds.\n\nREQUIREMENTS\n* Bash\n* Patience';
    assert.deepEqual(parseText(text, 'job.txt'), {
      source: 'job.txt',
      format: 'txt',
      title: 'DevOps Engineer',
      company: 'Oakridge Labs',
      location: 'Remote (EU)',
      description: 'We test seeds.\n\n## REQUIREMENTS\n\n- Bash\n- Patience',
    });
  });

  it('does not take a long first line as title, nor metadata lines far from the top', () => {
    const long = 'We are looking for someone who enjoys keeping systems healthy and who can explain an outage to anyone in the company, calmly and without blame.';
    const filler = Array.from({ length: 10 }, (_, i) => `Line ${i}.`).join('\n');
    const offer = parseText(`${long}\n${filler}\nCompany: Late Inc`, 'job.txt');
    assert.equal(offer.title, undefined);
    assert.equal(offer.company, undefined);
    assert.match(offer.description, /^We are looking/);
    assert.match(offer.description, /Company: Late Inc$/);
  });
});
