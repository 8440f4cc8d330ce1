import { Worker, type WorkerOptions } from 'node:worker_threads';

/**
 * A worker thread for a plain JavaScript module, started without the process's flags. A Worker
 * inherits `process.execArgv` by default, so under `node --import tsx` (the tests, any tsx run)
 * each thread would set the loader up again: ~0.3 s of CPU for every record opened on Postgres
 * and every PDF thread, for modules that need no loader.
 */
export function plainWorker(url: URL, options: Omit<WorkerOptions, 'execArgv'> = {}): Worker {
  return new Worker(url, { ...options, execArgv: [] });
}
