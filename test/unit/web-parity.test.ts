/**
 * The same offer read from its Markdown file and from the ways a site serves it (a JSON-LD-only
 * page, a page in site chrome, a PDF) comes out the same: language, role, title, company,
 * location and sections. The integration test (web-ingest.test.ts) runs the same through a
 * sitemap, the crawler and the index; these pin each cause of the differences it found.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { normaliseOffer } from '../../ingest/normalise.ts';
import { parseBytes, type ParseHint } from '../../ingest/parse/index.ts';
import { loadRoleCatalog } from '../../src/catalog/roles.ts';
import { frenchSiteOffer } from '../helpers/french-offers.ts';
import { chromePage, jsonLdPage, offerMarkdown, offerPdf, siteOffer } from '../helpers/job-site.ts';

const roles = loadRoleCatalog();

async function read(bytes: Uint8Array, hint: ParseHint) {
  const { offers, problems } = await parseBytes(bytes, 'offer', hint);
  assert.deepEqual(problems, []);
  const { language, role, title, company, location, sections } = normaliseOffer(offers[0]!, { roles });
  return { language, role, title, company, location, sections };
}

describe('web pages and PDFs against the Markdown file of the same offer', () => {
  // A French offer under a template that says lang="en"; an English one whose byline has no comma.
  for (const offer of [frenchSiteOffer(4, 'parity'), frenchSiteOffer(5, 'parity'), siteOffer(2, 'ci')]) {
    it(`${offer.slug} (${offer.language}, "${offer.company} · ${offer.location}")`, async () => {
      const file = await read(Buffer.from(offerMarkdown(offer)), { extension: '.md' });
      assert.equal(file.language, offer.language);
      assert.equal(file.location, offer.location);
      assert.deepEqual(await read(Buffer.from(jsonLdPage(offer)), { contentType: 'text/html' }), file, 'JSON-LD page');
      assert.deepEqual(await read(Buffer.from(chromePage(offer, [siteOffer(9, 'parity')])), { contentType: 'text/html' }), file, 'page in chrome: its byline is no "other" section');
      assert.deepEqual(await read(await offerPdf(offer), { contentType: 'application/pdf' }), file, 'PDF: its byline is no heading');
    });
  }
});
