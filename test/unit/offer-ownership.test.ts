/**
 * Offer ids are namespaced by the source that owns them, and a source never writes or retires an
 * offer another source holds: an ATS posting whose URL names a local file used to replace that
 * file's offer, for good (the file, unchanged, was skipped by every re-index).
 */
import assert from 'node:assert/strict';
import { after, beforeEach, describe, it } from 'node:test';
import { normaliseOffer, offerKey } from '../../ingest/normalise.ts';
import { ingestItems } from '../../ingest/pipeline.ts';
import type { SourceItem } from '../../ingest/sources/item.ts';
import { loadRoleCatalog } from '../../src/catalog/roles.ts';
import type { RawOffer } from '../../src/types.ts';
import { sha1 } from '../../src/util/hash.ts';
import { SqliteRecordStore } from '../../src/records/sqlite-record-store.ts';
import { scratchDir } from '../helpers/cli.ts';
import { memoryWorkspace } from '../helpers/memory-workspace.ts';
import { alterRecordFile } from '../helpers/offer-record.ts';

const roles = loadRoleCatalog();
/** How every version so far derived an offer id from its source string. */
const idOfSource = (source: string) => `o${sha1(source).slice(0, 16)}`;

const description = (what: string) => `## Missions\n\n- ${what}\n- Take part in the on-call rotation and write blameless postmortems for the booking platform.\n\n## Requirements\n\n- Four years of experience operating Kubernetes clusters in production.`;
const markdown = (title: string, what: string) => Buffer.from(`# ${title}\n\nHarbour Lane Travel · Porto\n\n${description(what)}\n`);

function fileItem(source: string, bytes: Uint8Array): SourceItem {
  return { source, kind: 'file', load: async () => ({ bytes, hint: { extension: '.md' } }) };
}

function boardItem(source: string, postings: RawOffer[]): SourceItem {
  return { source, kind: 'ats', load: async () => ({ offers: postings, contentHash: sha1(JSON.stringify(postings)) }) };
}

const posting = (fields: Partial<RawOffer> & Pick<RawOffer, 'source'>): RawOffer => ({
  format: 'greenhouse',
  title: 'Site Reliability Engineer',
  company: 'Quarry Bell Games',
  description: description('Define service level objectives for the matchmaking service.'),
  ...fields,
});

describe('offer ids', () => {
  it('keep the ids of files, dataset records and pages: the source string, as before', () => {
    for (const [owner, source] of [['/home/ana/offers/sre.md', '/home/ana/offers/sre.md'], ['/home/ana/jobs.jsonl', '/home/ana/jobs.jsonl#12'], ['https://jobs.example.org/sre', 'https://jobs.example.org/sre#2']]) {
      assert.equal(offerKey(owner!, { source: source! }), source);
      const offer = normaliseOffer({ source: source!, format: 'md', title: 'SRE', description: description('Keep the lights on.') }, { roles, owner: owner! });
      assert.equal(offer.offerId, idOfSource(source!));
    }
  });

  it('key an ATS posting by its board and its own id, whatever URL the API gives it', () => {
    assert.equal(offerKey('greenhouse:acme', { source: '/home/ana/offers/sre.md', postingId: '4001' }), 'greenhouse:acme#4001');
    assert.equal(offerKey('greenhouse:acme', { source: 'https://boards.example.org/acme/jobs/4001' }), 'greenhouse:acme#https://boards.example.org/acme/jobs/4001');
    const offer = normaliseOffer(posting({ source: '/home/ana/offers/sre.md', postingId: '4001' }), { roles, owner: 'greenhouse:acme' });
    assert.equal(offer.offerId, idOfSource('greenhouse:acme#4001'));
    assert.equal(offer.source, '/home/ana/offers/sre.md', 'the offer still shows the URL the board gave it');
  });

  it('keep the id an older version gave a posting while its source still lists it', () => {
    const raw = posting({ source: 'https://boards.example.org/acme/jobs/4001', postingId: '4001' });
    const legacy = idOfSource(raw.source);
    assert.equal(normaliseOffer(raw, { roles, owner: 'greenhouse:acme', legacyIds: new Set([legacy]) }).offerId, legacy);
    assert.equal(normaliseOffer(raw, { roles, owner: 'greenhouse:acme', legacyIds: new Set() }).offerId, idOfSource('greenhouse:acme#4001'));
  });
});

