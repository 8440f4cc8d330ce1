import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFile, mkdir, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'node:test';
import { ROOT, scratchDir } from '../helpers/cli.ts';

describe('bin/offers.mjs without a fresh bundle', () => {
  it('runs the TypeScript sources through tsx, as a checkout without a build does', async () => {
    // A checkout with the real sources and packages but no dist/: the same bin files, so the
    // path tested is the one npm test's bundle otherwise hides.
    const scratch = await scratchDir('offers-no-bundle-');
    try {
      await mkdir(path.join(scratch.dir, 'bin'));
      for (const file of ['offers.mjs', 'bundle.mjs']) await copyFile(path.join(ROOT, 'bin', file), path.join(scratch.dir, 'bin', file));
      for (const dir of ['src', 'ingest', 'node_modules']) await symlink(path.join(ROOT, dir), path.join(scratch.dir, dir));
      await writeFile(path.join(scratch.dir, 'package.json'), JSON.stringify({ type: 'module' }));
      const run = spawnSync(process.execPath, [path.join(scratch.dir, 'bin', 'offers.mjs'), 'query', '--help'], { encoding: 'utf8' });
      assert.equal(run.status, 0, run.stderr);
      assert.match(run.stdout, /Usage: offers query/);
    } finally {
      await scratch.cleanup();
    }
  });
});
