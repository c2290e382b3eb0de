/**
 * One error table for every adapter. `type` is the category an activity acts on: TRANSIENT is
 * thrown as-is so Temporal retries it (safe, because every mutating call carries an idempotency
 * key); the others become non-retryable `ApplicationFailure`s with this `type`, and `code` says
 * which business rule the provider invoked (e.g. REFUND_EXCEEDS_PAID, IDEMPOTENCY_KEY_REUSED).
 */
export type AdapterErrorType =
  /** Network error, timeout, 5xx, 429: the same call may succeed later. */
  | 'TRANSIENT'
  /** The provider understood the request and refused it (4xx with its code and message). */
  | 'REJECTED'
  /** The request is malformed (our bug or bad input): retrying cannot help. */
  | 'INVALID_REQUEST'
  /** The refund / claim / parcel asked for does not exist at the provider. */
  | 'NOT_FOUND';

export const ADAPTER_ERROR_TYPES: readonly AdapterErrorType[] = ['TRANSIENT', 'REJECTED', 'INVALID_REQUEST', 'NOT_FOUND'];

/** The types a Temporal retry policy should list in `nonRetryableErrorTypes`. */
export const NON_RETRYABLE_ERROR_TYPES: readonly AdapterErrorType[] = ['REJECTED', 'INVALID_REQUEST', 'NOT_FOUND'];

export interface AdapterErrorOptions {
  /** The provider's machine-readable code (or ours, e.g. TIMEOUT, NETWORK, HTTP_503). */
  code?: string;
  /** HTTP status when the error came from a response. */
  status?: number;
  /** From a 429/503 `Retry-After`: an activity may pass it on as `nextRetryDelay`. */
  retryAfterMs?: number;
  cause?: unknown;
}

export class AdapterError extends Error {
  readonly retryable: boolean;
  readonly code: string;
  readonly status?: number;
  readonly retryAfterMs?: number;

  constructor(
    readonly type: AdapterErrorType,
    readonly provider: string,
    message: string,
    options: AdapterErrorOptions = {},
  ) {
    // The code leads the message so it survives any mapping that keeps only the message.
    super(options.code ? `${options.code}: ${message}` : message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AdapterError';
    this.retryable = type === 'TRANSIENT';
    this.code = options.code ?? type;
    if (options.status !== undefined) this.status = options.status;
    if (options.retryAfterMs !== undefined) this.retryAfterMs = options.retryAfterMs;
  }

  /** What an activity puts in `ApplicationFailure.details`: no request data, so no personal data. */
  toDetails(): { provider: string; code: string; status?: number } {
    return { provider: this.provider, code: this.code, ...(this.status !== undefined ? { status: this.status } : {}) };
  }
}

export function isAdapterError(err: unknown): err is AdapterError {
  return err instanceof AdapterError;
}

/** Shorthands used by the simulators and the request validators. */
export const rejected = (provider: string, code: string, message: string, status = 422) => new AdapterError('REJECTED', provider, message, { code, status });
export const invalid = (provider: string, message: string, code = 'INVALID_REQUEST') => new AdapterError('INVALID_REQUEST', provider, message, { code, status: 400 });
export const notFound = (provider: string, what: string) => new AdapterError('NOT_FOUND', provider, `${what} not found`, { code: 'NOT_FOUND', status: 404 });
