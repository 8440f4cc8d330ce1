import { debugEnabled } from '../config.ts';
import { describeError, FatalError, RetryableError, UsageError } from '../errors.ts';
import { storageFatal } from '../util/storage-errors.ts';

/**
 * What a request that failed is told, in the error vocabulary of src/errors.ts: one line, never
 * a stack trace. A bad request (UsageError: a malformed body, a group that names nothing) is the
 * client's to fix (400); a service the answer needs that is unreachable or busy (FatalError: the
 * Chroma server, the data dir held by a writer past --wait, the LLM endpoint) is 503 with the fix;
 * anything else is ours (500), logged for the operator.
 */
export interface Failure {
  status: 400 | 500 | 503;
  error: string;
  hint?: string;
}

export function classifyFailure(thrown: unknown, log: (line: string) => void): Failure {
  const error = storageFatal(thrown) ?? thrown;
  if (UsageError.isInstance(error)) return { status: 400, error: oneLine(error.message) };
  if (FatalError.isInstance(error)) return { status: 503, error: oneLine(describeError(error)), ...(error.hint ? { hint: oneLine(error.hint) } : {}) };
  if (RetryableError.isInstance(error)) return { status: 503, error: oneLine(describeError(error)), hint: 'try again in a moment' };
  const message = oneLine(describeError(error));
  log(`offers: unexpected error: ${message}`);
  if (debugEnabled() && error instanceof Error) log(String(error.stack));
  return { status: 500, error: `unexpected error: ${message}`, hint: 'see the server log; set OFFERS_DEBUG=1 for the stack trace' };
}

/** "message (fix: hint)": how an MCP tool error says it. */
export function failureLine(failure: Failure): string {
  return failure.hint ? `${failure.error} (fix: ${failure.hint})` : failure.error;
}

/** Multi-line messages (a configuration with several problems) joined onto one line. */
function oneLine(text: string): string {
  return text
    .split('\n')
    .map((line) => line.trim().replace(/^- /, ''))
    .filter(Boolean)
    .join('; ');
}
