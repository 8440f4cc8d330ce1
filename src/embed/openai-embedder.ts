import { OpenAIEmbeddings } from '@langchain/openai';
import { classifyServiceError } from '../util/service-errors.ts';
import { mapInBatches } from '../util/retry.ts';
import type { Embedder } from './embedder.ts';

export interface OpenAIEmbedderOptions {
  model: string;
  apiKey?: string;
  baseUrl?: string;
  batchSize?: number;
  concurrency?: number;
}

/**
 * Embeddings from any OpenAI-compatible endpoint (OpenAI, Azure-compatible gateways, Ollama,
 * vLLM, llama.cpp, LM Studio) through LangChain's OpenAIEmbeddings. LangChain's own retries are
 * off: batching and retries live in mapInBatches so every stage behaves the same way.
 */
export class OpenAIEmbedder implements Embedder {
  readonly id: string;
  private constructor(
    private readonly client: OpenAIEmbeddings,
    private readonly options: OpenAIEmbedderOptions,
    readonly dimension: number,
  ) {
    this.id = `openai-${options.model}`;
  }

  /** Probes the endpoint once: the dimension is the model's, and a wrong URL fails here, early. */
  static async create(options: OpenAIEmbedderOptions): Promise<OpenAIEmbedder> {
    const client = new OpenAIEmbeddings({
      model: options.model,
      // Local servers (Ollama, llama.cpp) need no key, but the client insists on one.
      apiKey: options.apiKey ?? 'not-needed',
      configuration: options.baseUrl ? { baseURL: options.baseUrl } : {},
      maxRetries: 0,
      batchSize: 2048,
      // The openai client asks for base64 by default; several local servers only speak floats.
      encodingFormat: 'float',
    });
    const probe = new OpenAIEmbedder(client, options, 0);
    const [vector] = await probe.embedDocuments(['dimension probe']);
    return new OpenAIEmbedder(client, options, vector?.length ?? 0);
  }

  async embedDocuments(texts: string[]): Promise<number[][]> {
    return mapInBatches(texts, { batchSize: this.options.batchSize ?? 256, concurrency: this.options.concurrency ?? 2, retry: { retries: 4 } }, async (batch) => {
      try {
        return await this.client.embedDocuments(batch);
      } catch (error) {
        throw classifyServiceError(error, 'embeddings', this.options.baseUrl);
      }
    });
  }

  async embedQuery(text: string): Promise<number[]> {
    const [vector] = await this.embedDocuments([text]);
    return vector ?? [];
  }
}
