import { cosineDistance } from '../store/memory-store.ts';

/**
 * Ranking functions for hybrid retrieval, pure and independent of the store: BM25 for the
 * lexical side, reciprocal-rank fusion to merge it with the vector ranking, and maximal
 * marginal relevance to keep near-identical chunks from filling the evidence.
 */

export interface Bm25Options {
  /** Term-frequency saturation (default 1.2). */
  k1?: number;
  /** Length normalisation (default 0.75). */
  b?: number;
}

/**
 * Okapi BM25 score of each document for the query, with the Robertson–Spärck Jones idf made
 * non-negative (ln(1 + (N − df + 0.5)/(df + 0.5))), as Lucene does: the pool is the role's
 * chunks that already mention the theme, so the theme's own words are in most of them and a
 * negative idf would punish the chunks that say it more plainly.
 */
export function bm25Scores(query: readonly string[], documents: ReadonlyArray<readonly string[]>, options: Bm25Options = {}): number[] {
  const k1 = options.k1 ?? 1.2;
  const b = options.b ?? 0.75;
  const n = documents.length;
  if (n === 0) return [];
  const averageLength = documents.reduce((sum, d) => sum + d.length, 0) / n || 1;
  const terms = [...new Set(query)];
  const frequencies = documents.map((tokens) => {
    const tf = new Map<string, number>();
    for (const token of tokens) tf.set(token, (tf.get(token) ?? 0) + 1);
    return tf;
  });
  const idf = new Map(
    terms.map((term) => {
      const df = frequencies.reduce((count, tf) => count + (tf.has(term) ? 1 : 0), 0);
      return [term, Math.log(1 + (n - df + 0.5) / (df + 0.5))];
    }),
  );
  return frequencies.map((tf, i) => {
    const length = documents[i]?.length ?? 0;
    let score = 0;
    for (const term of terms) {
      const f = tf.get(term) ?? 0;
      if (f === 0) continue;
      score += (idf.get(term) ?? 0) * ((f * (k1 + 1)) / (f + k1 * (1 - b + (b * length) / averageLength)));
    }
    return score;
  });
}

/** Ids ordered by score, best first; ties and zero scores keep the input order (stable). */
export function rankByScore(ids: readonly string[], scores: readonly number[]): string[] {
  return ids
    .map((id, i) => ({ id, score: scores[i] ?? 0, i }))
    .filter((entry) => entry.score > 0)
    .sort((a, b) => b.score - a.score || a.i - b.i)
    .map((entry) => entry.id);
}

/**
 * Reciprocal-rank fusion (Cormack, Clarke & Büttcher 2009): score(d) = Σ 1 / (k + rank(d)),
 * ranks from 1. It needs no score calibration between BM25 and cosine similarity, and k = 60
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
  /** Absent when the store did not return one: such a candidate is judged on relevance alone. */
  embedding?: readonly number[];
}

/**
 * Maximal marginal relevance (Carbonell & Goldstein 1998): pick, one at a time, the candidate
 * maximising λ·relevance − (1 − λ)·max similarity to those already picked. Relevance is
 * divided by the best one so λ means the same whatever produced it. λ = 0.7 favours relevance:
 * chunks of different offers rarely repeat each other, but templated postings do.
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
  return a.embedding && b.embedding ? 1 - cosineDistance([...a.embedding], [...b.embedding]) : 0;
}
