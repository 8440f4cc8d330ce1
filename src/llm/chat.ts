import type { BaseMessage, MessageContent } from '@langchain/core/messages';
import { ChatOpenAI } from '@langchain/openai';
import { FatalError } from '../errors.ts';

/**
 * One chat completion from an OpenAI-compatible endpoint, within bounds: a total deadline for
 * the whole answer, retries included (a server that never answers, or a stream that never ends,
 * must not hang a query), and a cap on the reply's length, sent as `max_tokens` and enforced on
 * what arrives (a server may ignore it). The reply is streamed so that both bounds hold while it
 * arrives; nothing of it is shown before verification.
 */

export interface ChatOptions {
  model: string;
  /** Local servers ignore it, but the client insists on one. */
  apiKey?: string;
  baseUrl?: string;
  /** The whole answer, retries included, must arrive within this (default 60 s). */
  deadlineMs?: number;
  /** The reply's cap, in tokens (default 2000). */
  maxTokens?: number;
  maxRetries?: number;
}

export const DEFAULT_DEADLINE_MS = 60_000;
/** Room for a summary and a dozen one-sentence claims in JSON, several times over. */
export const DEFAULT_MAX_TOKENS = 2_000;
const CLIENT_TIMEOUT_GRACE_MS = 5_000;
/** A token is 3 to 4 characters of English or French: a reply twice that long ignored its cap. */
const MAX_CHARS_PER_TOKEN = 8;

/** The endpoint as it may be shown: no credentials, query or fragment (keys travel there too). */
export function endpointName(baseUrl: string | undefined): string {
  if (!baseUrl) return 'https://api.openai.com/v1';
  try {
    const url = new URL(baseUrl);
    url.username = '';
    url.password = '';
    url.search = '';
    url.hash = '';
    return url.href.replace(/\/$/, '');
  } catch {
    return 'the endpoint in OPENAI_BASE_URL';
  }
}

function textOf(content: MessageContent): string {
  if (typeof content === 'string') return content;
  return content.map((part) => (part.type === 'text' && typeof part.text === 'string' ? part.text : '')).join('');
}

class DeadlineReached extends Error {}

/** "60 s", "0.5 s". */
function seconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(2))} s`;
}

/**
 * The model's whole reply. Throws FatalError when the deadline passes (naming the endpoint,
 * never the key); any other failure is thrown as it is, for the caller to fall back on.
 */
export async function completeChat(messages: BaseMessage[], options: ChatOptions): Promise<string> {
  // setTimeout fires at once past 2^31 - 1 ms (about 24 days): a longer deadline is that one.
  const deadlineMs = Math.min(options.deadlineMs ?? DEFAULT_DEADLINE_MS, 2 ** 31 - 1);
  const maxTokens = options.maxTokens ?? DEFAULT_MAX_TOKENS;
  const model = new ChatOpenAI({
    model: options.model,
    apiKey: options.apiKey ?? 'not-needed',
    configuration: options.baseUrl ? { baseURL: options.baseUrl } : {},
    temperature: 0,
    maxTokens,
    // The signal below bounds every request and retry together; the client's own timeout only
    // stands behind it, a little later, so that the deadline (and its error) always comes first.
    timeout: deadlineMs + CLIENT_TIMEOUT_GRACE_MS,
    maxRetries: options.maxRetries ?? 2,
  });
  const controller = new AbortController();
  const stopped = new Promise<never>((_, reject) => {
    controller.signal.addEventListener('abort', () => reject(controller.signal.reason as Error), { once: true });
  });
  // The signal is also aborted once the reply is in, to release the connection: nobody waits then.
  stopped.catch(() => undefined);
  const timer = setTimeout(() => controller.abort(new DeadlineReached()), deadlineMs);
  const receive = async () => {
    let text = '';
    for await (const chunk of await model.stream(messages, { signal: controller.signal })) {
      text += textOf(chunk.content);
      if (text.length > maxTokens * MAX_CHARS_PER_TOKEN) {
        controller.abort(new Error(`the reply went on past its cap of ${maxTokens} tokens`));
      }
      if (controller.signal.aborted) break;
    }
    return text;
  };
  const received = receive();
  // Whichever settles first: the library notices the abort in its own time, the query does not wait.
  received.catch(() => undefined);
  try {
    const text = await Promise.race([received, stopped]);
    if (controller.signal.aborted) throw controller.signal.reason;
    return text;
  } catch (error) {
    if (controller.signal.reason instanceof DeadlineReached) {
      const endpoint = endpointName(options.baseUrl);
      throw new FatalError(
        `the chat model ${options.model} at ${endpoint} did not answer within ${seconds(deadlineMs)}`,
        'check that the server is up and serves that model, allow more time with OFFERS_LLM_TIMEOUT=<seconds>, or unset OFFERS_LLM_MODEL for the offline answer',
      );
    }
    throw error;
  } finally {
    clearTimeout(timer);
    controller.abort(new Error('done'));
  }
}
