import assert from 'node:assert/strict';
import { appendFile, open, readdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { exportOffers } from '../../src/commands/export.ts';
import { ingest } from '../../src/commands/ingest.ts';
import { query } from '../../src/commands/query.ts';
import { reindex } from '../../src/commands/reindex.ts';
import { stats } from '../../src/commands/stats.ts';
import { normaliseSpace } from '../../src/query/quotes.ts';
import type { Answer } from '../../src/query/types.ts';
import { closedPort, copyDemoOffers, DEMO_OFFERS, runCli, scratchDir, startCli, type CliRun } from '../helpers/cli.ts';
import { inProcess, type InProcess } from '../helpers/in-process.ts';
import { runCommand } from '../helpers/in-process.ts';

/** What the demo offers hold (data/README.md): 37 offers in 35 files, one a repost counted once. */
const DEMO = { offers: 36, chunks: 238, sources: 35, duplicates: 1, sre: 14, devops: 14 };
const QUESTION = 'Focusing on missions and requirements, what is the difference between the SRE and the DevOps engineer positions?';

/**
 * The real binary, for what only a process shows: its streams closed or full, and its exit
 * statuses then, with the embedded Chroma server it starts and stops itself. One data dir is
 * shared by the tests of this describe, in order: the first one ingests it.
 */
describe('offers CLI, end to end', () => {
  let scratch: Awaited<ReturnType<typeof scratchDir>>;
  let offersDir: string;
  let dataDir: string;

  before(async () => {
    scratch = await scratchDir();
    offersDir = await copyDemoOffers(scratch.dir);
    dataDir = path.join(scratch.dir, 'data');
  });
  after(() => scratch.cleanup());

  it('stderr closed: the messages are dropped and the command succeeds; stderr full: exit 1', async () => {
    const { child, result } = startCli(['--data-dir', dataDir, 'ingest', offersDir, '--json']);
    child.stderr!.destroy();
    const closed = await result;
    assert.equal(closed.code, 0);
    assert.equal((JSON.parse(closed.stdout) as { failed: unknown[] }).failed.length, 0);
    const full = await withDevFull((fd) => runCli(['--data-dir', dataDir, 'ingest', offersDir, '--json'], { stderr: fd }));
    assert.equal(full.code, 1, 'the summary for people could not be written');
    assert.equal((JSON.parse(full.stdout) as { failed: unknown[] }).failed.length, 0, 'the result itself was delivered');
  });

  it('a closed stdout (export | head -1) is a quiet success: exit 0, nothing on stderr', async () => {
    // The export (about 200 KB) is larger than a pipe holds (64 KB): writes follow the close.
    const { child, result } = startCli(['--data-dir', dataDir, 'export']);
    child.stdout!.once('data', () => child.stdout!.destroy());
    const run = await result;
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stderr, '');
  });

  it('a full stdout (export > /dev/full): one line naming stdout and the fix, exit 1', async () => {
    for (const args of [['export'], ['query', 'SRE vs DevOps engineer', '--format', 'json']]) {
      const run = await withDevFull((fd) => runCli(['--data-dir', dataDir, ...args], { stdout: fd }));
      assert.equal(run.code, 1, `${args[0]}: ${run.stderr}`);
      assert.equal(run.stderr, 'offers: cannot write to stdout: ENOSPC: no space left on device, write\n  fix: free some disk space, or send the output to a disk with room\n');
    }
  });
});

/**
 * The contract of ingest, stats and query against the real Chroma (the embedded server of the
 * data dir, started once for the file's commands, in process): the store's own answers, without a
 * process and a server start per command.
 */
describe('offers commands in process, on the real embedded Chroma', () => {
  let cli: InProcess;

  before(async () => {
    cli = await inProcess('offers-cli-chroma-', { store: 'chroma' });
  });
  after(() => cli.cleanup());

  it('ingests the demo offers (exit 0) and prints the contract JSON', async () => {
    // The demo offers as they are: these commands only read them.
    const run = await cli.run(ingest, { sources: [DEMO_OFFERS], json: true });
    assert.equal(run.code, 0, run.stderr);
    const result = JSON.parse(run.stdout) as { ingested: number; unchanged: number; failed: unknown[]; offers: number; chunks: number; sources: number; duplicates: number };
    assert.deepEqual(result.failed, []);
    assert.deepEqual([result.offers, result.ingested, result.chunks, result.sources, result.duplicates], [DEMO.offers, DEMO.offers, DEMO.chunks, DEMO.sources, DEMO.duplicates]);
    assert.match(run.stderr, new RegExp(`ingested ${DEMO.offers} offers`));
  });

  it('stats agree with the store: every recorded chunk is in Chroma and no other', async () => {
    const run = await cli.run(stats, { json: true });
    assert.equal(run.code, 0, run.stderr);
    const counted = JSON.parse(run.stdout) as { offers: number; chunks: number; storeChunks: number; roles: Record<string, { offers: number }> };
    assert.deepEqual([counted.offers, counted.chunks, counted.storeChunks], [DEMO.offers, DEMO.chunks, DEMO.chunks]);
    assert.equal(counted.roles['SRE']?.offers, DEMO.sre, JSON.stringify(counted.roles));
    assert.equal(counted.roles['DevOps Engineer']?.offers, DEMO.devops, JSON.stringify(counted.roles));
  });

  it('answers the SRE vs DevOps question with claims whose every quote is verbatim in an offer of its role', async () => {
    const run = await cli.run(query, { question: QUESTION, format: 'json' });
    assert.equal(run.code, 0, run.stderr);
    const answer = JSON.parse(run.stdout) as Answer;
    assert.deepEqual(answer.roles.map((r) => r.name), ['SRE', 'DevOps Engineer']);
    assert.deepEqual(answer.aspects, ['missions', 'requirements']);
    // The exact counts are checked over the memory store (an exact search); here, the store's answer is grounded too.
    assert.ok(answer.claims.length > 0 && answer.citations.length > 0);
    assertGrounded(answer, await cli.run(exportOffers, {}));
  });
});

