/**
 * Building the page without markup strings: every text, whatever its origin (offer text, group
 * names, messages), becomes a text node, so nothing an offer says can become an element, a
 * script or an attribute. Links only ever point to this page's own routes or to http(s) URLs.
 */

type Child = Node | string | number | false | null | undefined;

export interface Attributes {
  class?: string;
  id?: string;
  type?: string;
  name?: string;
  value?: string;
  placeholder?: string;
  title?: string;
  for?: string;
  role?: string;
  rows?: string;
  'aria-label'?: string;
  'aria-live'?: string;
  'data-citation'?: string;
}

export function el<K extends keyof HTMLElementTagNameMap>(tag: K, attributes: Attributes = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) if (value !== undefined) element.setAttribute(name, value);
  append(element, ...children);
  return element;
}

export function append(parent: Node, ...children: Child[]): void {
  for (const child of children) {
    if (child === false || child === null || child === undefined) continue;
    parent.appendChild(typeof child === 'string' || typeof child === 'number' ? document.createTextNode(String(child)) : child);
  }
}

/** A link to one of this page's routes (`#/offer/…`). */
export function routeLink(route: string, attributes: Attributes, ...children: Child[]): HTMLAnchorElement {
  const link = el('a', attributes, ...children);
  link.href = `#${route}`;
  return link;
}

/** A link out to an offer's page, or undefined when the URL is not http(s). */
export function externalLink(url: string | undefined, ...children: Child[]): HTMLAnchorElement | undefined {
  if (!url) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return undefined;
  const link = el('a', { class: 'external' }, ...children);
  link.href = parsed.href;
  link.rel = 'noreferrer noopener';
  link.target = '_blank';
  return link;
}

/** A <select> of options [value, label]; the first is selected unless `selected` names another. */
export function select(attributes: Attributes, options: ReadonlyArray<readonly [string, string]>, selected = ''): HTMLSelectElement {
  const element = el('select', attributes);
  for (const [value, label] of options) {
    const option = el('option', { value }, label);
    option.selected = value === selected;
    element.append(option);
  }
  return element;
}

export function clear(element: Element): void {
  element.replaceChildren();
}
