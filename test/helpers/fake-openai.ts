import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A minimal OpenAI-compatible server on 127.0.0.1: POST /v1/chat/completions answers with
 * the replies a test queued, as one JSON completion or, when the request asks `stream: true`,
 * as server-sent chunks in OpenAI's format; POST /v1/embeddings answers with deterministic
 * vectors (signed hashing of the words, 32 dimensions), after any failures a test queued.
 * Two queued behaviours misbehave the way stuck servers do: one never answers (the request is
 * read, nothing is ever sent back), one starts a stream and never ends it (a chunk every few
 * milliseconds, never `[DONE]`). Every request is recorded so tests can check what the client
 * really sent.
 */

export interface RecordedRequest {
  path: string;
  headers: IncomingMessage['headers'];
  body: {
    model?: string;
    stream?: boolean;
    temperature?: number;
    messages?: Array<{ role: string; content: unknown }>;
    [key: string]: unknown;
  };
}

type Queued =
  | { kind: 'content'; content: string }
  | { kind: 'error'; status: number; body: string }
  | { kind: 'silent' }
  | { kind: 'endless'; piece: string };

export interface FakeOpenAI {
  /** For `baseURL`: `http://127.0.0.1:<port>/v1`. */
  baseUrl: string;
  requests: RecordedRequest[];
  /** Queues an assistant message. */
  reply(content: string): void;
  /** Queues an HTTP error with a raw body. */
  fail(status: number, body?: string): void;
  /** The next chat request is read and never answered: no status, no byte, until the client gives up. */
  neverAnswer(): void;
  /** The next chat request gets a stream that never ends: `piece` every few milliseconds, never `[DONE]`. */
  streamForever(piece?: string): void;
  /** Chat requests still open (the client has not hung up yet). */
  openChats(): number;
  /** The next `times` embedding requests fail with `status` (and a Retry-After in seconds, if given). */
  failEmbeddings(status: number, times: number, retryAfterSeconds?: number): void;
  close(): Promise<void>;
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let body = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => (body += chunk));
    request.on('end', () => resolve(body));
    request.on('error', reject);
  });
}

function sendJson(response: ServerResponse, status: number, value: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify(value));
}

/** The content in a few pieces, as a real server streams it. */
function pieces(content: string): string[] {
  const size = Math.max(1, Math.ceil(content.length / 5));
  const out: string[] = [];
  for (let i = 0; i < content.length; i += size) out.push(content.slice(i, i + size));
  return out;
}

/** One server-sent event of a streamed completion, in OpenAI's format. */
function streamChunk(model: string, delta: object, finish: string | null): string {
  const choice = { index: 0, delta, logprobs: null, finish_reason: finish };
  return `data: ${JSON.stringify({ id: 'chatcmpl-fake', object: 'chat.completion.chunk', created: Math.floor(Date.now() / 1000), model, choices: [choice] })}\n\n`;
}

function startStream(response: ServerResponse, model: string): void {
  response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
  response.write(streamChunk(model, { role: 'assistant', content: '' }, null));
}

/** A stream that goes on until the client hangs up (or the server closes). */
function streamEndlessly(response: ServerResponse, model: string, piece: string): void {
  startStream(response, model);
  const timer = setInterval(() => response.write(streamChunk(model, { content: piece }, null)), 5);
  response.on('close', () => clearInterval(timer));
}

function respond(response: ServerResponse, content: string, model: string, stream: boolean): void {
  if (!stream) {
    const id = 'chatcmpl-fake';
    const created = Math.floor(Date.now() / 1000);
    sendJson(response, 200, {
      id,
      object: 'chat.completion',
      created,
      model,
      choices: [{ index: 0, message: { role: 'assistant', content }, logprobs: null, finish_reason: 'stop' }],
      usage: { prompt_tokens: 10, completion_tokens: 10, total_tokens: 20 },
    });
    return;
  }
  startStream(response, model);
  for (const piece of pieces(content)) response.write(streamChunk(model, { content: piece }, null));
  response.write(streamChunk(model, {}, 'stop'));
  response.end('data: [DONE]\n\n');
}

