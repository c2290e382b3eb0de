/**
 * In-process stand-ins for the payment provider, the couriers and the notification service, used
 * by default in development and tests. They behave like the real ones where it matters —
 * idempotent by key, refusing what a provider refuses — and can be told to fail or be slow so
 * the failure paths can be exercised.
 */
import { AdapterError, type AdapterErrorType } from './errors.js';
import type { CourierPort, NotifierPort, PaymentPort } from '../activities/case-activities.js';

class FaultPlan {
  private failures: AdapterErrorType[] = [];
  private always: AdapterErrorType | undefined;
  delayMs = 0;
  failNext(n: number, type: AdapterErrorType = 'TRANSIENT') {
    for (let i = 0; i < n; i++) this.failures.push(type);
  }
  failAlways(type: AdapterErrorType | undefined) {
    this.always = type;
  }
  reset() {
    this.failures = [];
    this.always = undefined;
    this.delayMs = 0;
  }
  async apply(provider: string) {
    if (this.delayMs > 0) await new Promise((r) => setTimeout(r, this.delayMs));
    const type = this.failures.shift() ?? this.always;
    if (type) throw new AdapterError(type, `simulated ${type.toLowerCase()} failure`, provider, type === 'TRANSIENT' ? 503 : 422);
  }
}

type RefundArgs = Parameters<PaymentPort['refund']>[0];

export class PaymentSimulator implements PaymentPort {
  readonly faults = new FaultPlan();
  readonly refunds: Array<RefundArgs & { refundId: string }> = [];
  private readonly paid = new Map<string, number>();
  calls = 0;

  /** Refunds of an order may never add up to more than this. */
  setPaidAmount(orderId: string, amountMinor: number) {
    this.paid.set(orderId, amountMinor);
  }

  async refund(r: RefundArgs) {
    this.calls++;
    await this.faults.apply('payment-simulator');
    const earlier = this.refunds.find((x) => x.idempotencyKey === r.idempotencyKey);
    if (earlier) {
      if (earlier.amountMinor !== r.amountMinor || earlier.orderId !== r.orderId) {
        throw new AdapterError('IDEMPOTENCY_KEY_REUSED', `idempotency key ${r.idempotencyKey} was used for a different refund`, 'payment-simulator', 422);
      }
      return { refundId: earlier.refundId, amountMinor: earlier.amountMinor };
    }
    const limit = this.paid.get(r.orderId);
    const refunded = this.refunds.filter((x) => x.orderId === r.orderId).reduce((s, x) => s + x.amountMinor, 0);
    if (limit !== undefined && refunded + r.amountMinor > limit) {
      throw new AdapterError('REFUND_EXCEEDS_PAID', `refunds of ${r.orderId} would exceed the ${limit} paid`, 'payment-simulator', 422);
    }
    const refundId = `rf_${this.refunds.length + 1}`;
    this.refunds.push({ ...r, refundId });
    return { refundId, amountMinor: r.amountMinor };
  }
}

type ClaimArgs = Parameters<CourierPort['fileClaim']>[0];

export class CourierSimulator implements CourierPort {
  readonly faults = new FaultPlan();
  readonly claims: Array<ClaimArgs & { claimId: string }> = [];
  private readonly traces = new Map<string, { status: string; deliveredAt?: number }>();

  setTrace(trackingNumber: string, status: string, deliveredAt?: number) {
    this.traces.set(trackingNumber, { status, deliveredAt });
  }

  async track(p: { carrier: string; trackingNumber: string }) {
    await this.faults.apply('courier-simulator');
    return this.traces.get(p.trackingNumber) ?? { status: 'IN_TRANSIT' };
  }

  async fileClaim(c: ClaimArgs) {
    await this.faults.apply('courier-simulator');
    const earlier = this.claims.find((x) => x.idempotencyKey === c.idempotencyKey);
    if (earlier) return { claimId: earlier.claimId };
    const claimId = `cl_${this.claims.length + 1}`;
    this.claims.push({ ...c, claimId });
    return { claimId };
  }
}

type Message = Parameters<NotifierPort['send']>[0];

export class NotifierSimulator implements NotifierPort {
  readonly faults = new FaultPlan();
  readonly sent: Array<Message & { messageId: string }> = [];

  async send(m: Message) {
    await this.faults.apply('notifier-simulator');
    const earlier = this.sent.find((x) => x.idempotencyKey === m.idempotencyKey);
    if (earlier) return { messageId: earlier.messageId };
    const messageId = `msg_${this.sent.length + 1}`;
    this.sent.push({ ...m, messageId });
    return { messageId };
  }
}
