import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { closeSync, existsSync, openSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { mkdir, readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { createServer, type AddressInfo } from 'node:net';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { acquireFileLock, withLockIfFree } from '../data-dir-lock.ts';
import { DataDirBusyError, FatalError } from '../errors.ts';
import { isRunning, processStartTime, readTextFile } from '../util/pid-file.ts';
import { realPath } from '../util/real-path.ts';
import { heartbeat } from './chroma-store.ts';

/**
 * The Chroma server the CLI runs for itself when CHROMA_URL is unset: the chromadb package's own
 * CLI (`chroma run`), in a child process, on a free loopback port, with its data in
 * `<dataDir>/chroma`. The spawned process *is* the server (the Rust server runs inside that
 * node process), so its pid is all we need to stop it.
 *
 * One server per data dir, shared by the commands that read it. `<dataDir>/chroma/server.json`
 * records { pid, port, ownerPid, startedAt, users }: the server, the process that started it, and
 * every command using it, each with its mode. Readers (query, stats, export) never block each
 * other: a reader that finds a live server used only by readers joins it (adds itself to
 * `users`); a command that changes the index needs the server to itself, so it waits while any
 * other command uses it, and readers wait while a writer does (the data-dir lock keeps most of
 * them apart before they get here). Leaving removes the command from `users`; the last one to
 * leave stops the server, whoever started it. A user whose process is gone (killed) no longer
 * counts, so a server whose users are all gone is stopped by the next start, as one left behind.
 *
 * Every read-modify-write of server.json (join, start, leave) happens under
 * `<dataDir>/chroma/server.lock` (the data-dir lock's protocol: src/data-dir-lock.ts), held for
 * a start too: a second reader arriving meanwhile waits a moment and joins the new server
 * instead of starting its own. A start also stops any server on the data path that no state
 * names (its starter was killed between spawning and recording it). So two servers never run on
 * one data path, and nobody joins a server that is being stopped.
 *
 * The server runs in its own process group (detached): a Ctrl-C in the terminal of the command
 * that started it must not take it from the other commands using it. Each user leaves on exit
 * and on SIGINT/SIGTERM/SIGHUP, synchronously (the signal then keeps its usual effect: the
 * handler re-raises it unless someone else listens for it), stopping the server if it was the
 * last; when the state lock is busy at that instant, it leaves its entry for the next command
 * to prune. Callers should still `await stop()`, which waits for the server to be gone.
 */

export interface EmbeddedChroma {
  url: string;
  pid: number;
  /** Where the server's stdout and stderr go. */
  logPath: string;
  /** Leaves the server, stopping it (and waiting for it to exit) when this was its last user; idempotent. */
  stop(): Promise<void>;
}

export interface StartEmbeddedChromaOptions {
  dataDir: string;
  /** One line per notable event (an orphan stopped, an unexpected exit). */
  log?: ((line: string) => void) | undefined;
  /** How long the server gets to answer its first heartbeat. */
  startTimeoutMs?: number | undefined;
  /** How long to wait for other offers processes that need the server otherwise (default: not at all). */
  waitMs?: number | undefined;
  /**
   * `read`: join the server other readers of this data dir use, or start one they may join;
   * `write` (default): this process alone, as a command that changes the index needs.
   */
  mode?: ServerMode | undefined;
}

type ServerMode = 'read' | 'write';

interface ServerUser {
  id: string;
  pid: number;
  pidStart?: string;
  mode: ServerMode;
}

interface ServerState {
  pid: number;
  port: number;
  ownerPid: number;
  startedAt: string;
  users: ServerUser[];
}

interface ServerPaths {
  dataDir: string;
  chromaDir: string;
  statePath: string;
  lockPath: string;
  logPath: string;
}

const HOST = '127.0.0.1';
const DEFAULT_START_TIMEOUT_MS = 30_000;
/** Another process may grab the free port between our probe and the server's bind. */
const PORT_ATTEMPTS = 3;
const STOP_GRACE_MS = 5000;
const KILL_WAIT_MS = 2000;
/** The state lock is held for a start (up to its timeout) or a stop (grace and kill): longer than both. */
const STATE_LOCK_WAIT_MS = DEFAULT_START_TIMEOUT_MS + STOP_GRACE_MS + KILL_WAIT_MS + 10_000;
const HEARTBEAT_TIMEOUT_MS = 3000;
const EXIT_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

export async function startEmbeddedChroma(options: StartEmbeddedChromaOptions): Promise<EmbeddedChroma> {
  const log = options.log ?? (() => {});
  const paths = serverPaths(options.dataDir);
  await mkdir(paths.chromaDir, { recursive: true });
  const user: ServerUser = { id: randomUUID(), pid: process.pid, mode: options.mode ?? 'write' };
  const pidStart = processStartTime(process.pid);
  if (pidStart) user.pidStart = pidStart;
  const timeoutMs = options.startTimeoutMs ?? DEFAULT_START_TIMEOUT_MS;
  const waitMs = options.waitMs ?? 0;
  const deadline = Date.now() + waitMs;
  // Commands are short, so one that finds the server taken waits (saying so once) rather than failing, up to `waitMs`.
  for (let announced = false; ; announced = true) {
    const outcome = await underStateLock(paths, () => joinOrStart(paths, user, log, timeoutMs));
    if (outcome instanceof ServerSession) return outcome;
    if (Date.now() >= deadline) throw inUse(paths, outcome.busyWith);
    if (!announced) log(`waiting for offers process ${outcome.busyWith} to finish with data dir ${paths.dataDir} (up to ${Math.ceil(waitMs / 1000)} s)`);
    await sleep(200);
  }
}

/** Under the state lock: joins the live server when the modes allow it, stops one left behind, or starts a new one. */
async function joinOrStart(paths: ServerPaths, user: ServerUser, log: (line: string) => void, timeoutMs: number): Promise<ServerSession | { busyWith: number }> {
  const state = readState(paths.statePath);
  if (state && isChromaServerFor(state.pid, paths.chromaDir)) {
    const users = liveUsers(state);
    if (users.length > 0) {
      if (user.mode === 'write' || users.some((other) => other.mode === 'write')) {
        return { busyWith: (users.find((other) => other.mode === 'write') ?? users[0]!).pid };
      }
      const url = `http://${HOST}:${state.port}`;
      await heartbeat(url, HEARTBEAT_TIMEOUT_MS).catch((cause: unknown) => {
        throw new FatalError(`the embedded Chroma server (pid ${state.pid}) that other offers commands use on ${paths.dataDir} does not answer`, `see ${paths.logPath}`, { cause });
      });
      writeState(paths.statePath, { ...state, users: [...users, user] });
      return new ServerSession(paths, state.pid, url, user);
    }
    log(`stopping the Chroma server (pid ${state.pid}) left behind by offers process ${state.ownerPid}, which is gone`);
    await stopLeftBehind(paths, state.pid);
  }
  await rm(paths.statePath, { force: true });
  // A process killed between spawning its server and recording it leaves a server no state
  // names. Two servers on one data path would both write its files, so it goes first.
  for (const pid of unrecordedServers(paths.chromaDir)) {
    log(`stopping a Chroma server (pid ${pid}) on ${paths.chromaDir} that no offers process recorded (its starter was killed)`);
    await stopLeftBehind(paths, pid);
  }
  return startServer(paths, user, log, timeoutMs);
}

async function stopLeftBehind(paths: ServerPaths, pid: number): Promise<void> {
  if (!(await stopProcess(pid))) throw new FatalError(`could not stop the Chroma server (pid ${pid}) left on ${paths.chromaDir}`, `kill -9 ${pid}`);
}

/** Under the state lock: spawns the server, records it with its first user, and waits for its heartbeat. */
async function startServer(paths: ServerPaths, user: ServerUser, log: (line: string) => void, timeoutMs: number): Promise<ServerSession> {
  const cli = chromaCliPath();
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    const child = spawnServer(cli, paths, port);
    if (child.pid === undefined) throw new FatalError('could not start the embedded Chroma server', `see ${paths.logPath}`);
    writeState(paths.statePath, { pid: child.pid, port, ownerPid: process.pid, startedAt: new Date().toISOString(), users: [user] });
    const server = new ServerSession(paths, child.pid, `http://${HOST}:${port}`, user, child);
    const outcome = await waitForHeartbeat(server, timeoutMs);
    if (outcome === 'ready') {
      server.reportUnexpectedExit(log);
      return server;
    }
    await server.leave();
    const tail = await logTail(paths.logPath);
    if (outcome === 'exited' && tail.includes('is not available') && attempt < PORT_ATTEMPTS) continue;
    const what = outcome === 'exited' ? 'exited during start-up' : `did not answer within ${timeoutMs / 1000} s`;
    throw new FatalError(`the embedded Chroma server ${what}; the end of its log:\n${tail}`, `see ${paths.logPath}`);
  }
}

/** One command's use of the server; `child` when this command started it. */
class ServerSession implements EmbeddedChroma {
  readonly logPath: string;
  #stopping: Promise<void> | undefined;

  constructor(
    private readonly paths: ServerPaths,
    readonly pid: number,
    readonly url: string,
    private readonly user: ServerUser,
    private readonly child?: ChildProcess,
  ) {
    this.logPath = paths.logPath;
    process.on('exit', this.#onProcessExit);
    for (const signal of EXIT_SIGNALS) process.on(signal, this.#onSignal);
  }

  get exited(): boolean {
    return this.child ? this.child.exitCode !== null || this.child.signalCode !== null : !isRunning(this.pid);
  }

  stop(): Promise<void> {
    this.#stopping ??= (async () => {
      this.#detach();
      await underStateLock(this.paths, () => this.leave());
    })();
    return this.#stopping;
  }

  reportUnexpectedExit(log: (line: string) => void): void {
    this.child?.once('exit', (code, signal) => {
      if (this.#stopping) return;
      log(`the embedded Chroma server (pid ${this.pid}) exited unexpectedly (${signal ?? `code ${code}`}); see ${this.logPath}`);
    });
  }

  /** Under the state lock: removes this user; the last one stops the server and removes the state. */
  async leave(): Promise<void> {
    this.#detach();
    const state = readState(this.paths.statePath);
    if (state?.pid !== this.pid) {
      // Replaced since (this server died and another start took over): only our own child is ours to stop.
      if (this.child) await this.#stopServer();
      return;
    }
    const others = this.#othersIn(state);
    if (others.length > 0) {
      writeState(this.paths.statePath, { ...state, users: others });
      return;
    }
    await this.#stopServer();
    await rm(this.paths.statePath, { force: true });
  }

  async #stopServer(): Promise<void> {
    if (this.exited) return;
    const child = this.child;
    // The exit event, not the pid, for our own child: once it fires, the process is reaped and its pid is free.
    const stopped = child
      ? await escalate((name) => child.kill(name), (timeoutMs) => settlesWithin(once(child, 'exit'), timeoutMs))
      : await stopProcess(this.pid);
    if (!stopped) throw new FatalError(`could not stop the embedded Chroma server (pid ${this.pid})`, `kill -9 ${this.pid}`);
  }

  #othersIn(state: ServerState): ServerUser[] {
    return liveUsers(state).filter((other) => other.id !== this.user.id);
  }

  /**
   * Synchronous by necessity: nothing asynchronous runs after 'exit'. Leaves if the state lock is
   * free at this instant; the last user signals the server (without waiting for it: the next
   * start waits for a server still on its way out, through the `users: []` left in the state).
   */
  readonly #onProcessExit = (): void => {
    this.#detach();
    try {
      withLockIfFree(this.paths.lockPath, 'chroma-exit', () => {
        const state = readState(this.paths.statePath);
        if (state?.pid !== this.pid) {
          if (this.child && !this.exited) this.child.kill('SIGTERM');
          return;
        }
        const others = this.#othersIn(state);
        writeState(this.paths.statePath, { ...state, users: others });
        if (others.length === 0 && !this.exited) signalProcess(this.pid, 'SIGTERM');
      });
    } catch {
      // No room to write the state (a full disk): the next start judges our entry, as after a kill.
    }
  };

  readonly #onSignal = (signal: NodeJS.Signals): void => {
    this.#onProcessExit();
    if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
  };

  #detach(): void {
    process.off('exit', this.#onProcessExit);
    for (const signal of EXIT_SIGNALS) process.off(signal, this.#onSignal);
  }
}

