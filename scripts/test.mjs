#!/usr/bin/env node
// `npm test`: the typecheck, the CLI bundle, and every test file, on a 2-core machine where the
// suite is CPU-bound, so the order in which files run is most of what can be gained:
//  - the bundle first (`bin/offers.mjs` runs it in the integration tests), the typecheck beside
//    the tests rather than before them: it waits on nothing and nothing waits on it;
//  - the unit files in one process (test/all-unit-tests.ts), then the integration files, the
//    longest first, 3 at a time. `node --test` sorts the files it is given by name, and then
//    the last to start were 30–40 s files, which ran alone at the end; the runner's API
//    (`run` from node:test) takes them in the order given.
// Run with `--import tsx` (package.json), which the runner passes on to each test file's process.
// Exits non-zero when the typecheck or any test fails. One file alone: `node --import tsx --test <file>`.
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { run } from 'node:test';
import { spec, tap } from 'node:test/reporters';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));

/**
 * Integration files that run longest (wall seconds in one `npm test`, 2 cores, 2026-12-02),
 * started first in this order; every other file follows in name order. A file missing here is
 * only started later, never skipped.
 */
const LONGEST_FIRST = [
  'crash-safety.test.ts', // 103 s: ingests killed at random points, on SQLite and on Postgres
  'memory-bounds.test.ts', // 66 s: a 100k-row CSV read in a child process
  'record-store-postgres.test.ts', // 52 s
  'readers.test.ts', // 51 s: readers beside a writer, ten rounds
  'team-record.test.ts', // 37 s
  'serve-api.test.ts', // 36 s
  'faults.test.ts', // 33 s
  'web-ingest.test.ts', // 27 s
];

const integration = readdirSync(path.join(root, 'test', 'integration'))
  .filter((name) => name.endsWith('.test.ts'))
  .sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : 1))
  .map((name) => path.join(root, 'test', 'integration', name));

function rank(name) {
  const at = LONGEST_FIRST.indexOf(name);
  return at === -1 ? LONGEST_FIRST.length : at;
}

const build = spawnSync(process.execPath, [path.join(root, 'scripts', 'build.mjs')], { cwd: root, stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);

const typecheck = spawn(process.execPath, [path.join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '--noEmit'], { cwd: root, stdio: 'inherit' });
const typed = new Promise((resolve) => typecheck.on('close', (code, signal) => resolve(code ?? (signal ? 1 : 0))));

let failed = false;
const stream = run({ files: [path.join(root, 'test', 'all-unit-tests.ts'), ...integration], concurrency: 3 });
stream.on('test:fail', () => (failed = true));
// As `node --test` reports: readable on a terminal, TAP otherwise (CI logs).
const report = stream.compose(process.stdout.isTTY ? new spec() : tap);
report.pipe(process.stdout);
await once(report, 'end');
if ((await typed) !== 0) {
  process.stderr.write('npm test: the typecheck (tsc --noEmit) failed, see above\n');
  failed = true;
}
process.exitCode = failed ? 1 : 0;
