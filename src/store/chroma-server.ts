import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { closeSync, existsSync, openSync, readFileSync } from 'node:fs';
import { mkdir, readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { createServer, type AddressInfo } from 'node:net';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { DataDirBusyError, FatalError } from '../errors.ts';
import { createExclusiveFile, isRunning, readTextFile } from '../util/pid-file.ts';
import { heartbeat } from './chroma-store.ts';

/**
 * The Chroma server the CLI runs for itself when CHROMA_URL is unset: the chromadb package's own
 * CLI (`chroma run`), in a child process, on a free loopback port, with its data in
 * `<dataDir>/chroma`. The spawned process *is* the server (the Rust server runs inside that
 * node process), so its pid is all we need to stop it.
 *
 * `<dataDir>/chroma/server.json` records { pid, port, ownerPid, startedAt } while it runs, so that
 * the next start can tell a data dir in use (owner alive) from a server left behind by a killed
 * run (owner gone), and never runs two servers on one data path.
 *
 * The child is also signalled when this process exits, or gets SIGINT/SIGTERM/SIGHUP; the signal
 * then keeps its usual effect (the handler re-raises it unless someone else listens for it).
 * Callers should still `await stop()`: it waits for the server to be gone and removes the state
 * file, whereas the exit hook cannot wait and leaves the file for the next start to clean up.
 */

export interface EmbeddedChroma {
  url: string;
  pid: number;
  /** Where the server's stdout and stderr go. */
  logPath: string;
  /** Stops the server and waits for it to exit; idempotent. */
  stop(): Promise<void>;
}

export interface StartEmbeddedChromaOptions {
  dataDir: string;
  /** One line per notable event (an orphan stopped, an unexpected exit). */
  log?: (line: string) => void;
  /** How long the server gets to answer its first heartbeat. */
  startTimeoutMs?: number;
  /** How long to wait for another live offers process's server on this data dir to go (default: not at all). */
  waitMs?: number;
}

interface ServerState {
  pid: number;
  port: number;
  ownerPid: number;
  startedAt: string;
}

interface ServerPaths {
  dataDir: string;
  chromaDir: string;
  statePath: string;
  logPath: string;
}

const HOST = '127.0.0.1';
const DEFAULT_START_TIMEOUT_MS = 30_000;
/** Another process may grab the free port between our probe and the server's bind. */
const PORT_ATTEMPTS = 3;
const STOP_GRACE_MS = 5000;
const KILL_WAIT_MS = 2000;
const EXIT_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

export async function startEmbeddedChroma(options: StartEmbeddedChromaOptions): Promise<EmbeddedChroma> {
  const log = options.log ?? (() => {});
  const paths = serverPaths(options.dataDir);
  await mkdir(paths.chromaDir, { recursive: true });
  await waitWhileInUse(paths, log, options.waitMs ?? 0);
  await clearPreviousServer(paths, log);
  const cli = chromaCliPath();
  const timeoutMs = options.startTimeoutMs ?? DEFAULT_START_TIMEOUT_MS;
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    const server = new ServerProcess(spawnServer(cli, paths, port), port, paths);
    const outcome = await waitForHeartbeat(server, timeoutMs);
    if (outcome === 'ready') {
      server.reportUnexpectedExit(log);
      return server;
    }
    await server.stop();
    const tail = await logTail(paths.logPath);
    if (outcome === 'exited' && tail.includes('is not available') && attempt < PORT_ATTEMPTS) continue;
    const what = outcome === 'exited' ? 'exited during start-up' : `did not answer within ${timeoutMs / 1000} s`;
    throw new FatalError(`the embedded Chroma server ${what}; the end of its log:\n${tail}`, `see ${paths.logPath}`);
  }
}

class ServerProcess implements EmbeddedChroma {
  readonly url: string;
  readonly pid: number;
  readonly logPath: string;
  #stopping: Promise<void> | undefined;

