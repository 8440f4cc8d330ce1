import type { ReindexRun } from '../src/records/reindex-history.ts';
import { cachedStats, getHistory } from './api.ts';
import { append, el } from './dom.ts';

/** What is indexed: offers per role and title family, languages, months; the last re-index and its change report; failed sources. */

const KINDS = ['new', 'changed', 'removed', 'expired', 'unchanged', 'duplicates'] as const;

export async function indexView(root: HTMLElement): Promise<void> {
  const [stats, history] = await Promise.all([cachedStats(true), getHistory()]);
  const table = (head: string[], rows: Array<Array<string | number>>) =>
    el('div', { class: 'table-scroll' }, el('table', {}, el('thead', {}, el('tr', {}, ...head.map((h) => el('th', {}, h)))), el('tbody', {}, ...rows.map((row) => el('tr', {}, ...row.map((cell, i) => el(i === 0 ? 'th' : 'td', {}, cell)))))));
  const roles = Object.entries(stats.roles).sort((a, b) => b[1].offers - a[1].offers);
  const families = stats.families.filter((f) => f.roles.every((r) => r === 'Other'));
  const [lastRun, ...earlier] = history.runs;
  append(
    root,
    el('h2', {}, 'Index'),
    el('p', {}, `${stats.offers} offers, ${stats.chunks} chunks (the store holds ${stats.storeChunks}); ${stats.duplicates} reposted duplicates, ${stats.removed} removed, ${stats.expired} expired.`),
    el('section', { class: 'index-part' }, el('h3', {}, 'Offers per role'), table(['role', 'offers', 'chunks'], roles.map(([role, r]) => [role, r.offers, r.chunks]))),
    families.length > 0 && el('section', { class: 'index-part' }, el('h3', {}, 'Job titles outside the role catalogue'), table(['title family', 'offers'], families.slice(0, 50).map((f) => [f.label, f.offers]))),
    el('section', { class: 'index-part' }, el('h3', {}, 'Languages and posting months'), table(['language', 'offers'], Object.entries(stats.languages)), table(['posted', 'offers'], Object.entries(stats.byMonth).sort((a, b) => Number(a[0] === 'unknown') - Number(b[0] === 'unknown') || b[0].localeCompare(a[0])))),
    el('section', { class: 'index-part' }, el('h3', {}, 'Last re-index'), lastRun ? runReport(lastRun, table) : el('p', {}, 'No re-index has run on this data dir yet (offers reindex, offers schedule, or offers serve --schedule).')),
    earlier.length > 0 && el('section', { class: 'index-part' }, el('h3', {}, 'Earlier runs'), table(['finished', ...KINDS.slice(0, 5), 'failed'], earlier.map((r) => [r.finishedAt, r.new, r.changed, r.removed, r.expired, r.unchanged, r.failed]))),
    el(
      'section',
      { class: 'index-part' },
      el('h3', {}, 'Failed sources'),
      history.failedSources.length === 0 ? el('p', {}, 'None: every source was read the last time.') : el('ul', { class: 'failures' }, ...history.failedSources.map((f) => el('li', {}, el('code', {}, f.source), el('span', {}, ` ${f.error} (last tried ${f.lastSeen})`)))),
    ),
  );
}

function runReport(run: ReindexRun, table: (head: string[], rows: Array<Array<string | number>>) => HTMLElement): HTMLElement {
  const rows = Object.entries(run.roles).map(([role, c]) => [role, ...KINDS.map((k) => c[k])]);
  return el(
    'div',
    {},
    el('p', {}, `Finished ${run.finishedAt} in ${run.seconds.toFixed(1)} s: ${run.new} new, ${run.changed} changed, ${run.removed} removed, ${run.expired} expired, ${run.unchanged} unchanged, ${run.failed} failed sources.`),
    rows.length > 0 ? table(['role', ...KINDS], rows) : el('p', {}, 'No offer changed.'),
    run.failures.length > 0 && el('ul', { class: 'failures' }, ...run.failures.map((f) => el('li', {}, el('code', {}, f.source), el('span', {}, ` ${f.error}`)))),
  );
}
