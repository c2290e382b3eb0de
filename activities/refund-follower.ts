/**
 * The refund follower: a refund the payment provider accepted as PENDING is not yet the customer's
 * money — the bank settles it, or sends it back (an account closed, a card cancelled), days later
 * and long after the case's workflow may have closed. This loop, running in every worker process
 * beside the notification outbox, asks the provider about each pending refund when it is due:
 * settled, it is marked so; still pending, it is asked about again later (a minute, then longer, at
 * most every 6 hours); sent back, the store books it back and tells the case and the customer
 * (db/refund-settlement.ts), and an agent pays it again (workflows/refund-again.ts).
 * docs/refund-settlement.md tells the whole story.
 *
 * Refunds are claimed with a lease (their next check pushed out), so two workers never ask about
 * the same refund at once; every answer is applied only to a refund still PENDING.
 */
import type { RefundSentBack } from '../workflows/contract.js';
import { createPollingLoop, type PollingLoop } from './polling-loop.js';

export interface PendingRefund {
  /** The hold's key: the refund's idempotency key at the provider. */
  stepKey: string;
  refundId: string;
  /** Times asked so far and found still pending. */
  checks: number;
}

export interface RefundSettlementPort {
  /** Up to `limit` pending refunds due to be asked about, leased for `leaseMs`. */
  claimPendingRefunds(limit: number, leaseMs: number): Promise<PendingRefund[]>;
  refundSettled(stepKey: string): Promise<void>;
  /**
   * Still pending, or the provider could not say (away, or no such refund): asked again after
   * `askAgainInMs`. Pending for `tooLongMs` since it was paid: the case says so once and is
   * escalated, for an agent to ask the provider and tell the customer.
   */
  refundStillPending(stepKey: string, askAgainInMs: number, tooLongMs: number): Promise<void>;
  /**
   * Books the refund sent back (ledger, case, customer's message): BOOKED; ALREADY when it was;
   * NOT_BOOKED_YET when the case's own refund entry is not in the ledger yet (asked again shortly).
   */
  refundReturned(r: { stepKey: string; reason: string }, tellCase?: TellCase): Promise<'BOOKED' | 'ALREADY' | 'NOT_BOOKED_YET'>;
}

/**
 * Tells the case's workflow of a refund sent back (a resting case reopens to an agent: see
 * workflows/case-machinery.ts). Called while the booking's transaction is open: when it fails, the
 * booking is undone and the refund asked about again later, so the case is never left untold. A
 * workflow that has ended has nothing to be told.
 */
export type TellCase = (caseId: string, sentBack: RefundSentBack) => Promise<void>;

export interface RefundStatusPort {
  getRefund(refundId: string): Promise<{ status: 'SUCCEEDED' | 'PENDING' | 'FAILED'; failureReason?: string }>;
}

export interface RefundFollowerOptions {
  store: RefundSettlementPort;
  payment: RefundStatusPort;
  /** A refund came back: the outbox is kicked to send the customer's message at once. */
  onReturned?: () => void;
  /** The case workflows (a Temporal client); without it they are not told. */
  tellCase?: TellCase;
  pollMs?: number;
  leaseMs?: number;
  batchSize?: number;
  /** How long a refund may stay pending before its case is escalated (PENDING_TOO_LONG_MS). */
  tooLongMs?: number;
  onError?: (err: unknown) => void;
}

export interface RefundFollower extends PollingLoop {
  /** Asks about every refund due now, once; for tests. */
  drain(): Promise<void>;
}

const MINUTE = 60_000;
const ASK_AFTER_MINUTES = [1, 5, 15, 60];
/** A minute after it was accepted, then 5, 15 and 60 minutes, then every 6 hours until the bank answers. */
export const askAgainInMs = (checks: number): number => (ASK_AFTER_MINUTES[checks] ?? 360) * MINUTE;
/**
 * A bank settles a refund to a card or an account within a few working days; one still pending
 * after a week (a long holiday included) is stuck somewhere, and the customer is waiting.
 */
export const PENDING_TOO_LONG_MS = 7 * 24 * 60 * MINUTE;

export function createRefundFollower(o: RefundFollowerOptions): RefundFollower {
  const leaseMs = o.leaseMs ?? 180_000;
  const batchSize = o.batchSize ?? 50;
  const tooLongMs = o.tooLongMs ?? PENDING_TOO_LONG_MS;

  async function follow(r: PendingRefund): Promise<void> {
    try {
      const now = await o.payment.getRefund(r.refundId);
      if (now.status === 'SUCCEEDED') return await o.store.refundSettled(r.stepKey);
      if (now.status === 'PENDING') return await o.store.refundStillPending(r.stepKey, askAgainInMs(r.checks + 1), tooLongMs);
      if ((await o.store.refundReturned({ stepKey: r.stepKey, reason: now.failureReason ?? 'UNKNOWN' }, o.tellCase)) === 'BOOKED') o.onReturned?.();
    } catch (err) {
      // The provider away, or not knowing the refund: asked again later, backing off as a pending
      // one is (should this fail too, the lease has pushed the check out already).
      o.onError?.(err);
      await o.store.refundStillPending(r.stepKey, askAgainInMs(r.checks + 1), tooLongMs).catch((e: unknown) => o.onError?.(e));
    }
  }

  async function drain(): Promise<void> {
    for (;;) {
      const due = await o.store.claimPendingRefunds(batchSize, leaseMs);
      if (!due.length) return;
      await Promise.all(due.map(follow));
    }
  }

  return { ...createPollingLoop({ drain, pollMs: o.pollMs ?? 30_000, onError: o.onError }), drain };
}
