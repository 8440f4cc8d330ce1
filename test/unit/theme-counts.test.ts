import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { OfferRecord, OfferStatus } from '../../src/records/record-store.ts';
import { SqliteRecordStore } from '../../src/records/sqlite-record-store.ts';
import { SECTION_KINDS, type SectionKind } from '../../src/types.ts';
import { createRandom, randomIndex, type Random } from '../../src/util/random.ts';
import { scratchDir } from '../helpers/cli.ts';
import { alterRecordFile, offerRecord } from '../helpers/offer-record.ts';

const ROLES = ['SRE', 'DevOps Engineer', 'Platform Engineer'];
const STATUSES: OfferStatus[] = ['active', 'active', 'active', 'duplicate', 'removed'];
const THEMES = ['k8s', 'terraform', 'slo', 'oncall', 'python'];
const ASPECTS: SectionKind[][] = [['missions'], ['requirements'], ['missions', 'requirements'], ['requirements', 'nice_to_have'], [...SECTION_KINDS]];

function randomRecord(random: Random, id: number): OfferRecord {
  const themesBySection: Partial<Record<SectionKind, string[]>> = {};
  for (const section of SECTION_KINDS) {
    const themes = THEMES.filter(() => random() < 0.3);
    if (themes.length > 0) themesBySection[section] = themes;
  }
  const chunkIds = Array.from({ length: 1 + randomIndex(random, 4) }, (_, i) => `o${id}:${i}`);
  return offerRecord({
    offerId: `o${id}`,
    role: ROLES[randomIndex(random, ROLES.length)]!,
    contentHash: String(random()),
    status: STATUSES[randomIndex(random, STATUSES.length)]!,
    chunkIds,
    themesBySection,
  });
}

/** What the running totals must say, counted the slow way from the offers. */
function recount(records: Iterable<OfferRecord>, role: string, sections: readonly SectionKind[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const record of records) {
    if (record.role !== role || record.status !== 'active') continue;
    for (const theme of new Set(sections.flatMap((s) => record.themesBySection[s] ?? []))) counts.set(theme, (counts.get(theme) ?? 0) + 1);
  }
  return counts;
}

function sorted(map: Map<string, number>): Array<[string, number]> {
  return [...map].sort(([a], [b]) => (a < b ? -1 : 1));
}

describe('running theme and role totals (records/theme-counts.ts)', () => {
  let scratch: Awaited<ReturnType<typeof scratchDir>>;
  before(async () => {
    scratch = await scratchDir();
  });
  after(() => scratch.cleanup());

  it('match a recount after any sequence of inserts, status changes, edits and role changes', () => {
    const record = SqliteRecordStore.open(scratch.dir, 'sequence');
    const random = createRandom('theme-counts');
    const truth = new Map<string, OfferRecord>();
    try {
      for (let step = 0; step < 400; step++) {
        // Mostly edits of offers already there, so that updates (the trigger's subtraction) dominate.
        const id = randomIndex(random, 60);
        const next = randomRecord(random, id);
        const previous = truth.get(next.offerId);
        // Some steps change the status alone, as a duplicate or removal does.
        const record_ = previous && random() < 0.3 ? { ...previous, status: STATUSES[randomIndex(random, STATUSES.length)]! } : next;
        record.putOffer(record_);
        truth.set(record_.offerId, record_);
        if (step % 50 !== 49) continue;
        for (const role of ROLES) {
          for (const sections of ASPECTS) assert.deepEqual(sorted(record.countThemeMentions(role, sections)), sorted(recount(truth.values(), role, sections)), `${role} ${sections}`);
          const active = [...truth.values()].filter((r) => r.role === role && r.status === 'active');
          assert.equal(record.countActiveOffers(role), active.length);
        }
        const byRole = record.countByRole().map((r) => `${r.role}/${r.status}: ${r.offers} ${r.chunks}`);
        const expected = new Map<string, { offers: number; chunks: number }>();
        for (const r of truth.values()) {
          const key = `${r.role}/${r.status}`;
          const sum = expected.get(key) ?? { offers: 0, chunks: 0 };
          expected.set(key, { offers: sum.offers + 1, chunks: sum.chunks + r.chunkIds.length });
        }
        assert.deepEqual(byRole, [...expected].sort(([a], [b]) => (a < b ? -1 : 1)).map(([key, v]) => `${key}: ${v.offers} ${v.chunks}`));
      }
    } finally {
      record.close();
    }
  });

  it('are filled from the offers when a record written before them is opened', () => {
    const record = SqliteRecordStore.open(scratch.dir, 'upgrade');
    const random = createRandom('upgrade');
    const records = Array.from({ length: 40 }, (_, i) => randomRecord(random, i));
    for (const r of records) record.putOffer(r);
    const before = ROLES.map((role) => sorted(record.countThemeMentions(role, ['missions', 'requirements'])));
    record.close();
    // What an older version left behind: the offers, without the totals or their triggers.
    alterRecordFile(scratch.dir, 'upgrade', 'DROP TRIGGER offers_counted_insert; DROP TRIGGER offers_counted_update; DROP TRIGGER offers_counted_delete; DROP TABLE role_counts; DROP TABLE theme_counts;');
    const reopened = SqliteRecordStore.open(scratch.dir, 'upgrade');
    try {
      assert.deepEqual(ROLES.map((role) => sorted(reopened.countThemeMentions(role, ['missions', 'requirements']))), before);
      assert.deepEqual(before, ROLES.map((role) => sorted(recount(records, role, ['missions', 'requirements']))));
      assert.equal(reopened.countByRole().reduce((sum, r) => sum + r.offers, 0), 40);
    } finally {
      reopened.close();
    }
    // A row deleted by hand (no code path deletes offers) is subtracted too.
    alterRecordFile(scratch.dir, 'upgrade', "DELETE FROM offers WHERE offer_id IN ('o0', 'o1', 'o2')");
    const after = SqliteRecordStore.open(scratch.dir, 'upgrade');
    try {
      const left = records.slice(3);
      assert.deepEqual(ROLES.map((role) => sorted(after.countThemeMentions(role, ['requirements']))), ROLES.map((role) => sorted(recount(left, role, ['requirements']))));
      assert.equal(after.countByRole().reduce((sum, r) => sum + r.offers, 0), 37);
    } finally {
      after.close();
    }
  });
});
