import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs, promisify } from 'node:util';
import { ChromaClient } from 'chromadb';
import { chunkOffer, embeddingText, storeMetadata } from '../ingest/chunk.ts';
import { normaliseOffer } from '../ingest/normalise.ts';
import { parseBytes } from '../ingest/parse/index.ts';
import { loadRoleCatalog } from '../src/catalog/roles.ts';
import { resolveConfig } from '../src/config.ts';
import { answerQuestion } from '../src/query/answer-question.ts';
import { startEmbeddedChroma } from '../src/store/chroma-server.ts';
import { loadThemeCatalog } from '../src/catalog/themes.ts';
import type { VectorStore } from '../src/store/vector-store.ts';
import { createEmbedder, openWorkspace } from '../src/workspace.ts';
import { generateOffers } from '../scripts/generate-offers.ts';
import type { BenchIngestResult } from './bench-ingest.ts';
import { NaiveIndex } from './naive-langchain.ts';
import { percentile, perSecond, round } from './measure.ts';

/**
 * `npm run bench`: ingest and query figures on this machine, written to eval/results/bench.json.
 *
 *  a) raw Chroma: `collection.add` of exactly what our pipeline writes for the same chunks (ids,
 *     vectors and the filter metadata: ingest/chunk.ts storeMetadata), precomputed, in the
 *     server's batch size: the store's own limit here;
 *  b) our ingest of the same offers from Markdown files, in a child process (offers/s, chunks/s);
 *  c) the naive LangChain pipeline (naive-langchain.ts) on the same files, same embedder;
 *  d) `answerQuestion` latency (p50, p95) on warm workspaces of 1k, 10k and 100k offers;
 *  e) the peak RSS of the child process that ingests the 10k offers.
 * The offers are synthetic (scripts/synthetic-offers.ts, seed 1), so every run measures the same corpus.
 */

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const CHILD = path.join(ROOT, 'eval', 'bench-ingest.ts');
const SEED = '1';
const ROLES = ['SRE', 'DevOps Engineer', 'Platform Engineer', 'Backend Engineer', 'Data Engineer'];
const ASPECT_PHRASES = ['focusing on missions and requirements', 'in terms of tools'];
/** Scales at or above this are built from in-memory offers: 100k files would only measure the disk. */
const IN_MEMORY_FROM = 50_000;