/**
 * The contract's outputs and exit codes, from the command functions called in process over an
 * in-memory store (test/helpers/in-process.ts): what a function can answer, without a process, tsx
 * and a Chroma start per check.
 */
describe('offers commands, in process', () => {
  let cli: InProcess;
  let scratch: Awaited<ReturnType<typeof scratchDir>>;
  let offersDir: string;

  before(async () => {
    cli = await inProcess();
    scratch = await scratchDir();
    offersDir = await copyDemoOffers(scratch.dir);
    const run = await cli.run(ingest, { sources: [offersDir], json: true });
    assert.equal(run.code, 0, run.stderr);
    assert.equal((JSON.parse(run.stdout) as { offers: number }).offers, DEMO.offers);
  });
  after(async () => {
    await cli.cleanup();
    await scratch.cleanup();
  });

  it('re-ingesting the same files embeds nothing', async () => {
    const run = await cli.run(ingest, { sources: [offersDir], json: true });
    assert.equal(run.code, 0, run.stderr);
    const result = JSON.parse(run.stdout) as { ingested: number; unchanged: number; offers: number; chunks: number };
    assert.deepEqual([result.ingested, result.unchanged, result.offers, result.chunks], [0, DEMO.offers + DEMO.duplicates, DEMO.offers, DEMO.chunks]);
  });

  it('answers the SRE vs DevOps question: exact counts, every quote verbatim in an offer of its role', async () => {
    const run = await cli.run(query, { question: QUESTION, format: 'json' });
    assert.equal(run.code, 0, run.stderr);
    const answer = JSON.parse(run.stdout) as Answer;
    assert.deepEqual(answer.roles.map((r) => [r.name, r.offers]), [['SRE', DEMO.sre], ['DevOps Engineer', DEMO.devops]]);
    // The claims follow from the statistics alone; which quotes are picked among equals depends on
    // the offers' ids, which hash their paths (a scratch folder's), so the citations are not counted.
    assert.equal(answer.claims.length, 27);
    assertGrounded(answer, await cli.run(exportOffers, {}));
  });

  it('prints a readable markdown answer by default', async () => {
    const run = await cli.run(query, { question: 'What is the difference between SRE and DevOps engineer positions?' });
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /## Missions/);
    assert.match(run.stdout, /\[c1\]/);
  });

  it('--out into a missing folder or onto a folder: a usage error naming the path', async () => {
    const missing = path.join(scratch.dir, 'no-such-folder', 'answer.md');
    const intoMissing = await cli.run(query, { question: 'SRE vs DevOps engineer', out: missing });
    assert.equal(intoMissing.code, 2, intoMissing.stderr);
    assert.equal(intoMissing.stderr, `offers: --out ${missing}: the folder ${path.dirname(missing)} does not exist; create it (mkdir -p ${path.dirname(missing)}) or choose another path\n`);
    const ontoFolder = await cli.run(query, { question: 'SRE vs DevOps engineer', out: scratch.dir });
    assert.equal(ontoFolder.code, 2, ontoFolder.stderr);
    assert.equal(ontoFolder.stderr, `offers: --out ${scratch.dir} is a folder; give a file in it, such as ${path.join(scratch.dir, 'answer.md')}\n`);
  });

  it('--out onto a full disk: one line naming the file, exit 1', async () => {
    const run = await cli.run(query, { question: 'SRE vs DevOps engineer', out: '/dev/full' });
    assert.equal(run.code, 1, run.stderr);
    assert.match(run.stderr, /^offers: cannot write to \/dev\/full: ENOSPC: no space left on device, write\n {2}fix: free some disk space/);
  });
  it('reports a broken file and an unknown type per source, ingests the rest, exits 3', async () => {
    await writeFile(path.join(offersDir, 'broken.pdf'), '%PDF-1.7\nthis is not really a pdf');
    await writeFile(path.join(offersDir, 'notes.docx'), 'not an offer');
    await appendFile(path.join(offersDir, 'more-offers.jsonl'), '{"title": "Broken line\n');
    const run = await cli.run(ingest, { sources: [offersDir, path.join(offersDir, 'notes.docx')], json: true });
    assert.equal(run.code, 3, run.stderr);
    const result = JSON.parse(run.stdout) as { failed: Array<{ source: string; error: string }>; offers: number };
    const failedNames = result.failed.map((f) => path.basename(f.source.split('#')[0]!));
    assert.deepEqual([...new Set(failedNames)].sort(), ['broken.pdf', 'more-offers.jsonl', 'notes.docx']);
    assert.equal(result.offers, DEMO.offers);
  });

  it('reindex sees a deleted file as removed offers and leaves the others unchanged', async () => {
    const files = (await readdir(offersDir)).filter((f) => f.endsWith('.md'));
    await rm(path.join(offersDir, files[0]!));
    const run = await cli.run(reindex, { json: true });
    const report = JSON.parse(run.stdout) as { new: number; changed: number; removed: number; unchanged: number };
    assert.equal(report.removed, 1, run.stderr);
    assert.equal(report.new, 0);
    assert.equal(report.unchanged, DEMO.offers + DEMO.duplicates - 1, 'the repost is unchanged too');
  });
});

