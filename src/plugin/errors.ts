/**
 * The two failure types step authors need (after Temporal's ApplicationFailure.nonRetryable
 * and BullMQ's UnrecoverableError). Errors cross the worker boundary as data, so the engine
 * reads `retryable`/`retryAfterMs` fields, never `instanceof`.
 */

export class NonRetryableError extends Error {
  override readonly name = "NonRetryableError";
  readonly code: string;
  readonly retryable = false;
  constructor(message: string, options: { code?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = options.code ?? "WEFT_STEP_NON_RETRYABLE";
  }
}

export class RetryableError extends Error {
  override readonly name = "RetryableError";
  readonly code: string;
  readonly retryable = true;
  /** A hint from the step (e.g. a Retry-After header); the engine waits at least this long. */
  readonly retryAfterMs: number | undefined;
  constructor(message: string, options: { code?: string; retryAfterMs?: number; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = options.code ?? "WEFT_STEP_RETRYABLE";
    this.retryAfterMs = options.retryAfterMs;
  }
}
