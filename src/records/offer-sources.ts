import type Database from 'better-sqlite3';

/**
 * Which sources list each offer: an index over the sources table's `offer_ids`, kept by SQLite
 * triggers, so that a write can tell in one indexed read whether an offer belongs to another
 * source (an ATS posting whose URL names a local file must not overwrite that file's offer).
 * Triggers, as for theme-counts.ts: no write path can leave the index behind the sources table,
 * and it changes in the same transaction.
 */

const list = (row: string) => `INSERT OR IGNORE INTO offer_sources (offer_id, source) SELECT value, ${row}.source FROM json_each(${row}.offer_ids);`;
const unlist = (row: string) => `DELETE FROM offer_sources WHERE source = ${row}.source;`;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS offer_sources (offer_id TEXT NOT NULL, source TEXT NOT NULL, PRIMARY KEY (offer_id, source)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS offer_sources_by_source ON offer_sources(source);
CREATE TRIGGER IF NOT EXISTS sources_listed_insert AFTER INSERT ON sources BEGIN ${list('NEW')} END;
CREATE TRIGGER IF NOT EXISTS sources_listed_update AFTER UPDATE OF source, offer_ids ON sources BEGIN ${unlist('OLD')} ${list('NEW')} END;
CREATE TRIGGER IF NOT EXISTS sources_listed_delete AFTER DELETE ON sources BEGIN ${unlist('OLD')} END;
`;

/** Creates the index and its triggers, and fills it for a record written before it existed. */
export function installOfferSources(db: Database.Database): void {
  db.transaction(() => {
    const existed = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'offer_sources'").get() !== undefined;
    db.exec(SCHEMA);
    if (!existed) db.exec('INSERT OR IGNORE INTO offer_sources (offer_id, source) SELECT j.value, s.source FROM sources s, json_each(s.offer_ids) j;');
  })();
}
