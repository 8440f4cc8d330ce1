/**
 * Ranking functions for hybrid retrieval, pure and independent of the store: reciprocal-rank
 * fusion to merge the lexical ranking (theme prominence in the record: src/records/lexical-index.ts)
 * with the vector ranking, and maximal marginal relevance to keep near-identical chunks from filling the
 * evidence.
 */

/**
 * Reciprocal-rank fusion (Cormack, Clarke & Büttcher 2009): score(d) = Σ 1 / (k + rank(d)),
 * ranks from 1. It needs no score calibration between prominence and cosine similarity, and k = 60
 * (the paper's) keeps one list's top item from outweighing agreement between lists.
 */
export function reciprocalRankFusion(rankings: ReadonlyArray<readonly string[]>, k = 60): Array<{ id: string; score: number }> {
  const scores = new Map<string, number>();
  for (const ranking of rankings) {
    ranking.forEach((id, rank) => scores.set(id, (scores.get(id) ?? 0) + 1 / (k + rank + 1)));
  }
  return [...scores].map(([id, score]) => ({ id, score })).sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

export interface MmrCandidate {
  id: string;
  /** Relevance to the query, ≥ 0; any scale, only ratios matter. */
  relevance: number;
  /** The candidate's distinct terms (src/embed/tokenize.ts): what redundancy is measured on. */
  terms: ReadonlySet<string>;
}

/**
 * Maximal marginal relevance (Carbonell & Goldstein 1998): pick, one at a time, the candidate
 * maximising λ·relevance − (1 − λ)·max similarity to those already picked. Relevance is
 * divided by the best one so λ means the same whatever produced it. λ = 0.7 favours relevance:
 * chunks of different offers rarely repeat each other, but templated postings do.
 *
 * Similarity is the Jaccard index of the two chunks' term sets rather than the cosine of their
 * vectors: what MMR must catch here is the same wording posted twice, which shared terms measure
 * exactly, for lexical and vector candidates alike, and without asking the store for vectors
 * (returning them doubled the cost of a Chroma query).
 */
export function maximalMarginalRelevance(candidates: readonly MmrCandidate[], k: number, lambda = 0.7): string[] {
  const top = Math.max(0, ...candidates.map((c) => c.relevance));
  const scale = (r: number) => (top > 0 ? r / top : 1);
  const remaining = [...candidates];
  const picked: MmrCandidate[] = [];
  while (picked.length < k && remaining.length > 0) {
    let bestIndex = 0;
    let bestValue = -Infinity;
    remaining.forEach((candidate, i) => {
      const redundancy = Math.max(0, ...picked.map((p) => similarity(candidate, p)));
      const value = lambda * scale(candidate.relevance) - (1 - lambda) * redundancy;
      if (value > bestValue) {
        bestValue = value;
        bestIndex = i;
      }
    });
    picked.push(...remaining.splice(bestIndex, 1));
  }
  return picked.map((c) => c.id);
}

function similarity(a: MmrCandidate, b: MmrCandidate): number {
  let shared = 0;
  for (const term of a.terms) if (b.terms.has(term)) shared++;
  const union = a.terms.size + b.terms.size - shared;
  return union > 0 ? shared / union : 0;
}
