import { sharesChartNode, type ChartLayout, type ChartNode } from '../src/report/chart.ts';
import type { Answer } from '../src/query/types.ts';
import type { MemoAspect } from '../src/query/memo.ts';

/**
 * The report's shares chart (src/report/chart.ts), built with the DOM: labels are text nodes.
 * Its layout estimates text widths; once the drawing is in the page, `fitChart` measures what the
 * browser really drew and widens the viewBox to it, so no label is ever cut off, whatever the font.
 */

const SVG = 'http://www.w3.org/2000/svg';
/** Themes a chart shows at most: the memo's first ones. */
const MAX_THEMES = 14;

function build(node: ChartNode): SVGElement {
  const element = document.createElementNS(SVG, node.tag);
  for (const [name, value] of Object.entries(node.attrs)) if (name !== 'xmlns') element.setAttribute(name, value);
  for (const child of node.children ?? []) element.appendChild(build(child));
  if (node.text !== undefined) element.appendChild(document.createTextNode(node.text));
  return element;
}

/** Labels above the bars on a screen too narrow for a label column beside them. */
export function chartLayout(screenWidth: number): ChartLayout {
  return screenWidth < 700 ? { labels: 'above', width: screenWidth - 32 } : { labels: 'left' };
}

/** The chart of one aspect: the themes its memo sections talk about, in their order. */
export function aspectChart(answer: Answer, aspect: MemoAspect, layout: ChartLayout): SVGSVGElement | undefined {
  const ids = [...new Set(aspect.sections.flatMap((s) => [...s.points, ...s.more]).flatMap((p) => (p.theme ? [p.theme] : [])))];
  const stats = ids.flatMap((id) => answer.themes.filter((t) => t.theme === id && (t.aspect === undefined || t.aspect === aspect.aspect)).slice(0, 1)).slice(0, MAX_THEMES);
  const chart = sharesChartNode(stats, answer.roles.map((r) => r.name), layout);
  return chart && (build(chart) as SVGSVGElement);
}

/** Widens a drawn chart's viewBox (and size) to the box of everything in it. Call once it is in the document. */
export function fitChart(svg: SVGSVGElement): void {
  const view = svg.viewBox.baseVal;
  const drawn = svg.getBBox();
  const left = Math.min(view.x, Math.floor(drawn.x) - 2);
  const top = Math.min(view.y, Math.floor(drawn.y) - 2);
  const right = Math.max(view.x + view.width, Math.ceil(drawn.x + drawn.width) + 2);
  const bottom = Math.max(view.y + view.height, Math.ceil(drawn.y + drawn.height) + 2);
  svg.setAttribute('viewBox', `${left} ${top} ${right - left} ${bottom - top}`);
  svg.setAttribute('width', String(right - left));
  svg.setAttribute('height', String(bottom - top));
}
