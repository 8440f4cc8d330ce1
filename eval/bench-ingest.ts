import { ingestItems, ingestSources, reindexAll, type IngestResult } from '../ingest/pipeline.ts';
import type { SourceItems } from '../ingest/sources/item.ts';
import { itemsOf } from '../ingest/sources/sequence.ts';
import { resolveConfig } from '../src/config.ts';
import { openWorkspace } from '../src/workspace.ts';
import { syntheticOffer } from '../scripts/synthetic-offers.ts';

/**
 * Child process of the benchmark: ingests offers into a data dir with the real pipeline, then
 * prints { offers, chunks, seconds, maxRssMb } on stdout (seconds: the pipeline's own clock). A process of its own, so that its peak
 * RSS is the ingest's alone (the Chroma server is another process).
 *
 *   node --import tsx eval/bench-ingest.ts <dataDir> <dir>                     files from a directory
 *   node --import tsx eval/bench-ingest.ts <dataDir> synthetic:<from>:<to>:<seed>
 *   node --import tsx eval/bench-ingest.ts <dataDir> reindex                  `offers reindex`: every recorded source again
 *
 * The synthetic form serves offers [from, to) from memory as Markdown bytes (exactly what
 * scripts/generate-offers.ts writes), so that 100k offers need no 100k files; the pipeline parses
 * them like files.
 */
export interface BenchIngestResult {
  offers: number;
  chunks: number;
  /** Offers embedded and written by the run (all of them on a first ingest; the changed ones on a re-index). */
  ingested: number;
  seconds: number;
  maxRssMb: number;
}

/** Offers [from, to), each made as the pipeline reads it (itemsOf): the bench's own list weighs nothing. */
export function syntheticItems(from: number, to: number, seed: string): SourceItems {
  return itemsOf(to - from, (offset) => {
    const i = from + offset;
    return {
      source: `synthetic:${seed}/${i}.md`,
      kind: 'file',
      load: async () => ({ bytes: new TextEncoder().encode(syntheticOffer(i, seed).text), hint: { extension: '.md' } }),
    };
  });
}

async function main(): Promise<void> {
  const [dataDir, source] = process.argv.slice(2);
  if (!dataDir || !source) throw new Error('usage: bench-ingest.ts <dataDir> <dir | synthetic:from:to:seed | reindex>');
  const workspace = await openWorkspace(resolveConfig({ dataDir }, {}));
  try {
    // The embedded server is started before the clock starts, as it is for the raw Chroma and
    // naive LangChain runs: the figures compare throughput, not a one-off start (about a second,
    // which a real `offers ingest` pays once per run).
    await workspace.store.count();
    const synthetic = /^synthetic:(\d+):(\d+):(.+)$/.exec(source);
    const result: IngestResult = synthetic
      ? await ingestItems(workspace, syntheticItems(Number(synthetic[1]), Number(synthetic[2]), synthetic[3]!), [], {})
      : source === 'reindex'
        ? await reindexAll(workspace)
        : await ingestSources(workspace, [source]);
    const report: BenchIngestResult = {
      offers: result.offers,
      chunks: result.chunks,
      ingested: result.ingested,
      seconds: result.seconds,
      // maxRSS is in kilobytes.
      maxRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
    };
    process.stdout.write(`${JSON.stringify(report)}\n`);
  } finally {
    await workspace.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
