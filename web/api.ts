import type { IndexStats } from '../src/index-stats.ts';
import type { OfferListing } from '../src/records/offer-search.ts';
import type { Refusal } from '../src/query/refusal.ts';
import type { Answer } from '../src/query/types.ts';
import type { IndexHistory, OfferDetail, OfferList } from '../src/serve/views.ts';

/** The page's only network access: its own /api, on the same origin (the CSP allows nothing else). */

export type { Answer, IndexHistory, IndexStats, OfferDetail, OfferList, OfferListing, Refusal };

/** A failed request: the server's one-line reason and fix. */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly hint?: string,
  ) {
    super(message);
  }
}

interface Reply {
  status: number;
  body: { error?: string; hint?: string } & Record<string, unknown>;
}

async function send(path: string, init: RequestInit = {}): Promise<Reply> {
  let response: Response;
  try {
    response = await fetch(path, { ...init, headers: { accept: 'application/json', ...init.headers } });
  } catch {
    throw new ApiError('the offers server cannot be reached; is `offers serve` still running?', 0);
  }
  return { status: response.status, body: (await response.json().catch(() => ({}))) as Reply['body'] };
}

function failed({ status, body }: Reply): ApiError {
  return new ApiError(body.error ?? `the server answered ${status}`, status, body.hint);
}

async function request<T>(path: string): Promise<T> {
  const reply = await send(path);
  if (reply.status >= 400) throw failed(reply);
  return reply.body as T;
}

export interface QuestionInput {
  question: string;
  groups?: string[];
}

/** An answer, or the refusal when the evidence is too thin (422). */
export async function askQuestion(input: QuestionInput): Promise<{ answer: Answer } | { refusal: Refusal }> {
  const reply = await send('/api/query', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(input) });
  if (reply.status === 422) return { refusal: reply.body as unknown as Refusal };
  if (reply.status >= 400) throw failed(reply);
  return { answer: reply.body as unknown as Answer };
}

export const getStats = () => request<IndexStats>('/api/stats');
export const getHistory = () => request<IndexHistory>('/api/history');
export const getOffer = (offerId: string) => request<OfferDetail>(`/api/offers/${encodeURIComponent(offerId)}`);

export function listOffers(params: { group?: string; q?: string; cursor?: string }): Promise<OfferList> {
  const query = new URLSearchParams(Object.entries(params).filter((entry): entry is [string, string] => Boolean(entry[1])));
  return request<OfferList>(`/api/offers${query.size > 0 ? `?${query}` : ''}`);
}

/** Stats are read by several views and change only with a re-index: read once per page load, again on demand. */
let stats: Promise<IndexStats> | undefined;
export function cachedStats(refresh = false): Promise<IndexStats> {
  if (refresh || !stats) stats = getStats().catch((error: unknown) => ((stats = undefined), Promise.reject(error)));
  return stats;
}
