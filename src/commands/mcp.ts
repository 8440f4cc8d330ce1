import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { resolveConfig, type ConfigFlags } from '../config.ts';
import { createMcpApp } from '../mcp/http.ts';
import { createMcpServer } from '../mcp/server.ts';
import { processOutput, type Output } from '../output.ts';
import { readToken } from '../serve/http-guard.ts';
import { listen } from '../serve/listen.ts';
import { WorkspaceHost } from '../serve/workspace-host.ts';
import { stopOnSignals } from './schedule.ts';

/**
 * `offers mcp [--http]`: the tools of src/mcp/server.ts over stdio (what MCP clients spawn), or
 * the Streamable HTTP transport on 127.0.0.1. On stdio, stdout carries the protocol and nothing
 * else: every message goes to stderr. It runs until stdin closes (the client went away) or
 * SIGINT/SIGTERM, over one read workspace under the CLI's lock rules (src/serve/workspace-host.ts).
 */

export const DEFAULT_MCP_PORT = 3001;

export interface McpOptions extends ConfigFlags {
  http?: boolean;
  port?: number;
  output?: Output;
  env?: NodeJS.ProcessEnv;
}

export async function mcp(options: McpOptions): Promise<number> {
  const output = options.output ?? processOutput;
  const env = options.env ?? process.env;
  const config = resolveConfig(options, env);
  const token = options.http ? readToken(env) : undefined;
  const log = (line: string) => output.info(`[${new Date().toISOString()}] ${line}`);
  const host = new WorkspaceHost(config, { command: 'mcp', log });
  const signals = stopOnSignals(log);
  try {
    if (options.http) {
      const server = await listen(createMcpApp({ host, log, guard: { loopback: true, ...(token ? { token } : {}) } }), '127.0.0.1', options.port ?? DEFAULT_MCP_PORT);
      output.info(`offers: MCP server listening on ${server.url}mcp`);
      log(`stopped (${await signals.stop})`);
      await server.close();
    } else {
      const server = createMcpServer(host, log);
      const clientGone = new Promise<string>((resolve) => process.stdin.once('end', () => resolve('the client closed stdin')));
      await server.connect(new StdioServerTransport());
      log(`stopped (${await Promise.race([signals.stop, clientGone])})`);
      await server.close();
    }
  } finally {
    await host.close();
    signals.dispose();
  }
  return 0;
}
