import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants, statSync } from 'node:fs';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const DEMO_OFFERS = path.join(ROOT, 'data', 'offers');

export interface CliRun {
  code: number;
  /** The signal that ended the process, if one did. */
  signal?: NodeJS.Signals;
  stdout: string;
  stderr: string;
}

/** Runs the real `offers` binary, as users do, with a clean environment of our choosing. */
export function runCli(args: string[], options: CliOptions = {}): Promise<CliRun> {
  return startCli(args, options).result;
}

export interface CliOptions {
  env?: Record<string, string | undefined>;
  cwd?: string;
  timeoutMs?: number;
  /** Run as this user (tests running as root use it to meet permissions). */
  uid?: number;
  /** A file descriptor for the child's stdout or stderr instead of a pipe (e.g. /dev/full); that stream then reads as ''. */
  stdout?: number;
  stderr?: number;
}

/** The environment's Chroma settings are left out: a test that wants a server says so. */
const NO_CHROMA_CONNECTION = { CHROMA_URL: undefined, CHROMA_API_KEY: undefined, CHROMA_HEADERS: undefined, CHROMA_TENANT: undefined, CHROMA_DATABASE: undefined };

/**
 * What a command under test reads of the environment, in a process of its own or in process
 * (test/helpers/in-process.ts): this process's, without the settings of a developer's shell that
 * would change what it connects to or embeds with, and with the test's own variables.
 */
export function commandEnvironment(vars: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...NO_CHROMA_CONNECTION, OFFERS_LLM_MODEL: undefined, OFFERS_EMBEDDINGS: undefined, ...vars };
  for (const key of Object.keys(env)) if (env[key] === undefined) delete env[key];
  return env;
}

/** Starts the real binary and hands back the child, for tests that signal it while it runs. */
export function startCli(args: string[], options: CliOptions = {}): { child: ChildProcess; result: Promise<CliRun> } {
  const env = commandEnvironment(options.env);
  const child = spawn(process.execPath, [path.join(ROOT, 'bin', 'offers.mjs'), ...args], {
    cwd: options.cwd ?? ROOT,
    env,
    stdio: ['ignore', options.stdout ?? 'pipe', options.stderr ?? 'pipe'],
    ...(options.uid === undefined ? {} : { uid: options.uid, gid: options.uid }),
  });
  const result = new Promise<CliRun>((resolve, reject) => {
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 120_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code: code ?? -1, ...(signal ? { signal } : {}), stdout, stderr });
    });
  });
  return { child, result };
}

/**
 * A scratch directory, removed by the returned cleanup. `inMemory` puts it on /dev/shm where the
 * system has one: a test that makes a hundred thousand files waits on the disk's journal, not on
 * the code it tests (130k empty files took ~30 s on these machines' ext4, ~1 s on tmpfs).
 */
export async function scratchDir(prefix = 'offers-test-', options: { inMemory?: boolean } = {}): Promise<{ dir: string; cleanup(): Promise<void> }> {
  const dir = await mkdtemp(path.join(options.inMemory && isWritableDir(MEMORY_DIR) ? MEMORY_DIR : tmpdir(), prefix));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

const MEMORY_DIR = '/dev/shm';

function isWritableDir(dir: string): boolean {
  try {
    accessSync(dir, constants.W_OK);
    return statSync(dir).isDirectory();
  } catch {
    return false;
  }
}

/** A copy of the demo offers that a test may edit. */
export async function copyDemoOffers(into: string): Promise<string> {
  const target = path.join(into, 'offers');
  await cp(DEMO_OFFERS, target, { recursive: true });
  return target;
}

/** A loopback port that nothing listens on: a server that cannot be reached. */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
