/**
 * Money back to the customer, as every case type pays it: the refund through the payment provider
 * (keyed by case and step, so it is paid once; never more than the order has left, whatever its
 * other cases pay at the same moment), the REFUND entry in the ledger (negative: money out), then
 * the customer's message.
 */
import type { OrderSnapshot } from '../domain/index.js';
import { patched } from '@temporalio/workflow';
import { activities, type CaseSession } from './case-machinery.js';

/** From this patch on, a refund granted nothing books nothing and tells the customer nothing. */
export const NOTHING_GRANTED_PATCH = 'refund-nothing-granted';
/**
 * From this patch on, the customer is told a refund granted nothing (refundNothingLeft): they chose
 * their money and had heard nothing. Replayed by test/workflows/histories/refund-not-shipped-v12-nothing-left-told-*.pb.
 */
export const NOTHING_LEFT_TOLD_PATCH = 'refund-nothing-left-told';
/**
 * From this patch on, a refund the case itself reckons at nothing because the order's other cases
 * refunded all it was paid before (missing items, a lost parcel) is told as a grant of nothing is
 * (refundNothingLeft); before, the customer who chose their money heard nothing until "resolved".
 * Replayed by test/workflows/histories/*-v17-nothing-left-reckoned-*.pb.
 */
export const NOTHING_LEFT_RECKONED_TOLD_PATCH = 'refund-nothing-left-reckoned-told';
/** Tells the customer that the order has nothing left to refund (a refund reckoned at nothing). */
export async function tellNothingLeft(session: CaseSession): Promise<void> {
  if (patched(NOTHING_LEFT_RECKONED_TOLD_PATCH)) await session.notify('refundNothingLeft', {});
}
export const nothingGranted = (paidMinor: number, askedMinor: number): boolean => paidMinor === 0 && askedMinor > 0 && patched(NOTHING_GRANTED_PATCH);

export interface RefundToCustomer {
  caseId: string;
  merchantId: string;
  order: OrderSnapshot;
  amountMinor: number;
  reason: string;
  /** What the ledger entry says it was for, given what was actually paid. */
  lines: (paidMinor: number) => Array<Record<string, unknown>>;
  /** The step key: 'refund' unless a case pays twice (e.g. 'compensation'). */
  step?: string;
  /** The message that tells the customer ({ amountMinor, currency }); refundIssued by default. */
  message?: string;
  /** What else that message says (a delay's new delivery date). */
  messageParams?: Record<string, unknown>;
  /**
   * Money the case took on top of the order (an exchange's price difference) that this refund pays
   * back: the order's cap is raised by it, for this refund and for the order's other cases.
   */
  extraPaidMinor?: number;
  /** Documents booked between the payment and its ledger entry (an expense note). */
  document?: (paidMinor: number) => Promise<void>;
}

/** Pays and books a refund; returns what the provider paid. */
export async function refundToCustomer(session: CaseSession, r: RefundToCustomer): Promise<number> {
  const step = r.step ?? 'refund';
  const { order } = r;
  const paid = await activities.refundPayment({ caseId: r.caseId, stepKey: session.key(step), merchantId: r.merchantId, orderId: order.orderId, amountMinor: r.amountMinor, currency: order.currency, reason: r.reason, orderPaidTotalMinor: order.paidTotalMinor, ...(r.extraPaidMinor ? { extraPaidMinor: r.extraPaidMinor } : {}) });
  // Nothing left to pay (other cases of the order were granted it at the same moment): no entry of
  // 0, and no message telling the customer 0.00 was refunded, but one saying nothing was left. Only grants can be 0 (never before them).
  if (nothingGranted(paid.amountMinor, r.amountMinor)) {
    if (patched(NOTHING_LEFT_TOLD_PATCH)) await session.notify('refundNothingLeft', {});
    return 0;
  }
  await r.document?.(paid.amountMinor);
  await activities.appendLedger({ caseId: r.caseId, stepKey: session.key(`ledger:${step}`), kind: 'REFUND', amountMinor: -paid.amountMinor, currency: order.currency, lines: r.lines(paid.amountMinor), ...(paid.refundId ? { reference: paid.refundId } : {}) });
  await session.notify(r.message ?? 'refundIssued', { ...r.messageParams, amountMinor: paid.amountMinor, currency: order.currency });
  return paid.amountMinor;
}
