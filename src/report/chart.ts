import type { ThemeStat } from '../query/types.ts';

/**
 * The chart of theme shares per group, as data: one horizontal bar per group and theme, its
 * length the share of the group's offers that mention the theme, with a whisker for the 95%
 * Wilson interval. `offers query --format html` serialises it as SVG markup (report/html.ts);
 * the page of `offers serve` builds the same elements with the DOM (web/chart-view.ts), so that
 * labels, which come from offer text (group names, mined phrases), are only ever text nodes.
 *
 * No measuring is possible where the report is written, so label widths are estimated on the
 * wide side (DejaVu Sans, a wide and common fallback for system-ui), the label column and the
 * legend are sized from those estimates, and labels beyond MAX_LABEL_CHARS are shortened, whole
 * in their <title>. The page also fits the drawing's viewBox to what the browser really drew.
 */

export interface ChartNode {
  tag: 'svg' | 'g' | 'rect' | 'line' | 'text' | 'title';
  attrs: Record<string, string>;
  /** Text content (text and title elements): plain text, never markup. */
  text?: string;
  children?: ChartNode[];
}

export const CHART_COLOURS = ['#1f6feb', '#d4580b', '#2da44e', '#8250df', '#bf3989', '#6e7781'];

const FONT_SIZE = 12;
const VALUE_FONT_SIZE = 11;
const MIN_LABEL_WIDTH = 120;
const MAX_LABEL_CHARS = 56;
const BAR_WIDTH = 420;
const MIN_BAR_WIDTH = 160;
/** Height of a label line above its bars (the narrow layout). */
const LABEL_LINE = 16;
const BAR_HEIGHT = 11;
const GAP = 3;
const ROW_PADDING = 10;
const LEGEND_LINE = 18;
const SWATCH = 12;

