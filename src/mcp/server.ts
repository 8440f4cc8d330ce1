import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult, ResourceLink } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import { collectStats } from '../index-stats.ts';
import { isRefusal } from '../query/refusal.ts';
import type { Answer } from '../query/types.ts';
import { ask } from '../serve/ask.ts';
import { classifyFailure, failureLine } from '../serve/failures.ts';
import { questionFields } from '../serve/requests.ts';
import { offerDetail } from '../serve/views.ts';
import type { WorkspaceHost } from '../serve/workspace-host.ts';
import { searchPassages } from './search-passages.ts';

/**
 * The tools of `offers mcp`, on the MCP SDK's McpServer (which validates inputs and outputs
 * against the zod schemas given here, and lists them as JSON Schema):
 *  - compare: `offers query --format json` as structuredContent (or the refusal, `refused: true`),
 *    the memo as text, and the cited offers' pages as resource links;
 *  - search_offers: offers of a selection with their best passages for a text;
 *  - get_offer: one offer whole;
 *  - stats: `offers stats --json`.
 * A failure is a tool error (`isError: true`) with one line saying what failed and the fix.
 */

export const SERVER_INFO = { name: 'offers', version: '0.1.0' };

const citation = z.object({ id: z.string(), offerId: z.string(), role: z.string(), section: z.string(), title: z.string(), company: z.string(), source: z.string(), url: z.string().optional(), quote: z.string() }).passthrough();

/** The answer or the refusal: their fields side by side, the ones of the other kind optional. */
const compareOutput = z
  .object({
    refused: z.literal(true).optional().describe('present when the question was refused: then reason, missing, minOffers, indexedRoles and hint say why'),
    question: z.string(),
    roles: z.array(z.object({ name: z.string(), offers: z.number() }).passthrough()).optional(),
    aspects: z.array(z.string()).optional(),
    answer: z.string().optional().describe('the memo in markdown, with [c1]-style citation markers'),
    claims: z.array(z.object({ text: z.string(), roles: z.array(z.string()), citations: z.array(z.string()) }).passthrough()).optional(),
    citations: z.array(citation).optional().describe('every quote is verbatim text of its offer'),
    themes: z.array(z.object({ theme: z.string(), label: z.string() }).passthrough()).optional(),
    warnings: z.array(z.string()).optional(),
    memo: z.object({}).passthrough().optional(),
    reason: z.string().optional(),
    missing: z.array(z.object({ role: z.string(), offers: z.number() }).passthrough()).optional(),
    minOffers: z.number().optional(),
    indexedRoles: z.array(z.object({ role: z.string(), offers: z.number() })).optional(),
    hint: z.string().optional(),
  })
  .passthrough();

const READ_ONLY = { readOnlyHint: true, destructiveHint: false, openWorldHint: false } as const;