async function underStateLock<T>(paths: ServerPaths, run: () => Promise<T>): Promise<T> {
  const lock = await acquireFileLock(paths.lockPath, {
    command: 'chroma',
    waitMs: STATE_LOCK_WAIT_MS,
    messages: {
      waiting: (holder) => `waiting for ${holder} to start or stop the embedded Chroma server of ${paths.dataDir}`,
      busy: (holder) =>
        new DataDirBusyError(`the embedded Chroma server of ${paths.dataDir} has been starting or stopping for too long (${holder})`, `see ${paths.logPath}; remove ${paths.lockPath} if that process is really gone`),
    },
  });
  try {
    return await run();
  } finally {
    lock.release();
  }
}

/** The users whose process still runs (the same process: its start time tells a recycled pid apart). */
function liveUsers(state: ServerState): ServerUser[] {
  return state.users.filter((user) => {
    if (!isRunning(user.pid)) return false;
    const start = processStartTime(user.pid);
    return user.pidStart === undefined || start === undefined || start === user.pidStart;
  });
}

function serverPaths(dataDir: string): ServerPaths {
  // The real path: the server's `--path`, compared by isChromaServerFor, names one directory one way.
  const resolved = realPath(dataDir);
  const chromaDir = path.join(resolved, 'chroma');
  return {
    dataDir: resolved,
    chromaDir,
    statePath: path.join(chromaDir, 'server.json'),
    lockPath: path.join(chromaDir, 'server.lock'),
    logPath: path.join(chromaDir, 'server.log'),
  };
}

