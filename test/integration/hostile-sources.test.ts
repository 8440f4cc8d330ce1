/**
 * Hostile local sources: paths that do not exist, a manifest.csv beside the offers, a FIFO named
 * like an offer. What a user or a cron job sees: the exit code, one line naming the problem and
 * its fix, and no hang. The commands run in process (test/helpers/in-process.ts) over the real
 * embedded Chroma server of their data dir; the PDF bomb through the real CLI, whose process's
 * memory is what is measured.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ingest } from '../../src/commands/ingest.ts';
import { reindex } from '../../src/commands/reindex.ts';
import { scratchDir, startCli } from '../helpers/cli.ts';
import { inProcess, type InProcess } from '../helpers/in-process.ts';
import { blankStreamBomb } from '../helpers/hostile-pdf.ts';
import { writeSyntheticCorpus } from '../helpers/synthetic-corpus.ts';

/**
 * The peak RSS of a running process, from the high-water mark Linux keeps for it (VmHWM, the whole
 * process with its threads), read until it exits: the last reading is its peak but for the moment
 * between that reading and the exit.
 */
function watchPeakRss(pid: number): () => number {
  let peakKb = 0;
  const read = () => readFile(`/proc/${pid}/status`, 'utf8').then((status) => {
    peakKb = Math.max(peakKb, Number(/^VmHWM:\s+(\d+) kB$/m.exec(status)?.[1] ?? 0));
  }, () => undefined);
  const timer = setInterval(read, 50);
  return () => {
    clearInterval(timer);
    return Math.round(peakKb / 1024);
  };
}

interface IngestJson {
  failed: Array<{ source: string; error: string }>;
  skipped: Array<{ source: string; reason: string }>;
  offers: number;
}

/** What a hang would do is fail the test, not stall the suite: as a CLI run killed after 90 s. */
const NO_HANG = { timeout: 90_000 };

describe('hostile local sources, end to end', () => {
  let scratch: Awaited<ReturnType<typeof scratchDir>>;
  let offers = '';
  let cli: InProcess;

  before(async () => {
    scratch = await scratchDir('offers-hostile-cli-');
    offers = path.join(scratch.dir, 'offers');
    await writeSyntheticCorpus(offers, { count: 3, repostEvery: 1000 });
    await writeFile(path.join(offers, 'manifest.csv'), 'file,label\noffer-00000.md,sre\n');
    execFileSync('mkfifo', [path.join(offers, 'pipe.md')]);
    cli = await inProcess('offers-hostile-data-', { store: 'chroma' });
  });
  after(async () => {
    await cli?.cleanup();
    await scratch.cleanup();
  });

  it('a path that does not exist, given alone: exit 1, the reason and the fix', NO_HANG, async () => {
    const run = await cli.run(ingest, { sources: [path.join(scratch.dir, 'ofers')] });
    assert.equal(run.code, 1, run.stderr);
    assert.match(run.stderr, /^offers: .*ofers: no such file or directory\n {2}fix: check the path, and quote a glob/m);
    assert.doesNotMatch(run.stderr, /\n\s+at /);
  });

  it('a folder holding a manifest.csv: ingested, the manifest skipped with a notice, exit 0', NO_HANG, async () => {
    const run = await cli.run(ingest, { sources: [offers], json: true });
    assert.equal(run.code, 0, run.stderr);
    const result = JSON.parse(run.stdout) as IngestJson;
    assert.deepEqual(result.failed, []);
    assert.equal(result.offers, 3);
    assert.deepEqual(result.skipped.map((s) => path.basename(s.source)), ['manifest.csv']);
    assert.match(run.stderr, /skipped \(1\): not a dataset of offers: no title column/);
  });

  it('a FIFO named like an offer cannot hang ingest: a failure of that source, exit 3', NO_HANG, async () => {
    const run = await cli.run(ingest, { sources: [path.join(offers, 'pipe.md')], json: true });
    assert.equal(run.code, 3, run.stderr);
    assert.deepEqual((JSON.parse(run.stdout) as IngestJson).failed.map((f) => f.error), ['is a FIFO (named pipe), not a regular file: only regular files are read']);
  });

  it('reindex of that folder finishes, the manifest still only a notice: exit 0', NO_HANG, async () => {
    const run = await cli.run(reindex, { json: true });
    assert.equal(run.code, 0, run.stderr);
    assert.equal((JSON.parse(run.stdout) as { failed: number }).failed, 0);
  });

  it('a PDF bomb (1 MB inflating to 1 GiB): that source fails with the reason, the CLI stays under 600 MB', { skip: process.platform !== 'linux' && 'reads /proc' }, async () => {
    const bomb = path.join(scratch.dir, 'bomb.pdf');
    await writeFile(bomb, await blankStreamBomb());
    // A data dir of its own: the one of the tests in process has its Chroma server to itself.
    const { child, result } = startCli(['--data-dir', path.join(scratch.dir, 'bomb-data'), 'ingest', bomb, path.join(offers, 'offer-00001.md'), '--json'], { timeoutMs: 90_000 });
    const peakMb = watchPeakRss(child.pid!);
    const run = await result;
    const peak = peakMb();
    assert.equal(run.code, 3, run.stderr);
    const failed = (JSON.parse(run.stdout) as IngestJson).failed;
    assert.deepEqual(failed.map((f) => path.basename(f.source)), ['bomb.pdf']);
    assert.match(failed[0]!.error, /^PDF needs more than \d+ MB of memory to read \(a decompression bomb\?\)$/);
    assert.ok(peak > 0 && peak < 600, `peak RSS of the CLI: ${peak} MB`);
  });

  it('a missing path beside good ones: those ingested, exit 3', NO_HANG, async () => {
    const run = await cli.run(ingest, { sources: [path.join(scratch.dir, 'nope.md'), offers], json: true });
    assert.equal(run.code, 3, run.stderr);
    const result = JSON.parse(run.stdout) as IngestJson;
    assert.equal(result.offers, 3);
    assert.deepEqual(result.failed.map((f) => [path.basename(f.source), f.error.split(' (')[0]]), [['nope.md', 'no such file or directory']]);
  });
});
