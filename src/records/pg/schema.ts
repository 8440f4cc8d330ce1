import { SECTION_BIT } from '../theme-counts.ts';
import type { Statement } from './sync-client.ts';

/**
 * The Postgres record's schema: the statements of each version of src/records/migrations.ts.
 *
 * The tables are the SQLite record's (sqlite-record-store.ts, facets.ts, theme-counts.ts,
 * offer-sources.ts, sqlite-lexical-index.ts), with Postgres types:
 *  - keys and everything ordered or compared are `text COLLATE "C"`, so that orders are byte
 *    orders as in SQLite, whatever the database's locale;
 *  - JSON is `json`, which keeps the text as written (an offer reads back key for key);
 *  - the running totals, facet rows and source listings are kept by PL/pgSQL triggers, as the
 *    SQLite record keeps them by triggers, for the same reason: no write path can leave them
 *    behind the offers they summarise, and they change in the same transaction;
 *  - `offer_facets` has two more columns, the folded company and the folded title, company and
 *    text (normalizePhrase): SQLite folds with a function registered on the connection, Postgres
 *    cannot run ours, so the writer stores them (pg-record-store.ts) and `pg_trgm` indexes them.
 */

const KEY = 'text COLLATE "C"';

const TABLES = `
CREATE TABLE offers (
  seq bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
  offer_id ${KEY} PRIMARY KEY,
  source ${KEY} NOT NULL,
  role ${KEY} NOT NULL,
  content_hash text NOT NULL,
  fingerprint text NOT NULL,
  status text NOT NULL,
  canonical_id ${KEY},
  chunk_ids json NOT NULL,
  offer json NOT NULL,
  themes json NOT NULL,
  first_seen ${KEY} NOT NULL,
  last_seen text NOT NULL,
  last_changed text NOT NULL
);
CREATE INDEX offers_by_role ON offers(role, status);
CREATE INDEX offers_by_source ON offers(source);
CREATE TABLE sources (
  source ${KEY} PRIMARY KEY,
  kind text NOT NULL,
  content_hash text NOT NULL,
  status text NOT NULL,
  error text,
  role text,
  offer_ids json NOT NULL,
  last_seen text NOT NULL,
  last_changed text NOT NULL
);
CREATE TABLE intents (offer_id ${KEY} PRIMARY KEY, chunk_ids json NOT NULL);
CREATE TABLE roots (root ${KEY} PRIMARY KEY, role text, added text NOT NULL);
CREATE TABLE web_roots (seed ${KEY} PRIMARY KEY, role text, crawl json NOT NULL, added text NOT NULL);
CREATE TABLE offer_bands (band_key ${KEY} NOT NULL, offer_id ${KEY} NOT NULL, PRIMARY KEY (band_key, offer_id));
CREATE INDEX offer_bands_by_offer ON offer_bands(offer_id);
CREATE TABLE offer_sources (offer_id ${KEY} NOT NULL, source ${KEY} NOT NULL, PRIMARY KEY (offer_id, source));
CREATE INDEX offer_sources_by_source ON offer_sources(source);
CREATE TABLE section_bits (section ${KEY} PRIMARY KEY, bit integer NOT NULL);
CREATE TABLE role_counts (role ${KEY} NOT NULL, status ${KEY} NOT NULL, offers bigint NOT NULL, chunks bigint NOT NULL, PRIMARY KEY (role, status));
CREATE TABLE theme_counts (role ${KEY} NOT NULL, theme ${KEY} NOT NULL, mask integer NOT NULL, offers bigint NOT NULL, PRIMARY KEY (role, theme, mask));
CREATE TABLE offer_facets (
  offer_id ${KEY} PRIMARY KEY, status text NOT NULL, role ${KEY} NOT NULL, family ${KEY}, family_label ${KEY}, seniority ${KEY},
  posted ${KEY}, workplace ${KEY}, language ${KEY}, company ${KEY}, source ${KEY} NOT NULL, first_seen ${KEY} NOT NULL,
  facts text, evidence text, title text, folded_company text, folded text
);
CREATE INDEX offer_facets_by_family ON offer_facets(status, family);
CREATE INDEX offer_facets_by_role ON offer_facets(status, role);
CREATE TABLE chunk_meta (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  chunk_id ${KEY} NOT NULL UNIQUE,
  offer_id ${KEY} NOT NULL,
  role ${KEY} NOT NULL,
  section ${KEY} NOT NULL,
  text text NOT NULL
);
CREATE INDEX chunk_meta_by_offer ON chunk_meta(offer_id);
CREATE INDEX chunk_meta_by_role ON chunk_meta(role, section);
CREATE TABLE chunk_themes (
  theme ${KEY} NOT NULL,
  role ${KEY} NOT NULL,
  section ${KEY} NOT NULL,
  prominence double precision NOT NULL,
  spread bigint NOT NULL,
  chunk_rowid bigint NOT NULL,
  PRIMARY KEY (theme, role, section, prominence, spread, chunk_rowid)
);
CREATE INDEX chunk_themes_by_chunk ON chunk_themes(chunk_rowid);
CREATE TABLE lexical_version (version integer NOT NULL);
CREATE TABLE reindex_runs (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, finished_at text NOT NULL, report json NOT NULL);
`;

