import { ApiError } from './api.ts';
import { askView, rememberScroll } from './ask-view.ts';
import { clear, el } from './dom.ts';
import { indexView } from './index-view.ts';
import { offerView } from './offer-view.ts';
import { offersView } from './offers-view.ts';

/**
 * The page of `offers serve`: four views behind hash routes, so the browser's back and forward
 * work and nothing but this page's own /api is ever requested.
 *   #/                   compare: the question, group pickers, the answer
 *   #/offers?…           browse and search the offers
 *   #/offer/<id>?quote=… one offer, the quote marked
 *   #/index              what is indexed, the last re-index
 */

const view = document.getElementById('view')!;
let previous = '';

async function route(): Promise<void> {
  const [path = '/', query = ''] = location.hash.replace(/^#/, '').split('?');
  const params = new URLSearchParams(query);
  // Leaving the answer for an offer: remember where the reader was in it.
  if (previous === '/' && path.startsWith('/offer/')) rememberScroll();
  previous = path;
  const section = path.startsWith('/offer') ? '/offers' : path === '/index' ? '/index' : '/';
  document.querySelectorAll('nav a').forEach((link) => link.classList.toggle('current', link.getAttribute('href') === `#${section}`));
  clear(view);
  try {
    if (path.startsWith('/offer/')) await offerView(view, decodeURIComponent(path.slice('/offer/'.length)), params.get('quote') ?? undefined);
    else if (path === '/offers') await offersView(view, params);
    else if (path === '/index') await indexView(view);
    else await askView(view);
  } catch (error) {
    const message = error instanceof ApiError ? error : new ApiError(String(error), 0);
    view.append(el('div', { class: 'error', role: 'alert' }, el('p', {}, message.message), message.hint && el('p', { class: 'hint' }, `Fix: ${message.hint}`)));
  }
}

window.addEventListener('hashchange', () => void route());
void route();
