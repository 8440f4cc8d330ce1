import type { MiddlewareHandler } from 'hono';
import { bearerAuth } from 'hono/bearer-auth';
import { secureHeaders } from 'hono/secure-headers';
import { classifyAddress } from '../util/address-policy.ts';
import { readEnv } from '../config.ts';
import { UsageError } from '../errors.ts';

/**
 * Who may talk to a server of ours (`offers serve`, `offers mcp --http`):
 *  - bound to loopback (the default), only this machine; and only under a loopback name
 *    (`localhost`, `127.0.0.1`, `[::1]`): a page from another site whose name an attacker points
 *    at 127.0.0.1 (DNS rebinding) sends its own name in `Host`, and is turned away;
 *  - bound beyond loopback only with OFFERS_TOKEN, and whenever it is set, every request needs
 *    `Authorization: Bearer <token>`, compared in constant time (hono's bearerAuth hashes both
 *    sides and compares the digests). The token is never logged: nothing logs headers.
 * And what a page it serves may do: the Content-Security-Policy allows only its own scripts,
 * styles, images and API, no inline script, no other origin, no framing.
 */

export const CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'";

/** RFC 6750's b64token: what a Bearer header can carry. */
const TOKEN_SYNTAX = /^[A-Za-z0-9._~+/-]+=*$/;

/** OFFERS_TOKEN when set; one that no Authorization header could carry is a configuration error. */
export function readToken(env?: NodeJS.ProcessEnv): string | undefined {
  const token = readEnv('OFFERS_TOKEN', env);
  if (!token) return undefined;
  if (!TOKEN_SYNTAX.test(token) || token.length < 16) {
    throw new UsageError('OFFERS_TOKEN must be at least 16 characters of letters, digits and -._~+/ (e.g. OFFERS_TOKEN=$(openssl rand -hex 32))');
  }
  return token;
}

/** Whether a host to bind to, or named in a Host header, is this machine only. */
export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[(.*)\]$/, '$1').toLowerCase();
  return bare === 'localhost' || bare.endsWith('.localhost') || classifyAddress(bare) === 'loopback';
}

/** The hostname of a Host header value (`[::1]:8080` → `[::1]`, `localhost:3000` → `localhost`). */
function hostnameOf(header: string): string {
  const bracketed = /^(\[[^\]]*\])(?::\d+)?$/.exec(header);
  return bracketed ? bracketed[1]! : header.replace(/:\d+$/, '');
}

export interface GuardOptions {
  token?: string;
  /** Bound to loopback: only loopback names in `Host`. */
  loopback: boolean;
}

/** The checks every request goes through, in order: secure headers, the Host name, the token. */
export function guard(options: GuardOptions): MiddlewareHandler[] {
  const handlers: MiddlewareHandler[] = [
    secureHeaders({
      contentSecurityPolicy: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        frameAncestors: ["'none'"],
      },
      // Plain HTTP: a Strict-Transport-Security header would only mislead.
      strictTransportSecurity: false,
      xFrameOptions: 'DENY',
    }),
  ];
  if (options.loopback) {
    handlers.push(async (c, next) => {
      const host = c.req.header('host') ?? '';
      if (!isLoopbackHost(hostnameOf(host))) {
        return c.json({ error: `this server answers to loopback names only (localhost, 127.0.0.1), not "${host.slice(0, 100)}"` }, 403);
      }
      return next();
    });
  }
  if (options.token) {
    const unauthorized = { error: 'missing or wrong token: send the header Authorization: Bearer <OFFERS_TOKEN>' };
    handlers.push(
      bearerAuth({
        token: options.token,
        noAuthenticationHeader: { message: unauthorized },
        invalidToken: { message: unauthorized },
        // hono answers a header that is not "Bearer <token>" with 400: for us it is a wrong token too.
        // (`new Response`, not `Response.json`: @hono/node-server replaces the global Response class.)
        invalidAuthenticationHeader: { message: () => new Response(JSON.stringify(unauthorized), { status: 401, headers: { 'content-type': 'application/json' } }) },
      }),
    );
  }
  return handlers;
}
