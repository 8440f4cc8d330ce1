import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { FatalError } from '../../src/errors.ts';
import { buildRoleCatalog, findRolesInText, inferRole, loadRoleCatalog, resolveRoleName, roleFromText } from '../../src/catalog/roles.ts';

const catalog = loadRoleCatalog();
const role = (title: string, text?: string) => inferRole(text === undefined ? { title } : { title, text }, catalog);

const SRE_TEXT = `You will define SLOs and error budgets with the product teams, take part in the on-call rotation,
lead incident response and write blameless postmortems. Reducing toil is a goal in itself.`;

function writeJson(value: unknown): string {
  const path = join(mkdtempSync(join(tmpdir(), 'roles-')), 'extra.json');
  writeFileSync(path, typeof value === 'string' ? value : JSON.stringify(value));
  return path;
}

describe('inferRole from the title', () => {
  const cases: Array<[string, string]> = [
    ['Site Reliability Engineer', 'SRE'],
    ['Senior SRE (Payments)', 'SRE'],
    ['Ingénieur DevOps', 'DevOps Engineer'],
    ['Ingénieur·e fiabilité', 'SRE'],
    ['Ingénieure fiabilité des sites', 'SRE'],
    ['Développeur.se DevOps', 'DevOps Engineer'],
    ['Staff Platform Engineer', 'Platform Engineer'],
    ['Ingénieur plateforme', 'Platform Engineer'],
    ['Cloud Engineer (AWS)', 'Cloud / Infrastructure Engineer'],
    ['Ingénieur Cloud confirmé', 'Cloud / Infrastructure Engineer'],
    ['Senior Data Engineer', 'Data Engineer'],
    ['Ingénieur Data', 'Data Engineer'],
    ['Back-End Developer (Java)', 'Backend Engineer'],
    ['Frontend Engineer', 'Frontend Engineer'],
    ['Full-stack developer', 'Full-stack Engineer'],
    ['Application Security Engineer', 'Security Engineer'],
    ['Machine Learning Engineer', 'ML Engineer'],
    ['Engineering Manager, Payments', 'Engineering Manager'],
    ['Account Executive', 'Other'],
    ['Product Designer', 'Other'],
  ];
  for (const [title, expected] of cases) {
    it(`"${title}" → ${expected}`, () => {
      const match = role(title);
      assert.equal(match.role, expected);
      assert.equal(match.via, 'title');
    });
  }

  it('takes the first-named role of a hybrid title and lists the others', () => {
    assert.deepEqual(role('SRE/DevOps Engineer'), { role: 'SRE', via: 'title', alsoRoles: ['DevOps Engineer'] });
    assert.deepEqual(role('DevOps / SRE'), { role: 'DevOps Engineer', via: 'title', alsoRoles: ['SRE'] });
    assert.deepEqual(role('Platform Engineer (SRE / DevOps)').alsoRoles, ['SRE', 'DevOps Engineer']);
  });

  it('lets a named specialty win over the generic manager role', () => {
    assert.deepEqual(role('Site Reliability Engineering Manager'), { role: 'SRE', via: 'title', seniority: 'manager' });
    assert.deepEqual(role('Engineering Manager - Platform Engineering'), {
      role: 'Platform Engineer',
      via: 'title',
      seniority: 'manager',
      alsoRoles: ['Engineering Manager'],
    });
  });

  it('reads a role named right before another as its specialisation (the head noun comes last)', () => {
    assert.deepEqual(role('Front End Platform Engineer'), { role: 'Platform Engineer', via: 'title', specialisation: 'front end' });
    assert.deepEqual(role('Senior Backend Infrastructure Engineer'), {
      role: 'Cloud / Infrastructure Engineer',
      via: 'title',
      seniority: 'senior',
      specialisation: 'backend',
    });
    assert.equal(role('Data Platform Engineer').role, 'Platform Engineer');
    assert.equal(role('Sr. AI/ML Infrastructure Engineer').specialisation, 'ml');
    // A separator makes two roles of them, and a generic head never absorbs the specialty.
    assert.deepEqual(role('Frontend & DevOps Engineer').alsoRoles, ['DevOps Engineer']);
    assert.equal(role('SRE Engineering Manager').role, 'SRE');
  });

  it('keeps non-engineering jobs out of the roles their team names', () => {
    assert.equal(role('Senior Product Manager - Platform').role, 'Other');
    assert.equal(role('UX Researcher — Platform Team').role, 'Other');
    assert.equal(role('Data Analyst').role, 'Other');
  });

  it('reads French inclusive forms and bracketed words', () => {
    assert.equal(role('Administrateur/trice systèmes').role, 'Cloud / Infrastructure Engineer');
    assert.equal(role('(dev)Ops').role, 'DevOps Engineer');
    assert.equal(role('Développeur·euse généraliste').role, 'Full-stack Engineer');
  });

  it('prefers the earliest, most specific alias', () => {
    // "cloud platform engineer" (Platform) beats the shorter "cloud" at the same place.
    assert.equal(role('Cloud Platform Engineer').role, 'Platform Engineer');
    assert.equal(role('Data Engineer, Platform team').role, 'Data Engineer');
  });
});

