import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { plantedCorpus, scorePlanted, writePlantedCorpus, type PlantedCorpus } from '../../scripts/planted-offers.ts';
import { exportOffers } from '../../src/commands/export.ts';
import { ingest } from '../../src/commands/ingest.ts';
import { query } from '../../src/commands/query.ts';
import { stats as statsCommand } from '../../src/commands/stats.ts';
import type { Answer } from '../../src/query/types.ts';
import { scratchDir } from '../helpers/cli.ts';
import { inProcess, type InProcess } from '../helpers/in-process.ts';

/**
 * The comparison in the open world: offers of job families the catalogue does not know (written
 * by scripts/planted-offers.ts, English and French), ingested and compared by the commands called
 * in process over an in-memory store. Phrases were planted at known rates, so what the
 * comparison finds can be checked exactly: every planted distinctive phrase, in the right
 * direction, with the planted counts, and nothing else called distinctive.
 */

const PER_FAMILY = 60;
const folded = (s: string) => s.normalize('NFD').replace(/\p{M}+/gu, '').toLowerCase().replace(/\s+/g, ' ');

describe('open world: title families, mined themes, groups', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  let cli: InProcess;
  const corpora: Record<'en' | 'fr', PlantedCorpus> = {
    en: plantedCorpus({ language: 'en', perFamily: PER_FAMILY, seed: 7 }),
    fr: plantedCorpus({ language: 'fr', perFamily: PER_FAMILY, seed: 7 }),
  };
  const ask = async (question: string, groups?: string[]) => {
    const run = await cli.run(query, { question, ...(groups ? { groups } : {}), format: 'json' });
    return { ...run, answer: JSON.parse(run.stdout || '{}') as Answer & { refused?: boolean; missing?: Array<{ role: string; unknown?: boolean; closest?: string[] }> } };
  };

  before(async () => {
    ({ dir, cleanup } = await scratchDir('offers-open-world-'));
    cli = await inProcess('offers-open-world-data-');
    for (const corpus of Object.values(corpora)) writePlantedCorpus(path.join(dir, 'offers', corpus.set.language), corpus);
    const run = await cli.run(ingest, { sources: [path.join(dir, 'offers', 'en'), path.join(dir, 'offers', 'fr')], json: true });
    assert.equal(run.code, 0, run.stderr);
  });
  after(async () => {
    await cli.cleanup();
    await cleanup();
  });

  it('lists the title families found, instead of lumping them into Other', async () => {
    const run = await cli.run(statsCommand, { json: true });
    assert.equal(run.code, 0, run.stderr);
    const stats = JSON.parse(run.stdout) as { families: Array<{ family: string; label: string; offers: number }> };
    const byLabel = new Map(stats.families.map((f) => [folded(f.label), f.offers]));
    for (const name of ['beekeeper', 'tree surgeon', 'apiculteur']) assert.equal(byLabel.get(name), PER_FAMILY, `${name}: ${[...byLabel].join(' ')}`);
    // "Élagueur grimpeur" is a family of its own; a question naming "élagueur" takes both.
    assert.equal((byLabel.get('elagueur') ?? 0) + (byLabel.get('elagueur grimpeur') ?? 0), PER_FAMILY);
  });

  for (const language of ['en', 'fr'] as const) {
    const question =
      language === 'en' ? 'What is the difference between a beekeeper and a tree surgeon?' : 'Quelle est la différence entre un apiculteur et un élagueur ?';
    it(`finds every planted distinctive phrase, with exact counts and no false claim (${language})`, async () => {
      const { code, stderr, answer } = await ask(question);
      assert.equal(code, 0, stderr);
      const corpus = corpora[language];
      const names = answer.roles.map((r) => r.name);
      assert.equal(names.length, 2);
      assert.deepEqual(answer.roles.map((r) => r.offers), [PER_FAMILY, PER_FAMILY]);
      const score = scorePlanted(corpus, [names[0]!, names[1]!], answer.themes);
      assert.deepEqual(score.missed, [], 'every planted distinctive phrase is surfaced, in the right direction');
      assert.deepEqual(score.falseClaims, [], 'nothing else is called distinctive');
      assert.deepEqual(score.wrongCounts, [], 'counts equal the planted ones');
      assert.equal(score.recalled, 8);
      // A mined theme's quotes contain its phrase, and every quote is verbatim in an offer of its group.
      assert.deepEqual(answer.warnings, []);
      for (const claim of answer.claims) assert.ok(claim.citations.length > 0, claim.text);
    });
  }

  it('reads the groups past the aspects a question names before them, in English and French', async () => {
    for (const [plain, withAspects] of [
      ['What is the difference between a beekeeper and a tree surgeon?', 'What is the difference between the missions and requirements of a beekeeper and a tree surgeon?'],
      ['Quelle est la différence entre un apiculteur et un élagueur ?', "Quelle est la différence entre les missions et le profil d'un apiculteur et d'un élagueur ?"],
    ]) {
      const [expected, asked] = [await ask(plain!), await ask(withAspects!)];
      assert.equal(asked.code, 0, asked.stderr);
      assert.deepEqual(asked.answer.roles.map((r) => [r.name, r.offers]), expected.answer.roles.map((r) => [r.name, r.offers]), withAspects);
      assert.deepEqual(asked.answer.aspects, ['missions', 'requirements']);
    }
  });

  it('cites verbatim quotes from offers of the cited group', async () => {
    const { answer } = await ask('Compare beekeepers with tree surgeons');
    const exported = await cli.run(exportOffers, {});
    const offers = new Map(exported.stdout.trim().split('\n').map((line) => {
      const offer = JSON.parse(line) as { offerId: string; text: string; family: string };
      return [offer.offerId, offer];
    }));
    // The corpus is seeded: its 10 claims cite 20 quotes (which offers they are taken from may vary with the offers' ids).
    assert.equal(answer.claims.length, 10);
    assert.equal(answer.citations.length, 20);
    for (const citation of answer.citations) {
      const offer = offers.get(citation.offerId)!;
      assert.ok(offer.text.replace(/\s+/g, ' ').includes(citation.quote.replace(/\s+/g, ' ')), citation.quote);
      assert.equal(offer.family, folded(citation.role) === 'beekeeper' ? 'beekeeper' : 'tree surgeon');
    }
  });

  it('refuses a role that names nothing indexed, by name, with the closest titles (exit 4)', async () => {
    const { code, answer, stderr } = await ask('What is the difference between a beekeeper and a lighthouse keeper?');
    assert.equal(code, 4, stderr);
    assert.equal(answer.refused, true);
    assert.equal(answer.missing?.[0]?.role, 'lighthouse keeper');
    assert.ok(answer.missing?.[0]?.closest?.some((t) => /beekeeper/i.test(t)), JSON.stringify(answer.missing));
    assert.match(stderr, /lighthouse keeper/);
  });

  it('compares a family across filters: seniority, posting dates, workplace, language', async () => {
    const byGroup = await ask('x', ['beekeeper posted:2024', 'beekeeper posted:2025-01..2025-12']);
    assert.equal(byGroup.code, 0, byGroup.stderr);
    const [y2024, y2025] = byGroup.answer.roles;
    assert.equal(y2024!.offers + y2025!.offers, PER_FAMILY);
    assert.deepEqual(y2024!.definition, { role: 'Beekeeper', filters: { posted: '2024' } });

    const natural = await ask('Beekeeper offers in 2024 vs 2025');
    assert.deepEqual(natural.answer.roles.map((r) => r.offers), byGroup.answer.roles.map((r) => r.offers));

    const places = await ask('remote vs on-site beekeepers');
    assert.equal(places.code, 0, places.stderr);
    assert.deepEqual(places.answer.roles.map((r) => r.definition?.filters.workplace), ['remote', 'onsite']);

    const languages = await ask('x', ['apiculteur lang:fr', 'beekeeper lang:en']);
    assert.equal(languages.code, 0, languages.stderr);

    const seniority = await ask('x', ['beekeeper seniority:senior', 'beekeeper']);
    assert.ok(seniority.code === 0 || seniority.code === 4, seniority.stderr);
    const planted = readFileSync(path.join(dir, 'offers', 'planted-en.json'), 'utf8');
    assert.match(planted, /hive inspections/);
  });

  it('rejects a malformed group with a usage error naming it (exit 2)', async () => {
    const run = await cli.run(query, { question: 'x', groups: ['beekeeper posted:2024-13', 'tree surgeon wage:high'] });
    assert.equal(run.code, 2);
    assert.match(run.stderr, /posted/);
  });
});

