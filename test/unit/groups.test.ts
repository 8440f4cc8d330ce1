import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { foldWord, titleFamily, titleWords } from '../../ingest/title-family.ts';
import { detectWorkplace, normaliseDate } from '../../ingest/workplace.ts';
import { loadRoleCatalog } from '../../src/catalog/roles.ts';
import { UsageError } from '../../src/errors.ts';
import { familiesInText, isResolved, parseGroupExpression, parsePostedRange, resolveGroup, type IndexedFamily } from '../../src/query/groups.ts';
import { groupsFromQuestion } from '../../src/query/question-groups.ts';
import { minedCriticalZ, normalQuantile } from '../../src/query/phrases.ts';

const LEVELS = ['manager', 'principal', 'staff', 'lead', 'senior', 'mid', 'junior'];

describe('titleFamily', () => {
  it('lands variants of one job in one family, whatever decorates the title', () => {
    const key = (title: string) => titleFamily(title, 'Acme Roasters')?.key;
    for (const title of ['Barista - Morning Shift', 'Senior Barista (m/f/d)', 'Baristas', 'Lead Barista', 'Acme Roasters — Barista', 'Barista @ Acme Roasters', 'Barista [Part-time]']) {
      assert.equal(key(title), 'barista', title);
    }
  });

  it('folds gender markers, inclusive endings and feminine alternatives (French)', () => {
    const key = (title: string) => titleFamily(title)?.key;
    assert.equal(key('Contrôleur/Contrôleuse de gestion H/F'), key('Contrôleur de gestion'));
    assert.equal(key('Infirmier(ère) de bloc'), key('Infirmières de bloc'));
    assert.equal(key('Conducteur·rice de travaux F/H'), key('Conducteur de travaux'));
    assert.equal(key('Chargée de mission'), key('Chargé de mission'));
    assert.equal(titleFamily('Conducteur·rice de travaux')?.label, 'Conducteur de travaux');
  });

  it('keeps the words that change the job: staff nurse is not nurse, restaurant manager is not restaurant', () => {
    assert.equal(titleFamily('Staff Nurse - ICU')?.key, titleWords('staff nurse').join(' '));
    assert.equal(titleFamily('Restaurant Manager')?.key, titleWords('restaurant manager').join(' '));
    assert.equal(titleFamily('Senior Software Engineer II')?.label, 'Software Engineer');
  });

  it('gives singular and plural one form, in English and French', () => {
    for (const [a, b] of [['ruche', 'ruches'], ['match', 'matches'], ['assistant', 'assistants'], ['category', 'categories'], ['apicultrice', 'apiculteur']]) {
      assert.equal(foldWord(a!), foldWord(b!), `${a} / ${b}`);
    }
  });
});

describe('workplace and posting dates', () => {
  it('reads the workplace from the location first, then policy phrases in the text', () => {
    assert.equal(detectWorkplace('Remote (EU)', ''), 'remote');
    assert.equal(detectWorkplace('Hybrid - Lyon', 'fully remote possible'), 'hybrid');
    assert.equal(detectWorkplace('Lyon', 'Nous proposons du télétravail partiel.'), 'hybrid');
    assert.equal(detectWorkplace(undefined, 'This is a fully remote role.'), 'remote');
    assert.equal(detectWorkplace('Leeds', 'You will work in our kitchen.'), 'onsite');
    assert.equal(detectWorkplace(undefined, 'You will work in our kitchen.'), undefined);
  });

  it('normalises posting dates to ISO days, and refuses implausible ones', () => {
    assert.equal(normaliseDate('2024-03-05T23:30:00-05:00'), '2024-03-05');
    assert.equal(normaliseDate('Tue, 05 Mar 2024 10:00:00 GMT'), '2024-03-05');
    assert.equal(normaliseDate('1709632800'), '2024-03-05');
    assert.equal(normaliseDate('1709632800000'), '2024-03-05');
    assert.equal(normaliseDate('2024-03'), '2024-03-01');
    assert.equal(normaliseDate('last week'), undefined);
    assert.equal(normaliseDate('3024-01-01'), undefined);
  });
});

describe('group expressions', () => {
  it('reads role words and filters', () => {
    assert.deepEqual(parseGroupExpression('SRE seniority:junior|mid posted:2024-01..2024-06 workplace:on-site lang:fr company:"Acme Corp" source:greenhouse:', LEVELS), {
      words: 'SRE',
      filters: { seniority: ['junior', 'mid'], posted: { from: '2024-01', to: '2024-06' }, workplace: ['onsite'], lang: ['fr'], company: ['acme', 'corp'], companyLabel: 'Acme Corp', source: 'greenhouse:' },
    });
  });

  it('reports every problem of an expression together, as a usage error', () => {
    assert.throws(
      () => parseGroupExpression('seniority:expert posted:2024-13 colour:blue', LEVELS),
      (error: unknown) => error instanceof UsageError && /expert/.test(error.message) && /posted/.test(error.message) && /colour/.test(error.message) && /no role words/.test(error.message),
    );
  });

  it('parses posting ranges, open or closed', () => {
    assert.deepEqual(parsePostedRange('2024'), { from: '2024', to: '2024' });
    assert.deepEqual(parsePostedRange('2024-01..'), { from: '2024-01' });
    assert.deepEqual(parsePostedRange('..2024-06-30'), { to: '2024-06-30' });
    assert.equal(parsePostedRange('2025..2024'), undefined);
    assert.equal(parsePostedRange('..'), undefined);
  });
});

