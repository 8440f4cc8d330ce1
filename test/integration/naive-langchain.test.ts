import assert from 'node:assert/strict';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { NaiveIndex } from '../../eval/naive-langchain.ts';
import { LocalEmbedder } from '../../src/embed/local-embedder.ts';
import { startEmbeddedChroma, type EmbeddedChroma } from '../../src/store/chroma-server.ts';
import { DEMO_OFFERS, scratchDir } from '../helpers/cli.ts';

// The eval's baseline must really be the LangChain pipeline against our Chroma server.
let server: EmbeddedChroma;
let cleanup: () => Promise<void>;

before(async () => {
  const scratch = await scratchDir('offers-naive-');
  cleanup = scratch.cleanup;
  server = await startEmbeddedChroma({ dataDir: scratch.dir });
});

after(async () => {
  await server?.stop();
  await cleanup?.();
});

test('the naive pipeline splits whole files, and answers with unfiltered chunks that name their file', async () => {
  const files = (await readdir(DEMO_OFFERS)).filter((f) => f.endsWith('.md')).slice(0, 4).map((f) => path.join(DEMO_OFFERS, f));
  const naive = NaiveIndex.open({ chromaUrl: server.url, collectionName: 'naive-test', embedder: new LocalEmbedder() });
  const result = await naive.ingestFiles(files);
  assert.equal(result.files, 4);
  assert.ok(result.chunks >= 4, `${result.chunks} chunks`);
  const hits = await naive.search('on-call rotation and incident response', 3);
  assert.equal(hits.length, 3);
  for (const hit of hits) {
    assert.ok(files.includes(String(hit.metadata.source)));
    assert.ok(hit.pageContent.length <= 1000);
  }
  await naive.drop();
});
