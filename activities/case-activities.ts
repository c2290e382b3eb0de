/**
 * The activities of every case workflow, built once in the worker from injected dependencies
 * (repositories over Postgres, the payment / courier / notification adapters). Each is
 * idempotent by the `stepKey` the workflow derives from the case and the step, so Temporal may
 * retry any of them: a transition is written once, a notification sent once, a refund paid once.
 */
import { ApplicationFailure } from '@temporalio/activity';
import { DEFAULT_STUCK_LIMITS, watchStuck, type StuckLimits, type StuckPort } from './stuck-watch.js';
import type { NotifierPort, OutboxPort } from './notification-outbox.js';
import type { CaseActivities, CaseEvent, CaseSteps, ClaimRequest, ClaimState, CustomerNotification, OrderDispatch, LedgerDocument, OrderRefunds, OrderRefundsQuery, RefundRequest, Transition } from './contract.js';

/** What the activities need from the database (implemented by the repositories in db/). */
export interface CaseStorePort {
  /** Appends the timeline event (once per stepKey) and moves the read model forward (never backwards: `version`). */
  applyTransition(t: Transition): Promise<void>;
  /** A batch of steps and queued messages in one write (the same guarantees as `applyTransition`). */
  applySteps(s: CaseSteps): Promise<void>;
  /** Who to notify, in which language. */
  /** Who gets the case's messages, and what they call the order's goods (item names by SKU). */
  recipient(caseId: string): Promise<{ customerId: string; locale: 'zh-CN' | 'en'; itemNames?: Record<string, string> }>;
  /** Appends a ledger document once per idempotency key. */
  appendLedger(d: LedgerDocument & { idempotencyKey: string }): Promise<void>;
  /** Records a notification once per idempotency key (outbox); says whether it was already sent. */
  recordNotification(n: { caseId: string; idempotencyKey: string; template: string; locale: string; params: Record<string, unknown> }): Promise<{ sent: boolean }>;
  markNotificationSent(idempotencyKey: string, providerId: string): Promise<void>;
  /** Refund ledger entries of the order's other cases (this case excluded), in the order's currency. */
  refundedOnOrder(q: OrderRefundsQuery): Promise<OrderRefunds>;
  /** Whether the case's loan product was reported sent; if not, recorded as never sent, so no report is taken after (db/repositories/loans.ts claimNotSent). */
  loanSent(caseId: string, sku: string): Promise<boolean>;
  /** A timeline entry without a projection (the case's own workflow owns the case row's stage). */
  appendEvent(e: CaseEvent): Promise<void>;
  /**
   * Grants a refund its amount under a lock on the order: at most `orderPaidTotalMinor` less what
   * the order's other cases have refunded or been granted. Granted once per `stepKey` (a retry gets
   * the first grant).
   */
  holdRefund(r: RefundRequest & { orderPaidTotalMinor: number }): Promise<number>;
  /**
   * The provider paid a granted refund: its refund id. The grant keeps its amount, so a retry of the
   * payment asks the provider for the same amount under the same key (one that paid less counts
   * against the others as granted, never more). A PENDING refund is followed until the bank settles
   * it or sends it back (activities/refund-follower.ts).
   */
  settleRefundHold(stepKey: string, paid: { refundId: string; status?: string }): Promise<void>;
  /** The provider refused a granted refund for good: the grant is given back. */
  releaseRefundHold(stepKey: string): Promise<void>;
  /** The case's workflow heard that a refund sent back was paid again: recorded among its inputs, once. */
  recordPaidAgainHeard(caseId: string, returnedRefundId: string): Promise<void>;
}

/** The store marks and clears cases whose side effects keep failing (`stuck-watch.ts`). */
export type CaseStore = CaseStorePort & StuckPort & OutboxPort;

