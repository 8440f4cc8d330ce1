import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';

/** Pids of the chroma servers running on `dataDir`, whoever started them. */
export async function serversOn(dataDir: string): Promise<number[]> {
  const pids = (await readdir('/proc')).filter((entry) => /^\d+$/.test(entry));
  const cmdlines = await Promise.all(pids.map((pid) => readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '')));
  return pids.filter((_, i) => cmdlines[i]?.includes('cli.mjs') && cmdlines[i]?.includes(dataDir)).map(Number);
}

/** Waits (a few seconds at most) for the servers on `dataDir` to be gone: a stopped server takes a moment to exit. */
export async function noServerLeftOn(dataDir: string): Promise<void> {
  for (let waited = 0; (await serversOn(dataDir)).length > 0; waited += 50) {
    assert.ok(waited < 3000, `chroma servers still running on ${dataDir}: ${await serversOn(dataDir)}`);
    await sleep(50);
  }
}
