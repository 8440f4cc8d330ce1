/**
 * 1 − cosine similarity, as Chroma's `cosine` space (every collection's): for the in-memory store, and
 * for ranking the few vectors a retrieval reads by id. A zero vector is at distance 1 from everything.
 */
export function cosineDistance(a: number[], b: number[]): number {
  let dot = 0;
  let normA = 0;
  let normB = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i] ?? 0;
    const y = b[i] ?? 0;
    dot += x * y;
    normA += x * x;
    normB += y * y;
  }
  return normA === 0 || normB === 0 ? 1 : 1 - dot / Math.sqrt(normA * normB);
}
