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
// A connection lost is not replaced: a transaction under way would go on outside its BEGIN.
let lost;

async function connection() {
  if (lost) throw lost;
  if (client) return client;
  client = await pool.connect();
  client.on('error', (error) => {
    lost = Object.assign(new Error(`the connection was lost (${error.message})`), { code: 'offers-connection-lost' });
  });
  await client.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`).catch((error) => {
    // Another process creating it at the same instant: it exists now.
    if (error.code !== '23505' && error.code !== '42P06') throw error;
  });
  await client.query(`SET search_path TO ${schema}, public`);
  return client;
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
    const db = await connection();
    const results = [];
    for (const statement of request.statements) results.push((await db.query(statement.text, statement.values)).rows);
    reply({ results });
  } catch (error) {
    const e = error ?? {};
    reply({ error: { message: String(e.message ?? e), code: typeof e.code === 'string' ? e.code : undefined } });
  }
});
