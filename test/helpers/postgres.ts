import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { chown, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after } from 'node:test';
import { promisify } from 'node:util';
import pg from 'pg';
import { closedPort } from './cli.ts';

/**
 * A throwaway Postgres cluster for tests, from Debian's server binaries (.ci/run installs the
 * `postgresql` package; the system's own cluster is never used). Each cluster lives in a fresh
 * temp dir and on a new loopback port, so a test process killed mid-run cannot leave anything
 * that blocks the next run; and the next start stops such an orphan (its owner pid is dead).
 */

/** Where Debian installs each server version: `<root>/<version>/bin`. */
export const POSTGRES_ROOT = '/usr/lib/postgresql';

const DIR_PREFIX = 'offers-pg-';
/** The file of a cluster's temp dir naming the test process that owns it. */
const OWNER_FILE = 'owner.pid';
/** Attempts at a free port: another process may take the one found before the server binds it. */
const START_ATTEMPTS = 3;

const run = promisify(execFile);

export interface PostgresCluster {
  port: number;
  /** The cluster's data dir (`postmaster.pid` in it names the server's pid while it runs). */
  dataDir: string;
  /** A connection URL for a database of this cluster, as its superuser `postgres` (trust auth). */
  url(database: string): string;
  /** Creates a new empty database, collating text in English (ICU en-US); resolves to its URL. */
  createDatabase(): Promise<string>;
  /** Stops the server (fast shutdown) and removes its files. */
  stop(): Promise<void>;
}

/** The newest installed server's bin dir, or an error naming what is missing and the fix. */
export function postgresBinDir(root = POSTGRES_ROOT): string {
  const versions = existsSync(root) ? readdirSync(root).filter((version) => existsSync(path.join(root, version, 'bin', 'initdb'))) : [];
  const newest = versions.sort((a, b) => Number.parseFloat(b) - Number.parseFloat(a))[0];
  if (!newest) {
    throw new Error(`no Postgres server found (${root}/<version>/bin/initdb): the record store tests start a throwaway cluster; install it with "apt-get install -y postgresql"`);
  }
  return path.join(root, newest, 'bin');
}

/**
 * initdb refuses to run as root, and CI runs tests as root: then the server binaries run as the
 * `postgres` system user the Debian package creates, in a temp dir that user owns.
 */
const asRoot = process.getuid?.() === 0;

async function serverCommand(bin: string, command: string, args: string[], cwd: string): Promise<void> {
  const file = path.join(bin, command);
  const [program, argv] = asRoot ? ['runuser', ['-u', 'postgres', '--', file, ...args]] : [file, args];
  try {
    await run(program, argv, { cwd });
  } catch (error) {
    const { stderr } = error as { stderr?: string };
    throw new Error(`${command} ${args.join(' ')} failed: ${stderr?.trim() || (error as Error).message}`, { cause: error });
  }
}

async function postgresUser(): Promise<{ uid: number; gid: number }> {
  const id = async (flag: string) => Number((await run('id', [flag, 'postgres'])).stdout.trim());
  return { uid: await id('-u'), gid: await id('-g') };
}

export async function startPostgres(): Promise<PostgresCluster> {
  const bin = postgresBinDir();
  await stopOrphans(bin);
  const root = await mkdtemp(path.join(tmpdir(), DIR_PREFIX));
  await writeFile(path.join(root, OWNER_FILE), String(process.pid));
  if (asRoot) {
    const { uid, gid } = await postgresUser();
    await chown(root, uid, gid);
  }
  const dataDir = path.join(root, 'data');
  try {
    await serverCommand(bin, 'initdb', ['-D', dataDir, '-A', 'trust', '-U', 'postgres', '--no-sync', '--no-instructions'], root);
    const port = await startServer(bin, root, dataDir);
    return cluster(bin, root, dataDir, port);
  } catch (error) {
    await rm(root, { recursive: true, force: true });
    throw error;
  }
}

