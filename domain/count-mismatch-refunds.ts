/**
 * A return's count mismatch — the warehouse counted other goods than the case expected back — waits
 * for an agent, who refunds what came back as inspected, refunds what was approved as if it all came
 * back in good order, or closes the case (workflows/return-refund.ts, `inspect`). This says what each
 * refund would come to, so that the agent chooses between amounts and not between words. It runs the
 * workflow's own refund rule (`computeRefund`) on the same inputs: the approved lines (else the
 * request's), whether the shop was at fault, and what the order's other cases refunded already.
 */
import { approvedOrAsked } from './goods-lines.js';
import type { Policy } from './policy.js';
import { computeRefund, isShopAtFault, type InspectedLine, type OrderSnapshot, type ReturnRequest } from './return-refund.js';

export interface CountMismatchRefunds {
  /** Refund what came back: the inspection's lines as counted. */
  REFUND_RECEIVED: number;
  /** Refund what was asked: every approved line as if it came back in good order. */
  REFUND_REQUESTED: number;
}

export function countMismatchRefunds(
  policy: Policy,
  order: OrderSnapshot,
  request: ReturnRequest,
  approved: unknown,
  inspected: InspectedLine[],
  earlier: { amountMinor: number; shippingRefunded: boolean },
): CountMismatchRefunds {
  const lines = approvedOrAsked(approved, request.lines);
  const refundOf = (received: InspectedLine[]) =>
    computeRefund(order, { lines: received, shopAtFault: isShopAtFault(request), alreadyRefundedMinor: earlier.amountMinor, shippingAlreadyRefunded: earlier.shippingRefunded, approved: lines }, policy).amountMinor;
  return {
    REFUND_RECEIVED: refundOf(inspected),
    REFUND_REQUESTED: refundOf(lines.map((l) => ({ sku: l.sku, receivedQuantity: l.quantity, condition: 'OK' as const }))),
  };
}
