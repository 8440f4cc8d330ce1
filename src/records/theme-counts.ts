import type Database from 'better-sqlite3';
import { SECTION_KINDS, type SectionKind } from '../types.ts';

/**
 * Running totals over the offers table, kept by SQLite triggers, so that a query's statistics
 * cost the same at 100k offers as at 1k: reading every offer of a role to count its themes was
 * linear in the index, and most of a query's time at 10k offers.
 *
 *  - `role_counts`: offers and chunks per role and status (the `stats` command, the refusal's
 *    "indexed roles");
 *  - `theme_counts`: per role, theme and section mask, the active offers whose sections in the
 *    mask (and only those) mention the theme. An aspect reads several sections, and an offer that
 *    names a theme in two of them must count once: summing the masks that intersect the aspect's
 *    sections gives exactly that.
 *
 * Triggers rather than application code, because then no write path (putOffer, a status change,
 * a future one) can leave the totals behind the offers they summarise, and the totals change in
 * the same transaction as the offer.
 */

/** Each section's bit in theme_counts' masks (the Postgres record uses the same bits: pg/schema.ts). */
export const SECTION_BIT = new Map(SECTION_KINDS.map((kind, i) => [kind, 1 << i]));

/** The (theme, mask) pairs of one offer row, NEW or OLD in a trigger. */
const themeMasks = (row: string) => `
  SELECT t.value AS theme, SUM(DISTINCT b.bit) AS mask
  FROM json_each(${row}.themes) s JOIN section_bits b ON b.section = s.key JOIN json_each(s.value) t
  GROUP BY t.value`;

const add = (row: string) => `
  INSERT INTO role_counts (role, status, offers, chunks) VALUES (${row}.role, ${row}.status, 1, json_array_length(${row}.chunk_ids))
    ON CONFLICT (role, status) DO UPDATE SET offers = offers + 1, chunks = chunks + excluded.chunks;
  INSERT INTO theme_counts (role, theme, mask, offers)
    SELECT ${row}.role, theme, mask, 1 FROM (${themeMasks(row)}) WHERE ${row}.status = 'active'
    ON CONFLICT (role, theme, mask) DO UPDATE SET offers = offers + 1;`;

const subtract = (row: string) => `
  UPDATE role_counts SET offers = offers - 1, chunks = chunks - json_array_length(${row}.chunk_ids) WHERE role = ${row}.role AND status = ${row}.status;
  UPDATE theme_counts SET offers = offers - 1
    WHERE ${row}.status = 'active' AND role = ${row}.role AND (theme, mask) IN (SELECT theme, mask FROM (${themeMasks(row)}));
  DELETE FROM theme_counts WHERE role = ${row}.role AND offers <= 0;`;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS section_bits (section TEXT PRIMARY KEY, bit INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS role_counts (role TEXT NOT NULL, status TEXT NOT NULL, offers INTEGER NOT NULL, chunks INTEGER NOT NULL, PRIMARY KEY (role, status)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS theme_counts (role TEXT NOT NULL, theme TEXT NOT NULL, mask INTEGER NOT NULL, offers INTEGER NOT NULL, PRIMARY KEY (role, theme, mask)) WITHOUT ROWID;
CREATE TRIGGER IF NOT EXISTS offers_counted_insert AFTER INSERT ON offers BEGIN ${add('NEW')} END;
CREATE TRIGGER IF NOT EXISTS offers_counted_update AFTER UPDATE OF role, status, themes, chunk_ids ON offers
  WHEN OLD.role IS NOT NEW.role OR OLD.status IS NOT NEW.status OR OLD.themes IS NOT NEW.themes OR OLD.chunk_ids IS NOT NEW.chunk_ids
  BEGIN ${subtract('OLD')} ${add('NEW')} END;
CREATE TRIGGER IF NOT EXISTS offers_counted_delete AFTER DELETE ON offers BEGIN ${subtract('OLD')} END;
`;

/** Creates the tables and triggers, and fills the totals of a record written before they existed. */
export function installThemeCounts(db: Database.Database): void {
  db.transaction(() => {
    const existed = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'role_counts'").get() !== undefined;
    db.exec(SCHEMA);
    const bit = db.prepare('INSERT OR REPLACE INTO section_bits (section, bit) VALUES (?, ?)');
    for (const [section, value] of SECTION_BIT) bit.run(section, value);
    if (existed) return;
    db.exec(`
      INSERT INTO role_counts (role, status, offers, chunks)
        SELECT role, status, COUNT(*), SUM(json_array_length(chunk_ids)) FROM offers GROUP BY role, status;
      INSERT INTO theme_counts (role, theme, mask, offers)
        SELECT role, theme, mask, COUNT(*) FROM (
          SELECT o.offer_id, o.role, t.value AS theme, SUM(DISTINCT b.bit) AS mask
          FROM offers o, json_each(o.themes) s JOIN section_bits b ON b.section = s.key, json_each(s.value) t
          WHERE o.status = 'active' GROUP BY o.offer_id, t.value)
        GROUP BY role, theme, mask;`);
  })();
}

/** The bits of these sections in theme_counts' masks. */
export function sectionMask(sections: readonly SectionKind[]): number {
  return sections.reduce((mask, section) => mask | (SECTION_BIT.get(section) ?? 0), 0);
}
