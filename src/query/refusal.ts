import { FatalError } from '../errors.ts';

/**
 * Never invent an answer: when a role asked about is unknown, or has too few offers to count
 * themes over, the query is refused with what is missing and what could be compared instead.
 * The refusal is data (the `--format json` object) as well as an error (the terminal message).
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

/** Thrown by answerQuestion; commands/query.ts prints it and exits with ExitCode.refused. */
export class RefusalError extends FatalError {
  constructor(readonly refusal: Refusal) {
    super(refusal.reason, refusal.hint);
  }
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
