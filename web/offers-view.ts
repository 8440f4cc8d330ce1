import { cachedStats, listOffers, type OfferListing } from './api.ts';
import { append, el, routeLink, select } from './dom.ts';

/**
 * Browsing the index: filters (role or title family, company, language, posting month) make one
 * group expression (role words optional), the search box words the offers must hold; pages come
 * with a cursor ("More offers"). The filters live in the route, so back returns to the same list.
 */

export interface OfferFilters {
  group: string;
  company: string;
  lang: string;
  month: string;
  q: string;
}

/** The filters as a group expression for GET /api/offers. */
export function filterExpression(filters: Omit<OfferFilters, 'q'>): string {
  return [filters.group, filters.company && `company:"${filters.company.replace(/"/g, '')}"`, filters.lang && `lang:${filters.lang}`, filters.month && `posted:${filters.month}`].filter(Boolean).join(' ');
}

export async function offersView(root: HTMLElement, params: URLSearchParams): Promise<void> {
  const stats = await cachedStats();
  const current: OfferFilters = { group: params.get('group') ?? '', company: params.get('company') ?? '', lang: params.get('lang') ?? '', month: params.get('month') ?? '', q: params.get('q') ?? '' };
  const roles = Object.keys(stats.roles)
    .filter((r) => r !== 'Other')
    .sort();
  const families = stats.families.filter((f) => f.roles.every((r) => r === 'Other')).map((f) => f.label);
  const group = select({ name: 'group', 'aria-label': 'role or job title' }, [['', 'every role'], ...[...roles, ...families].map((r) => [r, r] as const)], current.group);
  const company = el('input', { name: 'company', placeholder: 'company', 'aria-label': 'company', value: current.company });
  const lang = select({ name: 'lang', 'aria-label': 'language' }, [['', 'any language'], ...Object.keys(stats.languages).filter((l) => l !== 'unknown').map((l) => [l, l] as const)], current.lang);
  const months = Object.keys(stats.byMonth).filter((m) => m !== 'unknown').sort().reverse();
  const month = select({ name: 'month', 'aria-label': 'posting month' }, [['', 'any posting month'], ...months.map((m) => [m, m] as const)], current.month);
  const q = el('input', { type: 'search', name: 'q', placeholder: 'words in the offer', 'aria-label': 'search the offers', value: current.q });
  const form = el('form', { class: 'filters' }, group, company, lang, month, q, el('button', { type: 'submit' }, 'Search'));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const next = new URLSearchParams(Object.entries({ group: group.value, company: company.value.trim(), lang: lang.value, month: month.value, q: q.value.trim() }).filter(([, v]) => v));
    location.hash = `#/offers${next.size > 0 ? `?${next}` : ''}`;
  });
  const count = el('p', { class: 'count', 'aria-live': 'polite' });
  const list = el('ul', { class: 'offer-list' });
  const more = el('button', { type: 'button', class: 'secondary' }, 'More offers');
  append(root, el('h2', {}, 'Offers'), form, count, list);

  const expression = filterExpression(current);
  const load = async (cursor?: string) => {
    more.remove();
    const page = await listOffers({ group: expression, q: current.q, ...(cursor ? { cursor } : {}) });
    count.textContent = `${page.total} offer${page.total === 1 ? '' : 's'}`;
    append(list, ...page.offers.map(offerItem));
    if (page.cursor) {
      const next = page.cursor;
      list.after(more);
      more.onclick = () => void load(next);
    }
  };
  await load();
}

function offerItem(offer: OfferListing): HTMLElement {
  const details = [offer.role, offer.location, offer.language, offer.datePosted].filter(Boolean).join(' · ');
  return el('li', {}, routeLink(`/offer/${encodeURIComponent(offer.offerId)}`, { class: 'offer-title' }, offer.title || 'Untitled offer'), el('span', { class: 'company' }, offer.company), el('span', { class: 'details' }, details));
}
