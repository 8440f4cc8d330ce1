import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { aspectSections, aspectThemeFilter, parseQuestion } from '../../src/query/question.ts';

/** A stand-in role resolver: finds the two role names it knows, in question order. */
function findRoles(text: string): string[] {
  const found = [...text.matchAll(/\b(SRE|DevOps)\b/gi)].map((m) => (m[1]?.toLowerCase() === 'sre' ? 'SRE' : 'DevOps Engineer'));
  return found;
}

describe('parseQuestion', () => {
  it('defaults to missions and requirements when no aspect is named', () => {
    const parsed = parseQuestion('What is the difference between SRE and DevOps positions?', findRoles);
    assert.deepEqual(parsed, { roles: ['SRE', 'DevOps Engineer'], aspects: ['missions', 'requirements'] });
  });

  it('keeps aspects in the order the question asks them', () => {
    assert.deepEqual(parseQuestion('Compare the requirements, then the missions and the perks', findRoles).aspects, [
      'requirements',
      'missions',
      'benefits',
    ]);
    assert.deepEqual(parseQuestion('What they do, and which tools they use', findRoles).aspects, ['missions', 'tools']);
  });

  it('reads French, with or without accents', () => {
    assert.deepEqual(parseQuestion('Quelles tâches, compétences et avantages pour un SRE ?', findRoles).aspects, [
      'missions',
      'requirements',
      'benefits',
    ]);
    assert.deepEqual(parseQuestion('outils et teletravail des DevOps', findRoles).aspects, ['tools', 'remote']);
    assert.deepEqual(parseQuestion('le profil et les prérequis', findRoles).aspects, ['requirements']);
  });

  it('folds as the offers are folded: accents typed decomposed, typographic dashes', () => {
    // "a" + U+0302 and "e" + U+0301, as some keyboards and pasted file names give them.
    assert.deepEqual(parseQuestion('Quelles ta\u0302ches et quels pre\u0301requis ?', findRoles).aspects, ['missions', 'requirements']);
    // Non-breaking hyphens (U+2011), as word processors put them.
    assert.deepEqual(parseQuestion('the nice\u2011to\u2011have skills', findRoles).aspects, ['nice_to_have', 'requirements']);
  });

  it('lets a longer phrase win over the word inside it', () => {
    assert.deepEqual(parseQuestion('soft skills of SRE vs DevOps', findRoles).aspects, ['soft_skills']);
    assert.deepEqual(parseQuestion('nice to have skills', findRoles).aspects, ['nice_to_have', 'requirements']);
  });

  it('maps seniority words to experience and matches whole words only', () => {
    assert.deepEqual(parseQuestion('How many years of experience, and what seniority?', findRoles).aspects, ['experience']);
    // "stackable" is not "stack", "missionary" is not "missions".
    assert.deepEqual(parseQuestion('stackable missionary', findRoles).aspects, ['missions', 'requirements']);
  });

  it('deduplicates roles', () => {
    assert.deepEqual(parseQuestion('SRE vs DevOps vs SRE', findRoles).roles, ['SRE', 'DevOps Engineer']);
  });
});

describe('aspectSections', () => {
  it('reads section aspects from their own section and lenses across sections', () => {
    assert.deepEqual(aspectSections('missions'), ['missions']);
    assert.deepEqual(aspectSections('tools'), ['missions', 'requirements', 'nice_to_have']);
    assert.deepEqual(aspectSections('experience'), ['requirements', 'nice_to_have']);
    assert.ok(!aspectSections('remote').includes('company'));
    assert.ok(aspectSections('remote').includes('benefits'));
  });
});

describe('aspectThemeFilter', () => {
  it('keeps the categories an aspect is about', () => {
    assert.equal(aspectThemeFilter('tools')('terraform', 'tool'), true);
    assert.equal(aspectThemeFilter('tools')('slo', 'practice'), false);
    assert.equal(aspectThemeFilter('experience')('years_experience', 'soft'), true);
    assert.equal(aspectThemeFilter('experience')('communication', 'soft'), false);
    assert.equal(aspectThemeFilter('soft_skills')('communication', 'soft'), true);
    assert.equal(aspectThemeFilter('soft_skills')('degree', 'soft'), false);
    assert.equal(aspectThemeFilter('remote')('remote_first', 'work'), true);
    assert.equal(aspectThemeFilter('missions')('anything', 'any'), true);
  });
});
