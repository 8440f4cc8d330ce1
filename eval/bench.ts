import { execFile } from 'node:child_process';
import { appendFile, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs, promisify } from 'node:util';
import { ChromaClient } from 'chromadb';
import { chunkOffer } from '../ingest/chunk.ts';
import { embeddingText, storeMetadata } from '../src/store/chunk-metadata.ts';
import { normaliseOffer } from '../ingest/normalise.ts';
import { parseBytes } from '../ingest/parse/index.ts';
import { loadRoleCatalog } from '../src/catalog/roles.ts';
import { resolveConfig } from '../src/config.ts';
import { answerQuestion } from '../src/query/answer-question.ts';
import { minedAspects, parseQuestion } from '../src/query/question.ts';
import { startEmbeddedChroma } from '../src/store/chroma-server.ts';
import { loadThemeCatalog } from '../src/catalog/themes.ts';
import { collectionName, type VectorStore } from '../src/store/vector-store.ts';
import { createEmbedder, openWorkspace, type Workspace } from '../src/workspace.ts';
import { generateOffers } from '../scripts/generate-offers.ts';
import type { BenchIngestResult } from './bench-ingest.ts';
import { NaiveIndex } from './naive-langchain.ts';
import { percentile, perSecond, round } from './measure.ts';

/**
 * `npm run bench`: ingest and query figures on this machine, written to eval/results/bench.json.
 *
 *  a) raw Chroma: `collection.add` of exactly what our pipeline writes for the same chunks (ids,
 *     vectors and the filter metadata: src/store/chunk-metadata.ts storeMetadata), precomputed, in the
 *     server's batch size: the store's own limit here;
 *  b) our ingest of the same offers from Markdown files, in a child process (offers/s, chunks/s);
 *  c) the naive LangChain pipeline (naive-langchain.ts) on the same files, same embedder;
 *  d) `answerQuestion` latency (p50, p95) on warm workspaces of 1k, 10k and 100k offers, the scales
 *     asked in turn once all are built (queryLatencies), each question's first answer kept apart;
 *  e) the peak RSS of the child process that ingests the 10k offers;
 *  f) the raw Chroma add rate into each scale's built collection (the store's own bound there);
 *  g) `offers reindex` of the 10k index, unchanged and with 1% of its files changed.
 * The offers are synthetic (scripts/synthetic-offers.ts, seed 1), so every run measures the same corpus.
 */

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const CHILD = path.join(ROOT, 'eval', 'bench-ingest.ts');
const SEED = '1';
const ROLES = ['SRE', 'DevOps Engineer', 'Platform Engineer', 'Backend Engineer', 'Data Engineer'];
const ASPECT_PHRASES = ['focusing on missions and requirements', 'in terms of tools'];
/** Scales at or above this are built from in-memory offers: 100k files would only measure the disk. */
const IN_MEMORY_FROM = 50_000;
/** Vectors added to each scale's collection to measure the store's own add rate at that size. */
const PROBE_VECTORS = 5_000;
/** The scale whose index is re-indexed, unchanged and then with 1% of its files changed. */
const REINDEX_SCALE = 10_000;
const CHANGED_SHARE = 0.01;

interface QueryFigures {
  p50Ms: number;
  p95Ms: number;
  /** The part of each answer spent waiting for the vector store (Chroma's own latency, filter included). */
  store: { p50Ms: number; p95Ms: number };
  queries: number;
  /** Each question's first answer on a fresh workspace, apart from the percentiles above (queryLatencies). */
  firstPass: { p50Ms: number; p95Ms: number; queries: number };
  /** The questions whose themes include phrases mined from the groups' offers (their aspects are sections; lenses such as tools are not mined). */
  mined: { p50Ms: number; p95Ms: number; queries: number };
  offers: number;
  chunks: number;
  /**
   * How the index of this scale was built, how long it took, the peak RSS of the process that
   * built it, and the raw Chroma add rate into the built collection (the bound at this size).
   */
  build: { how: string; seconds: number; offersPerSec: number; chunksPerSec: number; maxRssMb: number; rawChromaVectorsPerSec: number };
}

interface ReindexFigures {
  offers: number;
  firstSeconds: number;
  unchangedSeconds: number;
  /** firstSeconds / unchangedSeconds. */
  ratio: number;
  /** With 1% of the files changed: how many offers there were, how many the run re-embedded, and how long it took. */
  changed: { files: number; reembedded: number; seconds: number };
}

/**
 * `offers reindex` of a built index: once with nothing changed, once after 1% of its files got a
 * new line. The changed run must re-embed those offers only.
 */
