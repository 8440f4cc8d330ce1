import type { Memo, MemoPoint, MemoSection } from '../src/query/memo.ts';
import type { Answer, Citation } from '../src/query/types.ts';
import { aspectChart, chartLayout, fitChart } from './chart-view.ts';
import { append, el, externalLink, routeLink } from './dom.ts';

/**
 * The answer's memo, from its structure (src/query/memo.ts), never from its markdown: summary,
 * facts table, each aspect's chart and points with their quotes, the closing line, then every
 * citation. A citation marker opens its offer at the quoted passage.
 */

export function citationRoute(citation: Pick<Citation, 'offerId' | 'quote'>): string {
  return `/offer/${encodeURIComponent(citation.offerId)}?quote=${encodeURIComponent(citation.quote)}`;
}

export function renderAnswer(answer: Answer): HTMLElement {
  const citations = new Map(answer.citations.map((c) => [c.id, c]));
  const marker = (id: string) => {
    const cited = citations.get(id);
    return cited ? routeLink(citationRoute(cited), { class: 'cite', title: `${cited.title} · ${cited.company}`, 'data-citation': id }, `[${id}]`) : el('span', { class: 'cite' }, `[${id}]`);
  };
  const point = (p: MemoPoint, withQuotes: boolean) =>
    el(
      'li',
      { class: 'point' },
      el('p', {}, p.text, ' ', ...p.citations.map(marker)),
      ...(withQuotes ? p.quotes : []).map((q) => el('blockquote', { class: 'quote', 'data-citation': q.id }, el('span', { class: 'quote-text' }, q.quote), el('span', { class: 'quote-by' }, ` — ${q.company} `), marker(q.id))),
    );
  const section = (s: MemoSection) =>
    el(
      'section',
      { class: 'memo-section' },
      el('h4', {}, s.heading),
      s.note && el('p', { class: 'note' }, s.note),
      s.points.length > 0 && el('ul', { class: 'points' }, ...s.points.map((p) => point(p, true))),
      s.more.length > 0 && el('div', { class: 'more' }, el('p', {}, `${s.moreHeading}:`), el('ul', { class: 'points compact' }, ...s.more.map((p) => point(p, false)))),
    );

  const memo: Memo | undefined = answer.memo;
  const root = el('article', { class: 'answer' }, el('h2', {}, answer.question));
  append(root, el('p', { class: 'groups' }, ...answer.roles.map((r) => el('span', { class: 'group' }, el('strong', {}, r.name), ` ${r.offers} offers`))));
  if (answer.warnings.length > 0) append(root, el('div', { class: 'warnings', role: 'note' }, el('ul', {}, ...answer.warnings.map((w) => el('li', {}, w)))));
  if (!memo) {
    // An answer without a memo (written by the LLM path of an older version): its claims.
    append(root, el('ul', { class: 'points' }, ...answer.claims.map((c) => el('li', { class: 'point' }, el('p', {}, c.text, ' ', ...c.citations.map(marker))))));
  } else {
    if (memo.summary.length > 0) append(root, el('h3', {}, memo.summaryHeading), el('ul', { class: 'points summary' }, ...memo.summary.map((p) => point(p, false))));
    if (memo.facts) append(root, factsTable(memo.facts));
    for (const aspect of memo.aspects) {
      const chart = aspectChart(answer, aspect, chartLayout(window.innerWidth));
      append(root, el('section', { class: 'aspect' }, el('h3', {}, aspect.heading), chart && el('div', { class: 'chart' }, chart), ...aspect.sections.map(section)));
    }
    append(root, el('p', { class: 'sample' }, memo.sample));
  }
  append(root, el('h3', {}, memo?.labels.sources ?? 'Sources'), el('ol', { class: 'citations' }, ...answer.citations.map((c) => citationItem(c))));
  return root;
}

/** Once the answer is in the document: the charts are fitted to what was drawn. */
export function afterRender(root: HTMLElement): void {
  root.querySelectorAll<SVGSVGElement>('.chart svg').forEach(fitChart);
}

function factsTable(facts: NonNullable<Memo['facts']>): HTMLElement {
  return el(
    'section',
    { class: 'facts' },
    el('h3', {}, facts.heading),
    el(
      'div',
      { class: 'table-scroll' },
      el(
        'table',
        {},
        el('thead', {}, el('tr', {}, el('th', {}, ''), ...facts.columns.map((c) => el('th', {}, c)))),
        el('tbody', {}, ...facts.rows.map((row) => el('tr', {}, el('th', {}, row.label), ...row.cells.map((cell) => el('td', {}, cell))))),
      ),
    ),
  );
}

function citationItem(c: Citation): HTMLElement {
  const where = [c.title, c.company].map((s) => s.trim()).filter(Boolean).join(' · ') || 'Untitled offer';
  return el(
    'li',
    { id: `citation-${c.id}`, 'data-citation': c.id },
    routeLink(citationRoute(c), { class: 'cite' }, `[${c.id}]`),
    el('blockquote', { class: 'quote' }, el('span', { class: 'quote-text' }, c.quote)),
    el('div', { class: 'offer-line' }, el('strong', {}, where), ` · ${c.role} · ${c.section.replace(/_/g, ' ')}`),
    el('div', { class: 'source' }, externalLink(c.url, 'offer page') ?? c.source),
  );
}
