import { WebStandardStreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js';
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { MAX_BODY_BYTES } from '../serve/api.ts';
import { guard, type GuardOptions } from '../serve/http-guard.ts';
import type { WorkspaceHost } from '../serve/workspace-host.ts';
import { createMcpServer } from './server.ts';

/**
 * `offers mcp --http`: the Streamable HTTP transport at /mcp, stateless (a server and a
 * transport per request, JSON responses): the tools keep no state between calls, so there are no
 * sessions to keep. Same guard as `offers serve` (loopback names only, OFFERS_TOKEN when set).
 */
export function createMcpApp(options: { host: WorkspaceHost; log: (line: string) => void; guard: GuardOptions }): Hono {
  const app = new Hono();
  app.use(...guard(options.guard));
  app.all('/mcp', bodyLimit({ maxSize: MAX_BODY_BYTES, onError: (c) => c.json({ error: `the request body is over ${MAX_BODY_BYTES / 1024} KB` }, 413) }), async (c) => {
    const server = createMcpServer(options.host, options.log);
    // No sessionIdGenerator: the SDK's stateless mode (a transport per request).
    const transport = new WebStandardStreamableHTTPServerTransport({ enableJsonResponse: true });
    await server.connect(transport);
    try {
      return await transport.handleRequest(c.req.raw);
    } finally {
      // The response is complete (JSON, not a stream): nothing more goes through this transport.
      await server.close();
    }
  });
  app.notFound((c) => c.json({ error: `nothing at ${c.req.path}: the MCP endpoint is /mcp` }, 404));
  return app;
}
