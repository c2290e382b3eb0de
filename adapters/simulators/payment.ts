/** In-process payment provider: pays once per idempotency key and never refunds more than was paid. */
import { notFound, rejected } from '../errors.js';
import { assertMoney } from '../money.js';
import type { PaymentGateway, Refund, RefundRequest, RefundResult, RefundStatus } from '../payment.js';
import { requireKey, Simulator, type SimulatorOptions } from './base.js';

export interface RefundRecord extends RefundRequest {
  refundId: string;
  status: RefundStatus;
  failureReason?: string;
  createdAt: number;
}

export class PaymentSimulator extends Simulator implements PaymentGateway {
  /** Every refund actually made, once each. */
  readonly refunds: RefundRecord[] = [];
  private readonly paid = new Map<string, number>();
  private holding = false;

  constructor(options: SimulatorOptions = {}) {
    super('payment-simulator', options);
  }

  /** From now on the refunds of `orderId` may never add up to more than `amountMinor`. */
  setPaidAmount(orderId: string, amountMinor: number): void {
    this.paid.set(orderId, amountMinor);
  }

  /** New refunds stay PENDING (bank not settled yet) until `settleRefund`. */
  holdRefunds(on = true): void {
    this.holding = on;
  }

  settleRefund(refundId: string): void {
    const r = this.refunds.find((x) => x.refundId === refundId);
    if (!r) throw new Error(`no refund ${refundId}`);
    r.status = 'SUCCEEDED';
  }

  /** The bank sends a pending refund back: its money no longer counts against the order's payment. */
  failRefund(refundId: string, reason = 'ACCOUNT_CLOSED'): void {
    const r = this.refunds.find((x) => x.refundId === refundId);
    if (!r) throw new Error(`no refund ${refundId}`);
    if (r.status !== 'PENDING') throw new Error(`refund ${refundId} is ${r.status}: only a pending refund can come back`);
    r.status = 'FAILED';
    r.failureReason = reason;
  }

  refundedMinor(orderId: string): number {
    return this.refunds.filter((x) => x.orderId === orderId && x.status !== 'FAILED').reduce((sum, x) => sum + x.amountMinor, 0);
  }

  refund(r: RefundRequest): Promise<RefundResult> {
    return this.call('refund', r, () => {
      requireKey(this.provider, r.idempotencyKey);
      assertMoney(this.provider, r.amountMinor, r.currency);
      const limit = this.paid.get(r.orderId);
      const already = this.refundedMinor(r.orderId);
      if (limit !== undefined && already + r.amountMinor > limit) {
        throw rejected(this.provider, 'REFUND_EXCEEDS_PAID', `refunds of order ${r.orderId} would reach ${already + r.amountMinor}, more than the ${limit} paid`);
      }
      const record: RefundRecord = { ...r, refundId: `rf_${this.refunds.length + 1}`, status: this.holding ? 'PENDING' : 'SUCCEEDED', createdAt: this.now() };
      this.refunds.push(record);
      return { refundId: record.refundId, status: record.status, amountMinor: record.amountMinor };
    });
  }

  getRefund(refundId: string): Promise<Refund> {
    return this.call('getRefund', { refundId }, () => {
      const r = this.refunds.find((x) => x.refundId === refundId);
      if (!r) throw notFound(this.provider, `refund ${refundId}`);
      return { refundId: r.refundId, status: r.status, amountMinor: r.amountMinor, orderId: r.orderId, currency: r.currency, ...(r.failureReason ? { failureReason: r.failureReason } : {}) };
    });
  }

  override reset(): void {
    super.reset();
    this.refunds.length = 0;
    this.paid.clear();
    this.holding = false;
  }
}
