import assert from 'node:assert/strict';
import { rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { query as queryCommand } from '../../src/commands/query.ts';
import { stats as statsCommand } from '../../src/commands/stats.ts';
import { CONFIG_FILE } from '../../src/config.ts';
import { OpenAIEmbedder } from '../../src/embed/openai-embedder.ts';
import { FatalError } from '../../src/errors.ts';
import { DEMO_OFFERS, runCli, scratchDir } from '../helpers/cli.ts';
import { runCommand } from '../helpers/in-process.ts';
import { FAKE_EMBEDDING_DIMENSION, startFakeOpenAI, type FakeOpenAI } from '../helpers/fake-openai.ts';

/** The `openai` embedder: the real @langchain/openai client against an OpenAI-compatible server on 127.0.0.1. */
describe('OpenAI-compatible embeddings', () => {
  let fake: FakeOpenAI;
  before(async () => {
    fake = await startFakeOpenAI();
  });
  after(() => fake.close());

  const embeddingRequests = () => fake.requests.filter((r) => r.path === '/v1/embeddings');

  it('learns its dimension from the endpoint and names its space after the model', async () => {
    const embedder = await OpenAIEmbedder.create({ model: 'fake-embed', baseUrl: fake.baseUrl });
    assert.equal(embedder.dimension, FAKE_EMBEDDING_DIMENSION);
    assert.equal(embedder.id, 'openai-fake-embed');
  });

  it('sends documents in batches and keeps their order', async () => {
    const embedder = await OpenAIEmbedder.create({ model: 'fake-embed', baseUrl: fake.baseUrl, batchSize: 100 });
    const before = embeddingRequests().length;
    const texts = Array.from({ length: 250 }, (_, i) => `offer number ${i}`);
    const vectors = await embedder.embedDocuments(texts);
    assert.equal(vectors.length, 250);
    assert.equal(embeddingRequests().length - before, 3);
    assert.deepEqual(vectors[7], await embedder.embedQuery('offer number 7'));
  });

  it('retries a rate limit and a server error, then succeeds', async () => {
    const embedder = await OpenAIEmbedder.create({ model: 'fake-embed', baseUrl: fake.baseUrl });
    fake.failEmbeddings(429, 1, 0);
    fake.failEmbeddings(503, 1);
    const before = embeddingRequests().length;
    const [vector] = await embedder.embedDocuments(['kubernetes on call']);
    assert.equal(vector?.length, FAKE_EMBEDDING_DIMENSION);
    assert.equal(embeddingRequests().length - before, 3);
  });

  it('refuses bad credentials with a fix-it hint instead of retrying', async () => {
    fake.failEmbeddings(401, 1);
    await assert.rejects(OpenAIEmbedder.create({ model: 'fake-embed', baseUrl: fake.baseUrl }), (error: unknown) => {
      assert.ok(error instanceof FatalError);
      assert.match(error.hint ?? '', /OPENAI_API_KEY/);
      return true;
    });
  });

  it('ingests and answers through the CLI with OFFERS_EMBEDDINGS=openai, in a collection of its own', async () => {
    const scratch = await scratchDir();
    try {
      const env = { OFFERS_EMBEDDINGS: 'openai', OPENAI_BASE_URL: fake.baseUrl, OFFERS_EMBEDDING_MODEL: 'fake-embed' };
      const dataDir = path.join(scratch.dir, 'data');
      // Through the real CLI, which reads the variables at its start.
      const ingest = await runCli(['--data-dir', dataDir, 'ingest', DEMO_OFFERS, '--json'], { env });
      assert.equal(ingest.code, 0, ingest.stderr);
      const stats = await runCli(['--data-dir', dataDir, 'stats', '--json'], { env });
      const parsed = JSON.parse(stats.stdout) as { embedder: string; chunks: number; storeChunks: number };
      assert.match(parsed.embedder, /openai-fake-embed \(32d\)/);
      assert.equal(parsed.storeChunks, parsed.chunks);
      // Then in process, the command starting the data dir's Chroma server as a CLI run does, the
      // same settings given by the data dir's configuration file rather than by the test's environment.
      const config = path.join(dataDir, CONFIG_FILE);
      await writeFile(config, JSON.stringify({ embeddings: 'openai', openaiBaseUrl: fake.baseUrl, embeddingModel: 'fake-embed' }));
      const query = await runCommand(queryCommand, { dataDir, question: 'SRE vs DevOps engineer: requirements?', format: 'json' });
      assert.equal(query.code, 0, query.stderr);
      // The demo offers, in place, and deterministic fake vectors: the requirements make 13 points.
      assert.equal((JSON.parse(query.stdout) as { claims: unknown[] }).claims.length, 13);
      // The local embedder's space is another collection: empty here, never mixed.
      await rm(config);
      const local = await runCommand(statsCommand, { dataDir, json: true });
      assert.equal((JSON.parse(local.stdout) as { storeChunks: number }).storeChunks, 0);
    } finally {
      await scratch.cleanup();
    }
  });
});