describe('the memo in the question\'s language', () => {
  it('writes a French memo for a French question, an English one with --lang en, and refuses an unknown language', async () => {
    const { dir, cleanup } = await scratchDir('offers-memo-lang-');
    // The memo's words come from the record's counts and the question: the store's kind is not the point.
    const cli = await inProcess('offers-memo-lang-data-');
    try {
      writePlantedCorpus(path.join(dir, 'offers', 'fr'), plantedCorpus({ language: 'fr', perFamily: 40, seed: 3 }));
      assert.equal((await cli.run(ingest, { sources: [path.join(dir, 'offers', 'fr')] })).code, 0);
      const french = await cli.run(query, { question: 'Quelle est la différence entre un apiculteur et un élagueur ?' });
      assert.equal(french.code, 0, french.stderr);
      assert.match(french.stdout, /^Comparaison de \*\*Apiculteur\*\* \(40 offres\)/);
      assert.match(french.stdout, /## Synthèse/);
      assert.match(french.stdout, /## Faits/);
      assert.match(french.stdout, /### Propre à Élagueur/);
      assert.match(french.stdout, /offres Élagueur sur 40 contre/);
      const english = await cli.run(query, { question: 'Quelle est la différence entre un apiculteur et un élagueur ?', lang: 'en' });
      assert.match(english.stdout, /^Comparing \*\*Apiculteur\*\* \(40 offers\)/);
      const unknown = await cli.run(query, { question: 'apiculteur vs élagueur', lang: 'xx' });
      assert.equal(unknown.code, 2);
      assert.match(unknown.stderr, /--lang xx/);
    } finally {
      await cli.cleanup();
      await cleanup();
    }
  });
});