export interface PaymentPort {
  refund(r: { idempotencyKey: string; merchantId: string; orderId: string; amountMinor: number; currency: string; reason: string }): Promise<{ refundId: string; amountMinor: number; /** PENDING: followed until the bank answers (activities/refund-follower.ts). */ status?: string }>;
}
export interface CourierPort {
  intercept(i: { idempotencyKey: string; carrier: string; trackingNumber: string }): Promise<{ interceptId: string }>;
  track(p: { carrier: string; trackingNumber: string }): Promise<{ status: string; deliveredAt?: number; events?: Array<{ at: number; code: string; description?: string }> }>;
  fileClaim(c: { idempotencyKey: string; carrier: string; trackingNumber: string; amountMinor: number; currency: string; reason: string; evidenceUrls: string[] }): Promise<{ claimId: string }>;
  getClaim(claimId: string): Promise<{ status: ClaimState['status']; paidMinor?: number; decidedAt?: number }>;
  withdrawClaim(w: { idempotencyKey: string; claimId: string; reason: string }): Promise<{ status: ClaimState['status']; paidMinor?: number; decidedAt?: number }>;
}
export interface WarehousePort {
  orderStatus(orderId: string): Promise<OrderDispatch & { orderId: string }>;
  cancelOrder(c: { idempotencyKey: string; orderId: string; reason: string }): Promise<{ reversedOutboundId?: string }>;
}

export interface CaseActivityDeps {
  store: CaseStore;
  /** When a failing side effect marks its case stuck (default: 5 attempts or 10 minutes). */
  stuckLimits?: StuckLimits;
  payment: PaymentPort;
  courier: CourierPort;
  notifier: NotifierPort;
  warehouse: WarehousePort;
  /** Told when messages were queued, so that they go out at once (the worker's outbox sender). */
  outbox?: { kick(): void };
  /**
   * Tells a case's workflow that a refund sent back was paid again (worker/tell-case.ts), so that a
   * case coming to rest is not reopened for it; without it (tests) the workflow is not told.
   */
  tellPaidAgain?: (caseId: string, returnedRefundId: string) => Promise<'TOLD' | 'ENDED'>;
}

/** Errors an adapter marks as final become non-retryable failures with their type; the rest retry. */
function finalOrRetry(err: unknown): never {
  const e = err as { retryable?: boolean; type?: string; code?: string; message?: string };
  // The failure's type is the provider's business code when there is one (REFUND_EXCEEDS_PAID…).
  if (e && e.retryable === false) throw ApplicationFailure.nonRetryable(e.message ?? String(err), e.code ?? e.type ?? 'REJECTED');
  throw err;
}

/** The activities that act for one case (they carry its id): the ones that can leave it stuck. */
const WATCHED = ['recordTransition', 'recordSteps', 'notifyCustomer', 'refundPayment', 'appendLedger', 'fileCourierClaim', 'withdrawCourierClaim', 'recordCaseEvent', 'interceptParcel', 'cancelOrder'] as const;

export function createCaseActivities(deps: CaseActivityDeps): CaseActivities {
  const activities = caseActivities(deps);
  const watched = { ...activities } as Record<string, (a: never) => Promise<unknown>>;
  for (const name of WATCHED) watched[name] = watchStuck(name, activities[name] as (a: never) => Promise<unknown>, deps.store, deps.stuckLimits ?? DEFAULT_STUCK_LIMITS);
  return watched as unknown as CaseActivities;
}

