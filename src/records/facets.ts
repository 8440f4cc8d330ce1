import type Database from 'better-sqlite3';

/**
 * What groups are made of, one narrow row per offer: role, title family, seniority, posting day,
 * workplace, language, company, source and title, and the offer's stated facts (pay, experience…:
 * ingest/facts.ts) as a small JSON, so that a group's facts table reads narrow rows too. A comparison's groups are arbitrary (a title family,
 * a role in a date window, a company's offers), so they are found by filtering these rows, never
 * by reading the offers table, whose rows carry whole offers (a scan of it at 100k offers read
 * hundreds of MB).
 *
 * Kept by triggers from the offers table, like theme-counts.ts and for the same reason: no write
 * path can leave it behind. A record written before it existed is filled once when opened.
 */

const columns = (row: string) => `
  ${row}.offer_id, ${row}.status, ${row}.role,
  json_extract(${row}.offer, '$.family'), json_extract(${row}.offer, '$.familyLabel'),
  json_extract(${row}.offer, '$.seniority'), json_extract(${row}.offer, '$.datePosted'),
  json_extract(${row}.offer, '$.workplace'), json_extract(${row}.offer, '$.language'),
  json_extract(${row}.offer, '$.company'), ${row}.source, ${row}.first_seen,
  json_remove(json_extract(${row}.offer, '$.facts'), '$.evidence'), json_extract(${row}.offer, '$.facts.evidence'),
  json_extract(${row}.offer, '$.title')`;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS offer_facets (
  offer_id TEXT PRIMARY KEY, status TEXT NOT NULL, role TEXT NOT NULL, family TEXT, family_label TEXT, seniority TEXT,
  posted TEXT, workplace TEXT, language TEXT, company TEXT, source TEXT NOT NULL, first_seen TEXT NOT NULL,
  facts TEXT, evidence TEXT, title TEXT
) WITHOUT ROWID;
-- The families with their labels and roles: counting them (every question resolves its groups
-- against them) reads this index alone, not every facet row (at 100k offers: 420 MB of the record
-- file touched, against a few MB).
CREATE INDEX IF NOT EXISTS offer_facets_families ON offer_facets(status, family, family_label, role);
CREATE INDEX IF NOT EXISTS offer_facets_by_role ON offer_facets(status, role);
-- A role's stated facts from the index alone: a facts table grouped in it, without a row lookup
-- per offer (30k offers of a role at 100k: 7 ms against 61 ms).
CREATE INDEX IF NOT EXISTS offer_facets_facts ON offer_facets(status, role, offer_id, facts);
CREATE TRIGGER IF NOT EXISTS offers_faceted_insert AFTER INSERT ON offers BEGIN
  INSERT OR REPLACE INTO offer_facets VALUES (${columns('NEW')});
END;
CREATE TRIGGER IF NOT EXISTS offers_faceted_update AFTER UPDATE ON offers BEGIN
  DELETE FROM offer_facets WHERE offer_id = OLD.offer_id;
  INSERT OR REPLACE INTO offer_facets VALUES (${columns('NEW')});
END;
CREATE TRIGGER IF NOT EXISTS offers_faceted_delete AFTER DELETE ON offers BEGIN
  DELETE FROM offer_facets WHERE offer_id = OLD.offer_id;
END;
`;

/** Schema 3 (src/records/migrations.ts): the facts and the families read from indexes alone. */
export function indexFacets(db: Database.Database): void {
  // The families index begins with the columns of the one it replaces.
  db.exec('DROP INDEX IF EXISTS offer_facets_by_family');
  installFacets(db);
}

/** The facet rows' columns as this version writes them: a record with other columns gets its facets derived again. */
const COLUMNS = 'offer_id status role family family_label seniority posted workplace language company source first_seen facts evidence title';

export function installFacets(db: Database.Database): void {
  db.transaction(() => {
    const current = (db.prepare("SELECT name FROM pragma_table_info('offer_facets')").pluck().all() as string[]).join(' ');
    if (current && current !== COLUMNS) {
      for (const trigger of ['offers_faceted_insert', 'offers_faceted_update', 'offers_faceted_delete']) db.exec(`DROP TRIGGER IF EXISTS ${trigger}`);
      db.exec('DROP TABLE offer_facets');
    }
    const existed = current === COLUMNS;
    db.exec(SCHEMA);
    if (!existed) db.exec(`INSERT INTO offer_facets SELECT ${columns('offers')} FROM offers`);
  })();
}

/** Which active offers a group holds. Every field narrows; an empty filter is every active offer. */
export interface FacetFilter {
  roles?: readonly string[];
  families?: readonly string[];
  seniority?: readonly string[];
  /** Posting days, inclusive: YYYY-MM-DD prefixes compared as text ("2024-06" ends with June). */
  postedFrom?: string;
  postedTo?: string;
  workplace?: readonly string[];
  languages?: readonly string[];
  sourcePrefix?: string;
}

/** How a record's SQL names its parameters and tests a column against a list. */
export interface FacetDialect {
  /** The parameter holding the `n`th value (from 1). */
  parameter(n: number): string;
  /** `column` is one of the list held by `parameter`. */
  inList(column: string, parameter: string): string;
  /** A list as this dialect's parameter value. */
  list(values: readonly string[]): unknown;
}

/** SQLite (better-sqlite3): `?` parameters, lists as JSON text read by json_each. */
export const SQLITE_FACETS: FacetDialect = {
  parameter: () => '?',
  inList: (column, parameter) => `${column} IN (SELECT value FROM json_each(${parameter}))`,
  list: (values) => JSON.stringify(values),
};

/** Postgres (pg/): numbered parameters, lists as arrays. */
export const POSTGRES_FACETS: FacetDialect = {
  parameter: (n) => `$${n}`,
  inList: (column, parameter) => `${column} = ANY(${parameter}::text[])`,
  list: (values) => values,
};

/** A facet filter as SQL over offer_facets (`f`), with its parameters, from parameter `first` on. */
export function facetWhere(filter: FacetFilter, dialect: FacetDialect = SQLITE_FACETS, first = 1): { where: string; params: unknown[] } {
  const clauses = ["f.status = 'active'"];
  const params: unknown[] = [];
  const parameter = (value: unknown) => {
    params.push(value);
    return dialect.parameter(first + params.length - 1);
  };
  const within = (column: string, values: readonly string[] | undefined) => {
    if (!values) return;
    // One value is an equality, so that an index on the column also gives the rows in id order
    // (a list made SQLite sort a role's 30k ids in a temporary B-tree).
    clauses.push(values.length === 1 ? `${column} = ${parameter(values[0])}` : dialect.inList(column, parameter(dialect.list(values))));
  };
  within('f.role', filter.roles);
  within('f.family', filter.families);
  within('f.seniority', filter.seniority);
  within('f.workplace', filter.workplace);
  within('f.language', filter.languages);
  if (filter.postedFrom) clauses.push(`f.posted >= ${parameter(filter.postedFrom)}`);
  // "2024-06" as an upper bound takes the whole of June: compare on the bound's own length.
  if (filter.postedTo) clauses.push(`substr(f.posted, 1, ${parameter(filter.postedTo.length)}) <= ${parameter(filter.postedTo)}`);
  if (filter.sourcePrefix) clauses.push(`substr(f.source, 1, ${parameter(filter.sourcePrefix.length)}) = ${parameter(filter.sourcePrefix)}`);
  return { where: clauses.join(' AND '), params };
}
