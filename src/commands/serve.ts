import { UsageError, type ExitCode } from '../errors.ts';
import { createServeApp } from '../serve/api.ts';
import { isLoopbackHost, readToken } from '../serve/http-guard.ts';
import { listen } from '../serve/listen.ts';
import { buildPageAssets } from '../serve/page-assets.ts';
import { runServerCommand, type ServerCommandOptions } from '../serve/server-command.ts';
import { cronJob, runSchedule, scheduledReindex } from '../schedule/run-schedule.ts';

/**
 * `offers serve [--port P] [--host H] [--schedule "<cron>"]`: the page and the HTTP API
 * (src/serve/api.ts) over one read workspace (src/serve/workspace-host.ts), until SIGINT or
 * SIGTERM. It binds to 127.0.0.1 unless told otherwise, and beyond loopback only with
 * OFFERS_TOKEN (src/serve/http-guard.ts). With --schedule, `offers reindex` runs on that cron
 * schedule in this process, as `offers schedule` runs it: each run takes the write lock, and the
 * requests that come during a run wait for it.
 */

export const DEFAULT_HOST = '127.0.0.1';
export const DEFAULT_PORT = 3000;

export interface ServeOptions extends ServerCommandOptions {
  port?: number;
  host?: string;
  schedule?: string;
}

export function serve(options: ServeOptions): Promise<ExitCode> {
  return runServerCommand('serve', options, async ({ env, output, log, host, stop }) => {
    const bindHost = options.host ?? DEFAULT_HOST;
    const token = readToken(env);
    const loopback = isLoopbackHost(bindHost);
    if (!loopback && !token) {
      throw new UsageError(
        `--host ${bindHost} reaches beyond this machine, so every request must carry a token: set OFFERS_TOKEN (e.g. OFFERS_TOKEN=$(openssl rand -hex 32)) and send Authorization: Bearer <token>, or bind to 127.0.0.1`,
      );
    }
    // A schedule that cannot run is a usage error now, not a surprise at the first tick.
    if (options.schedule) cronJob('--schedule', options.schedule, { paused: true }, () => {}).stop();
    const app = createServeApp({ host, assets: await buildPageAssets(), guard: { loopback, ...(token ? { token } : {}) }, log });
    const server = await listen(app, bindHost, options.port ?? DEFAULT_PORT);
    output.info(`offers: listening on ${server.url}`);
    const scheduled = options.schedule
      ? runSchedule({ cron: options.schedule, log, stop, run: (n) => host.whileClosed(() => scheduledReindex(options, output, log)(n)) })
      : undefined;
    const reason = await stop;
    log(`${reason}: no new request is taken; the ones in flight end first`);
    await server.close();
    await scheduled;
    log(`stopped (${reason})`);
  });
}
