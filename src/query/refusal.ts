/**
 * Never invent an answer: when a role asked about is unknown, or has too few offers to count
 * themes over, the query is refused with what is missing and what could be compared instead.
 * The refusal is a result, like an answer (`Answer | Refusal`), not an error: it is what the
 * question's evidence gives, and each caller renders it its own way (the terminal message and
 * exit code, a 422, an MCP tool result).
 */

export interface RoleShortfall {
  /** The role as the user named it, or its catalogue name once resolved. */
  role: string;
  /** Indexed offers of the role (after sampling); 0 for an unknown role. */
  offers: number;
  /** True when no catalogued role and no indexed title has this name. */
  unknown?: boolean;
  /** For an unknown role: the indexed titles closest to its words, with their offer counts. */
  closest?: string[];
}

/** The `--format json` object of a refused query. */
export interface Refusal {
  refused: true;
  question: string;
  reason: string;
  missing: RoleShortfall[];
  /** Offers needed per role. */
  minOffers: number;
  /** What the index holds, most offers first: the roles that can be compared. */
  indexedRoles: Array<{ role: string; offers: number }>;
  hint: string;
}

import { FatalError } from '../errors.ts';

/** Whether answerQuestion refused: a refusal and an answer share no field but this one. */
export function isRefusal<T extends object>(result: T | Refusal): result is Refusal {
  return (result as Partial<Refusal>).refused === true;
}

/**
 * The refusal for these roles, or undefined when every role has at least `minOffers` offers.
 * Pure: the caller counts offers and lists the index.
 */
export function checkEvidence(
  question: string,
  roles: readonly RoleShortfall[],
  indexedRoles: ReadonlyArray<{ role: string; offers: number }>,
  minOffers: number,
): Refusal | undefined {
  const missing = roles.filter((r) => r.unknown || r.offers < minOffers);
  if (missing.length === 0) return undefined;
  const what = missing
    .map((r) =>
      r.unknown
        ? `"${r.role}" is not a known role${r.closest?.length ? ` nor an indexed job title (closest titles: ${r.closest.join(', ')})` : ''}`
        : `${r.role} has ${r.offers} indexed offer${r.offers === 1 ? '' : 's'}`,
    )
    .join('; ');
  const sorted = [...indexedRoles].sort((a, b) => b.offers - a.offers || (a.role < b.role ? -1 : 1));
  const listed = sorted.map((r) => `${r.role} (${r.offers})`).join(', ') || 'none yet';
  return {
    refused: true,
    question,
    reason: `not enough evidence to compare: ${what}${missing.some((r) => !r.unknown) ? ` (at least ${minOffers} offers per role are needed)` : ''}`,
    missing,
    minOffers,
    indexedRoles: sorted,
    hint: `indexed roles: ${listed}; ingest more offers of that role, or compare others with --roles or --group`,
  };
}

/**
 * The answer, for a caller whose question must be answered (an evaluation, a benchmark): there a
 * refusal is the run's failure, with the refusal's own words and hint.
 */
export function answered<T extends object>(result: T | Refusal): T {
  if (isRefusal(result)) throw new FatalError(result.reason, result.hint);
  return result;
}
