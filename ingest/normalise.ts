import { inferRole, type RoleCatalog } from '../src/catalog/roles.ts';
import type { Offer, RawOffer } from '../src/types.ts';
import { sha1 } from '../src/util/hash.ts';
import { redactCredentials } from './fetch/credentials.ts';
import { detectLanguage } from './language.ts';
import { renderOfferText, segmentOffer } from './segment.ts';

export interface NormaliseOptions {
  roles: RoleCatalog;
  /** `--role`: the label every offer of this run gets, whatever its title says. */
  forcedRole?: string;
  /** Pipeline and catalogue versions (Workspace.derivation), folded into the content hash. */
  derivation?: string;
}

/** Caps what one offer may weigh, so a 10 MB description cannot exhaust memory downstream. */
export const MAX_OFFER_CHARS = 100_000;

/**
 * RawOffer → Offer (pure): sections, role, language, a stable id and a content hash.
 * The id derives from the source alone (file path, URL, or `file#record`), so the same input gets
 * the same id on every run and an edited offer keeps its id (it is "changed", not new + removed).
 */
export function normaliseOffer(raw: RawOffer, options: NormaliseOptions): Offer {
  const sections = segmentOffer(raw.description.slice(0, MAX_OFFER_CHARS), raw.sections ? { presetSections: raw.sections } : {});
  const text = renderOfferText(sections);
  const title = cleanLine(raw.title) || 'Untitled offer';
  const match = options.forcedRole ? { role: options.forcedRole, via: 'forced' } : inferRole({ title, text }, options.roles);
  const offer: Omit<Offer, 'contentHash'> = {
    offerId: `o${sha1(raw.source).slice(0, 16)}`,
    role: match.role,
    title,
    company: cleanLine(raw.company) || 'Unknown company',
    // Offer sources and URLs come from pages and APIs too: a password in one is never kept.
    source: redactCredentials(raw.source),
    language: normaliseLanguage(raw.language) ?? detectLanguage(text),
    sections,
    text,
  };
  const optional = {
    seniority: 'seniority' in match ? match.seniority : undefined,
    specialisation: 'specialisation' in match ? match.specialisation : undefined,
    location: cleanLine(raw.location) || undefined,
    url: raw.url && redactCredentials(raw.url),
    datePosted: raw.datePosted,
    validThrough: raw.validThrough,
  };
  for (const [key, value] of Object.entries(optional)) if (value) Object.assign(offer, { [key]: value });
  return { ...offer, contentHash: sha1(`${options.derivation ?? ''}\n${JSON.stringify(offer)}`) };
}

function cleanLine(value: string | undefined): string {
  return (value ?? '').replace(/\s+/g, ' ').trim();
}

function normaliseLanguage(value: string | undefined): string | undefined {
  const code = value?.trim().toLowerCase().slice(0, 2);
  return code && /^[a-z]{2}$/.test(code) ? code : undefined;
}
