import assert from 'node:assert/strict';
import { appendFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ingestSources } from '../../ingest/pipeline.ts';
import { copyDemoOffers, scratchDir } from '../helpers/cli.ts';
import { memoryWorkspace } from '../helpers/memory-workspace.ts';

/**
 * The demo offers hold one repost: NimbusPay's senior SRE job in Berlin, posted again for
 * Amsterdam with a new id, a new date and two lines changed. The whole pipeline must keep one
 * of them as the offer and record the other as its alternate source, so it is counted once.
 */
describe('reposted offers', () => {
  let scratch: Awaited<ReturnType<typeof scratchDir>>;
  let ws: Awaited<ReturnType<typeof memoryWorkspace>>;
  let offersDir: string;
  let copySource: string;

  before(async () => {
    scratch = await scratchDir();
    offersDir = await copyDemoOffers(scratch.dir);
    ws = await memoryWorkspace();
  });
  after(async () => {
    await ws.cleanup();
    await scratch.cleanup();
  });

  it('collapses the NimbusPay Berlin / Amsterdam pair into one offer with an alternate source', async () => {
    const result = await ingestSources(ws.workspace, [offersDir], { now: new Date('2026-11-01T00:00:00Z') });
    assert.equal(result.duplicates, 1);
    const nimbus = [...ws.workspace.records.listOffers()].filter((r) => /sre-nimbuspay-senior-(berlin|amsterdam)\.md$/.test(r.source));
    assert.equal(nimbus.length, 2);
    const duplicate = nimbus.find((r) => r.status === 'duplicate');
    const canonical = nimbus.find((r) => r.status === 'active');
    assert.ok(duplicate && canonical, nimbus.map((r) => `${path.basename(r.source)}: ${r.status}`).join(', '));
    assert.equal(duplicate.canonicalId, canonical.offerId);
    copySource = duplicate.source;
    assert.deepEqual(duplicate.chunkIds, [], 'a duplicate is never indexed');
    // Counted once: no other demo offer is a duplicate, and the statistics see one NimbusPay SRE.
    assert.equal([...ws.workspace.records.listOffers({ status: ['duplicate'] })].length, 1);
  });

  it('recognises an edited copy from the record alone when the original is unchanged', async () => {
    await appendFile(copySource, '\nWe answer every application within two weeks.\n');
    const result = await ingestSources(ws.workspace, [offersDir], { now: new Date('2026-11-01T00:00:00Z') });
    assert.equal(result.ingested, 0, 'the original is skipped unparsed, the copy is not embedded');
    assert.equal(result.duplicates, 1);
    assert.equal([...ws.workspace.records.listOffers({ status: ['duplicate'] })].length, 1);
  });
});