interface QueryFigures {
  p50Ms: number;
  p95Ms: number;
  /** The part of each answer spent waiting for the vector store (Chroma's own latency, filter included). */
  store: { p50Ms: number; p95Ms: number };
  queries: number;
  offers: number;
  chunks: number;
  /** How the index of this scale was built, how long it took, and the peak RSS of the process that built it. */
  build: { how: string; seconds: number; offersPerSec: number; chunksPerSec: number; maxRssMb: number };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      'ingest-offers': { type: 'string', default: '2000' },
      scales: { type: 'string', default: '1000,10000,100000' },
      queries: { type: 'string', default: '20' },
      out: { type: 'string', default: path.join(ROOT, 'eval', 'results', 'bench.json') },
      keep: { type: 'boolean', default: false },
    },
  });
  const ingestOffers = Number(values['ingest-offers']);
  const scales = values.scales.split(',').map(Number);
  const queries = Number(values.queries);
  const work = await mkdtemp(path.join(os.tmpdir(), 'offers-bench-'));
  const log = (line: string) => process.stderr.write(`bench: ${line}\n`);
  try {
    const fileScales = scales.filter((n) => n < IN_MEMORY_FROM);
    const filesDir = path.join(work, 'offers');
    const files = await generateOffers(filesDir, Math.max(ingestOffers, ...fileScales), SEED);

    // a, b, c on the first `ingestOffers` files.
    const sample = files.slice(0, ingestOffers);
    const sampleDir = await linkFiles(path.join(work, 'sample'), sample);
    log(`ours: ingesting ${sample.length} files`);
    const ours = await ingestInChild(path.join(work, 'ours'), sampleDir);
    log(`raw Chroma: adding the same chunks`);
    const raw = await rawChromaThroughput(path.join(work, 'raw'), sample);
    log(`naive LangChain: ingesting the same files`);
    const naive = await naiveThroughput(path.join(work, 'naive'), sample);

    const query: Record<string, QueryFigures> = {};
    let peakRssMb = Number.NaN;
    for (const scale of scales) {
      const dataDir = path.join(work, `scale-${scale}`);
      const inMemory = scale >= IN_MEMORY_FROM;
      log(`${scale} offers: building the index ${inMemory ? 'from in-memory offers' : 'from files'}`);
      const source = inMemory ? `synthetic:0:${scale}:${SEED}` : await linkFiles(path.join(work, `files-${scale}`), files.slice(0, scale));
      const built = await ingestInChild(dataDir, source);
      if (scale === 10_000) peakRssMb = built.maxRssMb;
      log(`${scale} offers: ${built.offers} offers, ${built.chunks} chunks in ${built.seconds} s; querying`);
      const latencies = await queryLatencies(dataDir, queries);
      query[String(scale)] = {
        p50Ms: round(percentile(latencies.total, 50), 1),
        p95Ms: round(percentile(latencies.total, 95), 1),
        store: { p50Ms: round(percentile(latencies.store, 50), 1), p95Ms: round(percentile(latencies.store, 95), 1) },
        queries: latencies.total.length,
        offers: built.offers,
        chunks: built.chunks,
        build: {
          how: inMemory ? 'real pipeline (ingestItems), offers generated in memory as Markdown bytes' : 'real pipeline (ingestSources) on Markdown files',
          seconds: built.seconds,
          offersPerSec: perSecond(built.offers, built.seconds),
          chunksPerSec: perSecond(built.chunks, built.seconds),
          maxRssMb: built.maxRssMb,
        },
      };
    }

    const chunksPerSec = perSecond(ours.chunks, ours.seconds);
    const offersPerSec = perSecond(ours.offers, ours.seconds);
    const report = {
      date: new Date().toISOString(),
      machine: machine(),
      ingest: {
        offers: ours.offers,
        chunks: ours.chunks,
        seconds: ours.seconds,
        offersPerSec,
        chunksPerSec,
        rawChromaVectorsPerSec: raw.vectorsPerSec,
        ratioToRawChroma: round(chunksPerSec / raw.vectorsPerSec),
        naiveLangchain: naive,
        // Offers per second: the pipelines cut the same files into different chunks (ours by
        // section, about twice as many as 1000-character windows), so only offers compare.
        ratioToNaiveLangchain: round(offersPerSec / naive.offersPerSec),
        ratioToNaiveLangchainChunksPerSec: round(chunksPerSec / naive.chunksPerSec),
      },
      query,
      peakRssMb,
    };
    await mkdir(path.dirname(values.out), { recursive: true });
    await writeFile(values.out, `${JSON.stringify(report, null, 2)}\n`);
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    log(`written to ${values.out}`);
  } finally {
    if (values.keep) log(`kept ${work}`);
    else await rm(work, { recursive: true, force: true });
  }
}

/** A directory of links to `files`, so that a subset is one source argument. */
async function linkFiles(dir: string, files: readonly string[]): Promise<string> {
  await mkdir(dir, { recursive: true });
  await Promise.all(files.map((file) => symlink(file, path.join(dir, path.basename(file)))));
  return dir;
}

async function ingestInChild(dataDir: string, source: string): Promise<BenchIngestResult> {
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', CHILD, dataDir, source], {
    cwd: ROOT,
    maxBuffer: 16 * 1024 * 1024,
  });
  return JSON.parse(stdout.trim().split('\n').pop()!) as BenchIngestResult;
}

