import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { createAdaptorServer } from '@hono/node-server';
import type { Hono } from 'hono';
import { FatalError } from '../errors.ts';

/** A server bound to its address, and how to stop it. */
export interface Listening {
  /** `http://HOST:PORT/`, with the port the system picked for port 0. */
  url: string;
  /** Stops accepting connections, lets the requests in flight end, and resolves once they have. */
  close(): Promise<void>;
}

/** Serves a hono app on node's HTTP server at host:port (port 0: a free one). */
export async function listen(app: Hono, host: string, port: number): Promise<Listening> {
  const server = createAdaptorServer({ fetch: app.fetch }) as Server;
  server.listen(port, host);
  try {
    await Promise.race([once(server, 'listening'), once(server, 'error').then(([error]) => Promise.reject(error as Error))]);
  } catch (error) {
    throw listenError(error as NodeJS.ErrnoException, host, port);
  }
  const bound = (server.address() as AddressInfo).port;
  const shownHost = host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
  return {
    url: `http://${shownHost}:${bound}/`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Idle keep-alive connections would hold close() open until they time out.
        server.closeIdleConnections();
      }),
  };
}

function listenError(error: NodeJS.ErrnoException, host: string, port: number): FatalError {
  switch (error.code) {
    case 'EADDRINUSE':
      return new FatalError(`port ${port} on ${host} is already in use`, 'stop what listens there, or pass another --port (0 picks a free one)', { cause: error });
    case 'EACCES':
      return new FatalError(`not allowed to listen on port ${port} of ${host}`, 'pass a --port above 1023', { cause: error });
    case 'EADDRNOTAVAIL':
    case 'ENOTFOUND':
      return new FatalError(`cannot listen on ${host}: no such address on this machine`, 'pass --host an address of this machine (default 127.0.0.1)', { cause: error });
    default:
      return new FatalError(`cannot listen on ${host}:${port}: ${error.message}`, 'check --host and --port', { cause: error });
  }
}
