import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { expandLocalSources, globToRegExp } from '../../ingest/sources.ts';

const TREE = [
  'offers/a.md',
  'offers/b.HTML',
  'offers/notes.docx',
  'offers/deep/c.pdf',
  'offers/deep/deeper/d.md',
  'offers/.drafts/hidden.md',
  'offers/node_modules/pkg/readme.md',
  'offers/.hidden-file.md',
  'data/jobs.csv',
  'data/jobs.jsonl',
  'data/q1.md',
  'data/q22.md',
  'other/readme.xyz',
  'empty/.keep',
];

describe('expandLocalSources', () => {
  let root = '';
  const abs = (...paths: string[]) => paths.map((p) => join(root, p));

  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'offers-sources-'));
    for (const file of TREE) {
      await mkdir(dirname(join(root, file)), { recursive: true });
      await writeFile(join(root, file), 'x');
    }
    // A link back to its parent must not make the walk loop; a linked file is followed.
    await symlink(join(root, 'offers'), join(root, 'offers/deep/loop'));
    await symlink(join(root, 'data/q1.md'), join(root, 'offers/deep/linked.md'));
  });
  after(() => rm(root, { recursive: true, force: true }));

  const expand = (...args: string[]) => expandLocalSources(args, { cwd: root });

  it('walks a directory for supported files, skipping hidden dirs, node_modules and other extensions', async () => {
    const { files, problems } = await expand('offers');
    assert.deepEqual(problems, []);
    assert.deepEqual(files, abs('offers/a.md', 'offers/b.HTML', 'offers/deep/c.pdf', 'offers/deep/deeper/d.md', 'offers/deep/linked.md'));
  });

  it('keeps an explicitly named file whatever its extension', async () => {
    assert.deepEqual((await expand('other/readme.xyz')).files, abs('other/readme.xyz'));
  });

  it('reports missing paths and directories without supported files', async () => {
    const { files, problems } = await expand('nope.md', 'empty', 'data/q1.md');
    assert.deepEqual(files, abs('data/q1.md'));
    assert.deepEqual(problems.map((p) => p.source), ['nope.md', 'empty']);
    assert.equal(problems[0]?.message, 'no such file or directory');
    assert.match(problems[1]?.message ?? '', /no supported files/);
  });

  it('expands globs with *, ** and ?', async () => {
    assert.deepEqual((await expand('data/*.md')).files, abs('data/q1.md', 'data/q22.md'));
    assert.deepEqual((await expand('data/q?.md')).files, abs('data/q1.md'));
    assert.deepEqual((await expand('offers/**/*.md')).files, abs('offers/a.md', 'offers/deep/deeper/d.md', 'offers/deep/linked.md'));
    assert.deepEqual((await expand('**/jobs.*')).files, abs('data/jobs.csv', 'data/jobs.jsonl'));
    assert.deepEqual((await expand(`${root}/data/*.jsonl`)).files, abs('data/jobs.jsonl'));
  });

  it('takes a directory matched by a glob whole', async () => {
    assert.deepEqual((await expand('offers/d*')).files, abs('offers/deep/c.pdf', 'offers/deep/deeper/d.md', 'offers/deep/linked.md'));
  });

  it('returns sorted, de-duplicated paths across overlapping arguments', async () => {
    const { files } = await expand('data/q1.md', 'data', './data/*.md', join(root, 'data/q1.md'));
    assert.deepEqual(files, abs('data/jobs.csv', 'data/jobs.jsonl', 'data/q1.md', 'data/q22.md'));
  });

  it('reports a glob that matches nothing', async () => {
    const { files, problems } = await expand('missing/**/*.md');
    assert.deepEqual(files, []);
    assert.match(problems[0]?.message ?? '', /no supported files match/);
  });
});

describe('globToRegExp', () => {
  it('keeps * and ? inside a segment and lets ** span segments', () => {
    const md = globToRegExp('**/*.md');
    assert.ok(md.test('a.md') && md.test('x/y/a.md'));
    assert.ok(!md.test('a.mdx'));
    const one = globToRegExp('a/*/b?.txt');
    assert.ok(one.test('a/x/b1.txt'));
    assert.ok(!one.test('a/x/y/b1.txt') && !one.test('a/x/b12.txt'));
    assert.ok(globToRegExp('a.(b)+').test('a.(b)+'));
  });
});
