import { fnv1a } from '../util/hash.ts';
import type { Embedder } from './embedder.ts';
import { tokenize } from './tokenize.ts';

/**
 * The offline default embedder: signed feature hashing of three signals into one vector.
 *
 *  1. word stems (weight 1): the lexical core that retrieval over job ads mostly needs;
 *  2. adjacent-stem bigrams (weight 0.5): keep "error budget", "on call", "code review" apart
 *     from their words used alone;
 *  3. concepts (weight 2): theme ids from the curated catalogue ("k8s" and "Kubernetes" are one
 *     feature, and so are "on-call" and "astreinte"), which gives aliases and EN/FR synonyms a
 *     shared direction that hashing alone cannot.
 *
 * Each count is damped sublinearly (1 + ln tf) so a word repeated ten times does not swamp the
 * rest, and a sign bit from the hash makes collisions cancel on average instead of piling up.
 * It is deterministic, needs no model download, and embeds ~10k chunks a second on one core.
 * Why not a neural model: none can be downloaded here or on CI, and the lexical signal is strong
 * in job offers (the same tools and practices are named in the same words), while the role and
 * section filters do the work a semantic model would otherwise have to do.
 */
export interface LocalEmbedderOptions {
  dimension?: number;
  /** Concept tagger (the theme catalogue); without it only lexical features are used. */
  concepts?: (text: string) => string[];
}

const BIGRAM_WEIGHT = 0.5;
const CONCEPT_WEIGHT = 2;

export class LocalEmbedder implements Embedder {
  readonly id: string;
  readonly dimension: number;
  private readonly concepts: ((text: string) => string[]) | undefined;

  constructor(options: LocalEmbedderOptions = {}) {
    this.dimension = options.dimension ?? 512;
    this.concepts = options.concepts;
    // The id changes whenever the feature recipe does, so old vectors are never mixed with new.
    this.id = `local-hash-v1${this.concepts ? '-concepts' : ''}`;
  }

  embed(text: string): number[] {
    const counts = new Map<string, number>();
    const add = (feature: string, weight: number) => counts.set(feature, (counts.get(feature) ?? 0) + weight);
    const tokens = tokenize(text);
    for (let i = 0; i < tokens.length; i++) {
      add(`w:${tokens[i]}`, 1);
      if (i > 0) add(`b:${tokens[i - 1]} ${tokens[i]}`, BIGRAM_WEIGHT);
    }
    for (const concept of this.concepts?.(text) ?? []) add(`c:${concept}`, CONCEPT_WEIGHT);

    const vector = new Array<number>(this.dimension).fill(0);
    for (const [feature, count] of counts) {
      const hash = fnv1a(feature);
      const sign = hash & 0x80000000 ? -1 : 1;
      const weight = count >= 1 ? 1 + Math.log(count) : count;
      vector[hash % this.dimension]! += sign * weight;
    }
    return normalise(vector);
  }

  async embedDocuments(texts: string[]): Promise<number[][]> {
    return texts.map((text) => this.embed(text));
  }

  async embedQuery(text: string): Promise<number[]> {
    return this.embed(text);
  }
}

function normalise(vector: number[]): number[] {
  let norm = 0;
  for (const value of vector) norm += value * value;
  norm = Math.sqrt(norm);
  if (norm === 0) return vector;
  return vector.map((value) => value / norm);
}
