import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { resolveConfig } from '../../src/config.ts';
import { acquireDataDirLock } from '../../src/data-dir-lock.ts';
import { FatalError } from '../../src/errors.ts';
import { WorkspaceHost } from '../../src/serve/workspace-host.ts';
import type { Workspace } from '../../src/workspace.ts';
import { scratchDir } from '../helpers/cli.ts';

/**
 * The read workspace a server shares between its requests, under the CLI's lock rules: it lets
 * go of the data dir for a writer (another process's lock, or a task of its own such as a
 * scheduled re-index) once the requests in flight are done, and opens it again afterwards. No
 * Chroma server here: nothing touches the store.
 */

/** A promise and its resolver, to hold a request in flight for as long as a test wants. */
function gate(): { promise: Promise<void>; open(): void } {
  let open: () => void = () => {};
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}

const isOpen = (workspace: Workspace) => {
  try {
    workspace.records.countByRole();
    return true;
  } catch {
    return false;
  }
};

async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 5));
}

describe('WorkspaceHost', () => {
  let scratch: Awaited<ReturnType<typeof scratchDir>>;
  let host: WorkspaceHost;
  const log: string[] = [];
  before(async () => {
    scratch = await scratchDir();
    host = new WorkspaceHost(resolveConfig({ dataDir: scratch.dir, wait: 30 }, {}), { command: 'serve', log: (line) => log.push(line), watchMs: 10 });
  });
  after(async () => {
    await host.close();
    await scratch.cleanup();
  });

  it('opens one workspace for the requests that come together', async () => {
    const [a, b] = await Promise.all([host.use((w) => w), host.use((w) => w)]);
    assert.equal(a, b);
    assert.ok(isOpen(a));
  });

  it("closes it for another process's write once the request in flight is done, and reopens it after the writer", async () => {
    const first = await host.use((w) => w);
    const held = gate();
    const inFlight = host.use(async (w) => {
      await held.promise;
      return isOpen(w);
    });
    const lock = await acquireDataDirLock(scratch.dir, { command: 'ingest', waitMs: 0, releaseOnSignal: false });
    try {
      await until(() => log.some((line) => line.includes('another offers command is changing the index')));
      assert.ok(isOpen(first), 'not while a request uses it');
      held.open();
      assert.equal(await inFlight, true, 'the request in flight ran to its end on the open workspace');
      await until(() => !isOpen(first));
      let served = false;
      const next = host.use((w) => ((served = true), w));
      await new Promise((resolve) => setTimeout(resolve, 50));
      assert.equal(served, false, 'a request waits while the writer holds the lock');
      lock.release();
      const reopened = await next;
      assert.notEqual(reopened, first);
      assert.ok(isOpen(reopened));
    } finally {
      lock.release();
    }
  });

  it('runs a task with the workspace closed and no request in flight; requests wait for it', async () => {
    const before = await host.use((w) => w);
    const held = gate();
    const order: string[] = [];
    const inFlight = host.use(async () => {
      await held.promise;
      order.push('request in flight');
    });
    const task = host.whileClosed(async () => {
      order.push(`task (workspace open: ${isOpen(before)})`);
    });
    const later = host.use(() => order.push('later request'));
    await new Promise((resolve) => setTimeout(resolve, 20));
    assert.deepEqual(order, [], 'the task waits for the request in flight');
    held.open();
    await Promise.all([inFlight, task, later]);
    assert.deepEqual(order, ['request in flight', 'task (workspace open: false)', 'later request']);
  });

  it('refuses requests once closed', async () => {
    const stopping = new WorkspaceHost(resolveConfig({ dataDir: scratch.dir }, {}), { command: 'serve', log: () => {} });
    await stopping.use(() => undefined);
    await stopping.close();
    await assert.rejects(stopping.use(() => undefined), (error: unknown) => error instanceof FatalError && /stopping/.test(error.message));
  });
});
