/**
 * A refund the customer's bank sent back, paid again when an agent says so (the customer's account
 * sorted out: POST /v1/cases/{caseId}/refunds/{refundId}/pay-again). A short process of its own, as
 * the case's workflow has usually closed by the time a bank answers: paid under the order's refund
 * hold like the first payment (never more than the order has left), booked as a REFUND with the
 * returned refund's lines, recorded on the case's timeline, and told to the customer. Its workflow
 * id is the returned refund's (refundAgainWorkflowId), so it is paid again once. A payment that
 * comes back too is followed and told like the first (docs/refund-settlement.md).
 */
import { activities } from './case-machinery.js';

export interface RefundAgainInput {
  caseId: string;
  merchantId: string;
  orderId: string;
  currency: string;
  /** What the order was paid: the cap the hold grants under. */
  orderPaidTotalMinor: number;
  /** The refund that came back: its amount, extra money it paid back, lines, and key. */
  returned: { refundId: string; stepKey: string; amountMinor: number; extraMinor: number; lines: Array<Record<string, unknown>> };
  /** Who decided to pay it again (the agent's name, as the timeline shows actors). */
  by: string;
  /** The agent's note for the staff: what the customer confirmed. */
  note?: string;
}

export interface RefundAgainOutcome {
  refundId: string | null;
  amountMinor: number;
}

/** What the customer hears of the payment again (one message, whichever it is: the command stays the same). */
function told(paidMinor: number, returnedMinor: number, currency: string) {
  if (paidMinor <= 0) return { template: 'refundNothingLeft', params: {} };
  if (paidMinor < returnedMinor) return { template: 'refundPaidAgainPart', params: { amountMinor: paidMinor, returnedMinor, currency } };
  return { template: 'refundIssued', params: { amountMinor: paidMinor, currency } };
}

export async function refundAgain(i: RefundAgainInput): Promise<RefundAgainOutcome> {
  const stepKey = `${i.returned.stepKey}:again`;
  const { returned } = i;
  const paid = await activities.refundPayment({
    caseId: i.caseId,
    stepKey,
    merchantId: i.merchantId,
    orderId: i.orderId,
    amountMinor: returned.amountMinor,
    currency: i.currency,
    reason: 'REFUND_RETURNED_PAID_AGAIN',
    orderPaidTotalMinor: i.orderPaidTotalMinor,
    ...(returned.extraMinor ? { extraPaidMinor: returned.extraMinor } : {}),
  });
  if (paid.amountMinor > 0) {
    // Capped below what came back (the order's other cases refunded meanwhile): the cut is a CAP line, as a first refund's is.
    const cut = returned.amountMinor - paid.amountMinor;
    const lines = cut > 0 ? [...returned.lines, { kind: 'CAP', sku: 'CAP', quantity: 1, unitPriceMinor: -cut, amountMinor: -cut }] : returned.lines;
    await activities.appendLedger({ caseId: i.caseId, stepKey: `${stepKey}:ledger`, kind: 'REFUND', amountMinor: -paid.amountMinor, currency: i.currency, lines, reference: paid.refundId });
  }
  const facts = { returnedRefundId: returned.refundId, refundId: paid.refundId || null, amountMinor: paid.amountMinor, currency: i.currency, ...(i.note ? { note: i.note } : {}) };
  await activities.recordCaseEvent({ caseId: i.caseId, stepKey, kind: 'REFUND_PAID_AGAIN', actor: i.by, data: facts, settles: `${returned.stepKey}:returned` });
  // The order's other cases may have refunded what it had left in the meantime: then less is paid,
  // or nothing, and the customer is told why.
  await activities.notifyCustomer({ caseId: i.caseId, stepKey, ...told(paid.amountMinor, returned.amountMinor, i.currency) });
  return { refundId: facts.refundId, amountMinor: paid.amountMinor };
}
