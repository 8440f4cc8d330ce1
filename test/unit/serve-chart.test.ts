import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { chartLabel, sharesChartNode, textWidth, type ChartNode } from '../../src/report/chart.ts';
import { sharesChart } from '../../src/report/html.ts';
import type { ThemeStat } from '../../src/query/types.ts';

/**
 * The shares chart as data (shared by the HTML report and the page of `offers serve`): its label
 * column and legend are sized from the labels, so long theme labels and group names are not cut
 * off at the drawing's edge (they were, at a fixed 230 px column). Chromium checks the drawn
 * boxes in test/integration/serve-page.test.ts.
 */

const share = (offers: number, total: number) => ({ offers, total, share: offers / total, low: Math.max(0, offers / total - 0.2), high: Math.min(1, offers / total + 0.2) });
const GROUPS = ['Site reliability engineers hired in the second half of 2024', 'DevOps Engineer', 'Platform Engineer (posted 2024-01..2024-06)'];
const stat = (label: string, distinctiveFor?: string): ThemeStat => ({
  theme: label,
  label,
  score: 1,
  perRole: Object.fromEntries(GROUPS.map((g, i) => [g, share(3 + i, 14)])),
  ...(distinctiveFor ? { distinctiveFor } : {}),
});

function walk(node: ChartNode, visit: (node: ChartNode) => void): void {
  visit(node);
  for (const child of node.children ?? []) walk(child, visit);
}

describe('shares chart layout', () => {
  const themes = [stat('Incident response and management', 'Site reliability engineers hired in the second half of 2024'), stat('Kubernetes'), stat('Infrastructure as code and configuration management at scale', 'DevOps Engineer')];
  const chart = sharesChartNode(themes, GROUPS)!;
  const width = Number(chart.attrs.width);

  it('makes the label column as wide as its longest label, so that right-aligned labels start inside the drawing', () => {
    walk(chart, (node) => {
      if (node.tag !== 'text' || node.attrs.class !== 'theme') return;
      const x = Number(node.attrs.x);
      assert.ok(x - textWidth(node.text!, 12) >= 0, `${node.text} starts at ${x - textWidth(node.text!, 12)}`);
    });
  });

  it('wraps the legend onto more lines instead of running past the right edge', () => {
    const legend: ChartNode[] = [];
    walk(chart, (node) => node.attrs.class === 'legend' && legend.push(node));
    assert.equal(legend.length, GROUPS.length);
    for (const item of legend) assert.ok(Number(item.attrs.x) + textWidth(item.text!, 12) <= width, `${item.text} ends inside`);
    assert.ok(new Set(legend.map((item) => item.attrs.y)).size > 1, 'on more than one line');
  });

  it('shortens labels beyond 56 characters at a word, whole in their title', () => {
    assert.equal(chartLabel('Kubernetes'), 'Kubernetes');
    const long = 'Infrastructure as code and configuration management at scale (DevOps Engineer)';
    assert.equal(chartLabel(long), 'Infrastructure as code and configuration management at…');
    const svg = sharesChart(themes, GROUPS);
    assert.ok(svg.includes(`<title>${long}</title>Infrastructure as code and configuration management at…</text>`));
  });

  it('puts labels above the bars in the narrow layout, within the width asked for', () => {
    const narrow = sharesChartNode(themes, GROUPS, { labels: 'above', width: 350 })!;
    assert.equal(Number(narrow.attrs.width), 350);
    const labels: ChartNode[] = [];
    const bars: ChartNode[] = [];
    walk(narrow, (node) => (node.attrs.class === 'theme' ? labels.push(node) : node.tag === 'rect' && node.attrs['fill-opacity'] ? bars.push(node) : undefined));
    assert.ok(labels.every((label) => label.attrs.x === '0' && label.attrs['text-anchor'] === undefined));
    assert.ok(bars.every((bar) => bar.attrs.x === '0' && Number(bar.attrs.width) <= 350));
    assert.ok(Number(bars[0]!.attrs.y) > Number(labels[0]!.attrs.y), 'the first bars are below their label');
  });

  it('escapes labels from offer text in the report markup', () => {
    const svg = sharesChart([stat('<script>alert(1)</script>')], GROUPS);
    assert.ok(!svg.includes('<script>') && svg.includes('&lt;script&gt;alert(1)&lt;/script&gt;'));
  });
});
