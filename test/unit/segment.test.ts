import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { classifyBody, compileCues, headingKind, renderOfferText, segmentOffer } from '../../ingest/segment.ts';
import type { Section } from '../../src/types.ts';
import { seeded } from '../helpers/property.ts';

const kinds = (sections: Section[]) => sections.map((s) => s.kind);
const byHeading = (sections: Section[], heading: string) => sections.find((s) => s.heading === heading);

const ENGLISH_OFFER = `## About us
Harbourline runs a booking platform for ferry operators. We are a remote company of forty people.

## What you'll do
- Run and improve our Kubernetes clusters on two clouds
- Take part in a weekly on-call rotation

## What you'll bring:
- 4+ years operating production Linux systems
- Experience with Terraform

Harbourline is an equal opportunity employer. We consider every applicant without regard to race, religion, sexual orientation or gender identity.

## Nice to have
- Some Go

## Benefits
- Four weeks of paid time off`;

const FRENCH_OFFER = `## Qui sommes-nous ?
Nous sommes une petite équipe qui outille les mairies.

## Vos missions
- Maintenir la plateforme d'hébergement
- Mettre en place la supervision

## Profil recherché
- Vous maîtrisez Linux et Ansible
- Trois ans d'expérience minimum

## Serait un plus
- Une première expérience avec Kubernetes

## Avantages
- Télétravail possible

## Candidater
Envoyez votre CV à l'adresse indiquée.`;

