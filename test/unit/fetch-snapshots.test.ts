import assert from 'node:assert/strict';
import { readdir, writeFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'node:test';
import { parseSnapshotEntry, SnapshotStore } from '../../ingest/fetch/snapshots.ts';
import { scratchDir } from '../helpers/cli.ts';

const page = (url: string, body: string) => ({ url, finalUrl: url, status: 200, contentType: 'text/html', body: Buffer.from(body), fetchedAt: '2026-03-01T00:00:00.000Z' });

describe('SnapshotStore.prune', () => {
  it('deletes the bodies no URL entry names any more and the leftovers of killed runs, keeping every body an entry names', async () => {
    const data = await scratchDir('offers-snapshots-');
    try {
      const store = new SnapshotStore(data.dir);
      // A page with a timestamp: a new body on every fetch, of which only the last is named.
      for (const minute of [1, 2, 3]) await store.save(page('https://jobs.example.org/sre', `<p>SRE</p><!-- rendered 10:0${minute} -->`));
      // Two URLs sharing one body: it stays while either names it.
      await store.save(page('https://jobs.example.org/a', '<p>same</p>'));
      await store.save(page('https://jobs.example.org/b', '<p>same</p>'));
      await store.save(page('https://jobs.example.org/a', '<p>changed</p>'));
      await mkdir(path.join(data.dir, 'bodies', 'ff'), { recursive: true });
      await writeFile(path.join(data.dir, 'bodies', 'ff', 'ff00.1234.x.tmp'), 'half a body');
      await writeFile(path.join(data.dir, 'urls', 'dead.json.1234.y.tmp'), '{"url":');
      const bodies = async () => (await readdir(path.join(data.dir, 'bodies'), { recursive: true, withFileTypes: true })).filter((e) => e.isFile()).length;
      assert.equal(await bodies(), 6);
      assert.equal(await store.prune(), 4);
      assert.equal(await bodies(), 3);
      assert.equal((await store.load('https://jobs.example.org/sre'))?.body.toString(), '<p>SRE</p><!-- rendered 10:03 -->');
      assert.equal((await store.load('https://jobs.example.org/a'))?.body.toString(), '<p>changed</p>');
      assert.equal((await store.load('https://jobs.example.org/b'))?.body.toString(), '<p>same</p>');
      assert.equal(await store.prune(), 0, 'nothing more to prune');
    } finally {
      await data.cleanup();
    }
  });

  it('prunes nothing in a store that was never written', async () => {
    const data = await scratchDir('offers-snapshots-');
    try {
      assert.equal(await new SnapshotStore(path.join(data.dir, 'none')).prune(), 0);
    } finally {
      await data.cleanup();
    }
  });

  it('reads a corrupt entry as a page never fetched, and keeps no body for it', async () => {
    const data = await scratchDir('offers-snapshots-');
    try {
      const store = new SnapshotStore(data.dir);
      const url = 'https://jobs.example.org/sre';
      const saved = await store.save(page(url, '<p>SRE</p>'));
      const [entryFile] = await readdir(path.join(data.dir, 'urls'));
      const corrupt = [
        '{"url":',
        'null',
        JSON.stringify({ url, finalUrl: url, status: 200, fetchedAt: saved.fetchedAt }),
        JSON.stringify({ ...saved, status: '200' }),
        JSON.stringify({ ...saved, contentHash: `../../${saved.contentHash}` }),
      ];
      for (const text of corrupt) {
        assert.equal(parseSnapshotEntry(text), undefined, text);
        await writeFile(path.join(data.dir, 'urls', entryFile!), text);
        assert.equal(await store.load(url), undefined, text);
      }
      assert.equal(await store.prune(), 1, 'the body only a corrupt entry named');
      assert.deepEqual(parseSnapshotEntry(JSON.stringify(saved)), saved);
    } finally {
      await data.cleanup();
    }
  });
});
