import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { readSourceFile } from '../../ingest/read-file.ts';
import { SourceError } from '../../src/errors.ts';
import { scratchDir } from '../helpers/cli.ts';

const refusal = (pattern: RegExp) => (error: unknown) => error instanceof SourceError && pattern.test(error.message);

describe('readSourceFile', () => {
  let scratch: Awaited<ReturnType<typeof scratchDir>>;
  before(async () => {
    scratch = await scratchDir('offers-read-');
  });
  after(() => scratch.cleanup());

  it('reads a regular file under its limit, and refuses one over it on its size', async () => {
    const file = path.join(scratch.dir, 'offer.md');
    await writeFile(file, '# Harbour pilot\n\nGuide the ferries in.\n');
    assert.equal(Buffer.from(await readSourceFile(file, 1024)).toString(), '# Harbour pilot\n\nGuide the ferries in.\n');
    await assert.rejects(readSourceFile(file, 10), refusal(/^file too large: /));
  });

  it('enforces the limit while reading, not only on the size fstat reports', async () => {
    // /proc files say they are empty and are not: only the bytes read can tell.
    await assert.rejects(readSourceFile('/proc/self/status', 64), refusal(/^file too large: /));
  });

  it('refuses what is not a regular file, without blocking on a FIFO', { timeout: 10_000 }, async () => {
    const fifo = path.join(scratch.dir, 'offer-pipe.md');
    execFileSync('mkfifo', [fifo]);
    await assert.rejects(readSourceFile(fifo, 1024), refusal(/^is a FIFO \(named pipe\), not a regular file/));
    await assert.rejects(readSourceFile('/dev/zero', 1024), refusal(/^is a character device, not a regular file/));
    await assert.rejects(readSourceFile(scratch.dir, 1024), refusal(/^is a directory, not a regular file/));
    await assert.rejects(readSourceFile(path.join(scratch.dir, 'gone.md'), 1024), refusal(/^no such file or directory$/));
  });
});
