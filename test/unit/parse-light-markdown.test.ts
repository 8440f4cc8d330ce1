import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  capHtml,
  htmlToLightMarkdown,
  looksLikeHtml,
  markdownToLight,
  plainTextToLight,
} from '../../ingest/parse/light-markdown.ts';
import { seeded } from '../helpers/property.ts';

/** The convention's invariants, for any output. */
function assertConvention(text: string): void {
  assert.doesNotMatch(text, /\n{3,}/, 'at most one blank line in a row');
  assert.doesNotMatch(text, /[ \t]+$/m, 'no trailing spaces');
  assert.doesNotMatch(text, /\S {2,}\S/, 'no runs of spaces inside lines');
  assert.equal(text, text.trim());
}

describe('htmlToLightMarkdown', () => {
  it('maps headings of any level, paragraphs and lists to the convention', () => {
    const html = '<h1>Title</h1><h4>Team</h4><p>First   paragraph\n spans lines.</p><ul><li>One</li><li>Two <em>items</em></li></ul><p>After.</p>';
    assert.equal(htmlToLightMarkdown(html), '## Title\n\n## Team\n\nFirst paragraph spans lines.\n\n- One\n- Two items\n\nAfter.');
  });

  it('reads a paragraph or line that is only bold as a heading, but not a bold sentence', () => {
    const html =
      "<p><strong>What you'll do</strong></p><ul><li>Ship</li></ul>" +
      '<p>Intro line<br><b>Requirements:</b><br>• Go<br>• SQL</p>' +
      '<p><strong>We hire people of every background.</strong></p><p>Salary: <b>60k</b></p>';
    assert.equal(
      htmlToLightMarkdown(html),
      "## What you'll do\n\n- Ship\n\nIntro line\n\n## Requirements\n\n- Go\n- SQL\n\nWe hire people of every background.\n\nSalary: 60k",
    );
  });

  it('flattens nested lists, tables and blocks inside list items', () => {
    const html =
      '<ul><li><p>Outer</p><ul><li>Inner</li></ul></li></ul>' +
      '<table><tr><th>Level</th><th>Salary</th></tr><tr><td>Senior</td><td><p>70k</p></td></tr></table>';
    assert.equal(htmlToLightMarkdown(html), '- Outer\n- Inner\n\nLevel | Salary\nSenior | 70k');
  });

  it('drops scripts, styles, comments, images, hidden elements and decodes entities', () => {
    const html =
      '<style>p{}</style><script>alert("x")</script><!-- note --><p>Fish &amp; chips&nbsp;&eacute;<img src="a.png" alt="logo"></p>' +
      '<div hidden>secret</div><p style="display: none">also secret</p><p aria-hidden="true">icon</p>';
    assert.equal(htmlToLightMarkdown(html), 'Fish & chips é');
  });

  it('survives 100k-deep nesting without recursion, quickly', () => {
    const depth = 100_000;
    const html = '<div><span>'.repeat(depth) + 'deep text' + '</span></div>'.repeat(depth) + '<p>after</p>';
    const started = Date.now();
    const text = htmlToLightMarkdown(html);
    assert.match(text, /deep text/);
    assert.match(text, /after/);
    assert.ok(Date.now() - started < 10_000, `took ${Date.now() - started} ms`);
    const lists = '<ul><li>x'.repeat(depth);
    assert.match(htmlToLightMarkdown(lists), /^- x\n- x/);
  });

  it('keeps any input within the convention and never throws', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('<p>', '</p>', '<b>', '</b>', '<li>', '<br>', '<h2>', ' ', '\n', 'a', '&amp;', '*', '#') , maxLength: 60 }), (html) => {
        assertConvention(htmlToLightMarkdown(html));
      }),
      seeded(),
    );
  });
});