describe('segmentOffer', () => {
  it('splits an English offer at its headings and maps each heading to a kind', () => {
    const sections = segmentOffer(ENGLISH_OFFER);
    assert.deepEqual(kinds(sections), ['company', 'missions', 'requirements', 'other', 'nice_to_have', 'benefits']);
    assert.deepEqual(byHeading(sections, "What you'll do"), {
      kind: 'missions',
      heading: "What you'll do",
      text: '- Run and improve our Kubernetes clusters on two clouds\n- Take part in a weekly on-call rotation',
    });
    // The trailing colon is cleaned off the heading.
    assert.ok(byHeading(sections, "What you'll bring"));
  });

  it('splits an equal-opportunity paragraph off the end of the requirements', () => {
    const sections = segmentOffer(ENGLISH_OFFER);
    const requirements = sections.filter((s) => s.kind === 'requirements');
    assert.equal(requirements.length, 1);
    assert.doesNotMatch(requirements[0]?.text ?? '', /equal opportunity/);
    const eeo = sections.find((s) => /equal opportunity/.test(s.text));
    assert.equal(eeo?.kind, 'other');
    assert.equal(eeo?.heading, undefined);
  });

  it('splits boilerplate that follows requirements without a blank line (PDF text)', () => {
    const sections = segmentOffer('Requirements:\n- Five years of on-call experience\nWe are an equal opportunity employer.');
    assert.deepEqual(
      sections.map((s) => [s.kind, s.text]),
      [
        ['requirements', '- Five years of on-call experience'],
        ['other', 'We are an equal opportunity employer.'],
      ],
    );
  });

  it('reads French headings', () => {
    const sections = segmentOffer(FRENCH_OFFER);
    assert.deepEqual(kinds(sections), ['company', 'missions', 'requirements', 'nice_to_have', 'benefits', 'other']);
    assert.equal(sections[0]?.heading, 'Qui sommes-nous ?');
  });

  it('classifies an offer without headings by what its parts say', () => {
    const text = `Corvid Labs is a startup founded in 2019; our customers are regional banks and our company has 30 employees.

Here is the plan:
- Build and maintain the deployment pipelines
- Automate the provisioning of test environments
- Monitor the production databases

- 3+ years of experience with AWS
- Strong knowledge of Python
- You have run PostgreSQL in production`;
    const sections = segmentOffer(text);
    assert.deepEqual(kinds(sections), ['company', 'missions', 'requirements']);
    assert.ok(sections[1]?.text.startsWith('Here is the plan:\n- Build'));
    assert.ok(sections.every((s) => s.heading === undefined));
  });

  it('leaves an unclassifiable preamble as other', () => {
    assert.deepEqual(kinds(segmentOffer('Reference 2024-17. Posted on 3 May.')), ['other']);
  });

  it('finds unmarked headings in PDF-like text (capitals, trailing colon, a bare cue line)', () => {
    const text = `Platform Engineer - Quillmark
RESPONSIBILITIES
- Own the CI runners and the build cache
- Write runbooks for the team
Requirements:
- Solid Bash and Python
- Kubernetes in production
Nice to have
- Experience with Nix
Location: Remote (EU)
What we offer
- A yearly learning budget`;
    const sections = segmentOffer(text);
    assert.deepEqual(
      sections.map((s) => [s.kind, s.heading]),
      [
        ['other', undefined],
        ['missions', 'RESPONSIBILITIES'],
        ['requirements', 'Requirements'],
        ['nice_to_have', 'Nice to have'],
        ['benefits', 'What we offer'],
      ],
    );
    // "Location: Remote (EU)" is a field line, kept in the body before it.
    assert.match(byHeading(sections, 'Nice to have')?.text ?? '', /Location: Remote \(EU\)$/);
  });

  it('does not turn ordinary short lines without a cue into headings', () => {
    const sections = segmentOffer('## Requirements\nTools we use:\n- Terraform\n- Vault');
    assert.equal(sections.length, 1);
    assert.equal(sections[0]?.text, 'Tools we use:\n- Terraform\n- Vault');
  });

  it('gives a sub-heading without a cue the kind of its parent heading', () => {
    const sections = segmentOffer('## Qualifications\n### Technical\n- Linux internals\n### Humain\n- Patience');
    assert.deepEqual(
      sections.map((s) => [s.kind, s.heading]),
      [
        ['requirements', 'Technical'],
        ['requirements', 'Humain'],
      ],
    );
  });

  it('keeps consecutive sections of the same kind separate, each with its heading', () => {
    const sections = segmentOffer('## Minimum qualifications\n- Go\n\n## About you\n- Calm under pressure');
    assert.deepEqual(
      sections.map((s) => [s.kind, s.heading]),
      [
        ['requirements', 'Minimum qualifications'],
        ['requirements', 'About you'],
      ],
    );
  });

  it('drops empty sections and trims bodies, keeping paragraph breaks', () => {
    const sections = segmentOffer('## Benefits\n\n\n## The role   \n\n  First paragraph.  \n\n\n\nSecond paragraph.\n\n');
    assert.deepEqual(sections, [{ kind: 'missions', heading: 'The role', text: 'First paragraph.\n\nSecond paragraph.' }]);
  });

  it('appends preset sections after the segmented description', () => {
    const sections = segmentOffer('## About us\nWe make maps.', {
      presetSections: [
        { kind: 'missions', heading: 'Responsibilities:', text: '  Keep the tile servers up.  ' },
        { kind: 'requirements', text: '   ' },
      ],
    });
    assert.deepEqual(sections.slice(1), [{ kind: 'missions', heading: 'Responsibilities', text: 'Keep the tile servers up.' }]);
  });

  it('handles Windows line endings', () => {
    const sections = segmentOffer('## Benefits\r\n- Dental\r\n- Bikes');
    assert.deepEqual(sections, [{ kind: 'benefits', heading: 'Benefits', text: '- Dental\n- Bikes' }]);
  });
});

describe('headingKind', () => {
  const cases: Array<[string, string | undefined]> = [
    ["What you'll do", 'missions'],
    ['What You’ll Be Doing', 'missions'],
    ['Your impact', 'missions'],
    ['Responsibilities', 'missions'],
    ['Le poste', 'missions'],
    ['Ce que vous ferez', 'missions'],
    ['🎯 Ta mission', 'missions'],
    ['Requirements', 'requirements'],
    ["What you'll bring", 'requirements'],
    ['Who you are', 'requirements'],
    ['Profil recherché', 'requirements'],
    ['Compétences', 'requirements'],
    ['Votre profil', 'requirements'],
    ['Preferred qualifications', 'nice_to_have'],
    ['Bonus points', 'nice_to_have'],
    ['Serait un plus', 'nice_to_have'],
    ['Perks & benefits', 'benefits'],
    ['Compensation', 'benefits'],
    ['Ce que nous offrons', 'benefits'],
    ['About us', 'company'],
    ['About Harbourline', 'company'],
    ['Qui sommes-nous ?', 'company'],
    ["L'entreprise", 'company'],
    ['About the role', 'missions'],
    ['About this job', 'missions'],
    // The earliest cue decides, then the longest starting there.
    ['What experience do you need for this position?', 'requirements'],
    ['Preferred skills and experience', 'nice_to_have'],
    ['Culture and benefits', 'benefits'],
    ['Equal Opportunity Employer', 'other'],
    ['How to apply', 'other'],
    ['Pay transparency', 'other'],
    ['Candidater', 'other'],
    ['Where the magic happens', undefined],
  ];
  for (const [heading, kind] of cases) {
    it(`"${heading}" → ${kind ?? 'no kind'}`, () => assert.equal(headingKind(heading), kind));
  }
});