/** The (theme, mask) pairs of an offer's themes per section: which sections mention each theme. */
const THEME_MASKS = `
CREATE FUNCTION offer_theme_masks(themes json) RETURNS TABLE (theme text, mask integer) LANGUAGE sql STABLE AS $$
  SELECT t.value, bit_or(b.bit)::integer
  FROM json_each(themes) s JOIN section_bits b ON b.section = s.key CROSS JOIN LATERAL json_array_elements_text(s.value) t(value)
  GROUP BY t.value
$$;
`;

const COUNTED = `
CREATE FUNCTION offers_counted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND OLD.role = NEW.role AND OLD.status = NEW.status
     AND OLD.themes::text = NEW.themes::text AND OLD.chunk_ids::text = NEW.chunk_ids::text THEN
    RETURN NULL;
  END IF;
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    UPDATE role_counts SET offers = offers - 1, chunks = chunks - json_array_length(OLD.chunk_ids) WHERE role = OLD.role AND status = OLD.status;
    IF OLD.status = 'active' THEN
      UPDATE theme_counts c SET offers = c.offers - 1 FROM offer_theme_masks(OLD.themes) m
        WHERE c.role = OLD.role AND c.theme = m.theme AND c.mask = m.mask;
    END IF;
    DELETE FROM theme_counts WHERE role = OLD.role AND offers <= 0;
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    INSERT INTO role_counts (role, status, offers, chunks) VALUES (NEW.role, NEW.status, 1, json_array_length(NEW.chunk_ids))
      ON CONFLICT (role, status) DO UPDATE SET offers = role_counts.offers + 1, chunks = role_counts.chunks + excluded.chunks;
    IF NEW.status = 'active' THEN
      INSERT INTO theme_counts (role, theme, mask, offers) SELECT NEW.role, m.theme, m.mask, 1 FROM offer_theme_masks(NEW.themes) m
        ON CONFLICT (role, theme, mask) DO UPDATE SET offers = theme_counts.offers + 1;
    END IF;
  END IF;
  RETURN NULL;
END
$$;
CREATE TRIGGER offers_counted AFTER INSERT OR UPDATE OR DELETE ON offers FOR EACH ROW EXECUTE FUNCTION offers_counted();
`;

