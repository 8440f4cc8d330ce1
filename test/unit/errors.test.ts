import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DataDirBusyError, ExitCode, FatalError, NotOffersError, OffersError, OutputClosedError, RetryableError, SourceError, UsageError } from '../../src/errors.ts';

/** A second copy of the module, as two installs of the package (or tsx beside a build) would load it. */
const copy = (await import(`../../src/errors.ts?copy=${Date.now()}`)) as typeof import('../../src/errors.ts');

describe('error markers', () => {
  it('recognise an error made by another copy of the module, which instanceof does not', () => {
    const foreign = new copy.DataDirBusyError('busy', 'wait');
    assert.equal(foreign instanceof DataDirBusyError, false);
    assert.equal(DataDirBusyError.isInstance(foreign), true);
    assert.equal(FatalError.isInstance(foreign), true);
    assert.equal(OffersError.isInstance(foreign), true);
    assert.equal(UsageError.isInstance(foreign), false);
  });

  it('follow the class hierarchy and nothing else', () => {
    const cases: Array<[unknown, Array<{ isInstance(e: unknown): boolean }>]> = [
      [new NotOffersError('a.csv', 'no offers'), [OffersError, SourceError, NotOffersError]],
      [new SourceError('a.md', 'broken'), [OffersError, SourceError]],
      [new RetryableError('429', 1000), [OffersError, RetryableError]],
      [new FatalError('down'), [OffersError, FatalError]],
      [new OutputClosedError('stdout was closed'), [OffersError, OutputClosedError]],
      [new UsageError('bad flag'), [OffersError, UsageError]],
      [new Error('plain'), []],
      [{ kind: 'fatal', message: 'looks like one' }, []],
      [null, []],
    ];
    const classes = [OffersError, SourceError, NotOffersError, RetryableError, FatalError, DataDirBusyError, OutputClosedError, UsageError];
    for (const [error, expected] of cases) {
      for (const cls of classes) assert.equal(cls.isInstance(error), expected.includes(cls), `${String((error as Error | null)?.message)} vs ${(cls as { name: string }).name}`);
    }
  });
});

describe('ExitCode', () => {
  it('is the contract table', () => {
    assert.deepEqual(ExitCode, { ok: 0, fatal: 1, usage: 2, someSourcesFailed: 3, refused: 4, busy: 5 });
  });
});