export function createMcpServer(host: WorkspaceHost, log: (line: string) => void): McpServer {
  const server = new McpServer(SERVER_INFO, {
    instructions:
      'Answers questions comparing groups of job offers (roles, title families, seniority, dates, workplace) from the indexed offers themselves: counts with intervals, and verbatim quotes that cite their offers. Use compare for a comparison, search_offers and get_offer to read offers, stats for what is indexed.',
  });
  const tool = (run: () => Promise<CallToolResult>): Promise<CallToolResult> =>
    run().catch((error: unknown) => ({ isError: true, content: [{ type: 'text', text: failureLine(classifyFailure(error, log)) }] }));

  server.registerTool(
    'compare',
    {
      title: 'Compare groups of job offers',
      description: 'Answers a comparative question about job offers (e.g. "How do SRE and DevOps engineer positions differ?") with the share of each group\'s offers mentioning each theme, which differences are not noise, and verbatim quotes citing their offers. Refuses (refused: true) when a group is unknown or has too few offers.',
      inputSchema: questionFields,
      outputSchema: compareOutput,
      annotations: READ_ONLY,
    },
    (args) =>
      tool(async () => {
        const result = await ask(host, args, log);
        if (isRefusal(result)) return { structuredContent: plain(result), content: [{ type: 'text', text: `Refused: ${result.reason}\n${result.hint}` }] };
        return { structuredContent: plain(result), content: [{ type: 'text', text: answerText(result) }, ...citedLinks(result)] };
      }),
  );

  server.registerTool(
    'search_offers',
    {
      title: 'Search job offers',
      description: 'Offers of a group (role words and/or filters such as "SRE seniority:senior", "company:acme lang:fr", "posted:2024-01..2024-06") with the passages that best match a text; without text, the group\'s first offers.',
      inputSchema: {
        text: z.string().trim().max(1000).optional().describe('what to look for in the offers'),
        group: z.string().max(500).optional().describe('a group expression; role words may be left out'),
        limit: z.number().int().min(1).max(50).default(10).describe('offers returned (default 10)'),
      },
      annotations: READ_ONLY,
    },
    (args) =>
      tool(async () => {
        const result = await host.use((workspace) => searchPassages(workspace, { limit: args.limit, ...(args.text ? { text: args.text } : {}), ...(args.group ? { group: args.group } : {}) }));
        const links = result.offers.flatMap((o) => offerLink(o.url, `${o.title} — ${o.company}`));
        return { structuredContent: plain(result), content: [{ type: 'text', text: JSON.stringify(result, null, 2) }, ...links] };
      }),
  );

  server.registerTool(
    'get_offer',
    {
      title: 'Read one job offer',
      description: 'One indexed offer whole: title, company, role, facts (pay, experience, workplace, contract), its sections and its text (which every quote of it is cut from), and its URL when known.',
      inputSchema: { offerId: z.string().min(1).max(200).describe('an offer id, as citations and search_offers give it') },
      annotations: READ_ONLY,
    },
    (args) =>
      tool(async () => {
        const offer = await host.use((workspace) => offerDetail(workspace, args.offerId));
        if (!offer) return { isError: true, content: [{ type: 'text', text: `no offer ${args.offerId} in the index (fix: use an offerId from compare's citations or from search_offers)` }] };
        return { structuredContent: plain(offer), content: [{ type: 'text', text: JSON.stringify(offer, null, 2) }, ...offerLink(offer.url, `${offer.title} — ${offer.company}`)] };
      }),
  );

  server.registerTool(
    'stats',
    {
      title: 'What is indexed',
      description: 'Offers and chunks per role, the title families outside the role catalogue, languages, posting months, sources: what compare can be asked about.',
      inputSchema: {},
      annotations: READ_ONLY,
    },
    () =>
      tool(async () => {
        const stats = await host.use((workspace) => collectStats(workspace));
        return { structuredContent: plain(stats), content: [{ type: 'text', text: JSON.stringify(stats, null, 2) }] };
      }),
  );
  return server;
}

/** structuredContent is a JSON object: the value as JSON gives it (no undefined fields). */
function plain(value: object): Record<string, unknown> {
  return JSON.parse(JSON.stringify(value)) as Record<string, unknown>;
}

/** The memo, then each citation with its quote and where it comes from. */
function answerText(answer: Answer): string {
  const sources = answer.citations.map((c) => `[${c.id}] "${c.quote.replace(/\s+/g, ' ').trim()}" (${[c.title, c.company].filter(Boolean).join(', ')}; ${c.url ?? c.source})`);
  return [answer.answer, '', 'Sources:', ...sources, ...(answer.warnings.length > 0 ? ['', 'Warnings:', ...answer.warnings] : [])].join('\n');
}

/** One resource link per cited offer whose public URL is known, naming the citations. */
function citedLinks(answer: Answer): ResourceLink[] {
  const byUrl = new Map<string, { name: string; ids: string[] }>();
  for (const c of answer.citations) {
    if (!c.url) continue;
    const entry = byUrl.get(c.url) ?? { name: `${c.title} — ${c.company}`, ids: [] };
    byUrl.set(c.url, entry);
    entry.ids.push(c.id);
  }
  return [...byUrl].flatMap(([url, { name, ids }]) => offerLink(url, name, `cited as ${ids.join(', ')}`));
}

/** A link to an offer's page: http(s) URLs only. */
function offerLink(url: string | undefined, name: string, description?: string): ResourceLink[] {
  if (!url || !/^https?:\/\//i.test(url)) return [];
  try {
    return [{ type: 'resource_link', uri: new URL(url).href, name, mimeType: 'text/html', ...(description ? { description } : {}) }];
  } catch {
    return [];
  }
}
