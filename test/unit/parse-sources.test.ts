import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { mkdir, rm, symlink, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { expandLocalSources } from '../../ingest/sources/local.ts';
import { scratchDir } from '../helpers/cli.ts';

const execFileAsync = promisify(execFile);

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
  'data/k.md',
  'data/l.md',
  'data/m.md',
  'data/star*.md',
  'other/readme.xyz',
  'empty/.keep',
];

describe('expandLocalSources', () => {
  let root = '';
  let cleanup = async () => {};
  const abs = (...paths: string[]) => paths.map((p) => join(root, p));

  before(async () => {
    // In memory: the walk of 130k files below would otherwise time the disk making them.
    ({ dir: root, cleanup } = await scratchDir('offers-sources-', { inMemory: true }));
    for (const file of TREE) {
      await mkdir(dirname(join(root, file)), { recursive: true });
      await writeFile(join(root, file), 'x');
    }
    // A link back to its parent must not make the walk loop; a linked file is followed.
    await symlink(join(root, 'offers'), join(root, 'offers/deep/loop'));
    await symlink(join(root, 'data/q1.md'), join(root, 'offers/deep/linked.md'));
  });
  after(() => cleanup());

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
    assert.match(problems[0]?.message ?? '', /^no such file or directory \(check the path, and quote a glob/);
    assert.match(problems[1]?.message ?? '', /no supported files/);
  });

  it('expands globs with *, **, ?, [..] and {..}', async () => {
    assert.deepEqual((await expand('data/q*.md')).files, abs('data/q1.md', 'data/q22.md'));
    assert.deepEqual((await expand('data/[kl].md')).files, abs('data/k.md', 'data/l.md'));
    assert.deepEqual((await expand('data/{k,m}.md')).files, abs('data/k.md', 'data/m.md'));
    assert.deepEqual((await expand('data/q?.md')).files, abs('data/q1.md'));
    assert.deepEqual((await expand('offers/**/*.md')).files, abs('offers/a.md', 'offers/deep/deeper/d.md', 'offers/deep/linked.md'));
    assert.deepEqual((await expand('**/jobs.*')).files, abs('data/jobs.csv', 'data/jobs.jsonl'));
    assert.deepEqual((await expand(`${root}/data/*.jsonl`)).files, abs('data/jobs.jsonl'));
  });

  it('takes a directory matched by a glob whole', async () => {
    assert.deepEqual((await expand('offers/d*')).files, abs('offers/deep/c.pdf', 'offers/deep/deeper/d.md', 'offers/deep/linked.md'));
  });

  it('returns sorted, de-duplicated paths across overlapping arguments', async () => {
    const { files, named } = await expand('data/q1.md', 'data', './data/*.md', join(root, 'data/q1.md'));
    assert.deepEqual(files, abs('data/jobs.csv', 'data/jobs.jsonl', 'data/k.md', 'data/l.md', 'data/m.md', 'data/q1.md', 'data/q22.md', 'data/star*.md'));
    // Named files are told from found ones (a non-offer dataset found in a folder is only skipped).
    assert.deepEqual([...named], abs('data/q1.md'));
  });

  it('takes an existing path literally, and \\* as a literal star in a glob', async () => {
    assert.deepEqual((await expand('data/star*.md')).files, abs('data/star*.md'));
    assert.deepEqual((await expand('data/st\\*.md')).files, []);
    assert.deepEqual((await expand('data/sta?\\*.md')).files, abs('data/star*.md'));
  });

  it('skips FIFOs and other special files found by a walk', async () => {
    await execFileAsync('mkfifo', [join(root, 'data/pipe.md')]);
    try {
      assert.ok(!(await expand('data')).files.includes(join(root, 'data/pipe.md')));
      assert.ok(!(await expand('data/*.md')).files.includes(join(root, 'data/pipe.md')));
    } finally {
      await rm(join(root, 'data/pipe.md'));
    }
  });

  it('walks a folder of 130k files and a glob matching them without overflowing the stack', async () => {
    const many = join(root, 'many');
    await mkdir(many);
    const count = 130_000;
    // One synchronous call per file: 130k promises through the thread pool took five times as long.
    for (let i = 0; i < count; i++) writeFileSync(join(many, `o${i}.md`), '');
    try {
      assert.equal((await expand('many')).files.length, count);
      assert.equal((await expand('many/*.md')).files.length, count);
    } finally {
      await rm(many, { recursive: true, force: true });
    }
  });

  it('reports a glob that matches nothing', async () => {
    const { files, problems } = await expand('missing/**/*.md');
    assert.deepEqual(files, []);
    assert.match(problems[0]?.message ?? '', /no supported files match/);
  });
});
