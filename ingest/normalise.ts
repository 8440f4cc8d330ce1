import { inferRole, type RoleCatalog } from '../src/catalog/roles.ts';
import type { Offer, RawOffer } from '../src/types.ts';
import { sha1 } from '../src/util/hash.ts';
import { redactCredentials } from '../src/util/credentials.ts';
import { resolveLanguage } from './language.ts';
import { renderOfferText, segmentOffer } from './segment.ts';
import { titleFamily } from './title-family.ts';
import { detectWorkplace, normaliseDate } from './workplace.ts';
import { extractFacts } from './facts.ts';
import { capDescription } from './text-edges.ts';

export interface NormaliseOptions {
  roles: RoleCatalog;
  /** `--role`: the label every offer of this run gets, whatever its title says. */
  forcedRole?: string;
  /** Pipeline and catalogue versions (Workspace.derivation), folded into the content hash. */
  derivation?: string;
  /** The source the offer was read from (its record key), whose namespace the id is in; default `raw.source`. */
  owner?: string;
  /** Ids the record lists for `owner`: an offer an older version gave its bare source's id keeps it. */
  legacyIds?: ReadonlySet<string>;
}

/**
 * The key an offer's id is derived from, namespaced by the source that owns it. An offer that its
 * parser names within the owner (the file path, `file.jsonl#12`, the URL, `url#2` for a page's
 * second JobPosting) is keyed by that name, so files and pages keep the ids they always had.
 * A posting of an ATS board is keyed by the board and the posting's own id
 * (`greenhouse:acme#4001`): its URL comes from the API and may name anything, a local file
 * included, so it cannot be what the id derives from.
 */
export function offerKey(owner: string, raw: Pick<RawOffer, 'source' | 'postingId'>): string {
  if (raw.postingId !== undefined) return `${owner}#${raw.postingId}`;
  if (raw.source === owner || raw.source.startsWith(`${owner}#`)) return raw.source;
  return `${owner}#${raw.source}`;
}

export const offerIdOf = (key: string) => `o${sha1(key).slice(0, 16)}`;

/**
 * The id of an offer of `owner`. An older version derived every id from the offer's bare source
 * (an ATS posting's URL); an offer the record still lists under that id keeps it, so upgrading
 * neither re-embeds nor renames anything, and only new postings get namespaced ids.
 */
function offerIdFor(raw: RawOffer, owner: string, legacyIds: ReadonlySet<string> | undefined): string {
  const id = offerIdOf(offerKey(owner, raw));
  const legacy = offerIdOf(raw.source);
  return legacy !== id && legacyIds?.has(legacy) ? legacy : id;
}

/**
 * RawOffer → Offer (pure): sections, role, language, a stable id and a content hash.
 * The id derives from the offer's key (offerKey), so the same input gets the same id on every run
 * and an edited offer keeps its id (it is "changed", not new + removed).
 */
export function normaliseOffer(raw: RawOffer, options: NormaliseOptions): Offer {
  const sections = segmentOffer(capDescription(raw.description), raw.sections ? { presetSections: raw.sections } : {});
  const text = renderOfferText(sections);
  const title = cleanLine(raw.title) || 'Untitled offer';
  const match = options.forcedRole ? { role: options.forcedRole, via: 'forced' } : inferRole({ title, text }, options.roles);
  const offer: Omit<Offer, 'contentHash'> = {
    offerId: offerIdFor(raw, options.owner ?? raw.source, options.legacyIds),
    role: match.role,
    title,
    company: cleanLine(raw.company) || 'Unknown company',
    // Offer sources and URLs come from pages and APIs too: a password in one is never kept.
    source: redactCredentials(raw.source),
    language: resolveLanguage(normaliseLanguage(raw.language), text),
    sections,
    text,
  };
  const location = cleanLine(raw.location) || undefined;
  const family = titleFamily(title, offer.company);
  const optional = {
    seniority: 'seniority' in match ? match.seniority : undefined,
    specialisation: 'specialisation' in match ? match.specialisation : undefined,
    location,
    url: raw.url && redactCredentials(raw.url),
    datePosted: normaliseDate(raw.datePosted),
    validThrough: raw.validThrough,
    family: family?.key,
    familyLabel: family?.label,
    workplace: detectWorkplace(location, text),
  };
  const facts = extractFacts({ text, sections, ...(location ? { location } : {}), ...(raw.pay ? { pay: raw.pay } : {}) });
  if (Object.keys(facts).length > 0) Object.assign(offer, { facts });
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
