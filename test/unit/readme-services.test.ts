/**
 * The README's service examples for `offers schedule` and `offers reindex` (cron, systemd,
 * Kubernetes) run the command's script itself (`node bin/offers.mjs`: npm ci links no
 * node_modules/.bin/offers for the package it installs in), never through npx: npx does not
 * forward SIGTERM, so a service manager stopping `npx offers schedule` orphaned the node process
 * with its schedule (checked by hand: after `kill -TERM <npx pid>`, it lived on under pid 1).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { ROOT } from '../helpers/cli.ts';

/** The fenced code blocks of the README section whose heading starts with `heading`. */
function codeBlocksOf(heading: string): string[] {
  const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const start = readme.indexOf(`\n${heading}`);
  assert.ok(start >= 0, `no section ${heading}`);
  const end = readme.indexOf('\n### ', start + 1);
  const section = readme.slice(start, end < 0 ? undefined : end);
  return [...section.matchAll(/```[a-z]*\n([\s\S]*?)```/g)].map((match) => match[1]!);
}

describe('README service examples', () => {
  it('start the command directly, not through npx', () => {
    const blocks = codeBlocksOf('### `offers schedule');
    assert.ok(blocks.length >= 4, 'the foreground, cron, systemd and Kubernetes examples');
    for (const block of blocks) {
      assert.doesNotMatch(block, /\bnpx\b/, block);
      assert.match(block, /\bnode (\/srv\/offers\/)?bin\/offers\.mjs\b|"node", "bin\/offers\.mjs"/, block);
    }
  });
});