describe('inferRole when the title is ambiguous', () => {
  it('lets the text decide between the roles an ambiguous word hints at', () => {
    assert.deepEqual(role('Ingénieur Production', SRE_TEXT), { role: 'SRE', via: 'title+text' });
    assert.deepEqual(role('Platform Technician', SRE_TEXT), { role: 'SRE', via: 'title+text' });
  });

  it('does not read a role off the text of a generic engineer or developer title', () => {
    assert.deepEqual(role('Engineer', SRE_TEXT), { role: 'Other', via: 'title' });
    assert.deepEqual(role('Senior Software Developer', SRE_TEXT), { role: 'Other', via: 'title', seniority: 'senior' });
  });

  it('takes "Infrastructure Engineer" at its word', () => {
    assert.equal(role('Infrastructure Engineer', SRE_TEXT).role, 'Cloud / Infrastructure Engineer');
  });

  it("falls back on the ambiguous alias's role, or Other", () => {
    assert.deepEqual(role('Infrastructure Engineer', 'We sell shoes.'), { role: 'Cloud / Infrastructure Engineer', via: 'title' });
    assert.deepEqual(role('Software Engineer'), { role: 'Other', via: 'title' });
  });

  it('does not read the text of a title that names no engineering role', () => {
    assert.deepEqual(role('Account Executive', SRE_TEXT), { role: 'Other', via: 'title' });
  });

  it('uses the text alone when there is no title', () => {
    assert.deepEqual(role('', SRE_TEXT), { role: 'SRE', via: 'text' });
    assert.deepEqual(role('  ', 'Nothing to see.'), { role: 'Other', via: 'text' });
  });

  it('does not decide from a text that is split between roles', () => {
    const mixed = 'Jenkins pipelines and continuous delivery. SLOs, on-call and postmortems.';
    assert.equal(role('Engineer', mixed).role, 'Other');
  });
});

describe('seniority', () => {
  const cases: Array<[string, string | undefined]> = [
    ['Junior DevOps Engineer', 'junior'],
    ['DevOps Engineer II', 'mid'],
    ['Sr. Site Reliability Engineer', 'senior'],
    ['Ingénieur DevOps Sénior', 'senior'],
    ['Ingénieure DevOps confirmée', 'senior'],
    ['Senior Staff SRE', 'staff'],
    ['Principal Platform Engineer', 'principal'],
    ['Lead SRE', 'lead'],
    ['Head of Infrastructure', 'manager'],
    ['Chef de projet DevOps', 'manager'],
    ['Stagiaire DevOps', 'junior'],
    ['DevOps Engineer', undefined],
  ];
  for (const [title, expected] of cases) {
    it(`"${title}" → ${expected ?? 'none'}`, () => assert.equal(role(title).seniority, expected));
  }
});

