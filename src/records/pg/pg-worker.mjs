// The Postgres side of sync-client.ts: runs in a worker thread, owns the connection, and answers
// each request on the port before waking the waiting thread through the shared signal. Plain
// JavaScript, so that the thread needs no TypeScript loader.
import { workerData } from 'node:worker_threads';
import pg from 'pg';

// COUNT(*) and SUM() are int8, which pg returns as strings: the record's counts fit a double.
pg.types.setTypeParser(20, (value) => Number.parseInt(value, 10));
// json columns come back as their text, as SQLite gives them: rows.ts parses them, key order kept.
pg.types.setTypeParser(114, (value) => value);
pg.types.setTypeParser(1700, (value) => Number.parseFloat(value));

const { url, schema, port, signal, applicationName } = workerData;
const wake = new Int32Array(signal);
// One connection: the record's calls are serialised by the waiting thread, and a transaction's
// statements must share a session.
const pool = new pg.Pool({ connectionString: url, max: 1, connectionTimeoutMillis: 10_000, keepAlive: true, application_name: applicationName });
pool.on('error', () => {}); // an idle connection dropped: the next request reports it
let client;
// A connection lost outside a transaction is replaced at the next request (a server restarted
// under `offers serve`). One lost inside a transaction is not: the statements after it would run
// outside its BEGIN, so every request fails until the caller's ROLLBACK ends the transaction.
let inTransaction = false;
let broken;
// Prepared statement names, per connection (see prepared below).
let names = new Map();

function lose(error) {
  client?.release(error);
  client = undefined;
  if (inTransaction) broken = Object.assign(new Error(`the connection was lost during a transaction (${error.message})`), { code: 'offers-connection-lost' });
  inTransaction = false;
}

async function connection() {
  if (client) return client;
  const opened = await pool.connect();
  opened.on('error', (error) => {
    if (client === opened) lose(error);
  });
  client = opened;
  names = new Map();
  await client.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`).catch((error) => {
    // Another process creating it at the same instant: it exists now.
    if (error.code !== '23505' && error.code !== '42P06') throw error;
  });
  await client.query(`SET search_path TO ${schema}, public`);
  // Prepared statements are planned for their values each time: a generic plan of the repost
  // lookup (band keys as an array) was five times slower than the planned one.
  await client.query("SET plan_cache_mode = force_custom_plan");
  return client;
}

// Statements with values are prepared once per connection and named by their text: the record
// runs the same few statements for every offer, and parsing and planning them each time was most
// of an ingest's time in Postgres. Statements without values (DDL, BEGIN) are sent as they are.
function prepared(statement) {
  if (!statement.values) return statement.text;
  let name = names.get(statement.text);
  if (!name) {
    name = `offers_${names.size}`;
    names.set(statement.text, name);
  }
  return { name, text: statement.text, values: statement.values };
}

/** Runs the statements in order, pushing each one's rows as it completes (so a failure tells how far it got). */
async function runAll(db, statements, results) {
  for (const statement of statements) {
    const rows = (await db.query(prepared(statement))).rows;
    if (statement.text === 'BEGIN') inTransaction = true;
    else if (statement.text === 'COMMIT' || statement.text === 'ROLLBACK') inTransaction = false;
    results.push(rows);
  }
}

/**
 * Errors of the connection rather than of a statement: the network (Node's codes), Postgres's
 * connection exceptions (class 08), an administrator's shutdown (57P01…57P03), and a transaction
 * whose connection was lost (`broken`). The reply says so (`connection`), and sync-client.ts
 * fails the command on them.
 */
function isConnectionError(error) {
  const code = typeof error?.code === 'string' ? error.code : '';
  return (
    code === 'offers-connection-lost' || /^E[A-Z]+$/.test(code) || code.startsWith('08') || /^57P0[1-3]$/.test(code) || /Connection terminated/.test(String(error?.message))
  );
}

function reply(message) {
  port.postMessage(message);
  Atomics.store(wake, 0, 1);
  Atomics.notify(wake, 0);
}

port.on('message', async (request) => {
  if (request.kind === 'close') {
    try {
      client?.release();
      await pool.end();
    } finally {
      reply({ results: [] });
    }
    return;
  }
  try {
    if (broken) {
      // The server rolled the transaction back when the connection went: only the ROLLBACK is left to acknowledge.
      if (request.statements[0]?.text !== 'ROLLBACK') throw broken;
      broken = undefined;
      reply({ results: [[]] });
      return;
    }
    const results = [];
    try {
      await runAll(await connection(), request.statements, results);
    } catch (error) {
      if (!isConnectionError(error)) throw error;
      // Nothing of this request is committed when none of it ran, or when it ran inside a
      // transaction of its own (BEGIN … COMMIT in one request) that had not committed: then it
      // runs again on a new connection. Otherwise (autocommitted statements, or the caller's
      // transaction) the caller is told.
      const retry = !inTransaction ? results.length === 0 : request.statements[0]?.text === 'BEGIN';
      lose(error);
      if (!retry) throw broken ?? error;
      broken = undefined;
      results.length = 0;
      await runAll(await connection(), request.statements, results);
    }
    reply({ results });
  } catch (error) {
    const e = error ?? {};
    reply({ error: { message: String(e.message ?? e), code: typeof e.code === 'string' ? e.code : undefined, connection: isConnectionError(e) } });
  }
});