function inUse(paths: ServerPaths, ownerPid: number): DataDirBusyError {
  return new DataDirBusyError(
    `data dir ${paths.dataDir} is in use by offers process ${ownerPid}`,
    `wait for that command to finish (or stop it: kill ${ownerPid}), pass --wait SECONDS, or use another --data-dir`,
  );
}

/** The state, or undefined when there is none (or it is not one: then it is replaced). */
function readState(statePath: string): ServerState | undefined {
  const text = readTextFile(statePath);
  if (text === undefined) return undefined;
  try {
    const state = JSON.parse(text) as Partial<ServerState>;
    if (!Number.isInteger(state.pid) || !Number.isInteger(state.port) || !Number.isInteger(state.ownerPid)) return undefined;
    // A state written before servers were shared names only its owner, which had the server to itself.
    const users = Array.isArray(state.users) ? state.users : [{ id: 'owner', pid: state.ownerPid!, mode: 'write' as const }];
    return { ...(state as ServerState), users };
  } catch {
    return undefined;
  }
}

/** Replaces the state at once (written aside, then renamed): nobody reads a half-written file. Under the state lock. */
function writeState(statePath: string, state: ServerState): void {
  const temp = `${statePath}.${process.pid}.tmp`;
  writeFileSync(temp, `${JSON.stringify(state)}\n`);
  renameSync(temp, statePath);
}

