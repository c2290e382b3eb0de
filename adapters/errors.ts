/**
 * One error table for every adapter. `retryable` decides what an activity does: transient faults
 * are retried by Temporal; business refusals become non-retryable failures carrying `type`.
 */
export type AdapterErrorType = 'TRANSIENT' | 'REJECTED' | 'INVALID_REQUEST' | 'NOT_FOUND' | 'IDEMPOTENCY_KEY_REUSED' | 'REFUND_EXCEEDS_PAID';

export class AdapterError extends Error {
  readonly retryable: boolean;
  constructor(
    readonly type: AdapterErrorType,
    message: string,
    readonly provider: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'AdapterError';
    this.retryable = type === 'TRANSIENT';
  }
}
