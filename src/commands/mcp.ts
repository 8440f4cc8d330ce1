import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import type { ExitCode } from '../errors.ts';
import { createMcpApp } from '../mcp/http.ts';
import { createMcpServer } from '../mcp/server.ts';
import { readToken } from '../serve/http-guard.ts';
import { listen } from '../serve/listen.ts';
import { runServerCommand, type ServerCommandOptions } from '../serve/server-command.ts';

/**
 * `offers mcp [--http]`: the tools of src/mcp/server.ts over stdio (what MCP clients spawn), or
 * the Streamable HTTP transport on 127.0.0.1. On stdio, stdout carries the protocol and nothing
 * else: every message goes to stderr. It runs until stdin closes (the client went away) or
 * SIGINT/SIGTERM, over one read workspace under the CLI's lock rules (src/serve/workspace-host.ts).
 */

export const DEFAULT_MCP_PORT = 3001;

export interface McpOptions extends ServerCommandOptions {
  http?: boolean;
  port?: number;
}

export function mcp(options: McpOptions): Promise<ExitCode> {
  return runServerCommand('mcp', options, async ({ env, output, log, host, stop }) => {
    if (options.http) {
      const token = readToken(env);
      const server = await listen(createMcpApp({ host, log, guard: { loopback: true, ...(token ? { token } : {}) } }), '127.0.0.1', options.port ?? DEFAULT_MCP_PORT);
      output.info(`offers: MCP server listening on ${server.url}mcp`);
      log(`stopped (${await stop})`);
      await server.close();
      return;
    }
    const server = createMcpServer(host, log);
    const clientGone = new Promise<string>((resolve) => process.stdin.once('end', () => resolve('the client closed stdin')));
    await server.connect(new StdioServerTransport());
    log(`stopped (${await Promise.race([stop, clientGone])})`);
    await server.close();
  });
}
