import type { OffersConfig } from '../config.ts';
import { FatalError } from '../errors.ts';
import { lockPath } from '../data-dir-lock.ts';
import { readTextFile } from '../util/pid-file.ts';
import { openWorkspace, type Workspace } from '../workspace.ts';

/**
 * The one read workspace of a long-running process (`offers serve`, `offers mcp`), under the
 * lock rules of the CLI (src/data-dir-lock.ts), so that a server is a good neighbour to the
 * commands that change the index:
 *  - it is opened on first use as `offers query` opens one: waiting while a writer holds the
 *    data-dir lock, up to --wait (then DataDirBusyError, which a request reports as 503);
 *  - requests share it while it is open;
 *  - when another process takes the lock (an `offers ingest`, a cron `offers reindex`), it is
 *    closed as soon as the requests in flight are done: that also stops the embedded Chroma
 *    server, which the writer needs for itself. The next request opens it again, after the writer;
 *  - `whileClosed` runs a task with it closed and no request in flight (a scheduled re-index,
 *    which takes the write lock itself); requests that come meanwhile wait for the task.
 */

export interface WorkspaceHostOptions {
  /** The command named in the lock messages of other processes (`serve`, `mcp`). */
  command: string;
  log: (line: string) => void;
  /** How often the lock file is looked at while the workspace is open (default 1 s). */
  watchMs?: number;
}

export class WorkspaceHost {
  #open: Promise<Workspace> | undefined;
  #inFlight = 0;
  #whenIdle: Array<() => void> = [];
  /** Tasks asked for and not done yet: requests wait while there is one. */
  #pendingTasks = 0;
  /** Tasks run one after the other: the end of the last one. */
  #tasks: Promise<void> = Promise.resolve();
  readonly #watch: NodeJS.Timeout;
  #stopped = false;

  constructor(
    readonly config: OffersConfig,
    private readonly options: WorkspaceHostOptions,
  ) {
    const lock = lockPath(config.dataDir);
    this.#watch = setInterval(() => {
      if (this.#open && this.#pendingTasks === 0 && readTextFile(lock) !== undefined) {
        options.log('another offers command is changing the index: the server lets go of the data dir until it is done');
        void this.whileClosed(async () => {});
      }
    }, options.watchMs ?? 1000);
    this.#watch.unref();
  }

  /** Runs `fn` with the open workspace, opening it first if need be. */
  async use<T>(fn: (workspace: Workspace) => Promise<T> | T): Promise<T> {
    while (this.#pendingTasks > 0) await this.#tasks;
    if (this.#stopped) throw new FatalError('the server is stopping', 'send the request again once it is started');
    this.#inFlight++;
    try {
      this.#open ??= openWorkspace(this.config, { log: this.options.log, access: { mode: 'read', command: this.options.command } }).catch((error: unknown) => {
        this.#open = undefined;
        throw error;
      });
      return await fn(await this.#open);
    } finally {
      this.#inFlight--;
      if (this.#inFlight === 0) for (const resolve of this.#whenIdle.splice(0)) resolve();
    }
  }

  /** Runs `task` once no request is in flight, with the workspace closed; requests wait for it. */
  whileClosed<T>(task: () => Promise<T>): Promise<T> {
    // Counted now, not when its turn comes: a request that arrives after this call waits for it.
    this.#pendingTasks++;
    const run = this.#tasks.then(async () => {
      await this.#idle();
      await this.#closeWorkspace();
      return task();
    });
    this.#tasks = run.then(
      () => void this.#pendingTasks--,
      () => void this.#pendingTasks--,
    );
    return run;
  }

  /** Stops watching, waits for the tasks and requests in flight, and closes the workspace. */
  async close(): Promise<void> {
    clearInterval(this.#watch);
    await this.whileClosed(async () => {
      this.#stopped = true;
    });
  }

  #idle(): Promise<void> {
    return this.#inFlight === 0 ? Promise.resolve() : new Promise((resolve) => this.#whenIdle.push(resolve));
  }

  async #closeWorkspace(): Promise<void> {
    const open = this.#open;
    this.#open = undefined;
    const workspace = await open?.catch(() => undefined);
    await workspace?.close();
  }
}
