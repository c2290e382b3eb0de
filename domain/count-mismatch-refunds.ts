/**
 * A return's refund of what came back, and what it would come to before an agent decides. After
 * the warehouse's count (or the parcel's loss) the workflow refunds by `computeRefund`; the inputs
 * it gives that rule are built here (`returnRefundInspection`), for the workflow and for the case
 * view alike. A count mismatch — other goods counted than the case expected back — waits for an
 * agent, who refunds what came back as inspected, refunds what was approved as if it all came back
 * in good order, or closes the case (workflows/return-refund.ts, `inspect`); a lost return parcel
 * waits for one too. `countMismatchRefunds` says what each refund would come to, so that the agent
 * chooses between amounts and not between words.
 */
import { approvedOrAsked } from './goods-lines.js';
import type { Policy } from './policy.js';
import { computeRefund, isShopAtFault, type Inspection, type InspectedLine, type OrderSnapshot, type ReturnRequest } from './return-refund.js';

/** What the order's other cases refunded already (the refund is capped by what the order has left). */
export interface EarlierRefunds {
  amountMinor: number;
  shippingRefunded: boolean;
}

/**
 * How the case's workflow refunds, by the patches it ran under: `rulesV2` (return-rules-v2: the
 * order's other refunds cap it, and only a defect-like reason puts the shop at fault; before it,
 * any reason but NO_REASON did and nothing capped it) and `approvedOnly` (refund-approved-only: no
 * more units than were approved).
 */
export interface RefundRules {
  rulesV2: boolean;
  approvedOnly: boolean;
}

const NOTHING_EARLIER: EarlierRefunds = { amountMinor: 0, shippingRefunded: false };

/** The inputs of `computeRefund` for a return's refund: `received` as counted, `approved` the lines the case expects back. */
export function returnRefundInspection(request: ReturnRequest, received: InspectedLine[], approved: ReadonlyArray<{ sku: string; quantity: number }>, earlier: EarlierRefunds, rules: RefundRules): Inspection {
  const before = rules.rulesV2 ? earlier : NOTHING_EARLIER;
  const shopAtFault = rules.rulesV2 ? isShopAtFault(request) : request.lines.some((l) => l.reason !== 'NO_REASON');
  return { lines: received, shopAtFault, alreadyRefundedMinor: before.amountMinor, shippingAlreadyRefunded: before.shippingRefunded, ...(rules.approvedOnly ? { approved } : {}) };
}

/** Every approved line as if it came back in good order: "refund what was asked", and a lost parcel's refund. */
export const asIfReceived = (lines: ReadonlyArray<{ sku: string; quantity: number }>): InspectedLine[] => lines.map((l) => ({ sku: l.sku, receivedQuantity: l.quantity, condition: 'OK' as const }));

export interface CountMismatchRefunds {
  /** Refund what came back: the inspection's lines as counted. */
  REFUND_RECEIVED: number;
  /** Refund what was asked: every approved line as if it came back in good order. */
  REFUND_REQUESTED: number;
}

/**
 * What each refund an agent may choose would come to, under the rules the case's workflow runs by
 * (`rules`; an agent's decision is taken after the approval-only patch, so it always holds then).
 */
export function countMismatchRefunds(
  policy: Policy,
  order: OrderSnapshot,
  request: ReturnRequest,
  approved: unknown,
  inspected: InspectedLine[],
  earlier: EarlierRefunds,
  rules: Pick<RefundRules, 'rulesV2'> = { rulesV2: true },
): CountMismatchRefunds {
  const lines = approvedOrAsked(approved, request.lines);
  const refundOf = (received: InspectedLine[]) => computeRefund(order, returnRefundInspection(request, received, lines, earlier, { rulesV2: rules.rulesV2, approvedOnly: true }), policy).amountMinor;
  return { REFUND_RECEIVED: refundOf(inspected), REFUND_REQUESTED: refundOf(asIfReceived(lines)) };
}

/**
 * Why an agent may not close a case counted otherwise than asked without a refund: the warehouse
 * holds goods the customer sent back that a refund of what came back would pay for (a unit of two,
 * one line of three), and closing would keep them with nothing paid and nothing sent back. The agent
 * refunds what came back, or what was asked. Undefined when nothing came back that such a refund pays
 * for (an empty box; every line MISSING; in a return, only goods the customer damaged, which its refund
 * excludes — `paysDamaged` where the refund pays them too, as goods taken back for transit damage or a
 * quality problem are paid: workflows/take-back.ts goodsToRefund): closing is then the agent's call.
 * `instead` names the wait's ways to pay for them, for the refusal's words.
 */
export function closeKeepsGoodsReason(inspected: readonly InspectedLine[], paysDamaged = false, instead = 'refund what came back (REFUND_RECEIVED) or what was asked (REFUND_REQUESTED)'): string | undefined {
  const back = new Map<string, number>();
  const paidFor = (l: InspectedLine) => l.receivedQuantity > 0 && (l.condition === 'OK' || (paysDamaged && l.condition === 'DAMAGED_BY_CUSTOMER'));
  for (const l of inspected) if (paidFor(l)) back.set(l.sku, (back.get(l.sku) ?? 0) + l.receivedQuantity);
  if (!back.size) return undefined;
  const goods = [...back].map(([sku, n]) => `${sku} × ${n}`).join(', ');
  return `the warehouse holds goods the customer sent back (${goods}): closing without a refund would keep them unpaid — ${instead}`;
}
