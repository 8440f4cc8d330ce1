/** A Postgres URL as messages show it: host, port and database, never the user's password. */
export function describePostgres(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}${parsed.pathname}`;
  } catch {
    return 'OFFERS_DATABASE_URL';
  }
}

/** An SQL identifier for any name (a collection name has dashes): double-quoted, quotes doubled. */
export function quoteIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
