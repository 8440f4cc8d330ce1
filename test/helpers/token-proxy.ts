/**
 * A token gateway on 127.0.0.1 in front of a real Chroma server, as a team would put one in front
 * of a self-hosted server: every request without the expected `x-chroma-token` is answered 401,
 * the others are forwarded as they came. It records what each request carried, so that tests
 * can see the headers, tenant and database the CLI sent.
 */
import { createServer, request, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SeenRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
}

export interface TokenProxy {
  url: string;
  /** Every request received, refused or forwarded. */
  seen: SeenRequest[];
  close(): Promise<void>;
}

export interface TokenProxyOptions {
  target: string;
  token: string;
  /** Paths answered without the token, as Chroma's own token auth leaves the heartbeat open. */
  open?: string[];
}

export async function startTokenProxy(options: TokenProxyOptions): Promise<TokenProxy> {
  const target = new URL(options.target);
  const seen: SeenRequest[] = [];
  const server = createServer((incoming, answer) => {
    seen.push({ method: incoming.method ?? 'GET', path: incoming.url ?? '/', headers: incoming.headers });
    if (incoming.headers['x-chroma-token'] !== options.token && !options.open?.includes(incoming.url ?? '')) {
      incoming.resume();
      answer.writeHead(401, { 'content-type': 'application/json' }).end('{"error":"Unauthorized","message":"missing or wrong x-chroma-token"}');
      return;
    }
    const forwarded = request(
      { host: target.hostname, port: target.port, method: incoming.method, path: incoming.url, headers: { ...incoming.headers, host: target.host } },
      (response) => {
        answer.writeHead(response.statusCode ?? 502, response.headers);
        response.pipe(answer);
      },
    );
    forwarded.on('error', () => answer.writeHead(502).end());
    incoming.pipe(forwarded);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
