/**
 * In-process payment provider: pays once per idempotency key and never refunds more than was paid.
 * With a journal (db/simulator-journal.ts) its refunds and what the bank did with them outlive the
 * process (`npm start` again on the same data): refund ids are never handed out twice
 * (refundIdOf), and a refund it is asked about and does not know — made before a restart, or by
 * another process of the platform — is looked up there (catchUp).
 */
import { createHash } from 'node:crypto';
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

/** The journal's method for what the bank did with a refund, keyed by the refund's id. */
const SETTLEMENT = 'settlement';

export class PaymentSimulator extends Simulator implements PaymentGateway {
  /** Every refund actually made, once each. */
  readonly refunds: RefundRecord[] = [];
  private readonly paid = new Map<string, number>();
  private holding = false;
  /** Refunds made in memory only are numbered; journaled ones are named by their key (refundIdOf). */
  private lastSerial = 0;

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

  /** The bank settles a refund. Checked and applied at once; the promise is its journal entry (when journaled). */
  settleRefund(refundId: string): Promise<void> {
    const r = this.refunds.find((x) => x.refundId === refundId);
    if (!r) throw new Error(`no refund ${refundId}`);
    r.status = 'SUCCEEDED';
    return this.journalSettlement(r);
  }

  /** The bank sends a pending refund back: its money no longer counts against the order's payment. */
  failRefund(refundId: string, reason = 'ACCOUNT_CLOSED'): Promise<void> {
    const r = this.refunds.find((x) => x.refundId === refundId);
    if (!r) throw new Error(`no refund ${refundId}`);
    if (r.status !== 'PENDING') throw new Error(`refund ${refundId} is ${r.status}: only a pending refund can come back`);
    r.status = 'FAILED';
    r.failureReason = reason;
    return this.journalSettlement(r);
  }

  /**
   * A refund's id. Journaled, it comes from its idempotency key, as unique as the key: a counter
   * would start again after a restart, or run in step in two processes, and hand one id out twice
   * (a refund paid again carrying the id of the one sent back). In memory only: rf_1, rf_2 …
   */
  private refundIdOf(idempotencyKey: string): string {
    return this.journal ? `rf_${createHash('sha256').update(idempotencyKey).digest('hex').slice(0, 20)}` : `rf_${++this.lastSerial}`;
  }

  /**
   * Another process of the platform may have made the refund (the worker pays, the API's simulator
   * controls settle) or settled it: the journal, shared by both, knows.
   */
  async catchUp(refundId: string): Promise<void> {
    if (!this.journal) return;
    const r = this.refunds.find((x) => x.refundId === refundId);
    if (!r) return this.restore();
    if (r.status !== 'PENDING') return;
    const settled = await this.journal.find(this.provider, SETTLEMENT, refundId);
    if (settled) Object.assign(r, settled.result as { status: RefundStatus; failureReason?: string });
  }

  /** What the bank did, once per refund (a refund settles or comes back once). */
  private async journalSettlement(r: RefundRecord): Promise<void> {
    const outcome = { status: r.status, ...(r.failureReason ? { failureReason: r.failureReason } : {}) };
    await this.journal?.remember(this.provider, SETTLEMENT, r.refundId, { fingerprint: JSON.stringify(outcome), result: outcome });
  }

  /**
   * Rebuilds the refunds from the journal: each refund made (its request is its fingerprint, its
   * answer the result), then what the bank did with it. Run when it is asked about a refund it does
   * not know: made before a restart, or by another process of the platform (catchUp).
   */
  async restore(): Promise<void> {
    if (!this.journal) return;
    const [made, settled] = await Promise.all([this.journal.list(this.provider, 'refund'), this.journal.list(this.provider, SETTLEMENT)]);
    const known = new Set(this.refunds.map((r) => r.refundId));
    for (const e of made) {
      const answer = e.result as RefundResult;
      if (known.has(answer.refundId)) continue;
      const request = JSON.parse(e.fingerprint) as Omit<RefundRequest, 'idempotencyKey'>;
      this.refunds.push({ ...request, idempotencyKey: e.key, refundId: answer.refundId, status: answer.status, createdAt: e.at.getTime() });
    }
    this.refunds.sort((a, b) => a.createdAt - b.createdAt);
    for (const e of settled) {
      const r = this.refunds.find((x) => x.refundId === e.key);
      const outcome = e.result as { status: RefundStatus; failureReason?: string };
      if (r && r.status === 'PENDING') Object.assign(r, outcome);
    }
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
      const record: RefundRecord = { ...r, refundId: this.refundIdOf(r.idempotencyKey), status: this.holding ? 'PENDING' : 'SUCCEEDED', createdAt: this.now() };
      this.refunds.push(record);
      return { refundId: record.refundId, status: record.status, amountMinor: record.amountMinor };
    });
  }

  async getRefund(refundId: string): Promise<Refund> {
    await this.catchUp(refundId);
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
    this.lastSerial = 0;
  }
}
