import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { Chroma } from '@langchain/community/vectorstores/chroma';
import { Document } from '@langchain/core/documents';
import { Embeddings } from '@langchain/core/embeddings';
import { RecursiveCharacterTextSplitter } from '@langchain/textsplitters';
import { ChromaClient } from 'chromadb';
import type { Embedder } from '../src/embed/embedder.ts';

/**
 * The baseline we measure ourselves against: the pipeline of a LangChain tutorial. Each file is
 * read as it is (no parser, no sections, no roles), split by RecursiveCharacterTextSplitter
 * (1000 / 200), embedded with *our* embedder (so only the pipeline differs) and added to
 * LangChain's Chroma vector store; a question is one similaritySearch without filters.
 */

/** Our Embedder as a LangChain `Embeddings`, so both pipelines embed the same way. */
export class EmbedderAsLangChain extends Embeddings {
  constructor(private readonly embedder: Embedder) {
    super({});
  }

  embedDocuments(texts: string[]): Promise<number[][]> {
    return this.embedder.embedDocuments(texts);
  }

  embedQuery(text: string): Promise<number[]> {
    return this.embedder.embedQuery(text);
  }
}

export interface NaiveIndexOptions {
  /** A running Chroma server (ours, started by src/store/chroma-server.ts). */
  chromaUrl: string;
  collectionName: string;
  embedder: Embedder;
}

export interface NaiveIngestResult {
  files: number;
  chunks: number;
  seconds: number;
}

/** Documents added per call: LangChain's addVectors sends one request, which Chroma caps. */
const ADD_BATCH = 1000;

export class NaiveIndex {
  private constructor(
    private readonly client: ChromaClient,
    readonly store: Chroma,
  ) {}

  static open(options: NaiveIndexOptions): NaiveIndex {
    const url = new URL(options.chromaUrl);
    // A client of our own rather than `url`: the Chroma class would build one from the deprecated `path`.
    const client = new ChromaClient({ host: url.hostname, port: Number(url.port), ssl: url.protocol === 'https:' });
    return new NaiveIndex(client, new Chroma(new EmbedderAsLangChain(options.embedder), { index: client, collectionName: options.collectionName }));
  }

  /** Reads, splits, embeds and adds every file; returns what it did and how long it took. */
  async ingestFiles(files: readonly string[]): Promise<NaiveIngestResult> {
    const started = performance.now();
    const splitter = new RecursiveCharacterTextSplitter({ chunkSize: 1000, chunkOverlap: 200 });
    let pending: Document[] = [];
    let chunks = 0;
    for (const file of files) {
      const source = path.resolve(file);
      const text = await readFile(source, 'utf8');
      pending.push(...(await splitter.createDocuments([text], [{ source }])));
      if (pending.length >= ADD_BATCH) {
        chunks += await this.add(pending);
        pending = [];
      }
    }
    chunks += await this.add(pending);
    return { files: files.length, chunks, seconds: (performance.now() - started) / 1000 };
  }

  /** The top k chunks for a question, no filter: what a naive RAG would quote. */
  async search(question: string, k: number): Promise<Document[]> {
    return this.store.similaritySearch(question, k);
  }

  async drop(): Promise<void> {
    await this.client.deleteCollection({ name: this.store.collectionName });
  }

  private async add(documents: Document[]): Promise<number> {
    if (documents.length > 0) await this.store.addDocuments(documents);
    return documents.length;
  }
}
