/**
 * One error vocabulary, classified by what the caller should do next:
 *  - SourceError: this one source could not be read or parsed; report it and go on with the batch.
 *  - RetryableError: a transient failure (429, 5xx, timeout); the retry helper tries again.
 *  - FatalError: the run cannot proceed (store unreachable, bad configuration); abort with `hint`.
 *  - UsageError: the command line itself is wrong; exit 2 with usage.
 * Every error carries an optional `cause` so nothing is lost when it is wrapped.
 */

export class OffersError extends Error {
  override readonly name: string = 'OffersError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }

  /** Works across module copies, unlike `instanceof` alone. */
  static isInstance(error: unknown): error is OffersError {
    return error instanceof Error && typeof (error as { kind?: unknown }).kind === 'string';
  }
}

export class SourceError extends OffersError {
  override readonly name = 'SourceError';
  readonly kind = 'source';
  constructor(
    readonly source: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/**
 * A source that holds no offers at all, such as a `manifest.csv` beside the offers: found by a
 * directory walk or a glob it is skipped with a notice; named on the command line it is a failure.
 */
export class NotOffersError extends SourceError {}

export class RetryableError extends OffersError {
  override readonly name = 'RetryableError';
  readonly kind = 'retryable';
  constructor(
    message: string,
    /** Server-requested delay (Retry-After), in milliseconds. */
    readonly retryAfterMs?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export class FatalError extends OffersError {
  override readonly name = 'FatalError';
  readonly kind = 'fatal';
  constructor(
    message: string,
    /** One line telling the user how to fix it. */
    readonly hint?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/**
 * Another offers command holds the data dir (the lock, or the embedded Chroma server) longer than
 * this one was willing to wait: fatal for this run, but with its own exit code (5), so that a
 * scheduler can tell "busy, try later" from "broken".
 */
export class DataDirBusyError extends FatalError {}

/**
 * Our output is gone: whoever read it went away (a closed pipe: `offers export | head -1`), or
 * its disk is full. The command stops; the exit status follows from the stream's failure, 0 for
 * a closed pipe (src/output.ts).
 */
export class OutputClosedError extends OffersError {
  override readonly name = 'OutputClosedError';
  readonly kind = 'closed';
}

export class UsageError extends OffersError {
  override readonly name = 'UsageError';
  readonly kind = 'usage';
}

/** A message for people: the error's own, plus its cause's when that adds something. */
export function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? error.cause.message : undefined;
  return cause && !error.message.includes(cause) ? `${error.message} (${cause})` : error.message;
}
