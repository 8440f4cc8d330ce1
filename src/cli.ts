import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { exportOffers } from './commands/export.ts';
import { ingest } from './commands/ingest.ts';
import { query } from './commands/query.ts';
import { reindex } from './commands/reindex.ts';
import { stats } from './commands/stats.ts';
import { describeError, FatalError, UsageError } from './errors.ts';

/**
 * The command line: declares commands and flags, normalises them, and hands over to
 * commands/<name>.ts. This is the only place that calls process.exit. Exit codes: 0 success,
 * 1 nothing could be done (fatal), 2 usage error, 3 some sources failed.
 */

const program = new Command('offers')
  .description('Compare jobs from the job offers themselves: grounded, measured, cited answers.')
  .option('--data-dir <dir>', 'where the embedded Chroma data and the index record live (env OFFERS_DATA_DIR, default ./data)')
  .showHelpAfterError()
  .exitOverride();

const globals = () => program.opts<{ dataDir?: string }>();

program
  .command('ingest')
  .description('read offers from files, directories or globs and index them')
  .argument('<source...>', 'files, directories (recursive) or globs: .md .txt .html .pdf .json .jsonl .csv')
  .option('--role <role>', 'force this role label on every offer of the run')
  .option('--json', 'print the run summary as JSON on stdout')
  .action(async (sources: string[], opts: { role?: string; json?: boolean }) => {
    exitCode = await ingest({ ...globals(), sources, ...opts });
  });

program
  .command('query')
  .description('answer a comparative question about roles, with statistics and verbatim quotes')
  .argument('<question>', 'e.g. "What is the difference between SRE and DevOps engineer positions?"')
  .option('--roles <roles>', 'comma-separated roles to compare (overrides the question)')
  .option('--aspects <aspects>', 'comma-separated aspects: missions, requirements, nice_to_have, benefits, tools, experience, soft_skills, remote')
  .option('--offers <n>', 'compare at most N offers per role (a seeded sample)', positiveInt)
  .option('--seed <seed>', 'seed of the sample drawn by --offers', '1')
  .addOption(new Option('--format <format>', 'output format').choices(['md', 'json']).default('md'))
  .option('--out <file>', 'write the answer to this file instead of stdout')
  .action(async (question: string, opts: { roles?: string; aspects?: string; offers?: number; seed: string; format: 'md' | 'json'; out?: string }) => {
    exitCode = await query({
      ...globals(),
      question,
      ...(opts.roles ? { roles: splitList(opts.roles) } : {}),
      ...(opts.aspects ? { aspects: splitList(opts.aspects) } : {}),
      ...(opts.offers ? { offers: opts.offers } : {}),
      seed: opts.seed,
      format: opts.format,
      ...(opts.out ? { out: opts.out } : {}),
    });
  });

program
  .command('export')
  .description('print every indexed offer as JSON lines')
  .option('--json', 'JSON lines (the default and only format)')
  .option('--include-removed', 'also print removed, expired and duplicate offers, with their status')
  .action(async (opts: { includeRemoved?: boolean }) => {
    exitCode = await exportOffers({ ...globals(), ...(opts.includeRemoved ? { includeRemoved: true } : {}) });
  });

program
  .command('stats')
  .description('what is indexed: offers per role, language, source and month')
  .option('--json', 'print JSON on stdout')
  .action(async (opts: { json?: boolean }) => {
    exitCode = await stats({ ...globals(), ...opts });
  });

program
  .command('reindex')
  .description('re-read every recorded source; only what changed is embedded again')
  .option('--json', 'print the change counts as JSON on stdout')
  .action(async (opts: { json?: boolean }) => {
    exitCode = await reindex({ ...globals(), ...opts });
  });

let exitCode = 0;

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('must be a whole number of at least 1');
  return n;
}

function splitList(value: string): string[] {
  return value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

async function main(): Promise<number> {
  try {
    await program.parseAsync(process.argv);
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version are not errors; commander already printed usage for real ones.
      return error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help' ? 0 : 2;
    }
    if (error instanceof UsageError) {
      process.stderr.write(`offers: ${error.message}\n`);
      return 2;
    }
    if (error instanceof FatalError) {
      process.stderr.write(`offers: ${describeError(error)}\n${error.hint ? `  fix: ${error.hint}\n` : ''}`);
      return 1;
    }
    process.stderr.write(`offers: unexpected error: ${describeError(error)}\n`);
    if (process.env.OFFERS_DEBUG) process.stderr.write(`${(error as Error).stack}\n`);
    else process.stderr.write('  (set OFFERS_DEBUG=1 to see the stack trace)\n');
    return 1;
  }
}

// Exit explicitly: a stray handle (a timer, a socket) must not keep a finished command alive.
process.exit(await main());