describe('findRolesInText', () => {
  it('finds the roles a question names, in order of first mention', () => {
    assert.deepEqual(findRolesInText('What is the difference between the SRE and the DevOps engineer positions?', catalog), [
      'SRE',
      'DevOps Engineer',
    ]);
    assert.deepEqual(findRolesInText('site reliability engineers vs platform engineers', catalog), ['SRE', 'Platform Engineer']);
    assert.deepEqual(findRolesInText('Compare DevOps, SREs and data engineers; then DevOps again', catalog), [
      'DevOps Engineer',
      'SRE',
      'Data Engineer',
    ]);
    assert.deepEqual(findRolesInText('Quelle différence entre un ingénieur DevOps et un ingénieur fiabilité ?', catalog), [
      'DevOps Engineer',
      'SRE',
    ]);
  });

  it('needs a role noun after a one-word ambiguous alias', () => {
    assert.deepEqual(findRolesInText('Which cloud do SREs use?', catalog), ['SRE']);
    assert.deepEqual(findRolesInText('SRE versus platform roles', catalog), ['SRE', 'Platform Engineer']);
  });

  it('finds nothing in a question about no role', () => {
    assert.deepEqual(findRolesInText('What do offers say about remote work?', catalog), []);
  });

  // A phrase is only searched for in a text holding a word its match can start with: the plural
  // of a one-word phrase, a word glued to punctuation or to a capital must still find it.
  it('finds phrases in every form a whole-word match takes', () => {
    const trades = buildRoleCatalog({
      roles: [
        { role: 'Coach', aliases: ['coach'], textCues: ['training plan'] },
        { role: 'Bus Driver', aliases: ['bus driver'], textCues: ['timetable'] },
      ],
      seniority: [],
      roleNouns: [],
    });
    assert.deepEqual(findRolesInText('Two coaches/three bus drivers.', trades), ['Coach', 'Bus Driver']);
    assert.deepEqual(findRolesInText('(bus driver)coach', trades), ['Bus Driver', 'Coach']);
    assert.equal(roleFromText('Bus drivers keep the TIMETABLES; a bus driver (timetable in hand) checks tickets.', trades), 'Bus Driver');
    assert.equal(roleFromText('Coaches write training plans: a coach, a training plan each week.', trades), 'Coach');
    assert.deepEqual(findRolesInText('A coachbuilder and a minibus driver', trades), []);
  });
});

describe('resolveRoleName', () => {
  const cases: Array<[string, string | undefined]> = [
    ['devops', 'DevOps Engineer'],
    ['SRE', 'SRE'],
    ['site reliability', 'SRE'],
    ['Platform', 'Platform Engineer'],
    ['data', 'Data Engineer'],
    ['backend engineers', 'Backend Engineer'],
    ['Cloud / Infrastructure Engineer', 'Cloud / Infrastructure Engineer'],
    ['other', 'Other'],
    ['astronaut', undefined],
    ['', undefined],
  ];
  for (const [name, expected] of cases) {
    it(`"${name}" → ${expected ?? 'nothing'}`, () => assert.equal(resolveRoleName(name, catalog), expected));
  }
});

describe('loadRoleCatalog', () => {
  it('has the canonical roles', () => {
    const roles = catalog.data.roles.map((entry) => entry.role);
    for (const name of ['SRE', 'DevOps Engineer', 'Platform Engineer', 'Cloud / Infrastructure Engineer', 'Data Engineer', 'Other']) {
      assert.ok(roles.includes(name), name);
    }
  });

  it('merges a user file: new roles appended, aliases of known roles extended', () => {
    const merged = loadRoleCatalog(
      writeJson({
        roles: [
          { role: 'Database Reliability Engineer', aliases: ['dbre', 'database reliability engineer'] },
          { role: 'SRE', aliases: ['ingénieur exploitation fiabilité'] },
        ],
      }),
    );
    assert.equal(inferRole({ title: 'Senior DBRE' }, merged).role, 'Database Reliability Engineer');
    assert.equal(inferRole({ title: 'Ingénieur exploitation fiabilité' }, merged).role, 'SRE');
    assert.equal(inferRole({ title: 'DevOps Engineer' }, merged).role, 'DevOps Engineer');
    assert.equal(merged.data.roles.at(-1)?.role, 'Database Reliability Engineer');
  });

  it('rejects a bad file with a FatalError that lists every problem', () => {
    assert.throws(
      () => loadRoleCatalog(writeJson({ roles: [{ role: '', aliases: 'sre' }, { aliases: [] }, { role: 'Barista', aliases: ['barista'], textCue: ['espresso'] }], extra: 1 })),
      (error: unknown) =>
        error instanceof FatalError &&
        /unknown key "extra"/.test(error.message) &&
        /roles\[0\]\.role must be a non-empty string/.test(error.message) &&
        /roles\[0\]\.aliases must be an array/.test(error.message) &&
        /roles\[1\]\.role/.test(error.message) &&
        /roles\[2\]: unknown key "textCue"/.test(error.message),
    );
  });

  it('rejects unreadable JSON with a FatalError and a hint', () => {
    assert.throws(
      () => loadRoleCatalog(writeJson('{ not json')),
      (error: unknown) => error instanceof FatalError && /Cannot read the role catalogue/.test(error.message) && !!error.hint,
    );
    assert.throws(() => loadRoleCatalog('/nonexistent/roles.json'), FatalError);
  });
});
