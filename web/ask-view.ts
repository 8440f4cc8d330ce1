import roleCatalog from '../src/catalog/roles.json' with { type: 'json' };
import { WORKPLACES } from '../ingest/workplace.ts';
import { ApiError, askQuestion, cachedStats, type Answer, type IndexStats, type Refusal } from './api.ts';
import { append, clear, el, select } from './dom.ts';
import { afterRender, renderAnswer } from './memo-view.ts';

/**
 * The question box, optional group pickers (a role or title family, seniority, posting months,
 * workplace: each row is one `--group` expression), and the answer. The last answer is kept
 * while the page lives, so coming back from an offer shows it again.
 */

export const DEMO_QUESTION = 'Focusing on missions and requirements, what is the difference between the SRE and the DevOps engineer positions?';

interface Asked {
  question: string;
  groups: string[];
  outcome: { answer: Answer } | { refusal: Refusal } | { error: ApiError };
}

let last: Asked | undefined;
let scrollBack = 0;

/** Where the page was before an offer was opened from the answer. */
export function rememberScroll(): void {
  scrollBack = window.scrollY;
}

const LEVELS = roleCatalog.seniority.map((s) => s.level);

interface GroupRow {
  element: HTMLElement;
  expression(): string | undefined;
}

/** Role words and filters as a group expression (src/query/groups.ts); undefined without a role. */
export function groupExpression(parts: { role: string; seniority: string; from: string; to: string; workplace: string }): string | undefined {
  if (!parts.role) return undefined;
  const filters = [
    parts.seniority && `seniority:${parts.seniority}`,
    (parts.from || parts.to) && `posted:${parts.from}..${parts.to}`,
    parts.workplace && `workplace:${parts.workplace}`,
  ];
  return [parts.role, ...filters.filter(Boolean)].join(' ');
}

function groupRow(n: number, stats: IndexStats | undefined): GroupRow {
  const roles = Object.keys(stats?.roles ?? {})
    .filter((r) => r !== 'Other')
    .sort();
  const families = (stats?.families ?? []).filter((f) => f.roles.every((r) => r === 'Other')).map((f) => f.label);
  const role = select({ name: `role-${n}`, 'aria-label': `group ${n}: role or job title` }, [['', 'role or job title…'], ...[...roles, ...families].map((r) => [r, r] as const)]);
  const seniority = select({ name: `seniority-${n}`, 'aria-label': `group ${n}: seniority` }, [['', 'any seniority'], ...LEVELS.map((l) => [l, l] as const)]);
  const from = el('input', { type: 'month', name: `from-${n}`, 'aria-label': `group ${n}: posted from (month)` });
  const to = el('input', { type: 'month', name: `to-${n}`, 'aria-label': `group ${n}: posted until (month)` });
  const workplace = select({ name: `workplace-${n}`, 'aria-label': `group ${n}: workplace` }, [['', 'any workplace'], ...WORKPLACES.map((w) => [w, w.replace('onsite', 'on site')] as const)]);
  return {
    element: el('div', { class: 'group-row' }, el('span', { class: 'group-label' }, `Group ${n}`), role, seniority, el('span', { class: 'months' }, el('span', { class: 'muted' }, 'posted'), from, el('span', {}, '–'), to), workplace),
    expression: () => groupExpression({ role: role.value, seniority: seniority.value, from: from.value, to: to.value, workplace: workplace.value }),
  };
}

export async function askView(root: HTMLElement): Promise<void> {
  const stats = await cachedStats().catch(() => undefined);
  const question = el('textarea', { name: 'question', rows: '3', 'aria-label': 'question', placeholder: DEMO_QUESTION });
  question.value = last?.question ?? DEMO_QUESTION;
  const rows = [groupRow(1, stats), groupRow(2, stats)];
  const more = el('button', { type: 'button', class: 'secondary' }, 'Add a group');
  const pickers = el('fieldset', { class: 'groups-picker' }, el('legend', {}, 'Groups to compare (optional: otherwise the question says)'), ...rows.map((r) => r.element), more);
  more.addEventListener('click', () => {
    const row = groupRow(rows.length + 1, stats);
    rows.push(row);
    more.before(row.element);
    if (rows.length >= 6) more.remove();
  });
  const submit = el('button', { type: 'submit' }, 'Compare');
  const status = el('p', { class: 'status', 'aria-live': 'polite' });
  const result = el('div', { class: 'result' });
  const form = el('form', { class: 'ask' }, el('label', { for: 'question' }, 'Question'), question, pickers, el('div', { class: 'actions' }, submit, status));
  question.id = 'question';
  append(root, form, result);

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const groups = rows.flatMap((r) => r.expression() ?? []);
    if (groups.length === 1) {
      status.textContent = 'Pick a second group, or none (the question then names the groups).';
      return;
    }
    submit.disabled = true;
    status.textContent = 'Comparing…';
    const asked = { question: question.value.trim(), groups };
    askQuestion({ question: asked.question, ...(groups.length > 0 ? { groups } : {}) })
      .then((outcome) => ({ ...asked, outcome }), (error: unknown) => ({ ...asked, outcome: { error: error instanceof ApiError ? error : new ApiError(String(error), 0) } }))
      .then((done) => {
        last = done;
        submit.disabled = false;
        status.textContent = '';
        show(result, done);
      });
  });
  if (last) {
    show(result, last);
    window.scrollTo(0, scrollBack);
  }
}

function show(result: HTMLElement, asked: Asked): void {
  clear(result);
  const { outcome } = asked;
  if ('answer' in outcome) {
    const answer = renderAnswer(outcome.answer);
    append(result, answer);
    afterRender(answer);
  } else if ('refusal' in outcome) {
    append(result, el('div', { class: 'refusal', role: 'alert' }, el('h2', {}, 'Not enough evidence to compare'), el('p', {}, outcome.refusal.reason), el('p', { class: 'hint' }, outcome.refusal.hint)));
  } else {
    append(result, el('div', { class: 'error', role: 'alert' }, el('p', {}, outcome.error.message), outcome.error.hint && el('p', { class: 'hint' }, `Fix: ${outcome.error.hint}`)));
  }
}
