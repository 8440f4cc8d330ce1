import { FatalError, RetryableError } from '../errors.ts';
import { parseRetryAfter } from './retry.ts';

/**
 * Turns an error from an OpenAI-compatible endpoint into our vocabulary: rate limits, server
 * errors and timeouts are worth a retry; bad credentials or an unknown model abort the run with
 * a fix-it hint. Works on the `openai` client's APIError shape (status, headers) without importing it.
 */
export function classifyServiceError(error: unknown, service: string, baseUrl: string | undefined): Error {
  const status = (error as { status?: unknown }).status;
  const message = error instanceof Error ? error.message : String(error);
  const where = baseUrl ?? 'the OpenAI API';
  if (status === 429 || (typeof status === 'number' && status >= 500) || isTimeout(error)) {
    return new RetryableError(`${service} at ${where} failed: ${message}`, retryAfterMs(error), { cause: error });
  }
  if (status === 401 || status === 403) {
    return new FatalError(`${service} at ${where} refused the credentials`, 'set OPENAI_API_KEY to a valid key for that endpoint', {
      cause: error,
    });
  }
  if (status === 404) {
    return new FatalError(`${service} at ${where}: model or route not found (${message})`, 'check the model name and OPENAI_BASE_URL (it usually ends in /v1)', {
      cause: error,
    });
  }
  if (status === undefined && /ECONNREFUSED|ENOTFOUND|fetch failed|Connection error/i.test(message)) {
    return new FatalError(`${service} at ${where} is unreachable`, 'start the server or fix OPENAI_BASE_URL', { cause: error });
  }
  return error instanceof Error ? error : new Error(message);
}

function isTimeout(error: unknown): boolean {
  const name = (error as { name?: unknown }).name;
  return name === 'APIConnectionTimeoutError' || name === 'TimeoutError' || /timed? ?out/i.test(String((error as Error).message));
}

function retryAfterMs(error: unknown): number | undefined {
  const headers = (error as { headers?: { get?: (name: string) => string | null } | Record<string, string> }).headers;
  return parseRetryAfter(typeof headers?.get === 'function' ? headers.get('retry-after') : (headers as Record<string, string> | undefined)?.['retry-after']);
}
