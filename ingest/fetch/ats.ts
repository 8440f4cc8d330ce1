/**
 * ATS boards through their public job-board APIs (pure: URLs and JSON → RawOffers).
 *   greenhouse:<board>  GET {base}/v1/boards/<board>/jobs?content=true
 *   lever:<company>     GET {base}/v0/postings/<company>?mode=json
 *   ashby:<org>         GET {base}/posting-api/job-board/<org>?includeCompensation=true
 * Each offer is the full description (not just the title), its source the posting's apply URL.
 * The bases can be pointed elsewhere (OFFERS_GREENHOUSE_URL, OFFERS_LEVER_URL, OFFERS_ASHBY_URL):
 * a regional endpoint (api.eu.lever.co), a mirror, or a fake server in tests.
 */
import { isRecord } from '../../src/util/guards.ts';
import { load } from 'cheerio';
import { readEnv, type EnvVar } from '../../src/config.ts';
import { SourceError } from '../../src/errors.ts';
import type { RawOffer } from '../../src/types.ts';
import { anyTextToLight, htmlToLightMarkdown } from '../parse/light-markdown.ts';
import { rawOffer, withPay } from '../parse/raw-offer.ts';
import { payFromFields } from '../facts.ts';

export const ATS_KINDS = ['greenhouse', 'lever', 'ashby'] as const;
export type AtsKind = (typeof ATS_KINDS)[number];

export interface AtsBoard {
  kind: AtsKind;
  board: string;
}

const ATS_BASES: Record<AtsKind, { env: EnvVar; base: string; path: (board: string) => string }> = {
  greenhouse: { env: 'OFFERS_GREENHOUSE_URL', base: 'https://boards-api.greenhouse.io', path: (b) => `/v1/boards/${b}/jobs?content=true` },
  lever: { env: 'OFFERS_LEVER_URL', base: 'https://api.lever.co', path: (b) => `/v0/postings/${b}?mode=json` },
  ashby: { env: 'OFFERS_ASHBY_URL', base: 'https://api.ashbyhq.com', path: (b) => `/posting-api/job-board/${b}?includeCompensation=true` },
};

const ATS_ARG = /^(greenhouse|lever|ashby):(.*)$/i;

/** `greenhouse:acme` → the board; undefined for anything that is not an ATS argument. */
export function parseAtsArg(arg: string): AtsBoard | undefined {
  const match = ATS_ARG.exec(arg.trim());
  if (!match) return undefined;
  const board = match[2]!.trim();
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(board)) {
    throw new SourceError(arg, `"${board}" is not a board name (expected ${match[1]!.toLowerCase()}:<board>, letters, digits, . _ -)`);
  }
  return { kind: match[1]!.toLowerCase() as AtsKind, board };
}

export const atsSource = ({ kind, board }: AtsBoard) => `${kind}:${board}`;

export function atsApiUrl({ kind, board }: AtsBoard, env?: NodeJS.ProcessEnv): string {
  const api = ATS_BASES[kind];
  const base = (readEnv(api.env, env) ?? api.base).replace(/\/+$/, '');
  return `${base}${api.path(encodeURIComponent(board))}`;
}

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => isRecord(value);
const str = (value: unknown) => (typeof value === 'string' && value.trim() ? value.trim() : undefined);

/**
 * The board's own id of a posting: with the board, the offer's identity (normalise.ts: offerKey).
 * Not the posting's URL, which the API sends and which may name anything, a local file included.
 */
function withPostingId(offer: RawOffer, id: unknown): RawOffer {
  return typeof id === 'string' || typeof id === 'number' ? { ...offer, postingId: String(id) } : offer;
}

/** Greenhouse sends `content` as entity-escaped HTML (`&lt;p&gt;…`): unescape once, then render. */
function greenhouseContent(content: string): string {
  const html = /<[a-z]/i.test(content) ? content : load(content).root().text();
  return htmlToLightMarkdown(html);
}

function fromGreenhouse(job: Json, board: string): RawOffer {
  const location = isObject(job.location) ? str(job.location.name) : undefined;
  const url = str(job.absolute_url);
  return rawOffer({
    source: url ?? `greenhouse:${board}#${String(job.id)}`,
    format: 'greenhouse',
    title: str(job.title),
    company: str(job.company_name) ?? board,
    location,
    url,
    datePosted: str(job.first_published) ?? str(job.updated_at),
    description: greenhouseContent(str(job.content) ?? ''),
  });
}

/** Lever splits a posting into an intro, titled lists (`<li>` items) and a closing text. */
function fromLever(posting: Json, company: string): RawOffer {
  const lists = Array.isArray(posting.lists) ? posting.lists.filter(isObject) : [];
  const html = [
    str(posting.description) ?? '',
    ...lists.map((list) => `<h3>${str(list.text) ?? ''}</h3><ul>${str(list.content) ?? ''}</ul>`),
    str(posting.additional) ?? '',
  ].join('\n');
  const categories = isObject(posting.categories) ? posting.categories : {};
  const url = str(posting.applyUrl) ?? str(posting.hostedUrl);
  const created = typeof posting.createdAt === 'number' ? new Date(posting.createdAt).toISOString() : undefined;
  return rawOffer({
    source: url ?? `lever:${company}#${String(posting.id)}`,
    format: 'lever',
    title: str(posting.text),
    company,
    location: str(categories.location),
    url,
    datePosted: created,
    description: htmlToLightMarkdown(html),
    ...withPay(isObject(posting.salaryRange) ? payFromFields({ min: posting.salaryRange.min, max: posting.salaryRange.max, currency: posting.salaryRange.currency, period: posting.salaryRange.interval }) : undefined),
  });
}

function fromAshby(job: Json, org: string): RawOffer {
  const url = str(job.applyUrl) ?? str(job.jobUrl);
  const description = str(job.descriptionHtml) ? htmlToLightMarkdown(str(job.descriptionHtml)!) : anyTextToLight(str(job.descriptionPlain) ?? '');
  return rawOffer({
    source: url ?? `ashby:${org}#${String(job.id)}`,
    format: 'ashby',
    title: str(job.title),
    company: org,
    location: str(job.location) ?? (job.isRemote === true ? 'Remote' : undefined),
    url,
    datePosted: str(job.publishedAt),
    description,
  });
}

/** The board's postings as RawOffers; a posting without any text is left out, not fatal. */
export function atsOffers(board: AtsBoard, body: unknown): RawOffer[] {
  const source = atsSource(board);
  const postings =
    board.kind === 'lever' ? body
    : isObject(body) ? body.jobs
    : undefined;
  if (!Array.isArray(postings)) {
    throw new SourceError(source, `unexpected ${board.kind} API response: no list of ${board.kind === 'lever' ? 'postings' : 'jobs'}`);
  }
  const offers: RawOffer[] = [];
  let firstProblem: SourceError | undefined;
  const listed = postings.filter(isObject).filter((posting) => !(board.kind === 'ashby' && posting.isListed === false));
  for (const posting of listed) {
    try {
      const offer =
        board.kind === 'greenhouse' ? fromGreenhouse(posting, board.board)
        : board.kind === 'lever' ? fromLever(posting, board.board)
        : fromAshby(posting, board.board);
      offers.push(withPostingId(offer, posting.id));
    } catch (error) {
      if (!SourceError.isInstance(error)) throw error;
      firstProblem ??= error;
    }
  }
  if (offers.length === 0 && firstProblem) throw new SourceError(source, `none of the ${listed.length} postings could be read: ${firstProblem.message}`);
  return offers;
}
