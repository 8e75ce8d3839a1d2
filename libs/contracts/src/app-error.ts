import { errorCodeInfo, formatDenial, isErrorCode, type ErrorCode, type ErrorContext } from './error-codes.js';

export interface AppErrorOptions {
  /** The underlying failure (driver error, zod error, …). */
  readonly cause?: unknown;
  /** Overrides the code's registered retry class, e.g. a timeout that is known to be safe to repeat. */
  readonly retryable?: boolean;
  /** `key=value` facts for the message and for logs. */
  readonly context?: ErrorContext;
}

/**
 * A typed failure with a stable `code` and a `retryable` flag. The message defaults to
 * `formatDenial(code, context)`, so logs read the same as denials.
 *
 * Expected business outcomes (a risk denial) are values, not AppErrors; an AppError is for a
 * failed operation the caller may handle (retry, nak, reply with an error frame).
 */
export class AppError extends Error {
  override readonly name = 'AppError';
  readonly code: ErrorCode;
  readonly retryable: boolean;
  readonly context: ErrorContext;
  override readonly cause?: unknown;

  constructor(code: ErrorCode, message?: string, options: AppErrorOptions = {}) {
    const context = options.context ?? {};
    super(message ?? formatDenial(code, context), options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.retryable = options.retryable ?? errorCodeInfo(code).retryable;
    this.context = context;
    if (options.cause !== undefined) this.cause = options.cause;
  }
}

/**
 * True for an AppError, including one rebuilt from another realm or process (an object with a
 * registered `code`, a boolean `retryable` and a string `message`), since `instanceof` fails there.
 */
export function isAppError(error: unknown): error is AppError {
  if (error instanceof AppError) return true;
  if (typeof error !== 'object' || error === null) return false;
  const candidate = error as Partial<Record<'code' | 'retryable' | 'message', unknown>>;
  return isErrorCode(candidate.code) && typeof candidate.retryable === 'boolean' && typeof candidate.message === 'string';
}

/** True only for an AppError flagged retryable; anything unrecognised is not retried. */
export function isRetryable(error: unknown): boolean {
  return isAppError(error) && error.retryable;
}
