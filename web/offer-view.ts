import { aspectLabel } from '../src/query/question.ts';
import type { Section } from '../src/types.ts';
import { getOffer, type OfferDetail } from './api.ts';
import { append, el, externalLink, routeLink } from './dom.ts';
import { findQuote } from './find-quote.ts';

/**
 * One offer whole: what it is, its own link, its stated facts, its sections as its text has
 * them. Opened from a citation, the quoted passage is marked and scrolled to: the quote is
 * looked for in the offer's sections (white space aside), and wrapped in a <mark>.
 */

export async function offerView(root: HTMLElement, offerId: string, quote: string | undefined): Promise<void> {
  const offer = await getOffer(offerId);
  const back = routeLink(quote ? '/' : '/offers', { class: 'back' }, quote ? '← Back to the answer' : '← Back to the offers');
  back.addEventListener('click', (event) => {
    // Back where the reader was (the answer scrolled to the citation, the list with its filters).
    if (history.length > 1) {
      event.preventDefault();
      history.back();
    }
  });
  const details = [offer.role, offer.seniority, offer.location, offer.workplace?.replace('onsite', 'on site'), offer.language, offer.datePosted && `posted ${offer.datePosted}`, offer.status !== 'active' && offer.status]
    .filter((d): d is string => Boolean(d));
  const link = externalLink(offer.url, "Open the offer's page");
  const sections = sectionsWithMark(offer, quote);
  append(
    root,
    el(
      'article',
      { class: 'offer' },
      back,
      el('h2', {}, offer.title || 'Untitled offer'),
      el('p', { class: 'company' }, offer.company),
      el('p', { class: 'details' }, details.join(' · ')),
      el('p', { class: 'links' }, link ?? el('span', { class: 'source' }, offer.source)),
      factsList(offer),
      ...sections,
    ),
  );
  const mark = root.querySelector('mark');
  if (mark) mark.scrollIntoView({ block: 'center' });
  else if (quote) sections[0]?.before(el('p', { class: 'note' }, 'The quoted passage is no longer in this offer: it changed since the answer was written.'));
}

function factsList(offer: OfferDetail): HTMLElement | undefined {
  const f = offer.facts;
  if (!f) return undefined;
  const items = [
    f.pay && `pay: ${f.pay.currency} ${f.pay.min === f.pay.max ? f.pay.min.toLocaleString('en') : `${f.pay.min.toLocaleString('en')}–${f.pay.max.toLocaleString('en')}`} / ${f.pay.period}`,
    f.experienceYears !== undefined && `experience: ${f.experienceYears}+ years`,
    f.contract && `contract: ${f.contract.replace('_', ' ')}`,
    f.education && `degree: ${f.education}`,
    f.languages?.length && `languages: ${f.languages.join(', ')}`,
  ].filter((item): item is string => Boolean(item));
  return items.length > 0 ? el('ul', { class: 'facts-list' }, ...items.map((item) => el('li', {}, item))) : undefined;
}

/** The sections, the first one holding the quote with it marked. */
function sectionsWithMark(offer: OfferDetail, quote: string | undefined): HTMLElement[] {
  let marked = false;
  const sections: Section[] = offer.sections.length > 0 ? offer.sections : [{ kind: 'other', text: offer.text }];
  return sections.map((section) => {
    const body = el('div', { class: 'section-text' });
    const found = quote && !marked ? findQuote(section.text, quote) : undefined;
    if (found) {
      marked = true;
      append(body, section.text.slice(0, found.start), el('mark', {}, section.text.slice(found.start, found.end)), section.text.slice(found.end));
    } else {
      append(body, section.text);
    }
    return el('section', { class: `offer-section section-${section.kind}` }, el('h3', {}, section.heading ?? aspectLabel(section.kind)), body);
  });
}
