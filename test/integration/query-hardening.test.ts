import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ingest } from '../../src/commands/ingest.ts';
import { query } from '../../src/commands/query.ts';
import type { Answer } from '../../src/query/types.ts';
import type { StoreConnection } from '../../src/store/connect.ts';
import { citationMarkers } from '../../src/query/verify.ts';
import { copyDemoOffers, ROOT, runCli, scratchDir } from '../helpers/cli.ts';
import { embeddedStore, runCommand } from '../helpers/in-process.ts';
import { startFakeOpenAI, type FakeOpenAI } from '../helpers/fake-openai.ts';
import { jsonLdPage } from '../helpers/job-site.ts';

/**
 * The query command end to end on offers written to attack its outputs (our own text, fictional
 * companies): five Security Engineer pages whose requirement carries a fake citation marker,
 * terminal escape sequences, a bidi override and markup shown as text; and on a chat model that
 * never answers, or answers with claims that do not verify. The outputs are checked with the
 * commands called in process over the data dir's real embedded Chroma server; the chat model
 * through the real CLI, which reads it from the environment (OFFERS_LLM_*), and at a terminal.
 */

/** Clears the screen, sets the window title, a C1 CSI, a right-to-left override. */
const TERMINAL = '\x1b[2J\x1b]0;pwned\x07\u009b31m\u202eevil\u202c';
/** Shown as text by the page (escaped in its HTML), so in the offer's text. */
const MARKUP = '<script>window.__pwned = 1</script> <img src=x onerror=alert(1)>';
/** Five employers with different work, so they are five offers and not one reposted five times. */
const EMPLOYERS = [
  { company: 'Quillfeather Systems', duties: ['Run the yearly penetration test with an outside firm.', 'Harden the build runners.'] },
  { company: 'Brassmoor Health', duties: ['Review every new vendor that touches patient data.', 'Rotate the database credentials automatically.'] },
  { company: 'Tansy Ledger', duties: ['Keep the payment card zone small and audited.', 'Write the phishing drills.'] },
  { company: 'Owlcrest Mobility', duties: ['Secure the telematics gateways in the vans.', 'Answer the bug bounty reports.'] },
  { company: 'Fernhollow Games', duties: ['Protect the game servers from cheating tools.', 'Design the account recovery flow.'] },
];

/** A page whose JSON-LD posting carries the hostile requirement, and a fake marker in the company name. */
function hostileOffer({ company, duties }: (typeof EMPLOYERS)[number], i: number): string {
  const hostile = `Production experience with Kubernetes and Terraform [c99] ${TERMINAL} ${MARKUP}, in a ${company.split(' ')[0]} setting.`;
  return jsonLdPage({
    slug: `security-hostile-${i}`,
    title: 'Security Engineer',
    company: `${company} [c98]`,
    location: 'Remote',
    language: 'en',
    sections: [
      { heading: 'Responsibilities', paragraphs: [], bullets: duties },
      { heading: 'Requirements', paragraphs: [], bullets: [hostile, 'Python or Go for automation.'] },
    ],
  });
}

/** What a terminal acts on: C0 controls but tab, line feed and carriage return, DEL, C1, bidi controls. */
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

/** A word no offer contains: wherever it shows up, the model's unverified text leaked. */
const FABRICATED = 'Zephyrine';

/** The real CLI in a pseudo-terminal (util-linux `script`): what a user at a terminal sees, stdout and stderr together. */
function runInTerminal(args: string[], env: Record<string, string>): Promise<{ code: number; output: string }> {
  const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
  const command = [process.execPath, path.join(ROOT, 'bin', 'offers.mjs'), ...args].map(quote).join(' ');
  const child = spawn('script', ['-qec', command, '/dev/null'], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, output }));
  });
}
const hasScript = spawnSync('script', ['--version']).status === 0;

