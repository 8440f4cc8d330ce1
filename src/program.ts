import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { numberInRange, RATE_RANGE, TIMEOUT_RANGE } from './util/flag-ranges.ts';
import { debugEnabled } from './config.ts';
import { DataDirBusyError, describeError, ExitCode, FatalError, OutputClosedError, UsageError } from './errors.ts';
import { storageFatal } from './util/storage-errors.ts';
import manifest from '../package.json' with { type: 'json' };

/**
 * The command line's declarations: commands and flags, normalised and handed over to
 * commands/<name>.ts. Importing this module runs nothing: src/cli.ts is the entry point that runs
 * it and exits; tests build the program and run it in process.
 *
 * Commands are imported when they run, not up front: a query should not pay for loading the
 * PDF and HTML parsers, nor ingest for the LLM client.
 */

/** The `offers` program, and the exit code its last action returned. */
export interface OffersProgram {
  command: Command;
  exitCode: ExitCode;
}

export function buildProgram(): OffersProgram {
  const state: OffersProgram = { command: new Command('offers'), exitCode: ExitCode.ok };
  const program = state.command
    .description('Compare jobs from the job offers themselves: grounded, measured, cited answers.')
    .option('--data-dir <dir>', 'where the embedded Chroma data and the index record live (env OFFERS_DATA_DIR, default ./data)')
    .option('--wait <seconds>', 'how long to wait for another offers command using the same data dir (env OFFERS_WAIT, default 300; 0: fail at once, exit 5)', nonNegativeNumber)
    .version(manifest.version, '-V, --version', "print offers' version")
    .showHelpAfterError()
    .exitOverride();

  const globals = () => program.opts<{ dataDir?: string; wait?: number }>();

  program
    .command('ingest')
    .description('read offers from files, directories or globs and index them')
    .argument('<source...>', 'files, directories (recursive) or globs: .md .txt .html .pdf .json .jsonl .csv')
    .option('--role <role>', 'force this role label on every offer of the run')
    .option('--json', 'print the run summary as JSON on stdout')
    .option('--max-pages <n>', 'web: pages taken from one listing page or sitemap (default 500)', positiveInt)
    .option('--rate <n>', `web: requests per second to one host, ${RATE_RANGE.min} to ${RATE_RANGE.max} (default 2)`, (value) => numberInRange(RATE_RANGE, value))
    .option('--timeout <seconds>', `web: give up on one request after this long, ${TIMEOUT_RANGE.min} to ${TIMEOUT_RANGE.max} (default 20)`, (value) => numberInRange(TIMEOUT_RANGE, value))
    .option('--contact <contact>', 'web: your email or URL, put in the User-Agent (env OFFERS_CONTACT)')
    .option('--user-agent <agent>', 'web: replace the whole User-Agent header')
    .option('--follow-hosts <hosts>', 'web: comma-separated hosts a crawl may go to besides its seed\'s ("*": any)')
    .action(async (sources: string[], opts: { role?: string; json?: boolean } & WebFlags) => {
      const { ingest } = await import('./commands/ingest.ts');
      const { maxPages, rate, timeout, contact, userAgent, followHosts, ...rest } = opts;
      const web = {
        ...(maxPages ? { maxPages } : {}),
        ...(rate ? { rate } : {}),
        ...(timeout ? { timeoutMs: timeout * 1000 } : {}),
        ...(userAgent ? { userAgent } : {}),
        ...(followHosts ? { followHosts: splitList(followHosts) } : {}),
      };
      state.exitCode = await ingest({ ...globals(), ...(contact ? { contact } : {}), sources, ...rest, web });
    });

  program
    .command('query')
    .description('answer a comparative question about roles, with statistics and verbatim quotes')
    .argument('<question>', 'e.g. "What is the difference between SRE and DevOps engineer positions?"')
    .option('--roles <roles>', 'comma-separated roles to compare (overrides the question)')
    .option('--group <expr>', 'a group to compare, repeatable: role words then filters, e.g. "SRE seniority:junior", "data analyst lang:fr", "SRE posted:2024-01..2024-06" (keys: seniority, posted, workplace, company, lang, source)', collect, [])
    .option('--aspects <aspects>', 'comma-separated aspects: missions, requirements, nice_to_have, benefits, tools, experience, soft_skills, remote')
    .option('--offers <n>', 'compare at most N offers per role (a seeded sample)', positiveInt)
    .option('--seed <seed>', 'seed of the sample drawn by --offers', '1')
    .addOption(new Option('--format <format>', 'output format (html: a self-contained page; csv: the theme table)').choices(['md', 'json', 'html', 'csv']).default('md'))
    .option('--lang <code>', "the memo's language: en or fr (default: the question's)")
    .option('--out <file>', 'write the answer to this file instead of stdout')
    .action(async (question: string, opts: { roles?: string; group: string[]; aspects?: string; offers?: number; seed: string; format: 'md' | 'json' | 'html' | 'csv'; out?: string; lang?: string }) => {
      const { query } = await import('./commands/query.ts');
      state.exitCode = await query({
        ...globals(),
        question,
        ...(opts.roles ? { roles: splitList(opts.roles) } : {}),
        ...(opts.group.length > 0 ? { groups: opts.group } : {}),
        ...(opts.aspects ? { aspects: splitList(opts.aspects) } : {}),
        ...(opts.offers ? { offers: opts.offers } : {}),
        seed: opts.seed,
        format: opts.format,
        ...(opts.lang ? { lang: opts.lang } : {}),
        ...(opts.out ? { out: opts.out } : {}),
      });
    });

  program
    .command('export')
    .description('print every indexed offer as JSON lines')
    .option('--json', 'JSON lines (the default and only format)')
    .option('--include-removed', 'also print removed, expired and duplicate offers, with their status')
    .action(async (opts: { includeRemoved?: boolean }) => {
      const { exportOffers } = await import('./commands/export.ts');
      state.exitCode = await exportOffers({ ...globals(), ...(opts.includeRemoved ? { includeRemoved: true } : {}) });
    });

  program
    .command('stats')
    .description('what is indexed: offers per role, language, source and month')
    .option('--json', 'print JSON on stdout')
    .option('--include-removed', 'also count, per role, the removed, expired and duplicate offers kept as history')
    .option('--check', 'compare the record and the vector store chunk by chunk (exit 1 when they differ)')
    .option('--repair', 'with --check: embed the chunks the store lacks again from the record, delete the ones it should not hold')
    .action(async (opts: { json?: boolean; includeRemoved?: boolean; check?: boolean; repair?: boolean }) => {
      const { stats } = await import('./commands/stats.ts');
      state.exitCode = await stats({ ...globals(), ...opts });
    });

  program
    .command('reindex')
    .description('re-read every recorded source; only what changed is embedded again')
    .option('--json', 'print the change counts as JSON on stdout')
    .option('--offline', 'web pages and ATS boards from their snapshots in <data dir>/snapshots, no network')
    .action(async (opts: { json?: boolean; offline?: boolean }) => {
      const { reindex } = await import('./commands/reindex.ts');
      state.exitCode = await reindex({ ...globals(), ...opts });
    });

  program
    .command('schedule')
    .description('run reindex on a cron schedule until stopped (SIGINT/SIGTERM); overlapping runs are skipped')
    .requiredOption('--cron <expr>', 'cron expression, 5 fields or 6 with seconds, e.g. "0 */6 * * *"')
    .option('--json', "print each run's change counts as one JSON line on stdout")
    .action(async (opts: { cron: string; json?: boolean }) => {
      const { schedule } = await import('./commands/schedule.ts');
      state.exitCode = await schedule({ ...globals(), ...opts });
    });

  program
    .command('serve')
    .description('a web page and an HTTP API over the index, until stopped (SIGINT/SIGTERM)')
    .option('--port <port>', 'port to listen on (0: any free port; default 3000)', port)
    .option('--host <host>', 'address to listen on (default 127.0.0.1; beyond loopback only with OFFERS_TOKEN set)')
    .option('--schedule <cron>', 'also run reindex on this cron schedule, e.g. "0 */6 * * *"')
    .action(async (opts: { port?: number; host?: string; schedule?: string }) => {
      const { serve } = await import('./commands/serve.ts');
      state.exitCode = await serve({ ...globals(), ...opts });
    });

  program
    .command('mcp')
    .description('a Model Context Protocol server (tools compare, search_offers, get_offer, stats) over stdio, until stdin closes')
    .option('--http', 'serve the Streamable HTTP transport on 127.0.0.1 instead of stdio')
    .option('--port <port>', 'with --http: port to listen on (0: any free port; default 3001)', port)
    .action(async (opts: { http?: boolean; port?: number }) => {
      const { mcp } = await import('./commands/mcp.ts');
      state.exitCode = await mcp({ ...globals(), ...opts });
    });

  return state;
}

