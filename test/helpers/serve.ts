import type { ChildProcess } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { copyDemoOffers, runCli, startCli, type CliOptions, type CliRun } from './cli.ts';

/**
 * What the tests of `offers serve` and `offers mcp` share: the real binary started as a server
 * (waiting for the line that names its URL), and a data dir holding the demo offers plus one
 * offer written to attack a page.
 */

export interface RunningServer {
  /** As the server printed it: `http://127.0.0.1:PORT/` (`…/mcp` for `offers mcp --http`). */
  url: string;
  child: ChildProcess;
  /** What it wrote on stderr so far. */
  stderr(): string;
  /** Sends the signal and waits for the process to end. */
  stop(signal?: NodeJS.Signals): Promise<CliRun>;
}

const LISTENING = /offers: (?:MCP server )?listening on (http:\/\/\S+)/;

export async function startServer(args: string[], options: CliOptions = {}): Promise<RunningServer> {
  const { child, result } = startCli(args, { timeoutMs: 600_000, ...options });
  let stderr = '';
  const url = await new Promise<string>((resolve, reject) => {
    child.stderr!.on('data', (data: Buffer) => {
      stderr += data.toString();
      const found = LISTENING.exec(stderr);
      if (found) resolve(found[1]!);
    });
    void result.then((run) => reject(new Error(`offers ${args.join(' ')} exited with ${run.code} before listening:\n${run.stderr}`)));
  });
  return {
    url,
    child,
    stderr: () => stderr,
    stop: (signal = 'SIGTERM') => {
      child.kill(signal);
      return result;
    },
  };
}

/** Markup an offer shows as text (escaped in its page): it must reach the reader as text, and never run. */
export const HOSTILE_SCRIPT = '<script>window.__pwned = 1</script>';
export const HOSTILE_IMAGE = '<img src="http://127.0.0.1:9/pixel.png" onerror="window.__pwned = 2">';
/** A word only the hostile offer has. */
export const HOSTILE_WORD = 'Glimmerfield';

/** An SRE job page of a fictional company whose title and missions display markup. */
function hostileOfferPage(): string {
  const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  return `<!doctype html><html lang="en"><head><title>Site Reliability Engineer ${escape('<b>Fleet</b>')} | ${HOSTILE_WORD} Robotics</title></head><body><main>
<h1>Site Reliability Engineer ${escape('<b>Fleet</b>')}</h1>
<p class="company">${HOSTILE_WORD} Robotics</p>
<h2>What you'll do</h2>
<ul>
<li>Keep the fleet telemetry pipeline within its SLOs and error budgets, even when a robot reports ${escape(HOSTILE_SCRIPT)} as its name.</li>
<li>Review alert rules that arrive as ${escape(HOSTILE_IMAGE)} and other strange markup.</li>
<li>Run the on-call rotation for the warehouse robots with two other engineers, and write the postmortems.</li>
</ul>
<h2>What we're looking for</h2>
<ul><li>Three years of production experience with Kubernetes and Prometheus.</li></ul>
</main></body></html>
`;
}

/** The demo offers and the hostile one, copied into `<dir>/offers`; resolves to that folder. */
export async function writeDemoOffers(dir: string): Promise<string> {
  const offers = await copyDemoOffers(dir);
  await writeFile(path.join(offers, 'sre-glimmerfield-fleet.html'), hostileOfferPage());
  return offers;
}

/** The demo offers and the hostile one, ingested by the real CLI into `<dir>/data`. */
export async function ingestDemoOffers(dir: string): Promise<{ dataDir: string; offers: string }> {
  const offers = await writeDemoOffers(dir);
  const dataDir = path.join(dir, 'data');
  const ingest = await runCli(['--data-dir', dataDir, 'ingest', offers]);
  if (ingest.code !== 0) throw new Error(`ingest failed (${ingest.code}):\n${ingest.stderr}`);
  return { dataDir, offers };
}