describe('capHtml', () => {
  const limits = (maxDepth: number, maxElements = 1000) => ({ maxDepth, maxElements });
  it('removes only the tags nested deeper than the limit, never the text', () => {
    assert.equal(capHtml('<div><div><div>x</div></div></div><p>y', limits(2)), '<div><div>x</div></div><p>y');
    const jsonLd = '<script type="application/ld+json">{"a": "<b>"}</script>';
    assert.equal(capHtml(`${jsonLd}<div>z</div>`, limits(1)), `${jsonLd}<div>z</div>`);
  });

  it('cuts the page before the tag past the element limit', () => {
    assert.equal(capHtml('<ul><li>a</li><li>b</li><li>c</li></ul>', limits(10, 3)), '<ul><li>a</li><li>b</li>');
    // Comments and the text of raw-text elements are not tags.
    assert.equal(capHtml('<!-- <p> --><title>"<p><p>"</title><p>a<p>b', limits(10, 2)), '<!-- <p> --><title>"<p><p>"</title><p>a');
  });

  it('drops what is never read before the parser copies it: scripts but JSON-LD, styles, huge attributes', () => {
    assert.equal(capHtml('<style>p{}</style><script src=x.js>let a = "<p>";</script><p>a</p>', limits(10)), '<style></style><script src=x.js></script><p>a</p>');
    const huge = `<p data-blob="${'x'.repeat(20_000)}" class="intro">Keep the buoys lit.</p>`;
    assert.equal(capHtml(huge, limits(10)), '<p>Keep the buoys lit.</p>');
  });

  it('counts the depth the parser sees: an end tag that closes nothing does not make the page shallower', () => {
    assert.equal(capHtml('</ul><div></ul><div></ul><div>x', limits(2)), '</ul><div></ul><div></ul>x');
    // An end tag closes the latest element of its name and those opened after it.
    assert.equal(capHtml('<div><section><span>a</div><div>b</div>', limits(2)), '<div><section>a</div><div>b</div>');
  });

  it('counts the clones of formatting elements left open into the element limit', () => {
    // A tag counts 1 plus the formatting elements open before it: 1 + 2 + 3 + 4, then 5 more passes 12.
    assert.equal(capHtml('<b id=1><b id=2><b id=3><p>x<p>y<p>z', limits(10, 12)), '<b id=1><b id=2><b id=3><p>x');
    assert.equal(capHtml('<b>a</b><b>b</b><p>x<p>y<p>z', limits(10, 5)), '<b>a</b><b>b</b><p>x<p>y<p>z');
  });
});

describe('markdownToLight', () => {
  it('strips inline markup: links, images, emphasis, code, comments, raw tags', () => {
    const md =
      'See [our blog](https://x.example/blog "Blog") ![logo](l.png) for **bold**, *italic*, __strong__, _soft_ and `code`.<!--more-->\n' +
      'Keep snake_case_names, 2*3*4 and \\*escaped\\* stars. <span class="x">Tagged</span> &amp; done';
    assert.equal(
      markdownToLight(md),
      'See our blog for bold, italic, strong, soft and code.\nKeep snake_case_names, 2*3*4 and *escaped* stars. Tagged & done',
    );
  });

  it('turns every heading level, setext headings and bold-only lines into ## headings', () => {
    const md = '### **Description**\n\nText.\n\nOverview\n========\n\n**Main duties:  \n**\n\n  * Run things\n\n******Stacked markers:**';
    assert.equal(markdownToLight(md), '## Description\n\nText.\n\n## Overview\n\n## Main duties\n\n- Run things\n\n## Stacked markers');
  });

  it('normalises bullets and ordered lists, joining lazy continuation lines', () => {
    const md = '* one\n  continues here\n+ two\n1. three\n2) four\n- [x] done task';
    assert.equal(markdownToLight(md), '- one continues here\n- two\n- three\n- four\n- done task');
  });

  it('keeps tables as lines and converts HTML blocks inside markdown', () => {
    const md = '| Level | Pay |\n|:---|---:|\n| Mid | **50k** |\n\n<dl>\n  <dt>Grade</dt>\n  <dd>Seven</dd>\n</dl>\n\n> Quoted line';
    assert.equal(markdownToLight(md), 'Level | Pay\nMid | 50k\n\nGrade\n\nSeven\n\nQuoted line');
  });

  it('keeps at most one blank line and no trailing spaces', () => {
    const text = markdownToLight('a   b  \n\n\n\n\nc\t\n\n\n');
    assert.equal(text, 'a b\n\nc');
  });

  it('keeps any input within the convention and never throws', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('*', '_', '#', '-', ' ', '\n', '[', ']', '(', ')', '|', '>', '<b>', 'x', '`'), maxLength: 60 }), (md) => {
        assertConvention(markdownToLight(md));
      }),
      seeded(),
    );
  });
});

describe('plainTextToLight', () => {
  it('reads ALL-CAPS and "Word:" lines standing alone as headings, bullet glyphs as items', () => {
    const text = 'ABOUT US\nWe grow herbs indoors.\n\nResponsibilities:\n• Water the racks\n▪ Fix the pumps\n\nThanks!';
    assert.equal(
      plainTextToLight(text),
      '## ABOUT US\n\nWe grow herbs indoors.\n\n## Responsibilities\n\n- Water the racks\n- Fix the pumps\n\nThanks!',
    );
  });

  it('does not make a heading of a text that is only one short line', () => {
    assert.equal(plainTextToLight('SQL'), 'SQL');
    assert.equal(plainTextToLight('Remote:'), 'Remote:');
  });
});

describe('looksLikeHtml', () => {
  it('recognises markup and not prose with angle brackets', () => {
    assert.equal(looksLikeHtml('<p>Hello</p>'), true);
    assert.equal(looksLikeHtml('<!DOCTYPE html><title>x</title>'), true);
    assert.equal(looksLikeHtml('Salary < 50k and team > 3'), false);
    assert.equal(looksLikeHtml('Use List<String> in Java'), false);
  });
});