/** Our chunks of `files`, embedded beforehand, then timed while added to a fresh collection. */
async function rawChromaThroughput(dataDir: string, files: readonly string[]): Promise<{ vectors: number; seconds: number; vectorsPerSec: number }> {
  const roles = loadRoleCatalog();
  const themes = loadThemeCatalog();
  const embedder = await createEmbedder(resolveConfig({ dataDir }, {}), themes);
  const records: Array<{ id: string; embedding: number[]; metadata: Record<string, string | number | boolean> }> = [];
  for (const file of files) {
    const parsed = await parseBytes(await readFile(file), file, { extension: '.md' });
    for (const raw of parsed.offers) {
      const chunks = await chunkOffer(normaliseOffer(raw, { roles }), { themes });
      const vectors = await embedder.embedDocuments(chunks.map(embeddingText));
      chunks.forEach((chunk, i) => records.push({ id: chunk.id, embedding: vectors[i]!, metadata: storeMetadata(chunk) }));
    }
  }
  const server = await startEmbeddedChroma({ dataDir });
  try {
    const url = new URL(server.url);
    const client = new ChromaClient({ host: url.hostname, port: Number(url.port) });
    const batch = (await client.getMaxBatchSize()) || 1000;
    const collection = await client.createCollection({ name: 'bench-raw', embeddingFunction: null, configuration: { hnsw: { space: 'cosine' } } });
    const started = performance.now();
    for (let start = 0; start < records.length; start += batch) {
      const slice = records.slice(start, start + batch);
      await collection.add({
        ids: slice.map((r) => r.id),
        embeddings: slice.map((r) => r.embedding),
        metadatas: slice.map((r) => r.metadata),
      });
    }
    const seconds = (performance.now() - started) / 1000;
    return { vectors: records.length, seconds: round(seconds, 2), vectorsPerSec: perSecond(records.length, seconds) };
  } finally {
    await server.stop();
  }
}

async function naiveThroughput(dataDir: string, files: readonly string[]) {
  const config = resolveConfig({ dataDir }, {});
  const embedder = await createEmbedder(config, loadThemeCatalog());
  const server = await startEmbeddedChroma({ dataDir });
  try {
    const naive = NaiveIndex.open({ chromaUrl: server.url, collectionName: 'bench-naive', embedder });
    const result = await naive.ingestFiles(files);
    return {
      offers: result.files,
      chunks: result.chunks,
      seconds: round(result.seconds, 2),
      offersPerSec: perSecond(result.files, result.seconds),
      chunksPerSec: perSecond(result.chunks, result.seconds),
    };
  } finally {
    await server.stop();
  }
}

/** The questions of the latency runs: every pair of roles, two aspects each. */
export function benchQuestions(count: number): string[] {
  const all: string[] = [];
  for (const phrase of ASPECT_PHRASES) {
    for (let i = 0; i < ROLES.length; i++) {
      for (let j = i + 1; j < ROLES.length; j++) all.push(`${phrase[0]!.toUpperCase()}${phrase.slice(1)}, what is the difference between ${ROLES[i]} and ${ROLES[j]} positions?`);
    }
  }
  return Array.from({ length: count }, (_, i) => all[i % all.length]!);
}

/**
 * Milliseconds of each `answerQuestion` on a warm workspace (one unmeasured question first), and
 * of the part of it during which a vector-store query was in flight: the store's own share, so
 * that a limit of the embedded Chroma shows as such.
 */
async function queryLatencies(dataDir: string, count: number): Promise<{ total: number[]; store: number[] }> {
  const workspace = await openWorkspace(resolveConfig({ dataDir }, {}));
  const clock = storeClock(workspace.store);
  try {
    const questions = benchQuestions(count);
    await answerQuestion(workspace, { question: questions[0]! });
    const total: number[] = [];
    const store: number[] = [];
    for (const question of questions) {
      clock.reset();
      const started = performance.now();
      await answerQuestion(workspace, { question });
      total.push(performance.now() - started);
      store.push(clock.elapsed());
    }
    return { total, store };
  } finally {
    await workspace.close();
  }
}

/** Wall time with at least one `queryMany` of `store` in flight (concurrent calls count once). */
function storeClock(store: VectorStore): { reset(): void; elapsed(): number } {
  let inFlight = 0;
  let since = 0;
  let elapsed = 0;
  const queryMany = store.queryMany.bind(store);
  store.queryMany = async (embeddings, options) => {
    if (inFlight++ === 0) since = performance.now();
    try {
      return await queryMany(embeddings, options);
    } finally {
      if (--inFlight === 0) elapsed += performance.now() - since;
    }
  };
  return {
    reset: () => {
      elapsed = 0;
    },
    elapsed: () => elapsed,
  };
}

function machine(): { cpus: number; node: string; totalMemMb: number } {
  return { cpus: os.cpus().length, node: process.version, totalMemMb: Math.round(os.totalmem() / 2 ** 20) };
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
