/**
 * One error vocabulary, classified by what the caller should do next:
 *  - SourceError: this one source could not be read or parsed; report it and go on with the batch.
 *  - RetryableError: a transient failure (429, 5xx, timeout); the retry helper tries again.
 *  - FatalError: the run cannot proceed (store unreachable, bad configuration); abort with `hint`.
 *  - UsageError: the command line itself is wrong; exit 2 (ExitCode.usage) with usage.
 * Every error carries an optional `cause` so nothing is lost when it is wrapped.
 *
 * Each class carries a marker, a registered symbol (`Symbol.for`), checked by its static
 * `isInstance`: as in vercel/ai, the check holds across two copies of this module (tsx and a
 * build, two installs of the package), where `instanceof` compares one copy's class only.
 */

function hasMarker(error: unknown, symbol: symbol): boolean {
  return typeof error === 'object' && error !== null && (error as Record<symbol, unknown>)[symbol] === true;
}

const OFFERS_ERROR = Symbol.for('offers.error.OffersError');

export class OffersError extends Error {
  override readonly name: string = 'OffersError';
  readonly [OFFERS_ERROR] = true;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }

  static isInstance(error: unknown): error is OffersError {
    return hasMarker(error, OFFERS_ERROR);
  }
}

const SOURCE_ERROR = Symbol.for('offers.error.SourceError');

export class SourceError extends OffersError {
  override readonly name = 'SourceError';
  readonly kind = 'source';
  readonly [SOURCE_ERROR] = true;
  constructor(
    readonly source: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    // Without a stack: a source's problem is told as one line and never with a trace, and a
    // broken dataset makes one per bad record (the captures alone were ~5 µs each, 1.2 s for
    // 260k records). A wrapped cause keeps its own stack.
    const depth = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    super(message, options);
    Error.stackTraceLimit = depth;
  }

  static override isInstance(error: unknown): error is SourceError {
    return hasMarker(error, SOURCE_ERROR);
  }
}

const NOT_OFFERS_ERROR = Symbol.for('offers.error.NotOffersError');

/**
 * A source that holds no offers at all, such as a `manifest.csv` beside the offers: found by a
 * directory walk or a glob it is skipped with a notice; named on the command line it is a failure.
 */
export class NotOffersError extends SourceError {
  readonly [NOT_OFFERS_ERROR] = true;

  static override isInstance(error: unknown): error is NotOffersError {
    return hasMarker(error, NOT_OFFERS_ERROR);
  }
}

const RETRYABLE_ERROR = Symbol.for('offers.error.RetryableError');

export class RetryableError extends OffersError {
  override readonly name = 'RetryableError';
  readonly kind = 'retryable';
  readonly [RETRYABLE_ERROR] = true;
  constructor(
    message: string,
    /** Server-requested delay (Retry-After), in milliseconds. */
    readonly retryAfterMs?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }

  static override isInstance(error: unknown): error is RetryableError {
    return hasMarker(error, RETRYABLE_ERROR);
  }
}

const FATAL_ERROR = Symbol.for('offers.error.FatalError');

export class FatalError extends OffersError {
  override readonly name = 'FatalError';
  readonly kind = 'fatal';
  readonly [FATAL_ERROR] = true;
  constructor(
    message: string,
    /** One line telling the user how to fix it. */
    readonly hint?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }

  static override isInstance(error: unknown): error is FatalError {
    return hasMarker(error, FATAL_ERROR);
  }
}

const DATA_DIR_BUSY_ERROR = Symbol.for('offers.error.DataDirBusyError');

/**
 * Another offers command holds the data dir (the lock, or the embedded Chroma server) longer than
 * this one was willing to wait: fatal for this run, but with its own exit code (ExitCode.busy), so
 * that a scheduler can tell "busy, try later" from "broken".
 */
export class DataDirBusyError extends FatalError {
  readonly [DATA_DIR_BUSY_ERROR] = true;

  static override isInstance(error: unknown): error is DataDirBusyError {
    return hasMarker(error, DATA_DIR_BUSY_ERROR);
  }
}

const OUTPUT_CLOSED_ERROR = Symbol.for('offers.error.OutputClosedError');

/**
 * Our output is gone: whoever read it went away (a closed pipe: `offers export | head -1`), or
 * its disk is full. The command stops; the exit status follows from the stream's failure, 0 for
 * a closed pipe (src/output.ts).
 */
export class OutputClosedError extends OffersError {
  override readonly name = 'OutputClosedError';
  readonly kind = 'closed';
  readonly [OUTPUT_CLOSED_ERROR] = true;

  static override isInstance(error: unknown): error is OutputClosedError {
    return hasMarker(error, OUTPUT_CLOSED_ERROR);
  }
}

const USAGE_ERROR = Symbol.for('offers.error.UsageError');

export class UsageError extends OffersError {
  override readonly name = 'UsageError';
  readonly kind = 'usage';
  readonly [USAGE_ERROR] = true;

  static override isInstance(error: unknown): error is UsageError {
    return hasMarker(error, USAGE_ERROR);
  }
}

/**
 * The exit codes, one table (the contract's): what a script or a scheduler reads of a run.
 * Only the entry point (src/cli.ts) exits; commands return one of these.
 */
export const ExitCode = {
  ok: 0,
  /** Nothing could be done: a service unreachable, a data dir that cannot be written (named, with its fix). */
  fatal: 1,
  /** The command line or the configuration is wrong. */
  usage: 2,
  /** Some sources failed; every other source was ingested. */
  someSourcesFailed: 3,
  /** The query is refused: too little evidence (an unknown role, or too few offers). */
  refused: 4,
  /** Another offers command kept the data dir longer than --wait. */
  busy: 5,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** A message for people: the error's own, plus its cause's when that adds something. */
export function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? error.cause.message : undefined;
  return cause && !error.message.includes(cause) ? `${error.message} (${cause})` : error.message;
}
