import { pathToFileURL } from 'node:url';
import { companyOf } from '../query/compose.ts';
import { isAspect, aspectLabel } from '../query/question.ts';
import { normaliseSpace } from '../query/quotes.ts';
import { selectThemes } from '../query/stats.ts';
import type { Answer, Citation, ThemeStat } from '../query/types.ts';
import type { Memo, MemoPoint } from '../query/memo.ts';
import { sharesChartNode, type ChartNode } from './chart.ts';
import { plainText } from './sanitize.ts';

/**
 * `offers query --format html`: one self-contained page (inline CSS and SVG, no script, no
 * font, no request of any kind) with the memo, a chart of theme shares per role with their
 * 95% intervals, and the citations. Offer text is untrusted: every string that reaches the
 * page goes through `escapeHtml` (control characters dropped, markup escaped), offer text in
 * the memo is markdown-escaped where the memo is written (so only our own `[c1]` markers link),
 * and a Content-Security-Policy forbidding scripts and network access stands behind that,
 * should anything ever slip through.
 */

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return plainText(text).replace(/[&<>"']/g, (c) => ESCAPES[c] as string);
}

/** A link target for a source: http(s) URLs as they are, file paths as file: URLs, nothing else. */
export function sourceHref(source: string): string | undefined {
  const address = source.replace(/#\d+$/, '');
  if (/^https?:\/\//i.test(address)) {
    try {
      return new URL(address).href;
    } catch {
      return undefined;
    }
  }
  return address.startsWith('/') ? pathToFileURL(address).href : undefined;
}

/** Markdown's backslash escape of an ASCII punctuation character: the character, as text. */
const MARKDOWN_ESCAPE = /(\\[!-/:-@[-`{-~])/;

/**
 * Inline markdown of the memo: **bold**, _italics_ and [c1] markers, on escaped text. A
 * backslash-escaped character (offer text in the memo is escaped so) is only that character:
 * "\[c99\]" from an offer is shown as "[c99]" and links nowhere.
 */
function inline(text: string): string {
  return text
    .split(MARKDOWN_ESCAPE)
    .map((part, i) => (i % 2 === 1 ? `&#${part.charCodeAt(1)};` : formatted(part)))
    .join('');
}

function formatted(text: string): string {
  return escapeHtml(text)
    .replace(/\*\*([^*]+)\*\*/g, '<strong>$1</strong>')
    .replace(/(^|\s)_([^_]+)_(?=\s|$|[.,;:])/g, '$1<em>$2</em>')
    .replace(/\[(c\d+)\]/g, '<a class="cite" href="#$1">[$1]</a>');
}

/**
 * The memo's markdown as HTML. It handles what composeAnswer and the LLM path write
 * (headings, bullets, quotes under bullets, paragraphs), not markdown at large: anything
 * else is shown as escaped text.
 */
export function memoHtml(markdown: string): string {
  const out: string[] = [];
  let list = false;
  let item = false;
  const closeItem = () => {
    if (item) out.push('</li>');
    item = false;
  };
  const closeList = () => {
    closeItem();
    if (list) out.push('</ul>');
    list = false;
  };
  for (const line of markdown.split('\n')) {
    const heading = /^(#{2,4})\s+(.*)$/.exec(line);
    const bullet = /^-\s+(.*)$/.exec(line);
    const quote = /^\s+>\s?(.*)$/.exec(line);
    if (heading) {
      closeList();
      const level = Math.min(heading[1]!.length, 4);
      out.push(`<h${level}>${inline(heading[2]!)}</h${level}>`);
    } else if (bullet) {
      closeItem();
      if (!list) out.push('<ul>');
      list = true;
      item = true;
      out.push(`<li><p>${inline(bullet[1]!)}</p>`);
    } else if (quote && item) {
      out.push(`<blockquote>${inline(quote[1]!)}</blockquote>`);
    } else if (line.trim() === '') {
      closeList();
    } else {
      closeList();
      out.push(`<p>${inline(line)}</p>`);
    }
  }
  closeList();
  return out.join('\n');
}

/**
 * The chart of theme shares per role (report/chart.ts) as SVG markup: every attribute and text
 * escaped, as it may come from offer text.
 */
export function sharesChart(themes: readonly ThemeStat[], roles: readonly string[]): string {
  const chart = sharesChartNode(themes, roles);
  return chart ? svgMarkup(chart) : '';
}

function svgMarkup(node: ChartNode): string {
  const attrs = Object.entries(node.attrs)
    .map(([name, value]) => ` ${name}="${escapeHtml(value)}"`)
    .join('');
  const inner = `${node.children?.map(svgMarkup).join('') ?? ''}${node.text === undefined ? '' : escapeHtml(node.text)}`;
  return inner === '' && node.tag !== 'text' && node.tag !== 'title' ? `<${node.tag}${attrs}/>` : `<${node.tag}${attrs}>${inner}</${node.tag}>`;
}

/** The themes each aspect's chart shows: the ones the memo can talk about. */
function chartThemes(answer: Answer, aspect: string): ThemeStat[] {
  const stats = answer.themes.filter((t) => t.aspect === aspect);
  const selection = selectThemes(stats, { perRole: 6, shared: 6 });
  return [...[...selection.byRole.values()].flat(), ...selection.shared];
}

function citationHtml(c: Citation): string {
  // The offer's public URL when known, so that a shared report links somewhere its reader can open.
  const shown = c.url ?? c.source;
  const href = sourceHref(shown);
  const where = [normaliseSpace(c.title), companyOf(c)].filter((s) => s !== '');
  const link = href ? `<a href="${escapeHtml(href)}" rel="noreferrer noopener">${escapeHtml(shown)}</a>` : escapeHtml(shown);
  return (
    `<li id="${escapeHtml(c.id)}"><span class="id">[${escapeHtml(c.id)}]</span> ` +
    `<blockquote>${escapeHtml(normaliseSpace(c.quote))}</blockquote>` +
    `<div class="offer"><strong>${escapeHtml(where.join(' · ') || 'Untitled offer')}</strong> · ${escapeHtml(c.role)} · ${escapeHtml(c.section.replace(/_/g, ' '))}</div>` +
    `<div class="source">${link}</div></li>`
  );
}

const STYLE = `
body{font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1f2328;max-width:960px;margin:2rem auto;padding:0 1rem}
h1{font-size:1.4rem}h2{margin-top:2rem;border-bottom:1px solid #d0d7de}h3{font-size:1.05rem;margin-bottom:.3rem}
ul{padding-left:1.2rem}li{margin:.5rem 0}li p{margin:0}
blockquote{margin:.3rem 0 .3rem .5rem;padding-left:.7rem;border-left:3px solid #d0d7de;color:#57606a}
a.cite{text-decoration:none;font-size:.85em}
.chart{overflow-x:auto}svg text{font:12px system-ui,sans-serif;fill:#1f2328}svg .value{fill:#57606a;font-size:11px}
ol.citations{list-style:none;padding:0}ol.citations li{border-top:1px solid #eaeef2;padding:.5rem 0}
.id{font-weight:600}.offer{font-size:.9em}.source{font-size:.8em;word-break:break-all}
.warnings{background:#fff8c5;padding:.5rem 1rem;border-radius:6px}
.facts{overflow-x:auto}table{border-collapse:collapse;font-size:.9em}th,td{border:1px solid #d0d7de;padding:.25rem .5rem;text-align:left;vertical-align:top}
`;

/**
 * Text from offers (quotes, companies, group names taken from titles) as HTML: escaped, with its
 * brackets as character references, so that an offer's "[c99]" is never taken for one of our markers.
 */
function offerTextHtml(text: string): string {
  return escapeHtml(text).replace(/\[/g, '&#91;').replace(/\]/g, '&#93;');
}

/** A point: our sentence, escaped, its citation markers as links, and its quotes under it. */
function pointHtml(point: MemoPoint): string {
  const markers = point.citations.map((id) => `<a class="cite" href="#${escapeHtml(id)}">[${escapeHtml(id)}]</a>`).join('');
  const quotes = point.quotes
    .map((q) => `<blockquote>“${offerTextHtml(q.quote)}” (${offerTextHtml(q.company)}) <a class="cite" href="#${escapeHtml(q.id)}">[${escapeHtml(q.id)}]</a></blockquote>`)
    .join('');
  return `<li><p>${offerTextHtml(point.text.replace(/\.$/, ''))} ${markers}</p>${quotes}</li>`;
}

/** The memo from its structure (src/query/memo.ts): summary, facts table, then each aspect's sections. */
export function memoStructureHtml(memo: Memo): string {
  const out = [`<p>${inline(memo.intro)}</p>`];
  if (memo.summary.length > 0) out.push(`<h2>${escapeHtml(memo.summaryHeading)}</h2><ul class="summary">${memo.summary.map(pointHtml).join('')}</ul>`);
  if (memo.facts) {
    const { heading, columns, rows } = memo.facts;
    out.push(
      `<h2>${escapeHtml(heading)}</h2><div class="facts"><table><thead><tr><th></th>${columns.map((c) => `<th>${escapeHtml(c)}</th>`).join('')}</tr></thead><tbody>` +
        rows.map((row) => `<tr><th>${escapeHtml(row.label)}</th>${row.cells.map((cell) => `<td>${escapeHtml(cell)}</td>`).join('')}</tr>`).join('') +
        '</tbody></table></div>',
    );
  }
  for (const aspect of memo.aspects) {
    out.push(`<h2>${escapeHtml(aspect.heading)}</h2>`);
    for (const section of aspect.sections) {
      out.push(`<h3>${escapeHtml(section.heading)}</h3><ul>`);
      if (section.note) out.push(`<li><p>${escapeHtml(section.note)}</p></li>`);
      out.push(section.points.map(pointHtml).join(''));
      if (section.more.length > 0) out.push(`<li><p>${escapeHtml(section.moreHeading)}:</p><ul class="more">${section.more.map(pointHtml).join('')}</ul></li>`);
      out.push('</ul>');
    }
  }
  out.push(`<p><em>${escapeHtml(memo.sample)}</em></p>`);
  return out.join('\n');
}

/** The whole page. */
export function renderHtml(answer: Answer): string {
  const roles = answer.roles.map((r) => r.name);
  const charts = answer.aspects
    .map((aspect) => {
      const svg = sharesChart(chartThemes(answer, aspect), roles);
      const heading = isAspect(aspect) ? aspectLabel(aspect) : aspect;
      return svg ? `<h3>${escapeHtml(heading)}</h3><div class="chart">${svg}</div>` : '';
    })
    .join('\n');
  const warnings = answer.warnings.length
    ? `<section class="warnings"><h2>Warnings</h2><ul>${answer.warnings.map((w) => `<li>${escapeHtml(w)}</li>`).join('')}</ul></section>`
    : '';
  return `<!doctype html>
<html lang="${answer.memo?.language ?? 'en'}">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(answer.question)}</title>
<style>${STYLE}</style>
</head>
<body>
<h1>${escapeHtml(answer.question)}</h1>
<section class="memo">
${answer.memo ? memoStructureHtml(answer.memo) : memoHtml(answer.answer)}
</section>
${charts ? `<section class="charts"><h2>Theme shares per role</h2><p>Share of each role's offers that mention the theme; the whisker is its 95% interval.</p>\n${charts}</section>` : ''}
<section><h2>Sources</h2><ol class="citations">${answer.citations.map(citationHtml).join('\n')}</ol></section>
${warnings}
</body>
</html>
`;
}
