import type Database from 'better-sqlite3';

/**
 * `db.prepare` with a cache keyed by the SQL text. Preparing compiles the statement each time,
 * and the record prepares the same few statements for every offer it writes: that compilation
 * was the largest single cost of an ingest after the vector store. A statement's mode (`pluck`)
 * sticks to it, so each SQL text must always be used the same way, as it is here.
 */
export function statementCache(db: Database.Database): (sql: string) => Database.Statement {
  const statements = new Map<string, Database.Statement>();
  return (sql) => {
    let statement = statements.get(sql);
    if (!statement) {
      statement = db.prepare(sql);
      statements.set(sql, statement);
    }
    return statement;
  };
}
