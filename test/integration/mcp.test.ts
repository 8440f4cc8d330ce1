import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { ingest } from '../../src/commands/ingest.ts';
import { query } from '../../src/commands/query.ts';
import type { IndexStats } from '../../src/index-stats.ts';
import type { Answer } from '../../src/query/types.ts';
import type { SearchResult } from '../../src/mcp/search-passages.ts';
import type { OfferDetail } from '../../src/serve/views.ts';
import { ROOT, scratchDir } from '../helpers/cli.ts';
import { embeddedStore, runCommand } from '../helpers/in-process.ts';
import { HOSTILE_SCRIPT, startServer, writeDemoOffers } from '../helpers/serve.ts';

/**
 * `offers mcp` as an MCP client sees it: the SDK's own Client spawning the real binary over
 * stdio lists the four tools and calls each; compare returns the CLI's JSON answer as
 * structuredContent (or the refusal), the cited offers' pages as resource links; failures are
 * tool errors of one line. Then the Streamable HTTP transport, with and without a token. What
 * `offers query` answers, to compare with, comes from the command called in process (its JSON is
 * the contract; the index's data dir is the one the server then reads).
 */

const QUESTION = 'What is the difference between SRE and DevOps engineer positions?';

const text = (result: CallToolResult) => result.content.flatMap((c) => (c.type === 'text' ? [c.text] : [])).join('\n');

