import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { buildProgram, runProgram } from '../../src/program.ts';
import { ExitCode } from '../../src/errors.ts';

/** Runs `offers …args` in process, commander's own messages kept out of the test's output. */
async function run(...args: string[]): Promise<{ code: ExitCode; stderr: string }> {
  const write = process.stderr.write;
  let stderr = '';
  process.stderr.write = ((chunk: string | Uint8Array) => ((stderr += String(chunk)), true)) as typeof process.stderr.write;
  try {
    return { code: await runProgram(['node', 'offers', ...args]), stderr };
  } finally {
    process.stderr.write = write;
  }
}

describe('the program, imported without running', () => {
  it('declares every command with its flags', () => {
    const { command } = buildProgram();
    const flags = Object.fromEntries(command.commands.map((c) => [c.name(), c.options.map((o) => o.long)]));
    assert.deepEqual(Object.keys(flags), ['ingest', 'query', 'export', 'stats', 'reindex', 'schedule', 'serve', 'mcp']);
    assert.deepEqual(flags.query, ['--roles', '--group', '--aspects', '--offers', '--seed', '--format', '--lang', '--out']);
    assert.deepEqual(command.options.map((o) => o.long), ['--data-dir', '--wait', '--version']);
  });

  it('knows its version (the package version), and --version prints it and exits 0', async () => {
    const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
    assert.equal(buildProgram().command.version(), version);
    const write = process.stdout.write;
    let stdout = '';
    process.stdout.write = ((chunk: string | Uint8Array) => ((stdout += String(chunk)), true)) as typeof process.stdout.write;
    try {
      assert.equal(await runProgram(['node', 'offers', '--version']), ExitCode.ok);
    } finally {
      process.stdout.write = write;
    }
    assert.equal(stdout, `${version}\n`);
  });

  it('builds a fresh program each time: one run leaves nothing behind for the next', () => {
    const a = buildProgram();
    a.command.setOptionValue('dataDir', '/somewhere');
    assert.equal(buildProgram().command.opts().dataDir, undefined);
  });

  it('runs a command line to its exit code: usage errors are 2, with the usage on stderr', async () => {
    const missing = await run('query');
    assert.equal(missing.code, ExitCode.usage);
    assert.match(missing.stderr, /missing required argument 'question'/);
    const range = await run('ingest', 'x.md', '--timeout', '0');
    assert.equal(range.code, ExitCode.usage);
    assert.match(range.stderr, /--timeout/);
  });

  it('turns a usage error of a command into one line, exit 2', async () => {
    const { code, stderr } = await run('query', 'SRE vs DevOps', '--format', 'json', '--out', '/nonexistent-folder/answer.json');
    assert.equal(code, ExitCode.usage);
    assert.equal(stderr.trim().split('\n').length, 1);
    assert.match(stderr, /^offers: --out .*does not exist/);
  });
});