describe('groups in questions (English and French)', () => {
  const cases: Array<[string, Array<{ words: string; filters?: object }>]> = [
    ['Focusing on missions and requirements, what is the difference between the SRE and the DevOps engineer positions?', [{ words: 'SRE' }, { words: 'DevOps engineer' }]],
    ['junior vs senior SRE', [{ words: 'SRE', filters: { seniority: ['junior'] } }, { words: 'SRE', filters: { seniority: ['senior'] } }]],
    ['SRE offers in 2024 vs 2025', [{ words: 'SRE', filters: { posted: { from: '2024', to: '2024' } } }, { words: 'SRE', filters: { posted: { from: '2025', to: '2025' } } }]],
    ['remote vs on-site DevOps engineers', [{ words: 'DevOps engineers', filters: { workplace: ['remote'] } }, { words: 'DevOps engineers', filters: { workplace: ['onsite'] } }]],
    ['chef de chantier vs conducteur de travaux', [{ words: 'chef de chantier' }, { words: 'conducteur de travaux' }]],
    ['SRE at Acme vs SRE at Globex', [{ words: 'SRE', filters: { company: ['acme'], companyLabel: 'Acme' } }, { words: 'SRE', filters: { company: ['globex'], companyLabel: 'Globex' } }]],
    ['Quelle est la différence entre un data scientist et un data analyst ?', [{ words: 'data scientist' }, { words: 'data analyst' }]],
    ['En quoi les offres de contrôleur de gestion diffèrent-elles des offres de comptable ?', [{ words: 'contrôleur de gestion' }, { words: 'comptable' }]],
    ['French vs English data analyst offers', [{ words: 'data analyst', filters: { lang: ['fr'] } }, { words: 'data analyst', filters: { lang: ['en'] } }]],
    ['How do platform engineers differ from SREs?', [{ words: 'platform engineers' }, { words: 'SREs' }]],
    ['Quelle différence entre l’élagueur et d’un jardinier ?', [{ words: 'élagueur' }, { words: 'jardinier' }]],
    ["Quelle différence entre l'élagueur et le jardinier ?", [{ words: 'élagueur' }, { words: 'jardinier' }]],
    ['Arborists vs gardeners: missions and requirements', [{ words: 'Arborists' }, { words: 'gardeners' }]],
    // An aspect said before the sides is not a side, and its "and" is not the joint between them.
    ["Quelle est la différence entre les missions et le profil d'un élagueur et d'un jardinier ?", [{ words: 'élagueur' }, { words: 'jardinier' }]],
    ['What is the difference between the missions and requirements of an arborist and a gardener?', [{ words: 'arborist' }, { words: 'gardener' }]],
    ['Compare the duties and skills of arborists with those of gardeners', [{ words: 'arborists' }, { words: 'gardeners' }]],
    ['Quelles différences entre les compétences des élagueurs et des jardiniers ?', [{ words: 'élagueurs' }, { words: 'jardiniers' }]],
    ["Quelle différence entre les tâches d'un data scientist et celles d'un data analyst ?", [{ words: 'data scientist' }, { words: 'data analyst' }]],
    ['What are the requirements of a staff nurse vs a healthcare assistant?', [{ words: 'staff nurse' }, { words: 'healthcare assistant' }]],
    ['What do arborists earn compared to gardeners?', [{ words: 'arborists' }, { words: 'gardeners' }]],
    ['difference between the pay of nurses in 2024 and 2025', [{ words: 'nurses', filters: { posted: { from: '2024', to: '2024' } } }, { words: 'nurses', filters: { posted: { from: '2025', to: '2025' } } }]],
    // The other shapes people ask a comparison in.
    ["How does a pastry chef's job differ from a line cook's?", [{ words: 'pastry chef' }, { words: 'line cook' }]],
    ['Is a forklift operator different from a warehouse associate?', [{ words: 'forklift operator' }, { words: 'warehouse associate' }]],
    ['In what ways do dental hygienists and dental assistants differ?', [{ words: 'dental hygienists' }, { words: 'dental assistants' }]],
    ['How do the requirements for junior and senior accountants differ?', [{ words: 'accountants', filters: { seniority: ['junior'] } }, { words: 'accountants', filters: { seniority: ['senior'] } }]],
    ['What distinguishes electricians from plumbers?', [{ words: 'electricians' }, { words: 'plumbers' }]],
    ["Qu'est-ce qui différencie un boulanger d'un pâtissier ?", [{ words: 'boulanger' }, { words: 'pâtissier' }]],
    ["Qu'est-ce qui distingue un contrôleur de gestion d'un comptable ?", [{ words: 'contrôleur de gestion' }, { words: 'comptable' }]],
    ["Comment se distinguent les missions d'un infirmier et d'une aide-soignante ?", [{ words: 'infirmier' }, { words: 'aide-soignante' }]],
    ['Contrast the duties of a bookkeeper and an accountant', [{ words: 'bookkeeper' }, { words: 'accountant' }]],
    ['electrician or plumber: which requires more experience?', [{ words: 'electrician' }, { words: 'plumber' }]],
    ['Which pays more, welder or machinist?', [{ words: 'welder' }, { words: 'machinist' }]],
    ['boulanger ou pâtissier : quelles différences de missions ?', [{ words: 'boulanger' }, { words: 'pâtissier' }]],
    ['Entre aide-soignant et infirmier, quelles différences ?', [{ words: 'aide-soignant' }, { words: 'infirmier' }]],
    ['paralegals versus legal secretaries in terms of requirements', [{ words: 'paralegals' }, { words: 'legal secretaries' }]],
    ['Teachers vs teaching assistants - missions and requirements', [{ words: 'Teachers' }, { words: 'teaching assistants' }]],
    ['What skills do welders need compared with pipefitters?', [{ words: 'welders' }, { words: 'pipefitters' }]],
    // Only where a side starts: inside a side, "years of experience" is the side's own words.
    ['cooks with 5 years of experience vs cooks', [{ words: 'cooks with 5 years of experience' }, { words: 'cooks' }]],
  ];
  for (const [question, expected] of cases) {
    it(question, () => {
      assert.deepEqual(groupsFromQuestion(question), expected.map((e) => ({ words: e.words, filters: e.filters ?? {} })));
    });
  }
  for (const question of ['What do SREs and DevOps engineers pay?', 'Which offers mention Kubernetes or Terraform?', 'What is required: a degree or experience?']) {
    it(`has no comparison shape to read in "${question}"`, () => {
      assert.equal(groupsFromQuestion(question), undefined);
    });
  }
});

