import { hostname } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import type { AcquireLockOptions, DataDirLock, LockWaitOptions } from '../../data-dir-lock.ts';
import { DataDirBusyError } from '../../errors.ts';
import { describePostgres, postgresFailure } from './postgres-url.ts';

/**
 * The data-dir lock (src/data-dir-lock.ts) for a record in Postgres: a session advisory lock per
 * collection, with the same semantics. Writers (ingest, reindex, a schedule run) hold it
 * exclusively for the workspace's lifetime; readers wait while a writer holds it (taking and
 * dropping it shared), up to --wait, then exit with ExitCode.busy.
 *
 * The lock belongs to a connection of its own, so Postgres itself frees it when the holder's
 * process dies (kill -9, a lost machine once TCP keepalive gives up): there is no stale holder
 * to judge, unlike a lock file. The holder is named by its connection's application_name
 * (`offers reindex (pid 12 on host)`), which waiters read from pg_stat_activity.
 */

const POLL_MS = 200;

/** Locks are keyed by collection, as the record's schema is. */
const KEY = "hashtext('offers:' || $1)";

export async function acquireAdvisoryLock(url: string, collection: string, options: AcquireLockOptions): Promise<DataDirLock> {
  const client = await connect(url, `offers ${options.command} (pid ${process.pid} on ${hostname()}, since ${new Date().toISOString()})`);
  try {
    await waitForTurn(client, url, collection, options, `SELECT pg_try_advisory_lock(${KEY}) AS ok`);
  } catch (error) {
    await client.end().catch(() => {});
    throw error;
  }
  let released = false;
  const release = (): void => {
    if (released) return;
    released = true;
    process.off('exit', release);
    // Ending the session releases the lock (and a process exiting closes the socket, which does too).
    void client.end().catch(() => {});
  };
  process.on('exit', release);
  return { path: `${describePostgres(url)} (advisory lock of ${collection})`, release };
}

export async function waitForAdvisoryLock(url: string, collection: string, options: LockWaitOptions): Promise<void> {
  const client = await connect(url, `offers ${options.command} (pid ${process.pid} on ${hostname()})`);
  try {
    await waitForTurn(client, url, collection, options, `SELECT pg_try_advisory_lock_shared(${KEY}) AS ok`);
    await client.query(`SELECT pg_advisory_unlock_shared(${KEY})`, [collection]);
  } finally {
    await client.end().catch(() => {});
  }
}

async function connect(url: string, applicationName: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url, application_name: applicationName.slice(0, 63), keepAlive: true, connectionTimeoutMillis: 10_000 });
  client.on('error', () => {}); // a dropped lock connection frees the lock; the record's own connection reports the failure
  try {
    await client.connect();
    return client;
  } catch (error) {
    await client.end().catch(() => {});
    throw postgresFailure(url, error);
  }
}

async function waitForTurn(client: pg.Client, url: string, collection: string, options: LockWaitOptions, attempt: string): Promise<void> {
  const deadline = Date.now() + options.waitMs;
  let announced = false;
  for (;;) {
    const { rows } = await client.query<{ ok: boolean }>(attempt, [collection]);
    if (rows[0]?.ok) return;
    const holder = await describeHolder(client, collection);
    const where = `the shared record ${collection} at ${describePostgres(url)}`;
    if (Date.now() >= deadline) {
      throw new DataDirBusyError(`${where} is busy: ${holder} is changing the index`, 'wait for it to finish, or pass --wait SECONDS to wait longer');
    }
    if (!announced) {
      announced = true;
      options.log?.(`waiting for ${holder} to finish with ${where} (up to ${Math.ceil(options.waitMs / 1000)} s, --wait)`);
    }
    await sleep(POLL_MS);
  }
}

/** Who holds the collection's lock exclusively, as its connection names itself. */
async function describeHolder(client: pg.Client, collection: string): Promise<string> {
  const { rows } = await client.query<{ name: string | null }>(
    `SELECT a.application_name AS name FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
     WHERE l.locktype = 'advisory' AND l.granted AND l.mode = 'ExclusiveLock'
       AND l.classid::bigint = ((${KEY})::bigint >> 32) & 4294967295 AND l.objid::bigint = (${KEY})::bigint & 4294967295 LIMIT 1`,
    [collection],
  );
  return rows[0]?.name || 'another offers process';
}
