import type { IngestResult } from '../../ingest/pipeline.ts';

function describeWebStats(web: NonNullable<IngestResult['web']>): string {
  const skipped = [
    web.robotsSkipped && `${web.robotsSkipped} skipped by robots.txt`,
    web.offHostSkipped && `${web.offHostSkipped} links to other hosts skipped (--follow-hosts)`,
    web.overLimit && `${web.overLimit} beyond --max-pages`,
    web.throttledHosts.length > 0 && `hosts given up after 429s: ${web.throttledHosts.join(', ')}`,
  ].filter(Boolean);
  return (
    `web: ${web.fetched} pages fetched, ${web.failed} failed${web.gone ? `, ${web.gone} gone (404, 410)` : ''}${skipped.length > 0 ? `, ${skipped.join(', ')}` : ''}; ` +
    `${web.requests} requests, ${web.retries} retries, ${(web.bytes / 1048576).toFixed(1)} MB`
  );
}

/** The closing summary of an ingest or a re-index, for people (stderr): counts, then failures grouped by cause. */
export function summarise(result: IngestResult): string {
  const lines = [
    `ingested ${result.ingested} offers, ${result.unchanged} unchanged, ${result.failed.length} failed sources ` +
      `(${result.offers} offers / ${result.chunks} chunks indexed from ${result.sources} sources, ${result.seconds}s)`,
  ];
  const extras = [
    result.duplicates && `${result.duplicates} reposted duplicates kept as alternate sources`,
    result.removed && `${result.removed} offers no longer in their source, removed`,
    result.expired && `${result.expired} expired offers left out`,
    result.recovered && `${result.recovered} chunks of an interrupted run cleaned up`,
  ].filter(Boolean);
  if (extras.length > 0) lines.push(`  ${extras.join('; ')}`);
  if (result.web) lines.push(`  ${describeWebStats(result.web)}`);
  return [
    ...lines,
    // Files found in a folder or by a glob that hold no offers (a manifest.csv): a notice, not a failure.
    ...groupedByCause('skipped', result.skipped.map(({ source, reason }) => ({ source, error: reason }))),
    ...groupedByCause('failed', result.failed),
  ].join('\n');
}

/** Sources grouped by cause (numbers aside), so fifty broken PDFs read as one line, not fifty. */
function groupedByCause(label: string, entries: ReadonlyArray<{ source: string; error: string }>): string[] {
  const byCause = new Map<string, { error: string; sources: string[] }>();
  for (const { source, error } of entries) {
    const cause = error.replace(/\d+/g, 'N');
    const group = byCause.get(cause) ?? { error, sources: [] };
    byCause.set(cause, group);
    group.sources.push(source);
  }
  return [...byCause.values()].flatMap(({ error, sources }) => [
    `  ${label} (${sources.length}): ${error}`,
    ...sources.slice(0, 5).map((source) => `    ${source}`),
    ...(sources.length > 5 ? [`    … and ${sources.length - 5} more`] : []),
  ]);
}