interface EmbeddingFailure {
  status: number;
  retryAfterSeconds?: number;
}

export const FAKE_EMBEDDING_DIMENSION = 32;

/** A stable vector per text: texts sharing words share directions, as real embeddings roughly do. */
export function fakeEmbedding(text: string): number[] {
  const vector = new Array<number>(FAKE_EMBEDDING_DIMENSION).fill(0);
  for (const word of text.toLowerCase().match(/[a-z0-9]+/g) ?? []) {
    let hash = 0;
    for (const char of word) hash = (hash * 31 + char.charCodeAt(0)) | 0;
    vector[Math.abs(hash) % FAKE_EMBEDDING_DIMENSION]! += hash < 0 ? -1 : 1;
  }
  const norm = Math.hypot(...vector) || 1;
  return vector.map((x) => x / norm);
}

function answerEmbeddings(raw: string, response: ServerResponse, requests: RecordedRequest[], failures: EmbeddingFailure[]): void {
  const body = JSON.parse(raw) as RecordedRequest['body'] & { input?: string | string[] };
  requests.push({ path: '/v1/embeddings', headers: {}, body });
  const failure = failures.shift();
  if (failure) {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (failure.retryAfterSeconds !== undefined) headers['retry-after'] = String(failure.retryAfterSeconds);
    response.writeHead(failure.status, headers);
    response.end(JSON.stringify({ error: { message: `fake embeddings failure ${failure.status}` } }));
    return;
  }
  const inputs = Array.isArray(body.input) ? body.input : [body.input ?? ''];
  sendJson(response, 200, {
    object: 'list',
    model: body.model ?? 'fake-embed',
    data: inputs.map((text, index) => ({ object: 'embedding', index, embedding: fakeEmbedding(String(text)) })),
    usage: { prompt_tokens: 1, total_tokens: 1 },
  });
}

export async function startFakeOpenAI(): Promise<FakeOpenAI> {
  const queue: Queued[] = [];
  const requests: RecordedRequest[] = [];
  const embeddingFailures: EmbeddingFailure[] = [];
  const openChats = new Set<ServerResponse>();
  const server = createServer((request, response) => {
    void (async () => {
      const raw = await readBody(request);
      const path = request.url ?? '';
      if (request.method === 'POST' && path === '/v1/embeddings') {
        answerEmbeddings(raw, response, requests, embeddingFailures);
        return;
      }
      if (request.method !== 'POST' || path !== '/v1/chat/completions') {
        sendJson(response, 404, { error: { message: `no route for ${request.method} ${path}` } });
        return;
      }
      let body: RecordedRequest['body'];
      try {
        body = JSON.parse(raw) as RecordedRequest['body'];
      } catch {
        sendJson(response, 400, { error: { message: 'request body is not JSON' } });
        return;
      }
      requests.push({ path, headers: request.headers, body });
      openChats.add(response);
      response.on('close', () => openChats.delete(response));
      const next = queue.shift();
      if (!next) {
        sendJson(response, 500, { error: { message: 'fake-openai: no reply queued' } });
      } else if (next.kind === 'error') {
        response.writeHead(next.status, { 'content-type': 'application/json' });
        response.end(next.body);
      } else if (next.kind === 'silent') {
        // Nothing, ever: the request stays open until the client hangs up.
      } else if (next.kind === 'endless') {
        streamEndlessly(response, body.model ?? 'fake', next.piece);
      } else {
        respond(response, next.content, body.model ?? 'fake', body.stream === true);
      }
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    requests,
    reply: (content) => queue.push({ kind: 'content', content }),
    fail: (status, body = JSON.stringify({ error: { message: 'fake failure' } })) => queue.push({ kind: 'error', status, body }),
    neverAnswer: () => queue.push({ kind: 'silent' }),
    streamForever: (piece = ' ') => queue.push({ kind: 'endless', piece }),
    openChats: () => openChats.size,
    failEmbeddings: (status, times, retryAfterSeconds) => {
      for (let i = 0; i < times; i++) embeddingFailures.push({ status, ...(retryAfterSeconds !== undefined ? { retryAfterSeconds } : {}) });
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