describe('offer ownership in the pipeline', () => {
  let ws: Awaited<ReturnType<typeof memoryWorkspace>>;
  beforeEach(async () => {
    ws = await memoryWorkspace();
  });
  after(() => ws?.cleanup());

  const exported = (offerId: string) => ws.workspace.records.getOffer(offerId);

  it('does not let a posting whose URL names a local file replace that file\'s offer, in the run or after', async () => {
    const file = '/home/ana/offers/sre-harbour-lane.md';
    await ingestItems(ws.workspace, [fileItem(file, markdown('Site Reliability Engineer', 'Run the booking platform across two regions.'))], [], {});
    const before = exported(idOfSource(file));
    assert.equal(before?.status, 'active');
    const board = boardItem('greenhouse:acme', [posting({ source: file, url: file, postingId: '7' })]);
    const result = await ingestItems(ws.workspace, [board], [], {});
    assert.deepEqual(result.failed, []);
    assert.equal(result.new, 1, 'the posting is an offer of its own');
    assert.deepEqual(exported(idOfSource(file))?.offer, before?.offer, 'the file\'s offer is untouched');
    assert.equal(exported(idOfSource('greenhouse:acme#7'))?.offer.title, 'Site Reliability Engineer');
    // A re-index of both: the file is unchanged and skipped, and still holds its own text.
    const again = await ingestItems(ws.workspace, [fileItem(file, markdown('Site Reliability Engineer', 'Run the booking platform across two regions.')), board], [], {});
    assert.equal(again.unchanged, 2);
    assert.deepEqual(exported(idOfSource(file))?.offer, before?.offer);
  });

  it('refuses and reports a write to an offer another source holds, and never retires it', async () => {
    // A dataset record `/data/jobs#2` and a file literally named `/data/jobs#2`: one id, two sources.
    const dataset: SourceItem = {
      source: '/data/jobs',
      kind: 'file',
      load: async () => ({
        bytes: Buffer.from([
          JSON.stringify({ title: 'DevOps Engineer', company: 'Quarry Bell Games', description: description('Build the release pipelines of forty game services.') }),
          JSON.stringify({ title: 'Site Reliability Engineer', company: 'Quarry Bell Games', description: description('Own the error budgets of the matchmaking service.') }),
        ].join('\n')),
        hint: { extension: '.jsonl' },
      }),
    };
    await ingestItems(ws.workspace, [dataset], [], {});
    const held = exported(idOfSource('/data/jobs#2'));
    assert.equal(held?.offer.source, '/data/jobs#2');
    const clash = await ingestItems(ws.workspace, [fileItem('/data/jobs#2', markdown('Platform Engineer', 'Build the internal developer platform and its golden paths.'))], [], {});
    assert.equal(clash.failed.length, 1);
    assert.match(clash.failed[0]!.error, /"Platform Engineer" has the id of an offer of \/data\/jobs \(o[0-9a-f]{16}\): not written/);
    assert.deepEqual(exported(idOfSource('/data/jobs#2'))?.offer, held?.offer, 'the dataset\'s offer is untouched');
    // The same run, the other way round: the clashing file comes first and claims the id.
    const other = await memoryWorkspace();
    try {
      const run = await ingestItems(other.workspace, [fileItem('/data/jobs#2', markdown('Platform Engineer', 'Build the internal developer platform and its golden paths.')), dataset], [], {});
      assert.equal(run.failed.length, 1);
      assert.match(run.failed[0]!.error, /has the id of an offer of \/data\/jobs#2/);
      assert.equal(other.workspace.records.getOffer(idOfSource('/data/jobs#2'))?.offer.title, 'Platform Engineer');
    } finally {
      await other.cleanup();
    }
  });

  it('migrates an older record: a posting keeps the id it was indexed under, nothing is new or removed', async () => {
    const url = 'https://boards.example.org/acme/jobs/4001';
    const first = await ingestItems(ws.workspace, [boardItem('greenhouse:acme', [posting({ source: url, url })])], [], {});
    // Without a posting id the offer is keyed `greenhouse:acme#<url>`; an older version keyed it
    // by the URL alone. Rename it so in the record, as that version left it.
    const current = idOfSource(`greenhouse:acme#${url}`);
    assert.equal(first.new, 1);
    const { records } = ws.workspace;
    const record = records.getOffer(current)!;
    const legacy = idOfSource(url);
    records.transaction(() => {
      records.putOffer({ ...record, offerId: legacy, offer: { ...record.offer, offerId: legacy } });
      records.putOffer({ ...record, status: 'removed', chunkIds: [] });
      records.putSource({ ...records.getSource('greenhouse:acme')!, contentHash: 'older', offerIds: [legacy] });
    });
    const upgraded = await ingestItems(ws.workspace, [boardItem('greenhouse:acme', [posting({ source: url, url, postingId: '4001' })])], [], {});
    assert.equal(upgraded.new, 0);
    assert.equal(upgraded.removed, 0);
    assert.equal(upgraded.duplicates, 0);
    assert.deepEqual(records.getSource('greenhouse:acme')?.offerIds, [legacy]);
    assert.equal(records.getOffer(legacy)?.status, 'active');
  });
});

describe('the record\'s index of which sources list each offer', () => {
  // How it follows the sources table is in the record store suite (test/helpers/record-store-suite.ts).
  it('is built once for a SQLite record written before it existed', async () => {
    const data = await scratchDir('offers-owners-');
    try {
      const source = (name: string, offerIds: string[]) => ({ source: name, kind: 'file', contentHash: 'h', status: 'ok' as const, offerIds, lastSeen: '2026-01-01', lastChanged: '2026-01-01' });
      let records = SqliteRecordStore.open(data.dir, 'c');
      records.putSource(source('/a.md', ['o1', 'o2']));
      records.putSource(source('/b.md', ['o1']));
      records.close();
      alterRecordFile(data.dir, 'c', 'DROP TABLE offer_sources; DROP TRIGGER sources_listed_insert; DROP TRIGGER sources_listed_update; DROP TRIGGER sources_listed_delete; PRAGMA user_version = 0;');
      records = SqliteRecordStore.open(data.dir, 'c');
      assert.deepEqual([...records.otherSourcesListing('/b.md', ['o1', 'o2'])], [['o1', '/a.md'], ['o2', '/a.md']]);
      records.close();
    } finally {
      await data.cleanup();
    }
  });
});
