/** The payment provider as the case activities see it: refunds, paid once per idempotency key. */

export interface RefundRequest {
  /** Derived from the case and the step (`<caseId>:refund`): a retry never pays twice. */
  idempotencyKey: string;
  merchantId: string;
  orderId: string;
  /** Integer minor units (fen for CNY). */
  amountMinor: number;
  /** ISO 4217, e.g. CNY. */
  currency: string;
  reason: string;
}

/**
 * SUCCEEDED: the money reached the customer. PENDING: accepted, the bank has not settled it yet.
 * FAILED: the bank sent it back (an account closed, a card cancelled): nothing reached the customer.
 * A refund only answers FAILED from `getRefund`, after it was accepted as PENDING.
 */
export type RefundStatus = 'SUCCEEDED' | 'PENDING' | 'FAILED';

export interface RefundResult {
  refundId: string;
  /** PENDING: accepted but not yet settled by the bank; poll `getRefund`. */
  status: RefundStatus;
  amountMinor: number;
  /** Why the bank sent it back (FAILED only), in the provider's words. */
  failureReason?: string;
}

export interface Refund extends RefundResult {
  orderId: string;
  currency: string;
}

export interface PaymentGateway {
  /** Same key and same request → the first refund again; same key, different request → REJECTED IDEMPOTENCY_KEY_REUSED. */
  refund(r: RefundRequest): Promise<RefundResult>;
  /** NOT_FOUND when the provider has no such refund. */
  getRefund(refundId: string): Promise<Refund>;
}
