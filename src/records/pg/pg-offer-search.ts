import { facetWhere, POSTGRES_FACETS } from '../facets.ts';
import { offerPage, searchWords, type ListingRow, type OfferPage, type OfferSearch } from '../offer-search.ts';
import type { SyncPostgres } from './sync-client.ts';

/**
 * offer-search.ts's browsing on the Postgres record. The words are compared with the folded text
 * the writer stored (schema.ts): company words as whole words of the folded company, the other
 * words as word starts of the folded title, company and text, as SQLite's registered function
 * compares them. `LIKE '% word%'` can use the trigram index when pg_trgm is there.
 */
export function searchOffersPg(db: SyncPostgres, search: OfferSearch): OfferPage {
  const { where, params } = facetWhere(search.filter, POSTGRES_FACETS);
  const { words, companyWords } = searchWords(search);
  const clauses = [where];
  const parameter = (value: unknown) => {
    params.push(value);
    return `$${params.length}`;
  };
  for (const word of companyWords) clauses.push(`strpos(f.folded_company, ${parameter(` ${word} `)}) > 0`);
  // Folded words hold only [a-z0-9]: nothing for LIKE to escape.
  for (const word of words) clauses.push(`f.folded LIKE ${parameter(`% ${word}%`)}`);
  const from = `FROM offer_facets f JOIN offers o ON o.offer_id = f.offer_id WHERE ${clauses.join(' AND ')}`;
  const after = parameter(search.after ?? '');
  const limit = parameter(search.limit + 1);
  const [count, rows] = db.run([
    { text: `SELECT COUNT(*) AS total ${from}`, values: params.slice(0, -2) },
    {
      text: `SELECT f.offer_id, f.role, f.company, f.language, f.posted, f.seniority, f.workplace, f.family_label, f.source,
               f.title, o.offer->>'location' AS location, o.offer->>'url' AS url
             ${from} AND f.offer_id > ${after} ORDER BY f.offer_id LIMIT ${limit}`,
      values: params,
    },
  ]);
  return offerPage(rows as unknown as ListingRow[], (count![0] as { total: number }).total, search.limit);
}