describe('resolveGroup', () => {
  const catalog = loadRoleCatalog();
  const families: IndexedFamily[] = [
    { family: titleWords('staff nurse').join(' '), label: 'Staff Nurse', offers: 30, roles: ['Other'] },
    { family: titleWords('nurse practitioner').join(' '), label: 'Nurse Practitioner', offers: 8, roles: ['Other'] },
    { family: titleWords('healthcare assistant').join(' '), label: 'Healthcare Assistant', offers: 20, roles: ['Other'] },
  ];
  it('takes a catalogue role or alias first', () => {
    const group = resolveGroup({ words: 'site reliability engineers', filters: {} }, catalog, families);
    assert.ok(isResolved(group) && group.role === 'SRE' && group.wholeRole);
  });
  it('otherwise the families whose titles hold the words, the exact one naming the group', () => {
    const group = resolveGroup({ words: 'nurses', filters: { seniority: ['senior'] } }, catalog, families);
    assert.ok(isResolved(group));
    assert.deepEqual(group.families, [families[0]!.family, families[1]!.family]);
    const exact = resolveGroup({ words: 'Staff Nurses', filters: {} }, catalog, families);
    assert.ok(isResolved(exact) && exact.name === 'Staff Nurse' && exact.families?.length === 1);
  });
  it('never replaces an unknown role: it is unresolved, with the closest titles', () => {
    // Every word of the group must be in the title: "aide" is in none, so nothing is taken instead.
    assert.ok(!isResolved(resolveGroup({ words: 'a staff nurses aide', filters: {} }, catalog, families)));
    const unknown = resolveGroup({ words: 'health care assistant', filters: {} }, catalog, families);
    assert.ok(!isResolved(unknown) && unknown.closest[0]?.startsWith('Healthcare Assistant'));
  });
  it('finds family names anywhere in a text, longest first', () => {
    assert.deepEqual(familiesInText('How much do staff nurses and healthcare assistants earn?', families), ['Staff Nurse', 'Healthcare Assistant']);
  });
});

describe('the multiple-testing correction of mined phrases', () => {
  it('is Bonferroni over the candidates tested', () => {
    assert.ok(Math.abs(normalQuantile(0.975) - 1.959964) < 1e-5);
    assert.ok(Math.abs(normalQuantile(0.001) + 3.090232) < 1e-5);
    assert.ok(Math.abs(minedCriticalZ(1) - 1.959964) < 1e-5);
    assert.ok(minedCriticalZ(1000) > 4 && minedCriticalZ(1000) < 4.1);
  });
});
