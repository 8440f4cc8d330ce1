import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { SourceItem } from '../../ingest/sources/item.ts';
import { concatItems, itemsOf } from '../../ingest/sources/sequence.ts';

const item = (source: string): SourceItem => ({ source, kind: 'file', load: async () => ({ gone: 'not read here' }) });

describe('a run\'s items, made as they are read', () => {
  it('itemsOf makes each item only when the run reaches it, every time it is read', () => {
    const made: string[] = [];
    const paths = ['a.md', 'b.md', 'c.md'];
    const items = itemsOf(paths.length, (i) => (made.push(paths[i]!), item(paths[i]!)));
    assert.equal(items.length, 3);
    assert.deepEqual(made, [], 'nothing is made before the run reads the items');
    const iterator = items[Symbol.iterator]();
    assert.equal(iterator.next().value?.source, 'a.md');
    assert.deepEqual(made, ['a.md']);
    assert.deepEqual([...items].map((i) => i.source), ['a.md', 'b.md', 'c.md'], 'read again from the start');
  });

  it('concatItems reads one list after the other, and counts both', () => {
    const items = concatItems(itemsOf(2, (i) => item(['a.md', 'b.md'][i]!)), [item('https://jobs.example.org/1')], itemsOf(0, () => item('never.md')));
    assert.equal(items.length, 3);
    assert.deepEqual([...items].map((i) => i.source), ['a.md', 'b.md', 'https://jobs.example.org/1']);
  });
});
