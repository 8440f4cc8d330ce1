/**
 * Run as a child process by test/integration/memory-bounds.test.ts: reads one file the way the pipeline
 * does (parseOffers, then normaliseOffer, one offer at a time; listing pages also through the link
 * reader) and prints `{ offers, problems, links, maxRssMb }`, the peak RSS of this whole process.
 *   node --import tsx test/helpers/parse-peak.ts FILE
 */
import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { classifyHtmlPage } from '../../ingest/fetch/links.ts';
import { normaliseOffer } from '../../ingest/normalise.ts';
import { parseOffers } from '../../ingest/parse/index.ts';
import { loadRoleCatalog } from '../../src/catalog/roles.ts';
import { SourceError } from '../../src/errors.ts';

const file = process.argv[2]!;
const roles = loadRoleCatalog();
const bytes = await readFile(file);
let offers = 0;
let problems = 0;
for await (const item of parseOffers(bytes, file, { extension: extname(file) })) {
  if (item instanceof SourceError) problems += 1;
  else if (normaliseOffer(item, { roles })) offers += 1;
}
const page = extname(file) === '.html' ? classifyHtmlPage(bytes.toString('utf8'), 'http://127.0.0.1/jobs/') : undefined;
const links = page?.kind === 'listing' ? page.links.length : 0;
console.log(JSON.stringify({ offers, problems, links, maxRssMb: Math.round(process.resourceUsage().maxRSS / 1024) }));
