import assert from 'node:assert/strict';
import { mkdir, rm, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { freshBundle, MANIFEST } from '../../bin/bundle.mjs';
import { scratchDir } from '../helpers/cli.ts';

describe('the start-up bundle stands in for the sources only while it is theirs', () => {
  let scratch: Awaited<ReturnType<typeof scratchDir>>;
  let root: URL;
  let bundle: URL;
  const built = Date.parse('2026-06-01T12:00:00Z');
  const before = new Date(built - 60_000);

  beforeEach(async () => {
    scratch = await scratchDir('offers-bundle-');
    root = pathToFileURL(`${scratch.dir}/`);
    bundle = new URL('dist/cli/', root);
    await mkdir(path.join(scratch.dir, 'src'), { recursive: true });
    await mkdir(path.join(scratch.dir, 'dist', 'cli'), { recursive: true });
    for (const name of ['src/a.ts', 'src/b.ts']) {
      await writeFile(path.join(scratch.dir, name), 'export {};\n');
      await utimes(path.join(scratch.dir, name), before, before);
    }
    await writeManifest({ builtAt: built, inputs: ['src/a.ts', 'src/b.ts'] });
  });
  afterEach(() => scratch.cleanup());

  const writeManifest = (manifest: unknown) => writeFile(path.join(scratch.dir, 'dist', 'cli', MANIFEST), JSON.stringify(manifest));

  it('is used when every source it was built from is unchanged since', () => {
    assert.equal(freshBundle(bundle, root)?.href, new URL('cli.js', bundle).href);
  });

  it('is stale once a source changes after the build began', async () => {
    const later = new Date(built + 1000);
    await utimes(path.join(scratch.dir, 'src', 'b.ts'), later, later);
    assert.equal(freshBundle(bundle, root), undefined);
  });

  it('is stale once a source it was built from is gone', async () => {
    await rm(path.join(scratch.dir, 'src', 'a.ts'));
    assert.equal(freshBundle(bundle, root), undefined);
  });

  it('is stale without a manifest, or with one it cannot read', async () => {
    await rm(path.join(scratch.dir, 'dist', 'cli', MANIFEST));
    assert.equal(freshBundle(bundle, root), undefined);
    for (const manifest of ['not json', { builtAt: built }, { builtAt: 'yesterday', inputs: ['src/a.ts'] }, { builtAt: built, inputs: [] }]) {
      await writeFile(path.join(scratch.dir, 'dist', 'cli', MANIFEST), typeof manifest === 'string' ? manifest : JSON.stringify(manifest));
      assert.equal(freshBundle(bundle, root), undefined, JSON.stringify(manifest));
    }
  });
});