function spawnServer(cli: string, paths: ServerPaths, port: number): ChildProcess {
  // A file, not a pipe: the server must not depend on this process to drain its output.
  const logFd = openSync(paths.logPath, 'w');
  try {
    const child = spawn(
      process.execPath,
      [cli, 'run', '--path', paths.chromaDir, '--host', HOST, '--port', String(port)],
      // Its own process group: a terminal's Ctrl-C reaches the command, which leaves the server
      // (stopping it when it is the last user), not the server itself, which others may use.
      { stdio: ['ignore', logFd, logFd], detached: true },
    );
    // Spawn failures also surface as a missing pid, which startServer reports.
    child.on('error', () => {});
    // A caller that forgets stop() must not hang: the exit hook then leaves the server.
    child.unref();
    return child;
  } finally {
    closeSync(logFd);
  }
}

async function waitForHeartbeat(server: ServerSession, timeoutMs: number): Promise<'ready' | 'exited' | 'timeout'> {
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

/** A process we did not start (an orphan, or a shared server started by another command): signalled by pid, watched through /proc. */
function stopProcess(pid: number): Promise<boolean> {
  return escalate(
    (name) => signalProcess(pid, name),
    (timeoutMs) => waitUntilGone(pid, timeoutMs),
  );
}

function signalProcess(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch {
    // Already gone: waitUntilGone says so.
  }
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

/** The Chroma servers running on `chromaDir`, found through /proc (none elsewhere). Under the state lock, with no state naming one. */
function unrecordedServers(chromaDir: string): number[] {
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return [];
  }
  return entries.filter((entry) => /^\d+$/.test(entry)).map(Number).filter((pid) => pid !== process.pid && isChromaServerFor(pid, chromaDir));
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
