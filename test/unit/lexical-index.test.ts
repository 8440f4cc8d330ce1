import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { RecordStore } from '../../src/records/record-store.ts';
import { scratchDir } from '../helpers/cli.ts';

describe('LexicalIndex (FTS5 BM25 in the record)', () => {
  let scratch: Awaited<ReturnType<typeof scratchDir>>;
  let record: RecordStore;
  const chunk = (id: string, offerId: string, role: string, text: string, themes = ['terraform']) => ({ id, offerId, role, section: 'requirements', themes, text });

  before(async () => {
    scratch = await scratchDir();
    record = RecordStore.open(scratch.dir, 'test');
    record.lexical.insert([
      chunk('a:1', 'a', 'DevOps Engineer', 'Run the on-call rotation and write postmortems after incidents.', []),
      chunk('b:1', 'b', 'DevOps Engineer', 'Write Terraform modules for every environment.'),
      chunk('c:1', 'c', 'DevOps Engineer', 'Terraform, Terraform and more Terraform: our whole estate is Terraform code reviewed by peers every day of the week.'),
      chunk('s:1', 's', 'SRE', 'Terraform modules, all day long.'),
    ]);
  });
  after(async () => {
    record.close();
    await scratch.cleanup();
  });

  const search = (text: string, extra: { theme?: string; offerIds?: string[] } = {}) =>
    record.lexical.search(text, { role: 'DevOps Engineer', sections: ['requirements'], limit: 10, ...extra });

  it('ranks only chunks holding a query term, the short one with both terms first, within the role', () => {
    assert.deepEqual(search('Terraform modules'), ['b:1', 'c:1']);
  });

  it('matches through our tokeniser (stems, case, stop words) and filters on theme and offers', () => {
    assert.deepEqual(search('POSTMORTEM'), ['a:1']);
    assert.deepEqual(search('the and'), [], 'stop words alone rank nothing');
    assert.deepEqual(search('write', { theme: 'terraform' }), ['b:1']);
    assert.deepEqual(search('terraform', { offerIds: ['c'] }), ['c:1']);
  });

  it('replaces and removes an offer\'s chunks with the offer', () => {
    record.lexical.replaceOffer('b', [chunk('b:2', 'b', 'DevOps Engineer', 'Pulumi programs in TypeScript.')]);
    assert.deepEqual(search('pulumi'), ['b:2']);
    assert.deepEqual(search('modules'), []);
    record.lexical.replaceOffer('b', []);
    assert.deepEqual(search('pulumi'), []);
  });
});