function caseActivities(deps: CaseActivityDeps): CaseActivities {
  return {
    async recordTransition(t: Transition) {
      await deps.store.applyTransition(t);
    },

    async recordSteps(steps: CaseSteps) {
      await deps.store.applySteps(steps);
      if (steps.notifications.length) deps.outbox?.kick();
    },

    async notifyCustomer(n: CustomerNotification) {
      const idempotencyKey = `${n.caseId}:${n.stepKey}`;
      const to = await deps.store.recipient(n.caseId);
      const outbox = await deps.store.recordNotification({ caseId: n.caseId, idempotencyKey, template: n.template, locale: to.locale, params: n.params });
      if (outbox.sent) return;
      // Not marked sent yet (first try, or a crash between send and mark): the notifier dedupes by key.
      const sent = await deps.notifier
        .send({ idempotencyKey, to: { customerId: to.customerId, channel: 'APP' }, template: n.template, locale: to.locale, params: n.params, itemNames: to.itemNames })
        .catch(finalOrRetry);
      await deps.store.markNotificationSent(idempotencyKey, sent.messageId);
    },

    async refundPayment(r: RefundRequest) {
      // Two cases of one order may decide their refunds at the same moment, each from what the
      // other had not yet booked: the amount is granted under a lock on the order (never more than paid).
      const capped = r.orderPaidTotalMinor !== undefined;
      const amountMinor = capped ? await deps.store.holdRefund({ ...r, orderPaidTotalMinor: r.orderPaidTotalMinor! }) : r.amountMinor;
      if (amountMinor === 0) return { refundId: '', amountMinor: 0 }; // nothing left to pay: no call to the provider
      const paid = await deps.payment
        .refund({ idempotencyKey: r.stepKey, merchantId: r.merchantId, orderId: r.orderId, amountMinor, currency: r.currency, reason: r.reason })
        .catch(async (err: unknown) => {
          // Refused for good (nothing was paid): the grant goes back to the order's other cases.
          if (capped && (err as { retryable?: boolean }).retryable === false) await deps.store.releaseRefundHold(r.stepKey);
          return finalOrRetry(err);
        });
      if (capped) await deps.store.settleRefundHold(r.stepKey, paid);
      return paid;
    },

    async appendLedger(d: LedgerDocument) {
      await deps.store.appendLedger({ ...d, idempotencyKey: d.stepKey });
    },

    async fileCourierClaim(c: ClaimRequest) {
      return deps.courier
        .fileClaim({ idempotencyKey: c.stepKey, carrier: c.carrier, trackingNumber: c.trackingNumber, amountMinor: c.amountMinor, currency: c.currency, reason: c.reason, evidenceUrls: c.evidenceUrls })
        .catch(finalOrRetry);
    },

    async trackParcel(p) {
      return deps.courier.track(p).catch(finalOrRetry);
    },

    async refundedOnOrder(q: OrderRefundsQuery) {
      return deps.store.refundedOnOrder(q);
    },

    async loanSent(q: { caseId: string; sku: string }) {
      return { sent: await deps.store.loanSent(q.caseId, q.sku) };
    },

    async recordCaseEvent(e: CaseEvent) {
      await deps.store.appendEvent(e);
      // A retry after a failed telling writes nothing twice (the step's key) and tells again.
      const returnedRefundId = e.kind === 'REFUND_PAID_AGAIN' ? e.data?.returnedRefundId : undefined;
      if (typeof returnedRefundId !== 'string' || !deps.tellPaidAgain) return;
      // What the workflow heard is the case's input, as the refund follower's news is (an ended one heard nothing).
      if ((await deps.tellPaidAgain(e.caseId, returnedRefundId)) === 'TOLD') await deps.store.recordPaidAgainHeard(e.caseId, returnedRefundId);
    },

    async interceptParcel(i: { caseId: string; stepKey: string; carrier: string; trackingNumber: string }) {
      const r = await deps.courier.intercept({ idempotencyKey: i.stepKey, carrier: i.carrier, trackingNumber: i.trackingNumber }).catch(finalOrRetry);
      return { interceptId: r.interceptId };
    },

    async orderDispatch(q: { orderId: string }): Promise<OrderDispatch> {
      const { orderId: _orderId, ...o } = await deps.warehouse.orderStatus(q.orderId).catch(finalOrRetry);
      return o;
    },

    async cancelOrder(c: { caseId: string; stepKey: string; orderId: string; reason: string }) {
      const r = await deps.warehouse.cancelOrder({ idempotencyKey: c.stepKey, orderId: c.orderId, reason: c.reason }).catch(finalOrRetry);
      return r.reversedOutboundId ? { reversedOutboundId: r.reversedOutboundId } : {};
    },

    async claimStatus(q: { carrier: string; claimId: string }): Promise<ClaimState> {
      return claimState(await deps.courier.getClaim(q.claimId).catch(finalOrRetry));
    },

    async withdrawCourierClaim(q: { caseId: string; stepKey: string; carrier: string; claimId: string; reason: string }): Promise<ClaimState> {
      return claimState(await deps.courier.withdrawClaim({ idempotencyKey: q.stepKey, claimId: q.claimId, reason: q.reason }).catch(finalOrRetry));
    },
  };
}

/** A claim as the workflows take it: its status and, once decided, what the carrier pays and when. */
function claimState(c: { status: ClaimState['status']; paidMinor?: number; decidedAt?: number }): ClaimState {
  return { status: c.status, ...(c.paidMinor !== undefined ? { paidMinor: c.paidMinor } : {}), ...(c.decidedAt !== undefined ? { decidedAt: c.decidedAt } : {}) };
}