/** Advance widths in em of a wide sans-serif, by kind of character: an upper bound for most UI fonts. */
function charWidth(char: string): number {
  if (/[fijlrtI.,:;!|'()[\] ]/.test(char)) return 0.4;
  if (/[mwMW@%]/.test(char)) return 1.0;
  if (/\p{Lu}/u.test(char)) return 0.78;
  return 0.64;
}

/** The estimated width of a text at a font size, in px. */
export function textWidth(text: string, fontSize: number): number {
  let em = 0;
  for (const char of text) em += charWidth(char);
  return em * fontSize;
}

/** A label short enough for the chart: whole words up to MAX_LABEL_CHARS, then "…". */
export function chartLabel(text: string): string {
  if (text.length <= MAX_LABEL_CHARS) return text;
  const cut = text.slice(0, MAX_LABEL_CHARS - 1);
  const space = cut.lastIndexOf(' ');
  return `${(space > MAX_LABEL_CHARS / 2 ? cut.slice(0, space) : cut).trimEnd()}…`;
}

function pct(value: number): string {
  return `${Math.round(value * 100)}%`;
}

const node = (tag: ChartNode['tag'], attrs: Record<string, string | number>, extra: Partial<Pick<ChartNode, 'text' | 'children'>> = {}): ChartNode => ({
  tag,
  attrs: Object.fromEntries(Object.entries(attrs).map(([k, v]) => [k, String(v)])),
  ...extra,
});

/**
 * How the chart is laid out: labels left of the bars (the report, wide pages), or above them, for
 * a drawing `width` px wide (narrow screens, where a label column would leave no room for bars).
 */
export interface ChartLayout {
  labels: 'left' | 'above';
  width?: number;
}

/** The chart of these themes for these groups; undefined when there is no theme to draw. */
export function sharesChartNode(themes: readonly ThemeStat[], roles: readonly string[], layout: ChartLayout = { labels: 'left' }): ChartNode | undefined {
  if (themes.length === 0) return undefined;
  const labels = themes.map((stat) => {
    const full = stat.label + (stat.distinctiveFor ? ` (${stat.distinctiveFor})` : '');
    return { full, shown: chartLabel(full) };
  });
  const above = layout.labels === 'above';
  const valueWidth = Math.ceil(textWidth('999/999', VALUE_FONT_SIZE) + 8);
  const labelWidth = above ? 0 : Math.ceil(Math.max(MIN_LABEL_WIDTH, ...labels.map((l) => textWidth(l.shown, FONT_SIZE) + 12)));
  const barWidth = above ? Math.max(MIN_BAR_WIDTH, (layout.width ?? BAR_WIDTH + valueWidth) - valueWidth) : BAR_WIDTH;
  const width = labelWidth + barWidth + valueWidth;
  const x = (share: number) => labelWidth + share * barWidth;
  const children: ChartNode[] = [];

  // The legend, from the bars' origin, wrapped onto more lines when the groups' names are long.
  let lx = labelWidth;
  let line = 0;
  roles.forEach((role, i) => {
    const shown = chartLabel(role);
    const itemWidth = SWATCH + 4 + textWidth(shown, FONT_SIZE) + 18;
    if (lx > labelWidth && lx + itemWidth > width) {
      line++;
      lx = labelWidth;
    }
    const top = 4 + line * LEGEND_LINE;
    children.push(node('rect', { x: lx, y: top, width: SWATCH, height: SWATCH, fill: CHART_COLOURS[i % CHART_COLOURS.length]! }));
    children.push(node('text', { x: lx + SWATCH + 4, y: top + 10, class: 'legend' }, { text: shown, children: shown === role ? [] : [node('title', {}, { text: role })] }));
    lx += itemWidth;
  });
  const legendHeight = (line + 1) * LEGEND_LINE + 4;

  const labelLine = above ? LABEL_LINE : 0;
  const rowHeight = labelLine + roles.length * (BAR_HEIGHT + GAP) + ROW_PADDING;
  themes.forEach((stat, t) => {
    const top = legendHeight + t * rowHeight;
    const label = labels[t]!;
    const labelAttrs: Record<string, string | number> = above ? { x: 0, y: top + 12, class: 'theme' } : { x: labelWidth - 8, y: top + rowHeight / 2, 'text-anchor': 'end', class: 'theme' };
    children.push(node('text', labelAttrs, { text: label.shown, children: label.shown === label.full ? [] : [node('title', {}, { text: label.full })] }));
    roles.forEach((role, i) => {
      const share = stat.perRole[role];
      if (!share) return;
      const y = top + labelLine + i * (BAR_HEIGHT + GAP);
      const tip = `${role}: ${share.offers} of ${share.total ?? '?'} offers (${pct(share.share)}; 95% interval ${pct(share.low)}–${pct(share.high)})`;
      const low = x(share.low).toFixed(1);
      const high = x(share.high).toFixed(1);
      children.push(
        node('g', { class: 'bar' }, {
          children: [
            node('title', {}, { text: tip }),
            node('rect', { x: labelWidth, y, width: (share.share * barWidth).toFixed(1), height: BAR_HEIGHT, fill: CHART_COLOURS[i % CHART_COLOURS.length]!, 'fill-opacity': 0.8 }),
            node('line', { x1: low, x2: high, y1: y + BAR_HEIGHT / 2, y2: y + BAR_HEIGHT / 2, stroke: '#24292f', 'stroke-width': 1.2 }),
            node('line', { x1: low, x2: low, y1: y + 2, y2: y + BAR_HEIGHT - 2, stroke: '#24292f' }),
            node('line', { x1: high, x2: high, y1: y + 2, y2: y + BAR_HEIGHT - 2, stroke: '#24292f' }),
            node('text', { x: (x(share.high) + 4).toFixed(1), y: y + BAR_HEIGHT - 1, class: 'value' }, { text: `${share.offers}/${share.total ?? '?'}` }),
          ],
        }),
      );
    });
  });
  const axisY = legendHeight + themes.length * rowHeight + 4;
  for (const tick of [0, 0.25, 0.5, 0.75, 1]) {
    children.push(node('line', { x1: x(tick), x2: x(tick), y1: legendHeight, y2: axisY, stroke: '#d0d7de', 'stroke-dasharray': '2 3' }));
    children.push(node('text', { x: x(tick), y: axisY + 14, 'text-anchor': 'middle', class: 'value' }, { text: pct(tick) }));
  }
  const height = axisY + 20;
  return node('svg', { xmlns: 'http://www.w3.org/2000/svg', role: 'img', viewBox: `0 0 ${width} ${height}`, width, height }, { children });
}