async function reindexFigures(dataDir: string, first: BenchIngestResult, files: readonly string[]): Promise<ReindexFigures> {
  const unchanged = await ingestInChild(dataDir, 'reindex');
  const touched = files.filter((_, i) => i % Math.round(1 / CHANGED_SHARE) === 0);
  for (const file of touched) await appendFile(file, '\n- Share the on-call rotation with one other team.\n');
  const changed = await ingestInChild(dataDir, 'reindex');
  return {
    offers: first.offers,
    firstSeconds: first.seconds,
    unchangedSeconds: unchanged.seconds,
    ratio: round(first.seconds / unchanged.seconds, 1),
    changed: { files: touched.length, reembedded: changed.ingested, seconds: changed.seconds },
  };
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
    const { records: rawRecords, collection } = await ourStoreRecords(path.join(work, 'raw'), sample);
    const raw = await rawChromaThroughput(path.join(work, 'raw'), rawRecords);
    log(`naive LangChain: ingesting the same files`);
    const naive = await naiveThroughput(path.join(work, 'naive'), sample);

    const query: Record<string, QueryFigures> = {};
    let peakRssMb = Number.NaN;
    let reindex: ReindexFigures | undefined;
    const built = new Map<number, { dataDir: string; result: BenchIngestResult; inMemory: boolean }>();
    for (const scale of scales) {
      const dataDir = path.join(work, `scale-${scale}`);
      const inMemory = scale >= IN_MEMORY_FROM;
      log(`${scale} offers: building the index ${inMemory ? 'from in-memory offers' : 'from files'}`);
      const source = inMemory ? `synthetic:0:${scale}:${SEED}` : await linkFiles(path.join(work, `files-${scale}`), files.slice(0, scale));
      const result = await ingestInChild(dataDir, source);
      if (scale === 10_000) peakRssMb = result.maxRssMb;
      log(`${scale} offers: ${result.offers} offers, ${result.chunks} chunks in ${result.seconds} s`);
      built.set(scale, { dataDir, result, inMemory });
    }
    log(`querying every scale in turn`);
    const latencies = await queryLatencies(new Map([...built].map(([scale, b]) => [scale, b.dataDir])), queries);
    for (const [scale, { dataDir, result, inMemory }] of built) {
      // The bound of the build's rate at this size: the store's own add rate into this collection
      // (after the queries: its vectors are not in the record, and would crowd a filtered query).
      const probe = await rawChromaThroughput(dataDir, rawRecords.slice(0, PROBE_VECTORS), { collection, prefix: 'probe:' });
      if (scale === REINDEX_SCALE && !inMemory) reindex = await reindexFigures(dataDir, result, files.slice(0, scale));
      const timed = latencies.get(scale)!;
      query[String(scale)] = {
        p50Ms: round(percentile(timed.total, 50), 1),
        p95Ms: round(percentile(timed.total, 95), 1),
        store: { p50Ms: round(percentile(timed.store, 50), 1), p95Ms: round(percentile(timed.store, 95), 1) },
        queries: timed.total.length,
        mined: { p50Ms: round(percentile(timed.mined, 50), 1), p95Ms: round(percentile(timed.mined, 95), 1), queries: timed.mined.length },
        firstPass: { p50Ms: round(percentile(timed.firstPass, 50), 1), p95Ms: round(percentile(timed.firstPass, 95), 1), queries: timed.firstPass.length },
        offers: result.offers,
        chunks: result.chunks,
        build: {
          how: inMemory ? 'real pipeline (ingestItems), offers generated in memory as Markdown bytes' : 'real pipeline (ingestSources) on Markdown files',
          seconds: result.seconds,
          offersPerSec: perSecond(result.offers, result.seconds),
          chunksPerSec: perSecond(result.chunks, result.seconds),
          maxRssMb: result.maxRssMb,
          rawChromaVectorsPerSec: probe.vectorsPerSec,
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
      ...queryScaling(query),
      ...(reindex ? { reindex } : {}),
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

type RawRecord = { id: string; embedding: number[]; metadata: Record<string, string | number | boolean> };

/**
 * What our pipeline writes to the store for `files` (ids, vectors, filter metadata), computed
 * beforehand, and the name of the collection our pipeline writes them to.
 */
async function ourStoreRecords(dataDir: string, files: readonly string[]): Promise<{ records: RawRecord[]; collection: string }> {
  const roles = loadRoleCatalog();
  const themes = loadThemeCatalog();
  const embedder = await createEmbedder(resolveConfig({ dataDir }, {}), themes);
  const records: RawRecord[] = [];
  for (const file of files) {
    const parsed = await parseBytes(await readFile(file), file, { extension: '.md' });
    for (const raw of parsed.offers) {
      const chunks = await chunkOffer(normaliseOffer(raw, { roles }), { themes });
      const vectors = await embedder.embedDocuments(chunks.map(embeddingText));
      chunks.forEach((chunk, i) => records.push({ id: chunk.id, embedding: vectors[i]!, metadata: storeMetadata(chunk) }));
    }
  }
  return { records, collection: collectionName({ embedderId: embedder.id, dimension: embedder.dimension }) };
}

/**
 * `records` added with `collection.add` in the server's batch size, timed: into a fresh
 * collection, or (`into`) into the collection an index already holds, so that the store's own
 * add rate is measured at that index's size (ids prefixed, so they are new).
 */
async function rawChromaThroughput(
  dataDir: string,
  records: readonly RawRecord[],
  into?: { collection: string; prefix: string },
): Promise<{ vectors: number; seconds: number; vectorsPerSec: number }> {
  const server = await startEmbeddedChroma({ dataDir });
  try {
    const url = new URL(server.url);
    const client = new ChromaClient({ host: url.hostname, port: Number(url.port) });
    const batch = (await client.getMaxBatchSize()) || 1000;
    const collection = into
      ? await client.getCollection({ name: into.collection })
      : await client.createCollection({ name: 'bench-raw', embeddingFunction: null, configuration: { hnsw: { space: 'cosine' } } });
    const started = performance.now();
    for (let start = 0; start < records.length; start += batch) {
      const slice = records.slice(start, start + batch);
      await collection.add({
        ids: slice.map((r) => `${into?.prefix ?? ''}${r.id}`),
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

/** Timed passes over the questions, after the untimed first one. */
const TIMED_PASSES = 2;

interface Latencies {
  total: number[];
  store: number[];
  mined: number[];
  /** Each question's first answer on a fresh workspace (its record pages and Chroma segments still being read in). */
  firstPass: number[];
}

/**
 * Milliseconds of each `answerQuestion`, and of the part of it during which a vector-store query
 * was in flight (the store's own share, so that a limit of the embedded Chroma shows as such), at
 * every scale, measured together once every index is built: a first pass
 * over the questions (kept apart as `firstPass`), then TIMED_PASSES passes, each question asked
 * of every scale in turn. Measured one scale after the other, 20 minutes apart on a shared
 * machine, the scales' ratios moved with whatever else the host ran; asked in turn, a slow
 * minute slows every scale alike.
 */
async function queryLatencies(dataDirs: ReadonlyMap<number, string>, count: number): Promise<Map<number, Latencies>> {
  const questions = benchQuestions(count);
  const opened: Array<{ scale: number; workspace: Workspace; clock: ReturnType<typeof storeClock>; latencies: Latencies }> = [];
  try {
    for (const [scale, dataDir] of dataDirs) {
      // Opened as `offers query` and `offers serve` open it: a reader.
      const workspace = await openWorkspace(resolveConfig({ dataDir }, {}), { access: { mode: 'read', command: 'bench' } });
      opened.push({ scale, workspace, clock: storeClock(workspace.store), latencies: { total: [], store: [], mined: [], firstPass: [] } });
    }
    const answer = async ({ workspace, clock }: (typeof opened)[number], question: string) => {
      clock.reset();
      const started = performance.now();
      await answerQuestion(workspace, { question });
      return { total: performance.now() - started, store: clock.elapsed() };
    };
    for (const question of questions) for (const scale of opened) scale.latencies.firstPass.push((await answer(scale, question)).total);
    for (let pass = 0; pass < TIMED_PASSES; pass++) {
      for (const question of questions) {
        for (const scale of opened) {
          const { total, store } = await answer(scale, question);
          scale.latencies.total.push(total);
          scale.latencies.store.push(store);
          if (minesPhrases(question)) scale.latencies.mined.push(total);
        }
      }
    }
    return new Map(opened.map((scale) => [scale.scale, scale.latencies]));
  } finally {
    for (const { workspace } of opened) await workspace.close();
  }
}

/** Whether a question's themes include mined phrases: answer-question.ts mines the aspects that are sections, not the lenses. */
function minesPhrases(question: string): boolean {
  return minedAspects(parseQuestion(question, () => []).aspects).length > 0;
}

/** The largest scale's query latencies over the smallest's, in this run: what "flat from 1k to 100k" is judged on. */
function queryScaling(query: Record<string, QueryFigures>): { queryScaling?: { from: number; to: number; p95: number; minedP50: number; minedP95: number } } {
  const scales = Object.keys(query).map(Number).sort((a, b) => a - b);
  if (scales.length < 2) return {};
  const [small, large] = [query[String(scales[0])]!, query[String(scales.at(-1))]!];
  return {
    queryScaling: { from: scales[0]!, to: scales.at(-1)!, p95: round(large.p95Ms / small.p95Ms), minedP50: round(large.mined.p50Ms / small.mined.p50Ms), minedP95: round(large.mined.p95Ms / small.mined.p95Ms) },
  };
}

/** Wall time with at least one search of `store` in flight (concurrent calls count once): whichever way a retrieval reads vectors (retrieve.ts's plans). */
function storeClock(store: VectorStore): { reset(): void; elapsed(): number } {
  let inFlight = 0;
  let since = 0;
  let elapsed = 0;
  const timed = <A extends unknown[], R>(call: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      if (inFlight++ === 0) since = performance.now();
      try {
        return await call(...args);
      } finally {
        if (--inFlight === 0) elapsed += performance.now() - since;
      }
    };
  store.queryMany = timed(store.queryMany.bind(store));
  store.vectors = timed(store.vectors.bind(store));
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