  constructor(
    private readonly child: ChildProcess,
    port: number,
    private readonly paths: ServerPaths,
  ) {
    if (child.pid === undefined) throw new FatalError('could not start the embedded Chroma server', `see ${paths.logPath}`);
    this.pid = child.pid;
    this.logPath = paths.logPath;
    this.url = `http://${HOST}:${port}`;
    const state: ServerState = { pid: this.pid, port, ownerPid: process.pid, startedAt: new Date().toISOString() };
    try {
      createStateFile(paths.statePath, state);
    } catch (error) {
      child.kill('SIGKILL');
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') throw inUse(paths, readStateFile(paths.statePath)?.state?.ownerPid);
      throw error;
    }
    process.on('exit', this.#onProcessExit);
    for (const signal of EXIT_SIGNALS) process.on(signal, this.#onSignal);
  }

  get exited(): boolean {
    return this.child.exitCode !== null || this.child.signalCode !== null;
  }

  stop(): Promise<void> {
    this.#stopping ??= this.#stop();
    return this.#stopping;
  }

  reportUnexpectedExit(log: (line: string) => void): void {
    this.child.once('exit', (code, signal) => {
      if (this.#stopping) return;
      log(`the embedded Chroma server (pid ${this.pid}) exited unexpectedly (${signal ?? `code ${code}`}); see ${this.logPath}`);
    });
  }

  async #stop(): Promise<void> {
    this.#detach();
    if (!this.exited) {
      // The exit event, not the pid: once it fires, the process is reaped and its pid is free.
      const exited = once(this.child, 'exit');
      const stopped = await escalate(
        (name) => this.child.kill(name),
        (timeoutMs) => settlesWithin(exited, timeoutMs),
      );
      if (!stopped) throw new FatalError(`could not stop the embedded Chroma server (pid ${this.pid})`, `kill -9 ${this.pid}`);
    }
    await removeStateIfOwnedBy(this.paths.statePath, this.pid);
  }

  /** Synchronous by necessity: nothing asynchronous runs after 'exit'. */
  readonly #onProcessExit = (): void => {
    if (!this.exited) this.child.kill('SIGTERM');
  };

  readonly #onSignal = (signal: NodeJS.Signals): void => {
    this.#detach();
    this.#onProcessExit();
    if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
  };

  #detach(): void {
    process.off('exit', this.#onProcessExit);
    for (const signal of EXIT_SIGNALS) process.off(signal, this.#onSignal);
  }
}

function serverPaths(dataDir: string): ServerPaths {
  const resolved = path.resolve(dataDir);
  const chromaDir = path.join(resolved, 'chroma');
  return {
    dataDir: resolved,
    chromaDir,
    statePath: path.join(chromaDir, 'server.json'),
    logPath: path.join(chromaDir, 'server.log'),
  };
}

/**
 * Waits while another live offers process runs its server on this data dir: commands are short,
 * so the second one waits (saying so once) rather than failing, up to `waitMs`.
 */
async function waitWhileInUse(paths: ServerPaths, log: (line: string) => void, waitMs: number): Promise<void> {
  const deadline = Date.now() + waitMs;
  for (let announced = false; ; announced = true) {
    const state = readStateFile(paths.statePath)?.state;
    if (!state || !isRunning(state.ownerPid) || !isChromaServerFor(state.pid, paths.chromaDir)) return;
    if (Date.now() >= deadline) throw inUse(paths, state.ownerPid);
    if (!announced) log(`waiting for offers process ${state.ownerPid} to finish with data dir ${paths.dataDir} (up to ${Math.ceil(waitMs / 1000)} s)`);
    await sleep(200);
  }
}

/**
 * Refuses a data dir whose server still has a live owner, and stops a server whose owner died
 * (killed with SIGKILL, or a crash that skipped the exit hook).
 */
async function clearPreviousServer(paths: ServerPaths, log: (line: string) => void): Promise<void> {
  const found = readStateFile(paths.statePath);
  if (!found) return;
  const { state } = found;
  if (state && isChromaServerFor(state.pid, paths.chromaDir)) {
    if (isRunning(state.ownerPid)) throw inUse(paths, state.ownerPid);
    log(`stopping the Chroma server (pid ${state.pid}) left behind by offers process ${state.ownerPid}, which is gone`);
    if (!(await stopProcess(state.pid))) {
      throw new FatalError(`could not stop the Chroma server (pid ${state.pid}) left on ${paths.chromaDir}`, `kill -9 ${state.pid}`);
    }
  }
  // Only the file judged above: a command starting at the same time may have replaced it since.
  if (readStateFile(paths.statePath)?.text === found.text) await rm(paths.statePath, { force: true });
}

function inUse(paths: ServerPaths, ownerPid: number | undefined): DataDirBusyError {
  const owner = ownerPid === undefined ? 'another offers process' : `offers process ${ownerPid}`;
  return new DataDirBusyError(
    `data dir ${paths.dataDir} is in use by ${owner}`,
    `wait for that command to finish${ownerPid === undefined ? '' : ` (or stop it: kill ${ownerPid})`}, pass --wait SECONDS, or use another --data-dir`,
  );
}

/**
 * Exclusive and atomic (a complete file appears, or EEXIST): of two commands starting on one data
 * dir at once, only one keeps its server, and nobody ever reads a half-written file.
 */
function createStateFile(statePath: string, state: ServerState): void {
  createExclusiveFile(statePath, `${JSON.stringify(state)}\n`);
}

/** `undefined` when there is no file; `state` is missing when its content is not a state. */
function readStateFile(statePath: string): { text: string; state?: ServerState } | undefined {
  const text = readTextFile(statePath);
  if (text === undefined) return undefined;
  try {
    const state = JSON.parse(text) as Partial<ServerState>;
    return Number.isInteger(state.pid) && Number.isInteger(state.ownerPid) ? { text, state: state as ServerState } : { text };
  } catch {
    return { text };
  }
}

/** Another start may already have replaced the file with its own server's. */
async function removeStateIfOwnedBy(statePath: string, pid: number): Promise<void> {
  if (readStateFile(statePath)?.state?.pid === pid) await rm(statePath, { force: true });
}

function spawnServer(cli: string, paths: ServerPaths, port: number): ChildProcess {
  // A file, not a pipe: the server must not depend on this process to drain its output.
  const logFd = openSync(paths.logPath, 'w');
  try {
    const child = spawn(
      process.execPath,
      [cli, 'run', '--path', paths.chromaDir, '--host', HOST, '--port', String(port)],
      { stdio: ['ignore', logFd, logFd] },
    );
    // Spawn failures also surface as a missing pid, which the ServerProcess constructor reports.
    child.on('error', () => {});
    // A caller that forgets stop() must not hang: the exit hook then stops the server.
    child.unref();
    return child;
  } finally {
    closeSync(logFd);
  }
}

async function waitForHeartbeat(server: ServerProcess, timeoutMs: number): Promise<'ready' | 'exited' | 'timeout'> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (server.exited) return 'exited';
    try {
      await heartbeat(server.url, 1000);
      return 'ready';
    } catch {
      await sleep(50);
    }
  }
  return 'timeout';
}

