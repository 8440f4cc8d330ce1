import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { HTTPException } from 'hono/http-exception';
import { collectStats } from '../index-stats.ts';
import { UsageError } from '../errors.ts';
import { isRefusal } from '../query/refusal.ts';
import { renderJson } from '../report/json.ts';
import { ask } from './ask.ts';
import { classifyFailure } from './failures.ts';
import { guard, type GuardOptions } from './http-guard.ts';
import type { Asset } from './page-assets.ts';
import { browseQuery, parseInput, queryBody } from './requests.ts';
import { browseOffers, indexHistory, offerDetail } from './views.ts';
import type { WorkspaceHost } from './workspace-host.ts';

/**
 * The HTTP side of `offers serve`: the page and its API, on hono (routing, middleware for body
 * limits, secure headers and bearer tokens, and Web-standard Request/Response, so the same app
 * runs under @hono/node-server and in tests through `app.request`).
 *
 * Every answer is JSON written as `offers query --format json` writes it (report/json.ts), and
 * every failure `{ error, hint? }` on one line with its status: 400 a bad request, 404 nothing
 * there, 413 a body over MAX_BODY_BYTES, 415 a body that is not JSON, 422 a refused question (the
 * refusal object), 503 a service the answer needs is unreachable or busy.
 */

export const MAX_BODY_BYTES = 64 * 1024;

export interface ServeAppOptions {
  host: WorkspaceHost;
  assets: ReadonlyMap<string, Asset>;
  guard: GuardOptions;
  log: (line: string) => void;
}

export function createServeApp(options: ServeAppOptions): Hono {
  const { host, log } = options;
  const app = new Hono();
  app.use(...guard(options.guard));

  for (const [route, asset] of options.assets) {
    app.get(route, (c) => c.body(asset.body, 200, { 'content-type': asset.type, 'cache-control': 'no-cache' }));
  }

  app.post(
    '/api/query',
    bodyLimit({ maxSize: MAX_BODY_BYTES, onError: (c) => c.json({ error: `the request body is over ${MAX_BODY_BYTES / 1024} KB` }, 413) }),
    async (c) => {
      if (!/^application\/json\s*(;|$)/i.test(c.req.header('content-type') ?? '')) {
        return c.json({ error: 'send the question as JSON, with the header Content-Type: application/json' }, 415);
      }
      const request = parseInput(queryBody, parseJson(await c.req.text()), 'body');
      const result = await ask(host, request, log);
      return isRefusal(result) ? json(c, result, 422) : json(c, result);
    },
  );
  app.get('/api/stats', async (c) => json(c, await host.use((workspace) => collectStats(workspace))));
  app.get('/api/offers', async (c) => {
    const request = parseInput(browseQuery, c.req.query(), 'query');
    return json(c, await host.use((workspace) => browseOffers(workspace, request)));
  });
  app.get('/api/offers/:offerId', async (c) => {
    const offerId = c.req.param('offerId');
    const offer = await host.use((workspace) => offerDetail(workspace, offerId));
    return offer ? json(c, offer) : c.json({ error: `no offer ${offerId} in the index` }, 404);
  });
  app.get('/api/history', async (c) => json(c, await host.use((workspace) => indexHistory(workspace))));

  app.notFound((c) => c.json({ error: `nothing at ${c.req.method} ${c.req.path}` }, 404));
  app.onError((error, c) => {
    if (error instanceof HTTPException) return error.getResponse();
    const { status, ...body } = classifyFailure(error, log);
    return c.json(body, status);
  });
  return app;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new UsageError(`the body is not JSON: ${(error as Error).message}`);
  }
}

/** JSON as the CLI prints it: verbatim quotes, nothing a terminal would act on left raw. */
function json(c: Context, value: unknown, status: 200 | 422 = 200): Response {
  return c.body(renderJson(value), status, { 'content-type': 'application/json; charset=utf-8' });
}
