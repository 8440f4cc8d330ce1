import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';

/** Debian's chromium: CI installs it with apt (.ci/run); playwright's own download is not used. */
export const CHROMIUM = '/usr/bin/chromium';

/**
 * A headless Chromium with a fresh profile and every background request turned off, so a page
 * test sees only the requests the page itself makes. Fails with the fix when chromium is missing.
 */
export async function launchChromium(): Promise<{ context: BrowserContext; close(): Promise<void> }> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} not found: the HTML report test renders the page in Debian's chromium; install it with "apt-get install -y chromium"`);
  }
  const profile = await mkdtemp(path.join(tmpdir(), 'offers-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  return {
    context,
    async close() {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}