interface WebFlags {
  maxPages?: number;
  rate?: number;
  timeout?: number;
  contact?: string;
  userAgent?: string;
  followHosts?: string;
}

function nonNegativeNumber(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < 0) throw new InvalidArgumentError('must be a number of seconds, 0 or more');
  return n;
}

function port(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError('must be a port number from 0 to 65535 (0: any free port)');
  return n;
}

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('must be a whole number of at least 1');
  return n;
}

/** Commander's accumulator for a repeatable option. */
function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

function splitList(value: string): string[] {
  return value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

/**
 * Runs the command line `argv` (as process.argv: node, script, then arguments) to its exit code:
 * every error becomes one line on stderr naming what failed and the fix, never a stack trace.
 */
export async function runProgram(argv: readonly string[]): Promise<ExitCode> {
  const program = buildProgram();
  try {
    await program.command.parseAsync([...argv]);
    return program.exitCode;
  } catch (thrown) {
    return reportFailure(thrown, (text) => process.stderr.write(text));
  }
}

/** A command's failure as its exit code, with what people are told written to `write` (stderr). */
export function reportFailure(thrown: unknown, write: (text: string) => void): ExitCode {
  // A read-only or full data dir is the user's to fix: a fatal error with its fix, not a crash.
  const error = storageFatal(thrown) ?? thrown;
  if (error instanceof CommanderError) {
    // Help and version are not errors; commander already printed usage for real ones.
    return error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help' ? ExitCode.ok : ExitCode.usage;
  }
  // stdout is gone (`offers export | head -1`, or a full disk): exitStatusOfStreams says what that means.
  if (OutputClosedError.isInstance(error)) return ExitCode.ok;
  if (UsageError.isInstance(error)) {
    write(`offers: ${error.message}\n`);
    return ExitCode.usage;
  }
  if (FatalError.isInstance(error)) {
    write(`offers: ${describeError(error)}\n${error.hint ? `  fix: ${error.hint}\n` : ''}`);
    return DataDirBusyError.isInstance(error) ? ExitCode.busy : ExitCode.fatal;
  }
  write(`offers: unexpected error: ${describeError(error)}\n`);
  if (debugEnabled()) write(`${(error as Error).stack}\n`);
  else write('  (set OFFERS_DEBUG=1 to see the stack trace)\n');
  return ExitCode.fatal;
}