describe('offers mcp over stdio', () => {
  let scratch: Awaited<ReturnType<typeof scratchDir>>;
  let dataDir: string;
  let client: Client;
  let transport: StdioClientTransport;
  let stderr = '';
  let cliAnswer: Answer;
  let cliRefusal: unknown;

  before(async () => {
    scratch = await scratchDir();
    const offers = await writeDemoOffers(scratch.dir);
    dataDir = path.join(scratch.dir, 'data');
    // The data dir's embedded server, started once for these commands and stopped before the MCP server starts its own.
    const { store, close } = await embeddedStore(dataDir);
    try {
      const ingested = await runCommand(ingest, { dataDir, store, sources: [offers] });
      assert.equal(ingested.code, 0, ingested.stderr);
      cliAnswer = JSON.parse((await runCommand(query, { dataDir, store, question: QUESTION, format: 'json' })).stdout) as Answer;
      cliRefusal = JSON.parse((await runCommand(query, { dataDir, store, question: 'SRE vs astronaut', groups: ['SRE', 'astronaut'], format: 'json' })).stdout);
    } finally {
      await close();
    }
    transport = new StdioClientTransport({
      command: process.execPath,
      args: [path.join(ROOT, 'bin', 'offers.mjs'), '--data-dir', dataDir, 'mcp'],
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' },
      stderr: 'pipe',
    });
    transport.stderr?.on('data', (data: Buffer) => (stderr += data.toString()));
    client = new Client({ name: 'offers-test', version: '1.0.0' });
    await client.connect(transport);
  });
  after(async () => {
    await client?.close();
    await scratch.cleanup();
  });

  it('lists the four tools, compare with an output schema', async () => {
    const { tools } = await client.listTools();
    assert.deepEqual(tools.map((t) => t.name).sort(), ['compare', 'get_offer', 'search_offers', 'stats']);
    const compare = tools.find((t) => t.name === 'compare')!;
    assert.deepEqual(Object.keys(compare.inputSchema.properties ?? {}).sort(), ['aspects', 'groups', 'lang', 'offers', 'question', 'seed']);
    assert.deepEqual(compare.inputSchema.required, ['question']);
    assert.equal(compare.outputSchema?.type, 'object');
    assert.ok(compare.outputSchema?.properties && 'citations' in compare.outputSchema.properties && 'refused' in compare.outputSchema.properties);
  });

  it('compare: the JSON answer of `offers query`, the memo as text, and a resource link per cited offer page', async () => {
    const result = (await client.callTool({ name: 'compare', arguments: { question: QUESTION } })) as CallToolResult;
    assert.ok(!result.isError, text(result));
    assert.deepEqual(result.structuredContent, JSON.parse(JSON.stringify(cliAnswer)));
    assert.ok(text(result).startsWith(cliAnswer.answer));
    for (const c of cliAnswer.citations) assert.ok(text(result).includes(`[${c.id}] "`), `${c.id} is listed with its quote`);
    const links = result.content.filter((c) => c.type === 'resource_link');
    const urls = [...new Set(cliAnswer.citations.flatMap((c) => (c.url ? [new URL(c.url).href] : [])))];
    assert.ok(urls.length > 0, 'some demo offers have a URL');
    assert.deepEqual(links.map((l) => l.uri).sort(), urls.sort());
  });

  it('compare: a refusal is data (refused: true), not an error', async () => {
    const result = (await client.callTool({ name: 'compare', arguments: { question: 'SRE vs astronaut', groups: ['SRE', 'astronaut'] } })) as CallToolResult;
    assert.ok(!result.isError);
    assert.deepEqual(result.structuredContent, cliRefusal);
    assert.match(text(result), /^Refused: not enough evidence to compare: "astronaut" is not a known role/);
  });

  it('search_offers, get_offer and stats read the index', async () => {
    const search = (await client.callTool({ name: 'search_offers', arguments: { text: 'fleet telemetry pipeline robots', group: 'SRE', limit: 3 } })) as CallToolResult;
    assert.ok(!search.isError, text(search));
    const found = search.structuredContent as unknown as SearchResult;
    assert.equal(found.offers.length, 3);
    assert.ok(found.offers.every((o) => o.role === 'SRE' && o.passages.length > 0));
    assert.equal(found.offers[0]!.company, 'Glimmerfield Robotics', 'the offer that says it comes first');

    const offer = (await client.callTool({ name: 'get_offer', arguments: { offerId: found.offers[0]!.offerId } })) as CallToolResult;
    const detail = offer.structuredContent as unknown as OfferDetail;
    assert.ok(detail.text.includes(HOSTILE_SCRIPT), 'offer text is data, verbatim');
    for (const passage of found.offers[0]!.passages) assert.ok(detail.text.includes(passage.text), 'passages are verbatim text of the offer');

    const listed = (await client.callTool({ name: 'search_offers', arguments: { group: 'lang:fr' } })) as CallToolResult;
    assert.deepEqual((listed.structuredContent as unknown as SearchResult).offers.map((o) => o.passages.length), [0, 0]);

    const stats = (await client.callTool({ name: 'stats', arguments: {} })) as CallToolResult;
    const counted = stats.structuredContent as unknown as IndexStats;
    assert.equal(counted.offers, 37);
    assert.equal(counted.roles.SRE?.offers, 15);
  });

  it('reports failures as tool errors of one line', async () => {
    const cases: Array<[string, Record<string, unknown>, RegExp]> = [
      ['get_offer', { offerId: 'o-nothing-here' }, /^no offer o-nothing-here in the index \(fix: /],
      ['compare', { question: QUESTION, aspects: ['astrology'] }, /^unknown aspect astrology; use missions/],
      ['compare', { question: '' }, /Invalid arguments for tool compare: must not be empty at question$/],
      ['search_offers', { group: 'seniority:cosmic' }, /^group "seniority:cosmic": seniority: unknown level cosmic/],
      ['search_offers', { limit: 500 }, /limit/],
    ];
    for (const [name, args, message] of cases) {
      const result = (await client.callTool({ name, arguments: args })) as CallToolResult;
      assert.equal(result.isError, true, name);
      assert.match(text(result), message);
      assert.ok(!text(result).includes('\n'), `${name}: one line`);
    }
  });

  it('writes nothing but the protocol on stdout, and stops when the client goes', async () => {
    // Anything else on stdout would have broken the JSON-RPC stream the calls above went through.
    await client.close();
    assert.equal(transport.pid, null, 'the server process ended');
    assert.match(stderr, /stopped \(the client closed stdin\)/, 'on its own, when its stdin closed');
    assert.doesNotMatch(stderr, /unexpected error/);
  });
});

describe('offers mcp --http', () => {
  let scratch: Awaited<ReturnType<typeof scratchDir>>;
  let dataDir: string;
  const TOKEN = 'mcp-test-token-0123456789';

  before(async () => {
    scratch = await scratchDir();
    dataDir = path.join(scratch.dir, 'data');
  });
  after(async () => scratch.cleanup());

  it('serves the Streamable HTTP transport on 127.0.0.1, with the token when OFFERS_TOKEN is set', async () => {
    const server = await startServer(['--data-dir', dataDir, 'mcp', '--http', '--port', '0'], { env: { OFFERS_TOKEN: TOKEN } });
    try {
      assert.match(server.url, /^http:\/\/127\.0\.0\.1:\d+\/mcp$/);
      const refused = await fetch(server.url, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' }, body: '{}' });
      assert.equal(refused.status, 401);
      const client = new Client({ name: 'offers-test', version: '1.0.0' });
      await client.connect(new StreamableHTTPClientTransport(new URL(server.url), { requestInit: { headers: { authorization: `Bearer ${TOKEN}` } } }));
      assert.equal((await client.listTools()).tools.length, 4);
      const found = (await client.callTool({ name: 'search_offers', arguments: {} })) as CallToolResult;
      assert.deepEqual(found.structuredContent, { offers: [], total: 0 });
      await client.close();
    } finally {
      const run = await server.stop();
      assert.equal(run.code, 0, run.stderr);
    }
  });
});
