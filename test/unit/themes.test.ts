import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { FatalError } from '../../src/errors.ts';
import {
  THEME_CATEGORIES,
  loadThemeCatalog,
  tagThemes,
  themeCategory,
  themeLabel,
  themeMentions,
  themeSpans,
} from '../../src/catalog/themes.ts';
import { seeded } from '../helpers/property.ts';

const catalog = loadThemeCatalog();

function writeJson(value: unknown): string {
  const path = join(mkdtempSync(join(tmpdir(), 'themes-')), 'extra.json');
  writeFileSync(path, typeof value === 'string' ? value : JSON.stringify(value));
  return path;
}

describe('the built-in theme catalogue', () => {
  it('covers at least seventy themes with unique ids and valid categories', () => {
    assert.ok(catalog.themes.length >= 70, String(catalog.themes.length));
    assert.equal(new Set(catalog.themes.map((t) => t.id)).size, catalog.themes.length);
    for (const theme of catalog.themes) assert.ok(THEME_CATEGORIES.includes(theme.category), theme.id);
  });

  const cases: Array<[string, string]> = [
    ['Our clusters run on Kubernetes (EKS).', 'kubernetes'],
    ['You know your way around k8s.', 'kubernetes'],
    ['Provisioning with Terraform modules', 'terraform'],
    ['Dashboards in Grafana, metrics in Prometheus', 'prometheus'],
    ['We are on AWS', 'aws'],
    ['Solid Golang skills', 'go'],
    ['Python, Go or Rust', 'go'],
    ['Deployments through ArgoCD and GitOps', 'argocd_gitops'],
    ['Pipelines CI/CD sous GitLab', 'ci_cd'],
    ['Infrastructure as Code', 'iac'],
    ["Infrastructure en tant que code", 'iac'],
    ['You will own SLOs and error budgets', 'slo'],
    ['Participation aux astreintes', 'on_call'],
    ['A fair on-call rotation', 'on_call'],
    ['Write blameless post-mortems', 'postmortems'],
    ['Capacity planning for the holiday peak', 'capacity_planning'],
    ['Mise en place de la supervision', 'observability'],
    ['Cutting cloud costs (FinOps)', 'cost_optimisation'],
    ['5+ years of experience with Linux', 'years_experience'],
    ["3 ans d'expérience minimum", 'years_experience'],
    ['Diplôme d’ingénieur ou équivalent', 'degree'],
    ["Bachelor's degree in Computer Science", 'degree'],
    ['Fluent English', 'english'],
    ['Télétravail possible deux jours par semaine', 'remote'],
    ['Travail à distance', 'remote'],
    ['SC clearance required', 'security_clearance'],
    ['Strong written and verbal communication', 'communication'],
  ];
  for (const [text, id] of cases) {
    it(`tags "${text}" with ${id}`, () => assert.ok(tagThemes(text, catalog).includes(id), tagThemes(text, catalog).join(',')));
  }

  const negatives: Array<[string, string]> = [
    ['We go to great lengths to help.', 'go'],
    ['JavaScript frameworks', 'java'],
    ['Chef de projet', 'puppet_chef'],
    ['Tickets restaurant', 'customer_facing'],
    ['French company based in Lyon', 'french'],
  ];
  for (const [text, id] of negatives) {
    it(`does not tag "${text}" with ${id}`, () => assert.ok(!tagThemes(text, catalog).includes(id)));
  }
});

describe('tagThemes', () => {
  it('returns sorted ids and nothing for an empty text', () => {
    const ids = tagThemes('Terraform, Ansible, Kubernetes and on-call', catalog);
    assert.deepEqual(ids, [...ids].sort());
    assert.ok(ids.includes('ansible') && ids.includes('kubernetes') && ids.includes('terraform') && ids.includes('on_call'));
    assert.deepEqual(tagThemes('', catalog), []);
  });

  it('gives the same answer as running every theme regex (the pre-check never drops a theme)', () => {
    const words = ['Kubernetes', 'k8s', 'on-call', 'astreinte', 'Terraform', 'C#', 'C++', '.NET', '5+ years', '€60,000', 'SLOs',
      'post-mortem', 'Go,', '(Go)', 'télétravail', 'CI/CD', 'the', 'and', 'équipe', 'GitHub Actions', 'pl/sql', 'SQL'];
    const everyRegex = (text: string) => catalog.themes.filter((t) => new RegExp(t.patterns.map((p) => `(?:${p})`).join('|'), 'i').test(text.normalize('NFD').replace(/\p{M}/gu, ''))).map((t) => t.id).sort();
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...words), { maxLength: 12 }), (picked) => {
        const text = picked.join(' ');
        assert.deepEqual(tagThemes(text, catalog), everyRegex(text));
      }),
      seeded(),
    );
  });
});

