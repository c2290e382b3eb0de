/**
 * The refund follower: a refund the payment provider accepted as PENDING is not yet the customer's
 * money — the bank settles it, or sends it back (an account closed, a card cancelled), days later
 * and long after the case's workflow may have closed. This loop, running in every worker process
 * beside the notification outbox, asks the provider about each pending refund when it is due:
 * settled, it is marked so; still pending, it is asked about again later (a minute, then longer, at
 * most every 6 hours); sent back, the store books it back and tells the case and the customer
 * (db/refund-settlement.ts), the case's workflow hears of it once that has committed (a resting
 * case reopens; tried again while Temporal cannot be reached), and an agent pays it again
 * (workflows/refund-again.ts). docs/refund-settlement.md tells the whole story.
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
  refundReturned(r: { stepKey: string; reason: string }): Promise<'BOOKED' | 'ALREADY' | 'NOT_BOOKED_YET'>;
  /** Up to `limit` refunds sent back and booked whose case's workflow has not been told yet, due now, leased for `leaseMs`. */
  claimUntoldReturns(limit: number, leaseMs: number): Promise<UntoldReturn[]>;
  /** The workflow heard it (TOLD: recorded as the case's input, as the API's signals are) or had ended (ENDED). */
  caseTold(r: UntoldReturn, outcome: 'TOLD' | 'ENDED'): Promise<void>;
  /** Telling failed (Temporal away or slow): tried again after `inMs`. */
  tellAgainLater(stepKey: string, inMs: number): Promise<void>;
}

/** A refund sent back and booked, for its case's workflow to hear. */
export interface UntoldReturn extends RefundSentBack {
  stepKey: string;
  caseId: string;
}

/**
 * Tells the case's workflow of a refund sent back (a resting case reopens to an agent: see
 * workflows/case-machinery.ts): TOLD, or ENDED when the workflow has ended and has nothing to be
 * told. Throws when Temporal could not be reached in time: told again later. Runs after the
 * booking has committed, from the hold's record (`caseToldAt`), so neither waits for the other.
 */
export type TellCase = (caseId: string, sentBack: RefundSentBack) => Promise<'TOLD' | 'ENDED'>;

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
/** A case's workflow not told of its refund sent back (Temporal away) is tried again a minute on. */
const TELL_AGAIN_MS = MINUTE;

export function createRefundFollower(o: RefundFollowerOptions): RefundFollower {
  const leaseMs = o.leaseMs ?? 180_000;
  const batchSize = o.batchSize ?? 50;
  const tooLongMs = o.tooLongMs ?? PENDING_TOO_LONG_MS;

  async function follow(r: PendingRefund): Promise<void> {
    let now: Awaited<ReturnType<RefundStatusPort['getRefund']>>;
    try {
      now = await o.payment.getRefund(r.refundId);
    } catch (err) {
      // The provider away, or not knowing the refund: asked again later, backing off as a pending
      // one is (should this fail too, the lease has pushed the check out already).
      o.onError?.(err);
      await o.store.refundStillPending(r.stepKey, askAgainInMs(r.checks + 1), tooLongMs).catch((e: unknown) => o.onError?.(e));
      return;
    }
    try {
      if (now.status === 'SUCCEEDED') return await o.store.refundSettled(r.stepKey);
      if (now.status === 'PENDING') return await o.store.refundStillPending(r.stepKey, askAgainInMs(r.checks + 1), tooLongMs);
      if ((await o.store.refundReturned({ stepKey: r.stepKey, reason: now.failureReason ?? 'UNKNOWN' })) === 'BOOKED') o.onReturned?.();
    } catch (err) {
      // The provider answered and its answer could not be written (the database away): asked again
      // when the lease runs out, not counted as "still pending" — a refund the bank sent back must
      // not be taken for one stuck at the bank (its customer would hear it is still on its way).
      o.onError?.(err);
    }
  }

  async function tell(tellCase: TellCase, r: UntoldReturn): Promise<void> {
    try {
      const { refundId, amountMinor, currency, reason } = r;
      await o.store.caseTold(r, await tellCase(r.caseId, { refundId, amountMinor, currency, reason }));
    } catch (err) {
      o.onError?.(err);
      await o.store.tellAgainLater(r.stepKey, TELL_AGAIN_MS).catch((e: unknown) => o.onError?.(e));
    }
  }

  async function drain(): Promise<void> {
    for (;;) {
      const due = await o.store.claimPendingRefunds(batchSize, leaseMs);
      if (!due.length) break;
      await Promise.all(due.map(follow));
    }
    // Refunds sent back (just now, or before Temporal could be reached) told to their cases.
    const tellCase = o.tellCase;
    if (!tellCase) return;
    for (;;) {
      const untold = await o.store.claimUntoldReturns(batchSize, leaseMs);
      if (!untold.length) return;
      await Promise.all(untold.map((r) => tell(tellCase, r)));
    }
  }

  return { ...createPollingLoop({ drain, pollMs: o.pollMs ?? 30_000, onError: o.onError }), drain };
}
