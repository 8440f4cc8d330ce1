import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { SourceError } from '../../src/errors.ts';
import { parseHtml } from '../../ingest/parse/html.ts';
import { seeded } from '../helpers/property.ts';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/parse/${name}`, import.meta.url), 'utf8');

const jsonLdPage = (value: unknown, body = '') =>
  `<html><head><script type="application/ld+json">${JSON.stringify(value)}</script></head><body>${body}</body></html>`;

describe('parseHtml: JSON-LD', () => {
  it('maps a JobPosting, with responsibilities/qualifications/benefits as sections', () => {
    const [offer, ...rest] = parseHtml(fixture('jsonld.html'), 'page.html');
    assert.equal(rest.length, 0);
    assert.deepEqual(offer, {
      source: 'page.html',
      format: 'jsonld',
      title: 'Ingénieur DevOps',
      company: 'Brindille',
      location: 'Lille, FR; Bordeaux, Nouvelle-Aquitaine, FR',
      url: 'https://brindille.example/jobs/devops',
      datePosted: '2025-01-15',
      validThrough: '2025-03-15T23:59',
      language: 'fr',
      description: 'Brindille conçoit des serres connectées.\n\n## Le poste\n\n- Automatiser les déploiements\n- Surveiller la production',
      sections: [
        { kind: 'missions', text: '- Maintenir la CI\n- Gérer les astreintes' },
        { kind: 'requirements', text: "- Trois ans d'expérience Linux\n- Bonne connaissance d'Ansible" },
        { kind: 'benefits', text: 'Tickets restaurant et télétravail partiel.' },
      ],
    });
  });

  it('finds a JobPosting inside @graph, with an array @type and typed requirement objects', () => {
    const [offer] = parseHtml(fixture('jsonld-graph.html'), 'graph.html');
    assert.equal(offer?.title, 'Data Engineer');
    assert.equal(offer?.company, 'Larkspur Analytics');
    assert.equal(offer?.location, 'Remote');
    assert.equal(offer?.language, 'en-GB');
    assert.equal(offer?.description, 'We build weather models.\n\nYou will maintain our ingestion pipelines.');
    assert.deepEqual(offer?.sections, [
      { kind: 'requirements', text: '- Apache Spark\n- SQL' },
      { kind: 'requirements', text: '24 months of experience' },
      { kind: 'requirements', text: 'bachelor degree' },
    ]);
  });

  it('reads a single-page app whose only content is JSON-LD with entity-escaped HTML', () => {
    const [offer] = parseHtml(fixture('spa.html'), 'spa.html');
    assert.equal(offer?.title, 'Backend Developer');
    assert.equal(offer?.company, 'Tidewater');
    assert.equal(offer?.location, 'Remote, Canada');
    assert.equal(offer?.description, 'Tidewater tracks tides for harbours.\n\n## You will\n\n- Write Kotlin services');
  });

  it('numbers the offers of a page holding several JobPostings', () => {
    const html = jsonLdPage({
      '@type': 'ItemList',
      itemListElement: [
        { '@type': 'ListItem', item: { '@type': 'JobPosting', title: 'A', description: 'First job.' } },
        { '@type': 'ListItem', item: { '@type': 'JobPosting', title: 'B', description: 'Second job.' } },
      ],
    });
    assert.deepEqual(
      parseHtml(html, 'list.html').map((o) => [o.source, o.title]),
      [['list.html#1', 'A'], ['list.html#2', 'B']],
    );
  });

  it('falls back to the page when the JSON-LD is malformed', () => {
    const [offer] = parseHtml(fixture('malformed-jsonld.html'), 'broken.html');
    assert.equal(offer?.format, 'html');
    assert.equal(offer?.title, 'Release Engineer');
    assert.equal(offer?.language, 'en');
    assert.equal(
      offer?.description,
      'Pinecone Forge makes tools for woodworkers and needs someone to own its release process.\n\n## Responsibilities\n\n- Cut weekly releases of the desktop app',
    );
  });

  it('falls back to the page when the JobPosting has no text at all', () => {
    const html = jsonLdPage({ '@type': 'JobPosting', title: 'Empty' }, '<main><h1>Full Title</h1><p>The page has the text.</p></main>');
    const [offer] = parseHtml(html, 'p.html');
    assert.equal(offer?.format, 'html');
    assert.equal(offer?.title, 'Full Title');
    assert.equal(offer?.description, 'The page has the text.');
  });
});

describe('parseHtml: page content', () => {
  it('keeps the posting and drops nav, cookie banner, breadcrumbs, sidebars, share and similar jobs', () => {
    const [offer] = parseHtml(fixture('plain-page.html'), 'plain.html');
    assert.equal(offer?.format, 'html');
    assert.equal(offer?.title, 'Cloud Engineer (m/w/d)');
    assert.equal(offer?.company, 'Birkenweg Energie');
    assert.equal(offer?.language, 'de');
    const description = offer?.description ?? '';
    // The company line the name was read from is the page's byline, not offer text.
    assert.match(description, /^Birkenweg Energie runs the software/);
    assert.match(description, /## Your tasks\n\n- Operate our AWS accounts with Terraform and a lot of care\n- Build dashboards/);
    assert.match(description, /## Your profile\n\n- Solid experience with Linux/);
    for (const leak of ['cookies', 'All jobs', 'Home', 'Filter by city', 'Share', 'Similar jobs', 'Network Engineer', 'job alerts', 'Imprint', 'pageview', 'color']) {
      assert.ok(!description.includes(leak), `"${leak}" leaked into the description`);
    }
  });

  it('takes the title from og:title or <title> without the site suffix', () => {
    const og = '<html><head><meta property="og:title" content="QA Lead | Snowberry"></head><body><p>Test everything twice, please.</p></body></html>';
    assert.equal(parseHtml(og, 'a.html')[0]?.title, 'QA Lead');
    const titled =
      '<html><head><title>QA Lead - Snowberry</title><meta property="og:site_name" content="Snowberry"></head><body><p>Test everything.</p></body></html>';
    assert.deepEqual(
      [parseHtml(titled, 'b.html')[0]?.title, parseHtml(titled, 'b.html')[0]?.company],
      ['QA Lead', 'Snowberry'],
    );
  });

  it('picks the largest text block when there is no main or article', () => {
    const html =
      '<body><div class="menu"><p>Jobs</p><p>Team</p></div><div class="content"><p>This paragraph describes the job in enough words to count.</p><p>And a second paragraph that adds more detail about the job.</p></div><div><p>Tiny</p></div></body>';
    assert.equal(
      parseHtml(html, 'c.html')[0]?.description,
      'This paragraph describes the job in enough words to count.\n\nAnd a second paragraph that adds more detail about the job.',
    );
  });

  it('reports a page without usable text as a SourceError', () => {
    assert.throws(() => parseHtml('<html><body><nav>Menu</nav><script>1</script></body></html>', 'empty.html'), (error: unknown) => {
      assert.ok(error instanceof SourceError);
      assert.equal(error.source, 'empty.html');
      assert.match(error.message, /no job text/);
      return true;
    });
  });

  it('never throws anything but SourceError, whatever the input', () => {
    const pieces = ['<script type="application/ld+json">', '</script>', '{"@type":"JobPosting"', ',"description":"x"}', '[', ']', '<p>', 'text', '<main>', '<h1>', '"', '<!--', '<nav>'];
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(...pieces), maxLength: 30 }), (html) => {
        try {
          parseHtml(html, 'fuzz.html');
        } catch (error) {
          assert.ok(error instanceof SourceError, String(error));
        }
      }),
      seeded(),
    );
  });
});