/** Starts the server on a free loopback port, its socket in the temp dir; resolves to the port. */
async function startServer(bin: string, root: string, dataDir: string): Promise<number> {
  for (let attempt = 1; ; attempt++) {
    const port = await closedPort();
    // Durability is worth nothing to a cluster deleted after the tests, and fsyncs are slow here.
    const options = `-p ${port} -k '${root}' -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off`;
    try {
      // -l: the server's output goes to a file, not to pipes that would keep execFile waiting.
      await serverCommand(bin, 'pg_ctl', ['-D', dataDir, '-l', path.join(root, 'server.log'), '-o', options, '-w', 'start'], root);
      return port;
    } catch (error) {
      const log = await readFile(path.join(root, 'server.log'), 'utf8').catch(() => '');
      if (attempt < START_ATTEMPTS && /could not bind|Address already in use/i.test(log)) continue;
      throw new Error(`${(error as Error).message}\n${log.trim().split('\n').slice(-5).join('\n')}`, { cause: error });
    }
  }
}

function cluster(bin: string, root: string, dataDir: string, port: number): PostgresCluster {
  let databases = 0;
  let stopped = false;
  const url = (database: string) => `postgres://postgres@127.0.0.1:${port}/${encodeURIComponent(database)}`;
  return {
    port,
    dataDir,
    url,
    async createDatabase() {
      const name = `pgsuite_${++databases}`;
      const client = new pg.Client({ connectionString: url('postgres') });
      await client.connect();
      try {
        // An English collation, as a team's server usually has, rather than the cluster's C
        // locale: a store that orders text by the server's collation ("a" before "B") must show
        // it in the tests, not only in production. ICU databases need Postgres 15 (Debian 12's).
        await client.query(`CREATE DATABASE ${name} TEMPLATE template0 LOCALE_PROVIDER icu ICU_LOCALE 'en-US'`);
      } finally {
        await client.end();
      }
      return url(name);
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      await serverCommand(bin, 'pg_ctl', ['-D', dataDir, '-m', 'fast', '-w', 'stop'], root);
      await rm(root, { recursive: true, force: true });
    },
  };
}

/** Clusters whose test process is gone (killed mid-run): stopped at once, their files removed. */
async function stopOrphans(bin: string): Promise<void> {
  for (const name of readdirSync(tmpdir()).filter((entry) => entry.startsWith(DIR_PREFIX))) {
    const root = path.join(tmpdir(), name);
    const owner = Number(await readFile(path.join(root, OWNER_FILE), 'utf8').catch(() => ''));
    if (!owner || isRunning(owner)) continue;
    const dataDir = path.join(root, 'data');
    if (existsSync(path.join(dataDir, 'postmaster.pid'))) await serverCommand(bin, 'pg_ctl', ['-D', dataDir, '-m', 'immediate', '-w', 'stop'], root).catch(() => undefined);
    // Another user's orphan may not be ours to remove: it then stays, on a port nobody reuses.
    await rm(root, { recursive: true, force: true }).catch(() => undefined);
  }
}

/**
 * Whether a process runs (a zombie does not: a server that pg_ctl daemonised is reparented to
 * PID 1, which on some machines reaps late). Linux only, as Debian's packages are.
 */
export function isRunning(pid: number): boolean {
  try {
    // The state follows the parenthesised command name, which may itself hold spaces.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

/**
 * One cluster for this test file's process, started by the first `createDatabase` (a file whose
 * tests are all skipped starts none) and stopped after the file's tests. Call at the top level.
 */
export function usePostgres(): { createDatabase(): Promise<string> } {
  let started: Promise<PostgresCluster> | undefined;
  after(async () => {
    // A failed start has already failed the tests that needed it, with its own message.
    const running = await started?.catch(() => undefined);
    await running?.stop();
  });
  return { createDatabase: async () => (await (started ??= startPostgres())).createDatabase() };
}
