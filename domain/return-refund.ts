/**
 * Rules of return and refund (退货退款, DOMAIN.md §10; 001 §03, 003 §7): is the request valid, may
 * policy approve it alone, and how much is refunded for what actually came back. Amounts are
 * integer minor units of the order's currency.
 */
import type { Decision } from './decision.js';
import type { Policy } from './policy.js';

export interface OrderItem {
  sku: string;
  name: string;
  quantity: number;
  /** What the customer paid per unit, after discounts. */
  unitPriceMinor: number;
  unitCostMinor: number;
}

export interface OrderSnapshot {
  orderId: string;
  currency: string;
  items: OrderItem[];
  shippingFeeMinor: number;
  paidTotalMinor: number;
  shippedAt?: number;
  deliveredAt?: number;
}

export type ReturnReason = 'NO_REASON' | 'DEFECTIVE' | 'WRONG_ITEM' | 'DAMAGED' | 'NOT_AS_DESCRIBED' | 'OTHER';
export const RETURN_REASONS: ReturnReason[] = ['NO_REASON', 'DEFECTIVE', 'WRONG_ITEM', 'DAMAGED', 'NOT_AS_DESCRIBED', 'OTHER'];
/** Reasons where the shop is at fault: not bound by the no-reason window, and shipping is refunded. */
export const SHOP_FAULT_REASONS: ReturnReason[] = ['DEFECTIVE', 'WRONG_ITEM', 'DAMAGED', 'NOT_AS_DESCRIBED'];

export interface ReturnLine {
  sku: string;
  quantity: number;
  reason: ReturnReason;
}

export interface ReturnRequest {
  lines: ReturnLine[];
  evidenceUrls?: string[];
}

export type ItemCondition = 'OK' | 'DAMAGED_BY_CUSTOMER' | 'MISSING';

export interface InspectedLine {
  sku: string;
  receivedQuantity: number;
  condition: ItemCondition;
}

export interface Problem {
  field: string;
  reason: string;
}

export function validateOrder(order: OrderSnapshot): Problem[] {
  const problems: Problem[] = [];
  if (!order.orderId) problems.push({ field: 'order.orderId', reason: 'is required' });
  if (!/^[A-Z]{3}$/.test(order.currency ?? '')) problems.push({ field: 'order.currency', reason: 'must be an ISO-4217 code such as CNY' });
  if (!order.items?.length) problems.push({ field: 'order.items', reason: 'must not be empty' });
  const money = (v: number) => Number.isInteger(v) && v >= 0;
  (order.items ?? []).forEach((item, i) => {
    if (!item.sku) problems.push({ field: `order.items[${i}].sku`, reason: 'is required' });
    if (!Number.isInteger(item.quantity) || item.quantity < 1) problems.push({ field: `order.items[${i}].quantity`, reason: 'must be a whole number ≥ 1' });
    if (!money(item.unitPriceMinor)) problems.push({ field: `order.items[${i}].unitPriceMinor`, reason: 'must be a whole number of minor units ≥ 0' });
    if (!money(item.unitCostMinor)) problems.push({ field: `order.items[${i}].unitCostMinor`, reason: 'must be a whole number of minor units ≥ 0' });
  });
  if (!money(order.shippingFeeMinor)) problems.push({ field: 'order.shippingFeeMinor', reason: 'must be a whole number of minor units ≥ 0' });
  if (!money(order.paidTotalMinor)) problems.push({ field: 'order.paidTotalMinor', reason: 'must be a whole number of minor units ≥ 0' });
  const skus = (order.items ?? []).map((i) => i.sku);
  if (new Set(skus).size !== skus.length) problems.push({ field: 'order.items', reason: 'SKUs must be unique' });
  return problems;
}

export function validateReturnRequest(order: OrderSnapshot, request: ReturnRequest): Problem[] {
  const problems = validateOrder(order);
  if (!request.lines?.length) problems.push({ field: 'lines', reason: 'must not be empty' });
  const seen = new Set<string>();
  (request.lines ?? []).forEach((line, i) => {
    const item = order.items?.find((it) => it.sku === line.sku);
    if (!item) problems.push({ field: `lines[${i}].sku`, reason: `${line.sku} is not part of order ${order.orderId}` });
    if (seen.has(line.sku)) problems.push({ field: `lines[${i}].sku`, reason: `${line.sku} appears twice` });
    seen.add(line.sku);
    if (!Number.isInteger(line.quantity) || line.quantity < 1) problems.push({ field: `lines[${i}].quantity`, reason: 'must be a whole number ≥ 1' });
    else if (item && line.quantity > item.quantity) problems.push({ field: `lines[${i}].quantity`, reason: `more than the ${item.quantity} ordered` });
    if (!RETURN_REASONS.includes(line.reason)) problems.push({ field: `lines[${i}].reason`, reason: `must be one of ${RETURN_REASONS.join(', ')}` });
  });
  return problems;
}

const DAY = 86_400_000;

export function requestValueMinor(order: OrderSnapshot, lines: Array<{ sku: string; quantity: number }>): number {
  return lines.reduce((sum, l) => sum + l.quantity * (order.items.find((i) => i.sku === l.sku)?.unitPriceMinor ?? 0), 0);
}

