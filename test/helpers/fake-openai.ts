import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A minimal OpenAI-compatible server on 127.0.0.1: POST /v1/chat/completions answers with
 * the replies a test queued, as one JSON completion or, when the request asks `stream: true`,
 * as server-sent chunks in OpenAI's format; POST /v1/embeddings answers with deterministic
 * vectors (signed hashing of the words, 32 dimensions), after any failures a test queued.
 * Every request is recorded so tests can check what the client really sent.
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

type Queued = { kind: 'content'; content: string } | { kind: 'error'; status: number; body: string };

export interface FakeOpenAI {
  /** For `baseURL`: `http://127.0.0.1:<port>/v1`. */
  baseUrl: string;
  requests: RecordedRequest[];
  /** Queues an assistant message. */
  reply(content: string): void;
  /** Queues an HTTP error with a raw body. */
  fail(status: number, body?: string): void;
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

function respond(response: ServerResponse, content: string, model: string, stream: boolean): void {
  const id = 'chatcmpl-fake';
  const created = Math.floor(Date.now() / 1000);
  if (!stream) {
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
  response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
  const chunk = (delta: object, finish: string | null) =>
    `data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created, model, choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }] })}\n\n`;
  response.write(chunk({ role: 'assistant', content: '' }, null));
  for (const piece of pieces(content)) response.write(chunk({ content: piece }, null));
  response.write(chunk({}, 'stop'));
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
      const next = queue.shift();
      if (!next) {
        sendJson(response, 500, { error: { message: 'fake-openai: no reply queued' } });
      } else if (next.kind === 'error') {
        response.writeHead(next.status, { 'content-type': 'application/json' });
        response.end(next.body);
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