/**
 * The messages of a failure, from the commands in process (each connecting as the CLI does, from
 * the environment given to it); usage errors from commander's parsing, through the real binary.
 */
describe('offers CLI, errors', () => {
  it('Chroma unreachable: one line naming the URL and the fix, exit 1, no stack trace', async () => {
    const port = await closedPort();
    const scratch = await scratchDir();
    try {
      const run = await runCommand(stats, { dataDir: scratch.dir, env: { CHROMA_URL: `http://127.0.0.1:${port}` } });
      assert.equal(run.code, 1);
      assert.match(run.stderr, new RegExp(`127\\.0\\.0\\.1:${port}`));
      assert.match(run.stderr, /fix:/);
      assert.doesNotMatch(run.stderr, /\n\s+at /, 'stack trace printed');
    } finally {
      await scratch.cleanup();
    }
  });

  it('a query with the store unreachable and nothing recorded names the store (exit 1), not "0 indexed offers" (exit 4)', async () => {
    const port = await closedPort();
    const scratch = await scratchDir();
    try {
      const run = await runCommand(query, { dataDir: scratch.dir, question: 'SRE vs DevOps engineer', env: { CHROMA_URL: `http://127.0.0.1:${port}` } });
      assert.equal(run.code, 1, run.stderr);
      assert.match(run.stderr, new RegExp(`^offers: Chroma is not reachable at http://127\\.0\\.0\\.1:${port}`));
      assert.match(run.stderr, /\n {2}fix: /);
    } finally {
      await scratch.cleanup();
    }
  });

  it('bad flags exit 2 with usage', async () => {
    const run = await runCli(['query', 'x', '--format', 'docx']);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /Usage|allowed choices/i);
    const missing = await runCli(['ingest']);
    assert.equal(missing.code, 2);
  });
});

/** Runs `use` with a descriptor of /dev/full, the device on which every write fails with ENOSPC. */
async function withDevFull<T>(use: (fd: number) => Promise<T>): Promise<T> {
  const handle = await open('/dev/full', 'w');
  try {
    return await use(handle.fd);
  } finally {
    await handle.close();
  }
}

/** Every citation of the answer quotes its offer (as `offers export` prints it) verbatim, and every claim cites offers of the roles it is about. */
function assertGrounded(answer: Answer, exported: CliRun): void {
  assert.equal(exported.code, 0, exported.stderr);
  const offers = new Map(
    exported.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { offerId: string; role: string; text: string })
      .map((o) => [o.offerId, o]),
  );
  const citations = new Map(answer.citations.map((c) => [c.id, c]));
  for (const citation of answer.citations) {
    const offer = offers.get(citation.offerId);
    assert.ok(offer, `citation ${citation.id} names an unknown offer`);
    assert.equal(citation.role, offer.role);
    assert.ok(normaliseSpace(offer.text).includes(normaliseSpace(citation.quote)), `${citation.id} is not verbatim: ${citation.quote}`);
  }
  for (const claim of answer.claims) {
    assert.ok(claim.citations.length > 0, `uncited claim: ${claim.text}`);
    for (const id of claim.citations) assert.ok(claim.roles.includes(citations.get(id)?.role ?? '?'), `${id} role mismatch in: ${claim.text}`);
  }
  assert.ok(answer.themes.some((t) => t.distinctiveFor === 'SRE'), 'no theme distinctive for SRE');
}