describe('classifyBody', () => {
  it('reads duties, requirements, benefits and company intros', () => {
    assert.equal(classifyBody('- Design the alerting\n- Maintain the runbooks\n- Automate the backups'), 'missions');
    assert.equal(classifyBody('- 5+ years of Linux\n- Familiarity with Ansible'), 'requirements');
    assert.equal(classifyBody('Competitive salary, equity and 30 days of vacation.'), 'benefits');
    assert.equal(classifyBody('Nous sommes une startup fondée en 2020 ; notre équipe accompagne les collectivités.'), 'company');
  });
});

describe('renderOfferText', () => {
  it('writes each section as its heading line then its text, separated by blank lines', () => {
    const text = renderOfferText([
      { kind: 'company', text: 'Intro.' },
      { kind: 'missions', heading: 'The role', text: '- Build' },
    ]);
    assert.equal(text, 'Intro.\n\nThe role\n- Build');
  });

  it('contains every section text verbatim (the invariant quotes rely on)', () => {
    for (const offer of [ENGLISH_OFFER, FRENCH_OFFER]) {
      const sections = segmentOffer(offer);
      const text = renderOfferText(sections);
      for (const section of sections) assert.ok(text.includes(section.text), section.text);
    }
  });

  it('trims every section, even one cut after an indented line (a counterexample of the property below)', () => {
    const sections = segmentOffer(['**Bonus**', 'We are an equal opportunity employer.', '   ', ' !'].join('\n'));
    assert.deepEqual(
      sections.map((s) => [s.kind, s.text]),
      [
        ['other', 'We are an equal opportunity employer.'],
        ['nice_to_have', '!'],
      ],
    );
  });

  it('keeps the invariant on arbitrary descriptions', () => {
    const line = fc.oneof(
      fc.constantFrom('## Requirements', '## Vos missions', 'BENEFITS', 'About you:', '', '   ', '- item', '* other item'),
      fc.constantFrom('We are an equal opportunity employer.', 'Location: Paris', '### Sub', '**Bonus**'),
      fc.string({ maxLength: 30 }),
    );
    fc.assert(
      fc.property(fc.array(line, { maxLength: 25 }), (lines) => {
        const sections = segmentOffer(lines.join('\n'));
        const text = renderOfferText(sections);
        for (const section of sections) {
          assert.ok(section.text.length > 0);
          assert.equal(section.text, section.text.trim());
          assert.ok(text.includes(section.text));
        }
      }),
      seeded(),
    );
  });
});

describe('the cue tables (section-cues.json)', () => {
  it('are checked whole: every problem of the file at once', () => {
    assert.throws(
      () => compileCues({ headings: { missions: ['what you will do'], duties: ['duties'] }, content: { benefits: [''] }, boilerplate: 'equal opportunity', extra: true }),
      (error: unknown) =>
        error instanceof Error &&
        /headings\.duties/.test(error.message) &&
        /content\.benefits\[0\]/.test(error.message) &&
        /boilerplate/.test(error.message) &&
        /unknown key "extra"/.test(error.message),
    );
  });

  it('compile a well-formed table in its order', () => {
    const cues = compileCues({ headings: { requirements: ['profile'], missions: ['duties'] }, content: {}, boilerplate: [] });
    assert.deepEqual(
      cues.headings.map((cue) => cue.kind),
      ['requirements', 'missions'],
    );
  });
});
