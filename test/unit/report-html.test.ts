import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkEvidence } from '../../src/query/refusal.ts';
import { escapeHtml, memoHtml, renderHtml, sourceHref } from '../../src/report/html.ts';
import { fixtureAnswer } from '../helpers/memo-fixture.ts';

describe('renderHtml', () => {
  const hostile = structuredClone(fixtureAnswer());
  const payload = '<script>alert(1)</script><img src=x onerror=alert(2)>';
  hostile.citations[0]!.quote = `Keep SLOs ${payload} honest`;
  hostile.citations[0]!.company = `Evil "Corp" <b>`;
  hostile.citations[0]!.source = 'javascript:alert(3)';
  hostile.answer += `\n- A point quoting ${payload} [c1]\n  > "${payload}" (x) [c1]`;
  const html = renderHtml(hostile);

  it('escapes every offer string and links no unsafe source', () => {
    assert.ok(!html.includes(payload) && !html.includes('<b>') && !html.includes('javascript:alert(3)"'));
    assert.ok(html.includes(escapeHtml(payload)));
    assert.ok(html.includes('Evil &quot;Corp&quot; &lt;b&gt;'));
    assert.equal(sourceHref('javascript:alert(3)'), undefined);
    assert.equal(sourceHref('https://example.com/jobs/1'), 'https://example.com/jobs/1');
    assert.equal(sourceHref('/data/offers/a b.md#2'), 'file:///data/offers/a%20b.md');
  });

  it('loads nothing: no script, no external resource, and a CSP that forbids both', () => {
    assert.ok(!/<script|<link|<img|@import|url\(/i.test(html));
    assert.match(html, /Content-Security-Policy" content="default-src 'none'/);
  });

  it('draws a bar with an interval per role and theme, and links citation markers', () => {
    assert.match(html, /<svg [^>]*role="img"/);
    assert.ok((html.match(/<g class="bar">/g) ?? []).length >= 4);
    assert.match(memoHtml('- point [c2]\n  > "q" (Co) [c2]'), /<li><p>point <a class="cite" href="#c2">\[c2\]<\/a><\/p>\n<blockquote>/);
  });
});

describe('checkEvidence', () => {
  const indexed = [
    { role: 'DevOps Engineer', offers: 14 },
    { role: 'SRE', offers: 15 },
    { role: 'Data Engineer', offers: 2 },
  ];

  it('passes when every role has enough offers', () => {
    assert.equal(checkEvidence('q', [{ role: 'SRE', offers: 15 }, { role: 'DevOps Engineer', offers: 14 }], indexed, 5), undefined);
  });

  it('names the unknown and the thin roles, and lists the index by size', () => {
    const refusal = checkEvidence('q', [{ role: 'Astronaut', offers: 0, unknown: true }, { role: 'Data Engineer', offers: 2 }], indexed, 5)!;
    assert.equal(refusal.refused, true);
    assert.equal(refusal.reason, 'not enough evidence to compare: "Astronaut" is not a known role; Data Engineer has 2 indexed offers (at least 5 offers per role are needed)');
    assert.deepEqual(refusal.indexedRoles.map((r) => r.role), ['SRE', 'DevOps Engineer', 'Data Engineer']);
    assert.match(refusal.hint, /^indexed roles: SRE \(15\), DevOps Engineer \(14\), Data Engineer \(2\);/);
  });
});
