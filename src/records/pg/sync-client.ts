import { MessageChannel, receiveMessageOnPort, type Worker } from 'node:worker_threads';
import { plainWorker } from '../../util/worker.ts';
import { postgresFailure } from './postgres-url.ts';

/**
 * Postgres for a synchronous caller. The record's interface is synchronous (record-store.ts), as
 * better-sqlite3 is; `pg` is asynchronous. The connection lives in a worker thread
 * (pg-worker.mjs), and each call posts its statements to it and blocks on a shared-memory signal
 * (Atomics.wait) until the reply is on the port, which `receiveMessageOnPort` then reads without
 * the event loop: the technique of `synckit`, in a few lines. The calling thread is blocked for
 * the round trip, as it is for a SQLite statement, so the callers' semantics do not change.
 *
 * A call sends several statements at once (`run`): they run in order on the one connection, in
 * one round trip.
 */

export interface Statement {
  text: string;
  values?: readonly unknown[];
}

/** A statement refused by Postgres, with its SQLSTATE (`code`). */
export class PostgresError extends Error {
  constructor(
    message: string,
    readonly code: string | undefined,
  ) {
    super(message);
  }
}

/** `connection`: the worker judged it an error of the connection, not of a statement (pg-worker.mjs): the command cannot go on. */
type Reply = { results: Array<Array<Record<string, unknown>>> } | { error: { message: string; code?: string; connection: boolean } };

/** How long a call may take before the worker is taken for dead (a backfill of a large record is the longest). */
const CALL_TIMEOUT_MS = 10 * 60_000;

export class SyncPostgres {
  private readonly worker: Worker;
  private readonly port: MessageChannel['port1'];
  private readonly signal = new Int32Array(new SharedArrayBuffer(4));
  private closed = false;

  /** `schema`: an SQL identifier, quoted by the caller. */
  constructor(
    private readonly url: string,
    schema: string,
    applicationName: string,
  ) {
    const { port1, port2 } = new MessageChannel();
    this.port = port1;
    this.worker = plainWorker(new URL('./pg-worker.mjs', import.meta.url), {
      workerData: { url, schema, port: port2, signal: this.signal.buffer, applicationName },
      transferList: [port2],
    });
    // The worker never keeps a finished command alive; close() ends it properly.
    this.worker.unref();
  }

  /** Runs the statements in order on the record's connection; one result (rows) per statement. */
  run(statements: readonly Statement[]): Array<Array<Record<string, unknown>>> {
    const reply = this.call({ kind: 'query', statements });
    if (!('error' in reply)) return reply.results;
    const { message, code, connection } = reply.error;
    const error = new PostgresError(message, code);
    throw connection ? postgresFailure(this.url, error) : error;
  }

  /** The rows of one statement. */
  rows<R>(text: string, values: readonly unknown[] = []): R[] {
    return this.run([{ text, values }])[0] as R[];
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    try {
      this.call({ kind: 'close' });
    } finally {
      void this.worker.terminate();
    }
  }

  private call(request: { kind: 'query'; statements: readonly Statement[] } | { kind: 'close' }): Reply {
    if (this.closed && request.kind !== 'close') throw new PostgresError('the record connection is closed', undefined);
    Atomics.store(this.signal, 0, 0);
    this.port.postMessage(request);
    if (!waitForSignal(this.signal, CALL_TIMEOUT_MS)) {
      throw new PostgresError(`no answer from Postgres within ${CALL_TIMEOUT_MS / 60_000} minutes`, 'offers-timeout');
    }
    const message = receiveMessageOnPort(this.port);
    if (!message) throw new PostgresError('the Postgres worker woke without a reply', 'offers-worker');
    return message.message as Reply;
  }
}

/**
 * Blocks until the signal is set (true) or the time is up (false). A wake-up alone proves
 * nothing: the worker sets the signal and then notifies, and the notify of the previous call can
 * land after this call has reset the signal and started waiting (a worker thread descheduled
 * between the two, on a busy machine). Only the signal's value says the reply is on the port.
 */
export function waitForSignal(signal: Int32Array, timeoutMs: number): boolean {
  const deadline = performance.now() + timeoutMs;
  while (Atomics.load(signal, 0) === 0) {
    const left = deadline - performance.now();
    if (left <= 0 || Atomics.wait(signal, 0, 0, left) === 'timed-out') return Atomics.load(signal, 0) !== 0;
  }
  return true;
}
