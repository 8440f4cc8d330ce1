import { FatalError } from '../../errors.ts';

/**
 * The one line for a shared record that cannot be used (unreachable, restarted, a connection
 * lost): what failed, where (never the password), and the fix. Every Postgres path says it so.
 */
export function postgresFailure(url: string, error: unknown): FatalError {
  return new FatalError(
    `the Postgres record at ${describePostgres(url)} failed: ${(error as Error).message}`,
    'check that the server is running and reachable (OFFERS_DATABASE_URL), or unset OFFERS_DATABASE_URL to use the local SQLite record',
    { cause: error },
  );
}

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