async function freePort(): Promise<number> {
  const probe = createServer();
  probe.listen(0, HOST);
  await once(probe, 'listening');
  const { port } = probe.address() as AddressInfo;
  probe.close();
  await once(probe, 'close');
  return port;
}

/** The package's `chroma` bin, found from wherever chromadb resolves (not from the cwd). */
function chromaCliPath(): string {
  const require = createRequire(import.meta.url);
  let dir: string;
  try {
    dir = path.dirname(require.resolve('chromadb'));
  } catch (cause) {
    throw new FatalError('the chromadb package is not installed', 'run npm ci in the offers directory', { cause });
  }
  for (;;) {
    const manifestPath = path.join(dir, 'package.json');
    if (existsSync(manifestPath)) {
      const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { name?: string; bin?: string | Record<string, string> };
      const bin = typeof manifest.bin === 'string' ? manifest.bin : manifest.bin?.chroma;
      if (manifest.name === 'chromadb' && bin) return path.join(dir, bin);
    }
    const parent = path.dirname(dir);
    if (parent === dir) throw new FatalError('the chromadb package has no chroma CLI', 'reinstall it: npm ci');
    dir = parent;
  }
}

/** A process we did not start (an orphan): signalled by pid, watched through /proc. */
function stopProcess(pid: number): Promise<boolean> {
  return escalate(
    (name) => {
      try {
        process.kill(pid, name);
      } catch {
        // Already gone: waitUntilGone says so.
      }
    },
    (timeoutMs) => waitUntilGone(pid, timeoutMs),
  );
}

/** SIGTERM, then SIGKILL after a grace period; true once the process is gone. */
async function escalate(
  send: (signal: NodeJS.Signals) => void,
  goneWithin: (timeoutMs: number) => Promise<boolean>,
): Promise<boolean> {
  send('SIGTERM');
  if (await goneWithin(STOP_GRACE_MS)) return true;
  send('SIGKILL');
  return goneWithin(KILL_WAIT_MS);
}

/** The timer also keeps the event loop alive, which the unref'd child alone would not. */
async function settlesWithin(promise: Promise<unknown>, timeoutMs: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
  });
  try {
    return await Promise.race([promise.then(() => true), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

async function waitUntilGone(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (isRunning(pid)) {
    if (Date.now() >= deadline) return false;
    await sleep(50);
  }
  return true;
}

/**
 * Whether `pid` is a `chroma run` serving `chromaDir`, so that a recycled pid is never killed.
 * Reads /proc (Linux); elsewhere nothing is recognised and a stale state file is just removed.
 */
function isChromaServerFor(pid: number, chromaDir: string): boolean {
  let args: string[];
  try {
    args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
  } catch {
    return false;
  }
  const pathIndex = args.indexOf('--path');
  return args.some((arg) => arg.endsWith('cli.mjs')) && pathIndex >= 0 && args[pathIndex + 1] === chromaDir;
}

/** The last lines of the server log, without colours and Rust backtrace frames. */
async function logTail(logPath: string, lines = 15): Promise<string> {
  const text = await readFile(logPath, 'utf8').catch(() => '');
  return text
    .replace(/\x1b\[[0-9;]*m/g, '')
    .split('\n')
    .filter((line) => line.trim() !== '' && !/^\s*(\d+: |at )/.test(line))
    .slice(-lines)
    .join('\n');
}
