/**
 * Every embedding model behind one interface (STYLE 5). `id` names the model and its settings
 * so that a collection can refuse vectors from another space.
 */
export interface Embedder {
  readonly id: string;
  readonly dimension: number;
  embedDocuments(texts: string[]): Promise<number[][]>;
  embedQuery(text: string): Promise<number[]>;
}