describe('themeMentions', () => {
  it('is tagThemes with each theme\'s number of spans', () => {
    const text = 'Astreinte rémunérée et astreintes partagées ; Kubernetes, k8s et Terraform ; SLOs.';
    const mentions = themeMentions(text, catalog);
    assert.deepEqual([...mentions.keys()], tagThemes(text, catalog));
    for (const [id, count] of mentions) assert.equal(count, themeSpans(text, id, catalog).length, id);
    assert.equal(mentions.get('on_call'), 2);
  });
});

describe('themeSpans', () => {
  it('returns offsets into the original text, accents included', () => {
    const text = 'Gestion des astreintes et de la supervision ; Astreinte rémunérée.';
    const spans = themeSpans(text, 'on_call', catalog);
    assert.deepEqual(
      spans.map(([start, end]) => text.slice(start, end)),
      ['astreintes', 'Astreinte'],
    );
  });

  it('keeps offsets right after accented and typographic characters', () => {
    const text = 'Équipe « fiabilité » – expérience de Kubernetes’s ecosystem';
    const [span] = themeSpans(text, 'kubernetes', catalog);
    assert.ok(span);
    assert.equal(text.slice(span[0], span[1]), 'Kubernetes');
  });

  it('merges overlapping matches and ignores unknown ids', () => {
    const text = 'infrastructure as code (IaC)';
    assert.deepEqual(themeSpans(text, 'iac', catalog), [
      [0, 22],
      [24, 27],
    ]);
    assert.deepEqual(themeSpans(text, 'no_such_theme', catalog), []);
  });
});

describe('themeLabel and themeCategory', () => {
  it('name a theme, falling back for unknown ids', () => {
    assert.equal(themeLabel('kubernetes', catalog), 'Kubernetes');
    assert.equal(themeLabel('mystery', catalog), 'mystery');
    assert.equal(themeCategory('on_call', catalog), 'practice');
    assert.equal(themeCategory('mystery', catalog), '');
  });
});

describe('loadThemeCatalog with a user file', () => {
  it('appends new themes and extends the patterns of known ones', () => {
    const merged = loadThemeCatalog(
      writeJson({
        themes: [
          { id: 'nix', label: 'Nix', category: 'tool', patterns: ['\\bnix(os)?\\b'] },
          { id: 'kubernetes', patterns: ['\\bkube\\b'] },
        ],
      }),
    );
    assert.deepEqual(tagThemes('NixOS and kube', merged), ['kubernetes', 'nix']);
    assert.equal(themeLabel('kubernetes', merged), 'Kubernetes');
    assert.deepEqual(tagThemes('kube', catalog), []);
  });

  it('rejects a bad file with every problem listed', () => {
    assert.throws(
      () =>
        loadThemeCatalog(
          writeJson({
            themes: [
              { id: 'Bad Id', label: 'x', category: 'tool', patterns: ['ok'] },
              { id: 'broken', label: 'Broken', category: 'gadget', patterns: ['(unclosed'] },
              { id: 'empty', label: 'Empty', category: 'tool', patterns: ['x*'] },
              { id: 'latte_art', label: 'Latte art', category: 'skill', patterns: ['latte art'], aspect: ['missions'] },
            ],
          }),
        ),
      (error: unknown) =>
        error instanceof FatalError &&
        /themes\[0\]\.id/.test(error.message) &&
        /themes\[1\]\.category/.test(error.message) &&
        /not a valid regular expression/.test(error.message) &&
        /matches the empty string/.test(error.message) &&
        /themes\[3\]: unknown key "aspect"/.test(error.message),
    );
    assert.throws(() => loadThemeCatalog(writeJson({ nothing: [] })), FatalError);
    assert.throws(() => loadThemeCatalog(writeJson('nope')), /Cannot read the theme catalogue/);
  });
});