/**
 * May policy approve the return alone? Shop-fault reasons always may (up to the amount limit);
 * no-reason returns only within the window from delivery. Otherwise an agent decides — or, if the
 * merchant's policy says so, the request is rejected with the rule as its reason.
 */
export function decideReturnApproval(policy: Policy, order: OrderSnapshot, request: ReturnRequest, now: number): Decision {
  const rules = policy.rules;
  const value = requestValueMinor(order, request.lines);
  const decide = (rule: string, outcome: 'APPROVE' | 'REJECT' | 'NEEDS_AGENT', values: Record<string, unknown>): Decision => ({
    rule,
    values: { ...values, requestValueMinor: value },
    policyVersion: policy.version,
    outcome,
  });
  if (order.deliveredAt === undefined) {
    return decide('deliveredBeforeReturn', 'NEEDS_AGENT', { reason: 'the order has not been delivered' });
  }
  const daysSinceDelivery = (now - order.deliveredAt) / DAY;
  const noReason = request.lines.some((l) => !SHOP_FAULT_REASONS.includes(l.reason));
  if (noReason && daysSinceDelivery > rules.noReasonReturnDays) {
    const outcome = rules.outsideWindowAction === 'REJECT' ? 'REJECT' : 'NEEDS_AGENT';
    return decide('noReasonReturnDays', outcome, {
      daysSinceDelivery: Math.floor(daysSinceDelivery * 10) / 10,
      noReasonReturnDays: rules.noReasonReturnDays,
      reason: `more than ${rules.noReasonReturnDays} days since delivery`,
    });
  }
  if (rules.autoApproveMaxAmountMinor > 0 && value > rules.autoApproveMaxAmountMinor) {
    return decide('autoApproveMaxAmountMinor', 'NEEDS_AGENT', { autoApproveMaxAmountMinor: rules.autoApproveMaxAmountMinor });
  }
  return decide(noReason ? 'noReasonReturnDays' : 'shopFaultReturn', 'APPROVE', {
    daysSinceDelivery: Math.floor(daysSinceDelivery * 10) / 10,
    noReasonReturnDays: rules.noReasonReturnDays,
  });
}

export interface RefundLine {
  sku: string;
  quantity: number;
  unitPriceMinor: number;
  amountMinor: number;
}

export interface RefundComputation {
  amountMinor: number;
  currency: string;
  breakdown: Array<RefundLine | { sku: 'SHIPPING'; quantity: 1; unitPriceMinor: number; amountMinor: number }>;
  decision: Decision;
}

/**
 * The refund for what actually came back in good order: received quantity × price paid per
 * unit, never more than ordered; the shipping fee too when the shop was at fault and policy says
 * so; and never more than what was paid minus what was already refunded.
 */
export function computeRefund(
  order: OrderSnapshot,
  inspection: { lines: InspectedLine[]; shopAtFault: boolean; alreadyRefundedMinor: number },
  policy: Policy,
): RefundComputation {
  const breakdown: RefundComputation['breakdown'] = [];
  for (const line of inspection.lines) {
    const item = order.items.find((i) => i.sku === line.sku);
    if (!item || line.condition !== 'OK') continue;
    const quantity = Math.min(line.receivedQuantity, item.quantity);
    if (quantity > 0) breakdown.push({ sku: line.sku, quantity, unitPriceMinor: item.unitPriceMinor, amountMinor: quantity * item.unitPriceMinor });
  }
  const goods = breakdown.reduce((s, b) => s + b.amountMinor, 0);
  const shipping = goods > 0 && inspection.shopAtFault && policy.rules.shopFaultRefundsShipping ? order.shippingFeeMinor : 0;
  if (shipping > 0) breakdown.push({ sku: 'SHIPPING', quantity: 1, unitPriceMinor: shipping, amountMinor: shipping });
  const refundable = Math.max(0, order.paidTotalMinor - inspection.alreadyRefundedMinor);
  const amountMinor = Math.min(goods + shipping, refundable);
  return {
    amountMinor,
    currency: order.currency,
    breakdown,
    decision: {
      rule: 'refundReceivedGoods',
      values: { goodsMinor: goods, shippingMinor: shipping, refundableMinor: refundable, shopAtFault: inspection.shopAtFault, currency: order.currency },
      policyVersion: policy.version,
      outcome: amountMinor > 0 ? 'REFUND' : 'NOTHING_TO_REFUND',
    },
  };
}

export interface CountMismatch {
  sku: string;
  expected: number;
  received: number;
}

/** Lines where what arrived differs from what was announced (the missing / wrong-item path). */
export function detectCountMismatch(request: ReturnRequest, inspected: InspectedLine[]): CountMismatch[] {
  const received = new Map<string, number>();
  for (const l of inspected) received.set(l.sku, (received.get(l.sku) ?? 0) + (l.condition === 'MISSING' ? 0 : l.receivedQuantity));
  const out: CountMismatch[] = [];
  for (const l of request.lines) {
    const got = received.get(l.sku) ?? 0;
    if (got !== l.quantity) out.push({ sku: l.sku, expected: l.quantity, received: got });
    received.delete(l.sku);
  }
  for (const [sku, got] of received) if (got > 0) out.push({ sku, expected: 0, received: got });
  return out;
}
