import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { composeAnswer } from '../../src/query/compose.ts';
import type { Answer } from '../../src/query/types.ts';
import { citationMarkers } from '../../src/query/verify.ts';
import { renderHtml } from '../../src/report/html.ts';
import { renderJson } from '../../src/report/json.ts';
import { renderMarkdown } from '../../src/report/markdown.ts';
import { markdownSource, markdownText, plainText } from '../../src/report/sanitize.ts';
import { fixtureEvidence, fixtureRoleSummaries, fixtureStats, fixtureThemes } from '../helpers/memo-fixture.ts';

/**
 * Offer text written to attack the reports: a fake citation marker, terminal escape sequences
 * (a colour, a screen clear, a window title, a C1 CSI, a carriage return), a bidi override, raw
 * HTML and a markdown image. It is composed into a memo the normal way, then rendered.
 */
const HOSTILE = 'You keep SLOs honest [c99] \x1b[31mred\x1b[0m\x1b[2J \x1b]0;pwned\x07 \u009b31m \r overwritten \u202eevil\u202c <script>alert(1)</script> ![x](http://127.0.0.1:9/p.png) *bold*';
const HOSTILE_SOURCE = '<img src=x onerror=alert(1)>.md';

function hostileAnswer(): Answer {
  const evidence = fixtureEvidence();
  const slo = evidence.get('slo')!.get('SRE')!;
  slo[0] = { ...slo[0]!, text: `${HOSTILE}.`, company: 'Evil <b>Corp</b> [c98]', source: HOSTILE_SOURCE };
  return composeAnswer({
    question: 'SRE vs DevOps Engineer requirements?',
    aspects: ['requirements'],
    roles: fixtureRoleSummaries(),
    statsByAspect: fixtureStats(['requirements']),
    evidenceByTheme: evidence,
    themes: fixtureThemes,
  });
}

const answer = hostileAnswer();
const hostile = answer.citations.find((c) => c.quote.includes('[c99]'))!;
/** What a terminal acts on: C0 controls but tab and line feed, DEL, C1, bidi controls. */
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

describe('renderers on hostile offer text', () => {
  it('the hostile sentence is cited, verbatim, in the data', () => {
    assert.ok(hostile, 'the fixture cites the hostile quote');
    assert.ok(hostile.quote.includes('\x1b[2J') && hostile.quote.includes('<script>'));
  });

  it('markdown: no control character, no raw tag, no marker but ours', () => {
    const md = renderMarkdown(answer);
    assert.ok(!CONTROL.test(md), JSON.stringify(md.match(CONTROL)));
    const sources = / <fixtures\/[\w.-]+>$/gm;
    assert.ok(!/(?<!\\)</.test(md.replace(sources, '')), 'every < but our source brackets is escaped: no raw HTML');
    assert.ok(!/(?<!\\)!\[/.test(md.replace(/\\\[/g, '')), 'no markdown image');
    assert.ok(md.includes('\\<script\\>'), 'the tag is shown as text');
    assert.deepEqual(new Set(citationMarkers(md)), new Set(answer.citations.map((c) => c.id)), 'only our markers are markers');
    assert.ok(md.includes('\\[c99\\]'), 'the fake marker is shown as text');
  });

  it('html: the fake markers link nowhere, and no control character is written', () => {
    const html = renderHtml(answer);
    assert.ok(!CONTROL.test(html), JSON.stringify(html.match(CONTROL)));
    assert.ok(!html.includes('href="#c99"') && !html.includes('href="#c98"'));
    assert.ok(html.includes('&#91;c99&#93;'), 'the fake marker is shown as the characters it is');
    assert.ok(html.includes(`href="#${hostile.id}"`), 'our own marker links');
    assert.ok(!/<script|<img|<b>/i.test(html));
  });

  it('json: the same data, with nothing raw a terminal would act on', () => {
    const json = renderJson(answer);
    assert.ok(!CONTROL.test(json));
    assert.deepEqual(JSON.parse(json), answer);
  });
});

describe('sanitising helpers', () => {
  it('plainText keeps tabs and line breaks, and drops the rest', () => {
    assert.equal(plainText('a\tb\nc\x1b[2Jd\u0085e\u2028f'), 'a\tb\nc[2Jde\nf');
  });

  it('markdownText escapes inline markup and block starts', () => {
    assert.equal(markdownText('# Heading'), '\\# Heading');
    assert.equal(markdownText('- not a list'), '\\- not a list');
    assert.equal(markdownText('1. not a list'), '1\\. not a list');
    assert.equal(markdownText('a [c1] <b>*x*</b>_y_ `z`\\'), 'a \\[c1\\] \\<b\\>\\*x\\*\\</b\\>\\_y\\_ \\`z\\`\\\\');
  });

  it('markdownSource writes URLs and plain paths in brackets, anything that could be a tag as text', () => {
    assert.equal(markdownSource('https://jobs.example.org/42'), '<https://jobs.example.org/42>');
    assert.equal(markdownSource('fixtures/sre-1.md'), '<fixtures/sre-1.md>');
    for (const tagLike of ['style', '/b', 'javascript:alert(1)', '!doctype']) assert.equal(markdownSource(tagLike), markdownText(tagLike), tagLike);
    assert.equal(markdownSource(HOSTILE_SOURCE), '\\<img src=x onerror=alert(1)\\>.md');
  });
});