describe('offers query: hostile offer text in every output, and a chat model held to its bounds', () => {
  let scratch: Awaited<ReturnType<typeof scratchDir>>;
  let dataDir: string;
  let server: FakeOpenAI;
  /** `--format json` of the question, offline: the raw output and the answer it parses to. */
  let json: { stdout: string; answer: Answer };
  const question = 'How do Security engineer and SRE requirements differ?';
  const llmEnv = () => ({ OFFERS_LLM_MODEL: 'fake-model', OPENAI_BASE_URL: server.baseUrl, OPENAI_API_KEY: 'sk-test-secret-key' });

  before(async () => {
    scratch = await scratchDir();
    dataDir = path.join(scratch.dir, 'data');
    server = await startFakeOpenAI();
  });
  after(async () => {
    await server?.close();
    await scratch.cleanup();
  });

  describe('the outputs, from the command in process', () => {
    /** The data dir's embedded server, started once for these tests and stopped before the real CLI's. */
    let store: StoreConnection | undefined;
    const ask = (options: { format?: 'html'; out?: string } = {}) => runCommand(query, { dataDir, store: store!.store, question, ...options });

    before(async () => {
      const offers = await copyDemoOffers(scratch.dir);
      await Promise.all(EMPLOYERS.map((employer, i) => writeFile(path.join(offers, `security-hostile-${i}.html`), hostileOffer(employer, i))));
      store = await embeddedStore(dataDir);
      const ingested = await runCommand(ingest, { dataDir, store: store.store, sources: [offers] });
      assert.equal(ingested.code, 0, ingested.stderr);
      const run = await runCommand(query, { dataDir, store: store.store, question, format: 'json' });
      assert.equal(run.code, 0, run.stderr);
      json = { stdout: run.stdout, answer: JSON.parse(run.stdout) as Answer };
    });
    after(() => store?.close());

    it('json: quotes stay verbatim data, and nothing raw reaches the terminal', () => {
      assert.ok(!CONTROL.test(json.stdout), 'C1 and bidi controls are \\u escapes');
      const offline = json.answer;
      const hostile = offline.citations.find((c) => c.quote.includes('[c99]'));
      assert.ok(hostile, 'a hostile requirement is cited');
      assert.ok(hostile.quote.includes(TERMINAL) && hostile.quote.includes(MARKUP), 'the quote is the offer text, verbatim');
      assert.ok(!offline.warnings.some((w) => w.includes('c99')), offline.warnings.join('\n'));
    });

    it('md: no control character on stdout, no raw markup, and only our own citation markers', async () => {
      const run = await ask();
      assert.equal(run.code, 0, run.stderr);
      assert.ok(run.stdout.includes('Production experience with Kubernetes and Terraform'), 'the hostile quote is shown');
      assert.ok(!CONTROL.test(run.stdout), JSON.stringify(run.stdout.match(CONTROL)));
      assert.ok(!/(?<!\\)<(?:script|img)/.test(run.stdout), 'markup is escaped');
      const ids = new Set(json.answer.citations.map((c) => c.id));
      assert.ok(citationMarkers(run.stdout).every((id) => ids.has(id)), 'no marker from an offer');
      assert.ok(!/(?<!\\)\[c9[89]\]/.test(run.stdout));
    });

    it('html: an offer\'s [c99] is text, not a link', async () => {
      const out = path.join(scratch.dir, 'report.html');
      const run = await ask({ format: 'html', out });
      assert.equal(run.code, 0, run.stderr);
      const html = await readFile(out, 'utf8');
      assert.ok(!html.includes('href="#c99"') && !html.includes('href="#c98"'));
      assert.ok(!CONTROL.test(html));
      assert.ok(html.includes('&#91;c99&#93;'));
    });
  });

  describe('the chat model, through the real CLI', () => {
    it('a model that never answers fails the query within OFFERS_LLM_TIMEOUT, naming the endpoint and not the key', async () => {
      server.neverAnswer();
      const run = await runCli(['--data-dir', dataDir, 'query', question], { env: { ...llmEnv(), OFFERS_LLM_TIMEOUT: '0.5' } });
      assert.equal(run.code, 1, run.stderr);
      assert.equal(run.stdout, '');
      assert.match(run.stderr, new RegExp(`offers: the chat model fake-model at ${server.baseUrl.replace(/[.]/g, '\\.')} did not answer within 0\\.5 s\\n {2}fix: .*OFFERS_LLM_TIMEOUT`));
      assert.ok(!run.stderr.includes('sk-test-secret'), 'the key is never printed');
      assert.ok(!/\n\s+at /.test(run.stderr), 'no stack trace');

      const bad = await runCli(['--data-dir', dataDir, 'query', question], { env: { ...llmEnv(), OFFERS_LLM_TIMEOUT: 'soon' } });
      assert.equal(bad.code, 2);
      assert.match(bad.stderr, /OFFERS_LLM_TIMEOUT must be a number of seconds above 0, not "soon"/);
    });

    it('at a terminal, shows only what verified: never the raw reply', { skip: !hasScript && 'needs util-linux script for a pseudo-terminal' }, async () => {
      const sre = json.answer.citations.find((c) => c.role === 'SRE')!;
      server.reply(
        JSON.stringify({
          summary: [],
          claims: [
            { text: 'SRE offers ask for this.', roles: ['SRE'], citations: [sre.id] },
            { text: `SRE offers require "a PhD in ${FABRICATED}".`, roles: ['SRE'], citations: [sre.id] },
          ],
        }),
      );
      const run = await runInTerminal(['--data-dir', dataDir, 'query', question], llmEnv());
      assert.equal(run.code, 0, run.output);
      assert.ok(!run.output.includes(FABRICATED), 'the unverified claim never reaches the terminal');
      assert.ok(run.output.includes(`- SRE offers ask for this. [${sre.id}]`), run.output);
      assert.match(run.output, /Dropped the model's claim 2 \(its text is not shown\)/);
    });
  });
});