/** facets.ts's columns: JSON text as SQLite's json_extract gives it (objects as JSON, strings as themselves). */
const FACETED = `
CREATE FUNCTION offers_faceted() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  o jsonb; -- the offer parsed once, not once per field
BEGIN
  IF TG_OP = 'DELETE' THEN
    DELETE FROM offer_facets WHERE offer_id = OLD.offer_id;
    RETURN NULL;
  END IF;
  IF TG_OP = 'UPDATE' AND OLD.offer_id <> NEW.offer_id THEN
    DELETE FROM offer_facets WHERE offer_id = OLD.offer_id;
  END IF;
  o := NEW.offer::jsonb;
  INSERT INTO offer_facets (offer_id, status, role, family, family_label, seniority, posted, workplace, language, company, source, first_seen, facts, evidence, title)
  VALUES (NEW.offer_id, NEW.status, NEW.role, o->>'family', o->>'familyLabel', o->>'seniority', o->>'datePosted',
    o->>'workplace', o->>'language', o->>'company', NEW.source, NEW.first_seen,
    CASE WHEN jsonb_typeof(o->'facts') = 'object' THEN ((o->'facts') - 'evidence')::text END,
    CASE WHEN jsonb_typeof(o->'facts'->'evidence') = 'object' THEN (o->'facts'->'evidence')::text END,
    o->>'title')
  ON CONFLICT (offer_id) DO UPDATE SET status = excluded.status, role = excluded.role, family = excluded.family,
    family_label = excluded.family_label, seniority = excluded.seniority, posted = excluded.posted, workplace = excluded.workplace,
    language = excluded.language, company = excluded.company, source = excluded.source, first_seen = excluded.first_seen,
    facts = excluded.facts, evidence = excluded.evidence, title = excluded.title;
  RETURN NULL;
END
$$;
CREATE TRIGGER offers_faceted AFTER INSERT OR UPDATE OR DELETE ON offers FOR EACH ROW EXECUTE FUNCTION offers_faceted();
`;

const LISTED = `
CREATE FUNCTION sources_listed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    DELETE FROM offer_sources WHERE source = OLD.source;
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    INSERT INTO offer_sources (offer_id, source) SELECT DISTINCT value, NEW.source FROM json_array_elements_text(NEW.offer_ids) ON CONFLICT DO NOTHING;
  END IF;
  RETURN NULL;
END
$$;
CREATE TRIGGER sources_listed AFTER INSERT OR UPDATE OR DELETE ON sources FOR EACH ROW EXECUTE FUNCTION sources_listed();
`;

const SECTION_BITS = `INSERT INTO section_bits (section, bit) VALUES ${[...SECTION_BIT].map(([section, bit]) => `('${section}', ${bit})`).join(', ')};`;

/** Version 1 (migrations.ts): the record. */
export const POSTGRES_RECORD: readonly Statement[] = [TABLES, THEME_MASKS, COUNTED, FACETED, LISTED, SECTION_BITS].map((text) => ({ text }));

/** Version 2: snapshots of fetched bodies (ingest/fetch/pg-snapshots.ts), for reindex --offline on any machine. */
export const POSTGRES_SNAPSHOTS: readonly Statement[] = [
  { text: `CREATE TABLE snapshot_bodies (content_hash ${KEY} PRIMARY KEY, body bytea NOT NULL)` },
  { text: `CREATE TABLE snapshot_urls (url ${KEY} PRIMARY KEY, entry json NOT NULL)` },
];

/**
 * Version 3: the stated facts beside the role, and the families' labels and roles beside the
 * family, in indexes, so that a role's facts table and the families are read from the index
 * alone (index-only scans), not from a row lookup per offer.
 */
export const POSTGRES_FACET_INDEXES: readonly Statement[] = [
  { text: 'CREATE INDEX offer_facets_facts ON offer_facets (status, role, offer_id) INCLUDE (facts)' },
  { text: 'DROP INDEX offer_facets_by_family' },
  { text: 'CREATE INDEX offer_facets_families ON offer_facets (status, family) INCLUDE (family_label, role)' },
];

/**
 * The trigram index of the folded text, for `searchOffers`: only where the `pg_trgm` extension
 * is installed or may be (a trusted extension: a database owner may create it). Without it the
 * search reads the selection's rows, as SQLite's does. The extension lives in one schema of the
 * database (public, when this creates it), so its operator class is named with that schema.
 */
export const TRIGRAM_EXTENSION = 'CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA public';
export const TRIGRAM_SCHEMA = "SELECT n.nspname AS schema FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = 'pg_trgm'";
export const trigramIndex = (extensionSchema: string) =>
  `CREATE INDEX IF NOT EXISTS offer_facets_folded ON offer_facets USING gin (folded ${extensionSchema}.gin_trgm_ops)`;
